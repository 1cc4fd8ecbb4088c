"""The Kannel gateway against a real Kannel (bearerbox, smsbox, fakesmsc), plus its bookkeeping
and its dlr-url callbacks with fakes."""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TypeVar
from urllib.parse import parse_qsl, unquote_to_bytes, urlsplit

import anyio
import httpx
import pytest

from smscompose import segment
from smscompose.status import Reason
from smsrelay.gateways.base import (
    DeliveryReceipt,
    GatewayError,
    OutboundSms,
    ReceiptStatus,
    SubmitResult,
)
from smsrelay.gateways.kannel.dlr import InvalidCallback, parse_kannel_dlr, sign_part
from smsrelay.gateways.kannel.gateway import KannelGateway
from tests.support.peers.kannel import Kannel, kannel_fixture, running_kannel  # noqa: F401
from tests.support.processes import free_port

SECRET = b"dlr-secret-for-tests"
GATEWAY = "kannel-test"
SENDER = "4915112345678"

T = TypeVar("T")

# 400 characters: three parts of 153 + 153 + 133 septets, with GSM escapes ({ [ € ~ | \ ^) that
# count twice and umlauts from the default alphabet.
LONG_GSM = (
    "Güten Tag {Kunde}! Ihre Rechnung [Nr. 4711] über 99€ ist fällig ~ bitte zahlen | danke \\ ^ "
    * 5
)[:400]
EMOJI_UCS2 = (
    "Hallo 👋 wir haben Ihre Nachricht erhalten 😀 und melden uns bald. "
    "Danke für Ihre Geduld 🙏 Ihr Team, +49 89 1234-0"
)


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


def outbound(text: str, message_id: str, to: str, **fields: object) -> OutboundSms:
    """The message as the dispatcher hands it over: segmented by smscompose."""
    message = segment(text)
    sms = OutboundSms(
        message_id=message_id,
        tenant="acme",
        sender=SENDER,
        sender_kind="number",
        to=to,
        text=text,
        encoding=message.encoding,
        parts=tuple(part.text for part in message.parts),
        locking=message.locking,
        single=message.single,
        concat_ref=0x5A,
    )
    return dataclasses.replace(sms, **fields)  # type: ignore[arg-type]


class DlrReceiver:
    """The relay's dlr-url route, reduced to recording the query parameters Kannel sends."""

    def __init__(self) -> None:
        received = self.callbacks = list[dict[str, str]]()

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                received.append(dict(parse_qsl(urlsplit(self.path).query, keep_blank_values=True)))
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, format: str, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/v1/receipts/kannel/{GATEWAY}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def receipts(self, message_id: str) -> list[DeliveryReceipt]:
        found = [parse_kannel_dlr(GATEWAY, params, SECRET) for params in list(self.callbacks)]
        return [receipt for receipt in found if receipt.message_id == message_id]


@pytest.fixture(scope="module")
def dlr_receiver() -> Iterator[DlrReceiver]:
    receiver = DlrReceiver()
    receiver.thread.start()
    yield receiver
    receiver.server.shutdown()
    receiver.server.server_close()
    receiver.thread.join()


def kannel_gateway(
    kannel: Kannel,
    dlr_url: str,
    *,
    password: str | None = None,
    client: httpx.AsyncClient | None = None,
) -> KannelGateway:
    return KannelGateway(
        GATEWAY,
        kannel.sendsms_url,
        kannel.username,
        password or kannel.password,
        dlr_url,
        SECRET,
        smsc=kannel.smsc_id,
        timeout=5.0,
        client=client,
    )


async def eventually(probe: Callable[[], T | None], what: str, timeout: float = 10.0) -> T:
    with anyio.move_on_after(timeout):
        while (result := probe()) is None:
            await anyio.sleep(0.05)
        return result
    raise AssertionError(f"timed out waiting for {what}")


async def send_through_kannel(
    kannel: Kannel, dlr_receiver: DlrReceiver, sms: OutboundSms
) -> tuple[SubmitResult, list[bytes], list[bytes]]:
    """Submit ``sms``; the UDHs and bodies fakesmsc got, in part order, once every part's
    "accepted by the SMSC" receipt came back."""
    gateway = kannel_gateway(kannel, dlr_receiver.url)
    try:
        result = await gateway.submit(sms)
    finally:
        await gateway.close()
    received = await anyio.to_thread.run_sync(
        lambda: kannel.wait_for_messages(sms.to, len(sms.parts))
    )
    assert len(received) == len(sms.parts), received
    received.sort(key=lambda message: message.udh[-1:])

    def smsc_accepted() -> list[DeliveryReceipt] | None:
        receipts = dlr_receiver.receipts(sms.message_id)
        parts = {r.gateway_id for r in receipts if r.status is ReceiptStatus.ENROUTE}
        return receipts if len(parts) == len(sms.parts) else None

    receipts = await eventually(smsc_accepted, f"type 8 receipts of {sms.message_id}")
    assert {r.gateway_id for r in receipts} == set(result.gateway_ids)
    assert {r.status for r in receipts} <= {ReceiptStatus.ENROUTE, ReceiptStatus.DELIVERED}
    assert all(r.gateway == GATEWAY and r.at is not None for r in receipts)
    return result, [m.udh for m in received], [m.data for m in received]


