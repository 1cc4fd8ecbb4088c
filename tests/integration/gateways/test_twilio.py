"""TwilioGateway against the Twilio fake running as its own process, with a local receiver
for the StatusCallbacks; signature helpers against Twilio's published example vectors."""

from __future__ import annotations

import socket
import threading
import time
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from urllib.parse import parse_qsl

import anyio
import httpx
import pytest
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from smscompose import segment
from smscompose.status import Reason
from smsrelay.gateways.base import (
    DeliveryReceipt,
    Gateway,
    GatewayError,
    OutboundSms,
    ReceiptStatus,
)
from smsrelay.gateways.twilio.gateway import TwilioGateway
from smsrelay.gateways.twilio.urls import MESSAGE_ID_PARAM
from smsrelay.gateways.twilio.webhooks import (
    parse_twilio_status,
    twilio_signature,
    valid_twilio_signature,
)
from tests.support.peers import twilio as twilio_peer
from tests.support.peers.twilio import TwilioFakeClient
from tests.support.peers.twilio_fake import UNREACHABLE_TO
from tests.support.processes import free_port, wait_until

GATEWAY = "tw-test"
SENDER = "+15005550006"  # Twilio's magic "From" that passes all validation
RECIPIENT = "+4915112345678"

#: The fake as a separate process, one per module (pytest finds fixtures by name here).
twilio_fake = twilio_peer.twilio_fake


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


# --- a small stand-in for the relay's receipt route -------------------------------------------


@dataclass(frozen=True)
class Callback:
    url: str
    params: dict[str, str]
    signature: str


class CallbackReceiver:
    """Records every POST to ``/v1/receipts/twilio/{gateway}`` as Twilio made it."""

    def __init__(self) -> None:
        self.received: list[Callback] = []
        self.base_url = ""

    def app(self) -> Starlette:
        return Starlette(
            routes=[Route("/v1/receipts/twilio/{gateway}", self.receive, methods=["POST"])]
        )

    async def receive(self, request: Request) -> Response:
        params = dict(parse_qsl((await request.body()).decode(), keep_blank_values=True))
        signature = request.headers.get("x-twilio-signature", "")
        self.received.append(Callback(str(request.url), params, signature))
        return Response(status_code=204)

    def for_message(self, message_id: str) -> list[Callback]:
        return [cb for cb in self.received if f"{MESSAGE_ID_PARAM}={message_id}" in cb.url]


@contextmanager
def run_receiver() -> Iterator[CallbackReceiver]:
    receiver = CallbackReceiver()
    sock = socket.create_server(("127.0.0.1", 0))
    receiver.base_url = f"http://127.0.0.1:{sock.getsockname()[1]}"
    config = uvicorn.Config(receiver.app(), log_level="warning", ws="none", lifespan="off")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    try:
        wait_until(lambda: server.started, timeout=10, interval=0.01)
        assert server.started, "callback receiver did not start"
        yield receiver
    finally:
        server.should_exit = True
        thread.join(timeout=5)
        sock.close()


@pytest.fixture(scope="module")
def receiver() -> Iterator[CallbackReceiver]:
    with run_receiver() as running:
        yield running


@pytest.fixture
def fake(twilio_fake: TwilioFakeClient) -> Iterator[TwilioFakeClient]:
    twilio_fake.reset()
    yield twilio_fake
    twilio_fake.reset()


def make_gateway(
    fake: TwilioFakeClient, receiver: CallbackReceiver, **overrides: object
) -> TwilioGateway:
    settings: dict[str, object] = {
        "account_sid": fake.sid,
        "auth_token": fake.token,
        "base_url": fake.base_url,
        "status_callback_url": f"{receiver.base_url}/v1/receipts/twilio/{GATEWAY}",
        "timeout": 5.0,
    }
    settings.update(overrides)
    return TwilioGateway(GATEWAY, **settings)  # type: ignore[arg-type]


@pytest.fixture
async def gateway(
    fake: TwilioFakeClient, receiver: CallbackReceiver
) -> AsyncIterator[TwilioGateway]:
    gw = make_gateway(fake, receiver)
    await gw.start(_no_receipts)
    yield gw
    await gw.close()


async def _no_receipts(receipt: DeliveryReceipt) -> None:
    raise AssertionError("Twilio receipts come through the callback route")


def outbound(
    text: str = "Your parcel arrives today between 10:00 and 12:00.",
    *,
    to: str = RECIPIENT,
    sender: str = SENDER,
    **fields: object,
) -> OutboundSms:
    message = segment(text)
    return OutboundSms(
        message_id=f"m-{uuid.uuid4().hex[:12]}",
        tenant="acme",
        sender=sender,
        sender_kind="number",
        to=to,
        text=text,
        encoding=message.encoding.value,
        parts=tuple(part.text for part in message.parts),
        **fields,  # type: ignore[arg-type]
    )


async def wait_for(condition: Callable[[], bool], timeout: float = 5.0) -> None:
    with anyio.fail_after(timeout):
        while not condition():
            await anyio.sleep(0.02)


# --- signatures: Twilio's published examples -------------------------------------------------

# The example request of Twilio's security docs (token "12345") with the expected signatures
# from twilio-python's tests/unit/test_request_validator.py, and the older docs' variant.
EXAMPLE_URL = "https://mycompany.com/myapp.php?foo=1&bar=2"
EXAMPLE_PARAMS = {
    "CallSid": "CA1234567890ABCDE",
    "Caller": "+14158675309",
    "Digits": "1234",
    "From": "+14158675309",
    "To": "+18005551212",
}
OLD_DOCS_PARAMS = {**EXAMPLE_PARAMS, "Caller": "+12349013030", "From": "+12349013030"}


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        (EXAMPLE_PARAMS, "RSOYDt4T1cUTdK1PDd93/VVr8B8="),
        (OLD_DOCS_PARAMS, "0/KCTR6DLpKmkAf8muzZqo1nDgQ="),
    ],
)
def test_signature_matches_twilios_documented_examples(
    params: dict[str, str], expected: str
) -> None:
    assert twilio_signature(EXAMPLE_URL, params, "12345") == expected
    assert valid_twilio_signature(EXAMPLE_URL, params, expected, "12345")


@pytest.mark.parametrize(
    ("url", "signature"),
    [
        # twilio-python: the port is removed on https, kept or added (80/443) otherwise.
        ("https://mycompany.com:1234/myapp.php?foo=1&bar=2", "RSOYDt4T1cUTdK1PDd93/VVr8B8="),
        ("http://mycompany.com:1234/myapp.php?foo=1&bar=2", "Zmvh+3yNM1Phv2jhDCwEM3q5ebU="),
        ("https://mycompany.com/myapp.php?foo=1&bar=2", "kvajT1Ptam85bY51eRf/AJRuM3w="),
        ("http://mycompany.com/myapp.php?foo=1&bar=2", "0ZXoZLH/DfblKGATFgpif+LLRf4="),
    ],
)
def test_signature_validation_accepts_the_url_with_or_without_its_port(
    url: str, signature: str
) -> None:
    assert valid_twilio_signature(url, EXAMPLE_PARAMS, signature, "12345")


def test_signature_validation_refuses_tampering() -> None:
    good = "RSOYDt4T1cUTdK1PDd93/VVr8B8="
    assert not valid_twilio_signature(EXAMPLE_URL, EXAMPLE_PARAMS, good, "54321")
    assert not valid_twilio_signature(EXAMPLE_URL + "&x=1", EXAMPLE_PARAMS, good, "12345")
    tampered = {**EXAMPLE_PARAMS, "Digits": "9999"}
    assert not valid_twilio_signature(EXAMPLE_URL, tampered, good, "12345")
    assert not valid_twilio_signature(EXAMPLE_URL, {**EXAMPLE_PARAMS, "X": ""}, good, "12345")
    assert not valid_twilio_signature(EXAMPLE_URL, EXAMPLE_PARAMS, "", "12345")
    assert not valid_twilio_signature(EXAMPLE_URL, EXAMPLE_PARAMS, "ÄÖÜ", "12345")