# --- with the real Kannel ---------------------------------------------------------------------


@pytest.mark.anyio
async def test_one_part_message_is_one_sms_without_header(
    kannel: Kannel, dlr_receiver: DlrReceiver
) -> None:
    sms = outbound("Ihr Termin ist morgen um 10:00 {Raum 4}.", "msg-one", "+4915200000001")
    assert len(sms.parts) == 1

    result, udhs, bodies = await send_through_kannel(kannel, dlr_receiver, sms)

    assert result == SubmitResult(gateway_ids=("msg-one:0",))
    assert udhs == [b""]
    assert bodies[0].decode("utf-8") == sms.text


@pytest.mark.anyio
async def test_three_part_gsm_message_arrives_as_exactly_the_counted_parts(
    kannel: Kannel, dlr_receiver: DlrReceiver
) -> None:
    sms = outbound(LONG_GSM, "msg-three", "+4915200000003")
    assert (sms.encoding, len(sms.parts)) == ("GSM_7BIT", 3)

    result, udhs, bodies = await send_through_kannel(kannel, dlr_receiver, sms)

    assert result.gateway_ids == ("msg-three:0", "msg-three:1", "msg-three:2")
    assert udhs == [bytes([5, 0, 3, 0x5A, 3, sequence]) for sequence in (1, 2, 3)]
    assert [body.decode("utf-8") for body in bodies] == list(sms.parts)
    assert "".join(body.decode("utf-8") for body in bodies) == LONG_GSM


@pytest.mark.anyio
async def test_two_part_ucs2_message_with_emoji_keeps_every_character(
    kannel: Kannel, dlr_receiver: DlrReceiver
) -> None:
    # An id with characters Kannel would otherwise read as dlr-url escapes (%A, non-ASCII).
    sms = outbound(EMOJI_UCS2, "msg/ü %A two", "+4915200000002", concat_ref=7)
    assert (sms.encoding, len(sms.parts)) == ("UCS2", 2)

    result, udhs, bodies = await send_through_kannel(kannel, dlr_receiver, sms)

    assert result.gateway_ids == ("msg/ü %A two:0", "msg/ü %A two:1")
    assert udhs == [bytes([5, 0, 3, 7, 2, 1]), bytes([5, 0, 3, 7, 2, 2])]
    assert "".join(body.decode("utf-16-be") for body in bodies) == EMOJI_UCS2
    assert [body.decode("utf-16-be") for body in bodies] == list(sms.parts)


@pytest.mark.anyio
async def test_wrong_credentials_fail_permanently_and_send_nothing(
    kannel: Kannel, dlr_receiver: DlrReceiver
) -> None:
    gateway = kannel_gateway(kannel, dlr_receiver.url, password="not-the-password")
    sms = outbound(LONG_GSM, "msg-auth", "+4915200000004")
    with pytest.raises(GatewayError) as raised:
        await gateway.submit(sms)
    await gateway.close()

    assert raised.value.permanent
    assert "Authorization failed" in raised.value.reason
    assert "not-the-password" not in raised.value.reason
    assert (raised.value.accepted_parts, raised.value.accepted_ids) == (0, ())
    await anyio.sleep(0.3)
    assert kannel.received("+4915200000004") == []


@pytest.mark.anyio
async def test_smsc_link_down_is_queued_by_kannel_and_kannel_down_is_transient(
    tmp_path: Path,
) -> None:
    answers: list[str] = []

    async def record(response: httpx.Response) -> None:
        answers.append((await response.aread()).decode())

    with running_kannel(tmp_path) as own:
        client = httpx.AsyncClient(event_hooks={"response": [record]})
        gateway = kannel_gateway(own, "http://127.0.0.1:9/unused", client=client)
        own.stop_fakesmsc()
        queued = await gateway.submit(outbound("queued", "msg-queued", "+4915200000005"))
        assert queued.gateway_ids == ("msg-queued:0",)
        assert answers == ["3: Queued for later delivery"]

        own.stop()
        with pytest.raises(GatewayError) as raised:
            await gateway.submit(outbound("Kannel is down", "msg-down", "+4915200000005"))
        await client.aclose()
    assert not raised.value.permanent
    assert "unreachable" in raised.value.reason
    assert own.password not in raised.value.reason


@pytest.mark.anyio
async def test_nothing_listening_is_transient() -> None:
    gateway = KannelGateway(
        GATEWAY,
        f"http://127.0.0.1:{free_port()}/cgi-bin/sendsms",
        "relay",
        "secret",
        "http://127.0.0.1:9/unused",
        SECRET,
        timeout=2.0,
    )
    with pytest.raises(GatewayError) as raised:
        await gateway.submit(outbound("hello", "msg-nowhere", "+4915200000006"))
    await gateway.close()
    assert not raised.value.permanent


# --- bookkeeping, with a mock transport -------------------------------------------------------


class FakeSendsms:
    """Answers sendsms requests like Kannel, except for the parts told to fail."""

    def __init__(self, fail: Callable[[int], httpx.Response | None] = lambda part: None) -> None:
        self.fail = fail
        self.requests: list[dict[str, bytes]] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        query = request.url.query.decode()
        params = {k: unquote_to_bytes(v) for k, v in (p.split("=", 1) for p in query.split("&"))}
        self.requests.append(params)
        part = params["udh"][-1] if "udh" in params else 1
        failure = self.fail(part)
        return failure or httpx.Response(202, text="0: Accepted for delivery")

    def gateway(self, **kwargs: object) -> KannelGateway:
        client = httpx.AsyncClient(transport=httpx.MockTransport(self))
        return KannelGateway(
            GATEWAY,
            "http://kannel.test:13013/cgi-bin/sendsms",
            "relay",
            "secret",
            "http://relay.test/v1/receipts/kannel/kannel-test",
            SECRET,
            client=client,
            **kwargs,  # type: ignore[arg-type]
        )

    def sent_parts(self) -> list[int]:
        return [params["udh"][-1] for params in self.requests]


@pytest.mark.anyio
@pytest.mark.parametrize(
    ("second_part", "permanent"),
    [
        (httpx.Response(503, text="Internal server error"), False),
        (httpx.Response(400, text="Unknown 'to' number"), True),
    ],
)
async def test_a_failed_second_part_reports_the_first_as_accepted(
    second_part: httpx.Response, permanent: bool
) -> None:
    sendsms = FakeSendsms(fail=lambda part: second_part if part == 2 else None)
    gateway = sendsms.gateway()
    sms = outbound(LONG_GSM, "msg-partial", "+4915200000007")

    with pytest.raises(GatewayError) as raised:
        await gateway.submit(sms)

    assert raised.value.permanent is permanent
    assert raised.value.accepted_parts == 1
    assert raised.value.accepted_ids == ("msg-partial:0",)
    assert raised.value.reason.startswith("part 2/3: kannel HTTP")
    assert sendsms.sent_parts() == [1, 2]


@pytest.mark.anyio
async def test_a_retry_resumes_after_the_accepted_parts_and_never_resends_them() -> None:
    down = True

    def fail(part: int) -> httpx.Response | None:
        if part == 2 and down:
            raise httpx.ConnectError("connection refused")
        return None

    sendsms = FakeSendsms(fail=fail)
    gateway = sendsms.gateway()
    sms = outbound(LONG_GSM, "msg-retry", "+4915200000008")

    with pytest.raises(GatewayError) as raised:
        await gateway.submit(sms)
    assert not raised.value.permanent
    assert raised.value.accepted_parts == 1

    down = False
    retry = dataclasses.replace(sms, first_part=sms.first_part + raised.value.accepted_parts)
    result = await gateway.submit(retry)

    assert result.gateway_ids == ("msg-retry:1", "msg-retry:2")
    assert sendsms.sent_parts() == [1, 2, 2, 3]
    assert {params["udh"][:4] for params in sendsms.requests} == {bytes([5, 0, 3, 0x5A])}
    await gateway.close()


@pytest.mark.anyio
async def test_request_carries_encoding_validity_receipt_request_and_route() -> None:
    sendsms = FakeSendsms()
    gateway = sendsms.gateway(smsc="operator-a")
    await gateway.submit(outbound("Hi 😀", "msg-q", "+4915200000009", validity_seconds=90))

    [params] = sendsms.requests
    assert params["coding"] == b"2" and params["charset"] == b"UTF-16BE"
    assert params["text"].decode("utf-16-be") == "Hi 😀"
    assert "udh" not in params
    assert params["validity"] == b"2"  # minutes, rounded up
    assert params["smsc"] == b"operator-a"
    assert params["from"] == SENDER.encode() and params["to"] == b"+4915200000009"
    assert params["dlr-mask"] == b"31"
    dlr_url = params["dlr-url"].decode()
    assert dlr_url.startswith("http://relay.test/v1/receipts/kannel/kannel-test?message_id=msg-q")
    assert f"sig={sign_part(SECRET, 'msg-q', 0)}" in dlr_url
    assert dlr_url.endswith("&type=%d&answer=%A&at=%T")