# --- StatusCallback parsing ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("twilio_status", "error_code", "status", "reason", "code"),
    [
        ("queued", None, ReceiptStatus.ENROUTE, None, None),
        ("accepted", None, ReceiptStatus.ENROUTE, None, None),
        ("sending", None, ReceiptStatus.ENROUTE, None, None),
        ("sent", None, ReceiptStatus.ENROUTE, None, None),
        ("delivered", None, ReceiptStatus.DELIVERED, None, None),
        ("read", None, ReceiptStatus.DELIVERED, None, None),
        ("undelivered", "30003", ReceiptStatus.UNDELIVERED, "30003", Reason.ABSENT_SUBSCRIBER),
        ("failed", "30008", ReceiptStatus.FAILED, "30008", Reason.GATEWAY_ERROR),
        ("failed", None, ReceiptStatus.FAILED, "failed", Reason.GATEWAY_ERROR),
        ("failed", "30036", ReceiptStatus.EXPIRED, "30036", Reason.EXPIRED),
    ],
)
def test_parse_twilio_status_maps_every_status(
    twilio_status: str,
    error_code: str | None,
    status: ReceiptStatus,
    reason: str | None,
    code: Reason | None,
) -> None:
    params = {"MessageSid": "SM" + "0" * 32, "MessageStatus": twilio_status}
    if error_code:
        params["ErrorCode"] = error_code
    receipt = parse_twilio_status(GATEWAY, params, "m-1")
    assert receipt == DeliveryReceipt(
        GATEWAY, "SM" + "0" * 32, status, reason, message_id="m-1", reason_code=code
    )


def test_parse_twilio_status_refuses_what_is_not_a_status_callback() -> None:
    with pytest.raises(ValueError, match="MessageSid"):
        parse_twilio_status(GATEWAY, {"MessageStatus": "sent"})
    with pytest.raises(ValueError, match="unknown"):
        parse_twilio_status(GATEWAY, {"MessageSid": "SM1", "MessageStatus": "teleported"})
    assert parse_twilio_status(GATEWAY, {"MessageSid": "SM1", "MessageStatus": "sent"}) == (
        DeliveryReceipt(GATEWAY, "SM1", ReceiptStatus.ENROUTE)
    )


# --- configuration -------------------------------------------------------------------------


def test_callback_url_carries_the_message_id_and_keeps_an_existing_query() -> None:
    gw = TwilioGateway(
        GATEWAY,
        account_sid="AC1",
        auth_token="t",
        status_callback_url="https://relay.example.com/v1/receipts/twilio/tw?region=eu",
    )
    assert gw.callback_url("m 1&2") == (
        "https://relay.example.com/v1/receipts/twilio/tw?region=eu&message_id=m+1%262"
    )
    assert isinstance(gw, Gateway)


@pytest.mark.parametrize(
    "overrides",
    [
        {"account_sid": ""},
        {"auth_token": ""},
        {"status_callback_url": "/v1/receipts/twilio/tw"},
        {"status_callback_url": "https://relay_host.example.com/v1/receipts/twilio/tw"},
        {"timeout": 0},
        {"base_url": "api.twilio.com"},
    ],
)
def test_bad_settings_are_refused(overrides: dict[str, object]) -> None:
    settings: dict[str, object] = {
        "account_sid": "AC1",
        "auth_token": "t",
        "status_callback_url": "https://relay.example.com/v1/receipts/twilio/tw",
    }
    with pytest.raises(ValueError):
        TwilioGateway(GATEWAY, **{**settings, **overrides})  # type: ignore[arg-type]


@pytest.mark.anyio
async def test_close_leaves_an_injected_client_open(
    fake: TwilioFakeClient, receiver: CallbackReceiver
) -> None:
    async with httpx.AsyncClient() as client:
        gw = make_gateway(fake, receiver, client=client)
        await gw.close()
        assert not client.is_closed
        assert (await gw.submit(outbound())).gateway_ids[0].startswith("SM")


# --- submitting to the fake ----------------------------------------------------------------


@pytest.mark.anyio
async def test_submit_creates_one_message_and_signed_callbacks_follow(
    gateway: TwilioGateway, fake: TwilioFakeClient, receiver: CallbackReceiver
) -> None:
    sms = outbound(validity_seconds=600)

    result = await gateway.submit(sms)

    (sid,) = result.gateway_ids
    assert sid.startswith("SM") and len(sid) == 34
    (request,) = fake.requests()
    assert request["path"] == f"/2010-04-01/Accounts/{fake.sid}/Messages.json"
    assert request["content_type"].startswith("application/x-www-form-urlencoded")
    assert request["authorized"] and request["user"] == fake.sid
    assert request["form"] == {
        "To": RECIPIENT,
        "From": SENDER,
        "Body": sms.text,
        "StatusCallback": gateway.callback_url(sms.message_id),
        "ValidityPeriod": "600",
    }
    assert request["status"] == 201

    await wait_for(lambda: len(receiver.for_message(sms.message_id)) == 2)
    callbacks = receiver.for_message(sms.message_id)
    receipts = []
    for callback in callbacks:
        assert callback.url == gateway.callback_url(sms.message_id)
        assert valid_twilio_signature(callback.url, callback.params, callback.signature, fake.token)
        receipts.append(parse_twilio_status(GATEWAY, callback.params, sms.message_id))
    assert [r.status for r in receipts] == [ReceiptStatus.ENROUTE, ReceiptStatus.DELIVERED]
    assert {r.gateway_id for r in receipts} == {sid}
    assert {r.message_id for r in receipts} == {sms.message_id}

    # A tampered parameter, another message's URL or another token does not validate.
    delivered = callbacks[-1]
    forged = {**delivered.params, "MessageStatus": "undelivered"}
    assert not valid_twilio_signature(delivered.url, forged, delivered.signature, fake.token)
    other_url = gateway.callback_url("m-someone-else")
    assert not valid_twilio_signature(other_url, delivered.params, delivered.signature, fake.token)
    assert not valid_twilio_signature(
        delivered.url, delivered.params, delivered.signature, "another-token"
    )


@pytest.mark.anyio
async def test_undelivered_callback_carries_error_code_30003(
    gateway: TwilioGateway, fake: TwilioFakeClient, receiver: CallbackReceiver
) -> None:
    sms = outbound(to=UNREACHABLE_TO)
    (sid,) = (await gateway.submit(sms)).gateway_ids

    await wait_for(lambda: len(receiver.for_message(sms.message_id)) == 2)
    final = receiver.for_message(sms.message_id)[-1]
    assert valid_twilio_signature(final.url, final.params, final.signature, fake.token)
    assert parse_twilio_status(GATEWAY, final.params, sms.message_id) == DeliveryReceipt(
        GATEWAY,
        sid,
        ReceiptStatus.UNDELIVERED,
        "30003",
        message_id=sms.message_id,
        reason_code=Reason.ABSENT_SUBSCRIBER,
    )


@pytest.mark.anyio
async def test_long_text_goes_in_one_request_and_twilio_counts_the_segments(
    gateway: TwilioGateway, fake: TwilioFakeClient
) -> None:
    sms = outbound("Please call us back about your contract renewal. " * 5)
    assert len(sms.parts) == 2

    await gateway.submit(sms)

    (request,) = fake.requests()
    assert request["form"]["Body"] == sms.text
    assert '"num_segments":"2"' in request["response"]


@pytest.mark.anyio
async def test_only_parts_not_yet_accepted_are_sent(
    gateway: TwilioGateway, fake: TwilioFakeClient
) -> None:
    sms = outbound("Please call us back about your contract renewal. " * 5, first_part=1)

    await gateway.submit(sms)

    assert fake.requests()[0]["form"]["Body"] == sms.parts[1]


@pytest.mark.anyio
@pytest.mark.parametrize(("validity", "sent"), [(90_000, "36000"), (0, "1"), (None, None)])
async def test_validity_period_is_kept_within_twilios_range(
    gateway: TwilioGateway, fake: TwilioFakeClient, validity: int | None, sent: str | None
) -> None:
    await gateway.submit(outbound(validity_seconds=validity))

    assert fake.requests()[0]["form"].get("ValidityPeriod") == sent