@pytest.mark.anyio
async def test_national_language_tables_are_refused_permanently() -> None:
    sendsms = FakeSendsms()
    gateway = sendsms.gateway()
    message = segment("Çok güzel, teşekkürler ğ ı", locking=["tr"], single=["tr"])
    assert message.locking == "tr"
    sms = outbound(message.text, "msg-tr", "+905320000000", locking="tr", single="tr")

    with pytest.raises(GatewayError) as raised:
        await gateway.submit(sms)

    assert raised.value.permanent
    assert "national language tables" in raised.value.reason
    assert sendsms.requests == []


# --- dlr-url callbacks ------------------------------------------------------------------------


def callback(message_id: str = "msg-1", part: int = 0, **params: str) -> dict[str, str]:
    signed = {
        "message_id": message_id,
        "part": str(part),
        "sig": sign_part(SECRET, message_id, part),
    }
    return signed | {"type": "8", "answer": "ACK/", "at": "1795482107"} | params


@pytest.mark.parametrize(
    ("kannel_type", "answer", "status", "reason", "code"),
    [
        ("1", "id:1 sub:001 dlvrd:001 stat:DELIVRD err:000", ReceiptStatus.DELIVERED, None, None),
        (
            "2",
            "id:1 sub:001 dlvrd:000 stat:UNDELIV err:001",
            ReceiptStatus.UNDELIVERED,
            "id:1 sub:001 dlvrd:000 stat:UNDELIV err:001",
            Reason.UNKNOWN_SUBSCRIBER,
        ),
        (
            "2",
            "id:1 sub:001 dlvrd:000 stat:EXPIRED err:000",
            ReceiptStatus.EXPIRED,
            "id:1 sub:001 dlvrd:000 stat:EXPIRED err:000",
            Reason.EXPIRED,
        ),
        ("4", "", ReceiptStatus.ENROUTE, None, None),
        ("8", "ACK/", ReceiptStatus.ENROUTE, None, None),
        (
            "16",
            "NACK/0x0000000b/Invalid Destination Address",
            ReceiptStatus.FAILED,
            "NACK/0x0000000b/Invalid Destination Address",
            Reason.REJECTED,
        ),
    ],
)
def test_kannel_report_types_map_to_receipt_statuses(
    kannel_type: str,
    answer: str,
    status: ReceiptStatus,
    reason: str | None,
    code: Reason | None,
) -> None:
    receipt = parse_kannel_dlr(
        GATEWAY, callback("msg-7", 2, type=kannel_type, answer=answer), SECRET
    )
    assert receipt == DeliveryReceipt(
        gateway=GATEWAY,
        gateway_id="msg-7:2",
        status=status,
        reason=reason,
        at=datetime(2026, 11, 24, 1, 1, 47, tzinfo=UTC),
        message_id="msg-7",
        reason_code=code,
    )


def test_a_secret_given_as_text_signs_like_its_bytes() -> None:
    receipt = parse_kannel_dlr(GATEWAY, callback(), SECRET.decode())
    assert receipt.gateway_id == "msg-1:0"


@pytest.mark.parametrize(
    "forged",
    [
        callback(sig="0" * 64),
        callback(sig=sign_part(b"another secret", "msg-1", 0)),
        callback("msg-1", 1, sig=sign_part(SECRET, "msg-1", 0)),  # part 0's signature on part 1
        callback("msg-2", sig=sign_part(SECRET, "msg-1", 0)),
        {k: v for k, v in callback().items() if k != "sig"},
    ],
)
def test_a_forged_or_unsigned_callback_is_refused(forged: dict[str, str]) -> None:
    with pytest.raises(InvalidCallback):
        parse_kannel_dlr(GATEWAY, forged, SECRET)


@pytest.mark.parametrize(
    "malformed",
    [
        callback(type="32"),
        callback(type="%d"),
        callback(at="yesterday"),
        {k: v for k, v in callback().items() if k != "part"},
        callback() | {"part": "-1"},
        callback() | {"part": "9" * 5000},
        callback(at="9" * 30),
    ],
)
def test_a_malformed_callback_is_refused(malformed: dict[str, str]) -> None:
    with pytest.raises(InvalidCallback):
        parse_kannel_dlr(GATEWAY, malformed, SECRET)