@pytest.mark.anyio
@pytest.mark.parametrize(
    ("to", "sender", "code", "reason"),
    [
        ("+15005550001", SENDER, "21211", Reason.UNKNOWN_SUBSCRIBER),  # magic invalid number
        ("015112345678", SENDER, "21211", Reason.UNKNOWN_SUBSCRIBER),  # not E.164
        ("+15005550004", SENDER, "21610", Reason.OPTED_OUT),  # the recipient sent STOP
        ("+15005550003", SENDER, "21408", Reason.REJECTED),  # no permission for the region
        (RECIPIENT, "+15005550001", "21212", Reason.REJECTED),  # invalid From
    ],
)
async def test_refused_numbers_are_permanent_with_twilios_code(
    gateway: TwilioGateway,
    fake: TwilioFakeClient,
    to: str,
    sender: str,
    code: str,
    reason: Reason,
) -> None:
    with pytest.raises(GatewayError) as failure:
        await gateway.submit(outbound(to=to, sender=sender))

    assert failure.value.permanent
    assert failure.value.reason.startswith(f"Twilio {code}: ")
    assert failure.value.code is reason
    assert failure.value.accepted_parts == 0


@pytest.mark.anyio
async def test_wrong_token_is_permanent(fake: TwilioFakeClient, receiver: CallbackReceiver) -> None:
    gw = make_gateway(fake, receiver, auth_token="not-the-token")
    try:
        with pytest.raises(GatewayError) as failure:
            await gw.submit(outbound())
    finally:
        await gw.close()

    assert failure.value.permanent
    assert failure.value.reason == "Twilio 20003: Authenticate"


@pytest.mark.anyio
@pytest.mark.parametrize("status", [429, 500, 503])
async def test_throttling_and_server_errors_are_transient(
    gateway: TwilioGateway, fake: TwilioFakeClient, status: int
) -> None:
    fake.configure(fail=[status])

    with pytest.raises(GatewayError) as failure:
        await gateway.submit(outbound())

    assert not failure.value.permanent
    assert f"Twilio 20{status}" in failure.value.reason
    assert failure.value.code is Reason.NETWORK_ERROR
    # The retry goes through.
    assert (await gateway.submit(outbound())).gateway_ids[0].startswith("SM")


@pytest.mark.anyio
async def test_full_sender_queue_is_transient(gateway: TwilioGateway) -> None:
    with pytest.raises(GatewayError) as failure:
        await gateway.submit(outbound(sender="+15005550008"))

    assert not failure.value.permanent
    assert failure.value.reason.startswith("Twilio 21611: ")


@pytest.mark.anyio
async def test_gateway_timeout_from_a_proxy_is_an_unknown_outcome(
    gateway: TwilioGateway, fake: TwilioFakeClient
) -> None:
    fake.configure(fail=[504])

    with pytest.raises(GatewayError) as failure:
        await gateway.submit(outbound())

    assert failure.value.permanent
    assert failure.value.reason.startswith("unknown outcome")
    assert failure.value.code is Reason.UNCONFIRMED  # the relay shows it as "not confirmed"


@pytest.mark.anyio
async def test_twilio_down_is_transient(fake: TwilioFakeClient, receiver: CallbackReceiver) -> None:
    gw = make_gateway(fake, receiver, base_url=f"http://127.0.0.1:{free_port()}")
    try:
        with pytest.raises(GatewayError) as failure:
            await gw.submit(outbound())
    finally:
        await gw.close()

    assert not failure.value.permanent
    assert "ConnectError" in failure.value.reason


@pytest.mark.anyio
async def test_answer_later_than_the_timeout_is_permanent_and_never_sent_twice(
    fake: TwilioFakeClient, receiver: CallbackReceiver
) -> None:
    """Twilio got the request and may have created the message: retrying could send it twice,
    so the attempt ends permanently as an unknown outcome — and the StatusCallbacks, which
    carry our message id, still arrive to settle it."""
    fake.configure(delay=2.0)
    gw = make_gateway(fake, receiver, timeout=0.3)
    sms = outbound()
    started = time.monotonic()
    try:
        with pytest.raises(GatewayError) as failure:
            await gw.submit(sms)
    finally:
        await gw.close()

    assert time.monotonic() - started < 1.5
    assert failure.value.permanent
    assert failure.value.reason.startswith("unknown outcome")
    assert len(fake.requests()) == 1

    await wait_for(lambda: len(receiver.for_message(sms.message_id)) == 2)
    final = receiver.for_message(sms.message_id)[-1]
    assert valid_twilio_signature(final.url, final.params, final.signature, fake.token)
    receipt = parse_twilio_status(GATEWAY, final.params, sms.message_id)
    assert receipt.status is ReceiptStatus.DELIVERED
    assert receipt.message_id == sms.message_id
