"""Each gateway's words for "not delivered" become one of the core's reason codes."""

from __future__ import annotations

import pytest

from smscompose.status import Reason
from smsrelay.gateways.reasons import from_receipt, from_receipt_text, from_twilio


@pytest.mark.parametrize(
    ("stat", "err", "reason"),
    [
        ("UNDELIV", "027", Reason.ABSENT_SUBSCRIBER),
        ("UNDELIV", "001", Reason.UNKNOWN_SUBSCRIBER),
        ("UNDELIV", "013", Reason.BLOCKED),
        ("UNDELIV", "000", Reason.UNDELIVERABLE),
        ("undeliv", None, Reason.UNDELIVERABLE),
        ("EXPIRED", "027", Reason.EXPIRED),
        ("REJECTD", "0", Reason.REJECTED),
        ("DELETED", None, Reason.REJECTED),
        ("UNKNOWN", "x", Reason.GATEWAY_ERROR),
        (None, None, Reason.GATEWAY_ERROR),
    ],
)
def test_smpp_receipts(stat: str | None, err: str | None, reason: Reason) -> None:
    assert from_receipt(stat, err) is reason


def test_a_receipt_text_is_read_for_its_stat_and_err() -> None:
    text = "id:abc sub:001 dlvrd:000 submit date:2612031200 done date:2612031201 stat:UNDELIV err:027 text:Hi"
    assert from_receipt_text(text) is Reason.ABSENT_SUBSCRIBER
    assert from_receipt_text("stat:EXPIRED") is Reason.EXPIRED
    assert from_receipt_text("no receipt here") is None
    assert from_receipt_text(None) is None


@pytest.mark.parametrize(
    ("code", "reason"),
    [
        ("30003", Reason.ABSENT_SUBSCRIBER),
        (30005, Reason.UNKNOWN_SUBSCRIBER),
        ("30007", Reason.BLOCKED),
        ("21610", Reason.OPTED_OUT),
        ("30036", Reason.EXPIRED),
        ("99999", Reason.GATEWAY_ERROR),
        (None, Reason.GATEWAY_ERROR),
    ],
)
def test_twilio_error_codes(code: str | int | None, reason: Reason) -> None:
    assert from_twilio(code) is reason


# -- the adapters hand the code on with their receipts and refusals ------------------------


def test_a_kannel_report_carries_the_reason_in_its_smsc_text_or_its_type() -> None:
    from smsrelay.gateways.kannel.dlr import parse_kannel_dlr, sign_part

    def report(dlr_type: int, answer: str) -> Reason | None:
        params = {
            "message_id": "msg-1",
            "part": "0",
            "sig": sign_part("s3cret", "msg-1", 0),
            "type": str(dlr_type),
            "answer": answer,
        }
        return parse_kannel_dlr("kannel", params, "s3cret").reason_code

    assert (
        report(2, "id:1 sub:001 dlvrd:000 stat:UNDELIV err:027 text:") is Reason.ABSENT_SUBSCRIBER
    )
    assert report(2, "NACK/0x00000045/Submit failed") is Reason.UNDELIVERABLE
    assert report(2, "id:1 stat:EXPIRED err:000") is Reason.EXPIRED
    assert report(16, "NACK/0x0000000b/Invalid Destination Address") is Reason.REJECTED
    assert report(1, "id:1 stat:DELIVRD err:000") is None


def test_an_smpp_receipt_carries_the_reason_of_its_stat_and_err() -> None:
    from types import SimpleNamespace

    from smsrelay.gateways.smpp.receipts import parse_receipt

    def deliver_sm(body: bytes, esm_class: int = 0x04) -> object:
        return SimpleNamespace(
            esm_class=esm_class,
            short_message=body,
            receipted_message_id=None,
            message_state=None,
        )

    undelivered = parse_receipt("smsc", deliver_sm(b"id:77 stat:UNDELIV err:001 text:Hallo"))
    assert undelivered is not None and undelivered.reason_code is Reason.UNKNOWN_SUBSCRIBER
    assert undelivered.reason == "stat:UNDELIV err:001"  # the raw words stay for the API
    delivered = parse_receipt("smsc", deliver_sm(b"id:78 stat:DELIVRD err:000 text:Hallo"))
    assert delivered is not None and delivered.reason_code is None


@pytest.mark.parametrize(
    ("status", "code", "reason"),
    [
        ("undelivered", "30003", Reason.ABSENT_SUBSCRIBER),
        ("undelivered", None, Reason.UNDELIVERABLE),
        ("failed", "30007", Reason.BLOCKED),
        ("failed", "30036", Reason.EXPIRED),
        ("failed", None, Reason.GATEWAY_ERROR),
        ("delivered", None, None),
    ],
)
def test_a_twilio_status_callback_carries_the_reason_of_its_error_code(
    status: str, code: str | None, reason: Reason | None
) -> None:
    from smsrelay.gateways.twilio.webhooks import parse_twilio_status

    params = {"MessageSid": "SM1", "MessageStatus": status}
    if code:
        params["ErrorCode"] = code
    assert parse_twilio_status("twilio", params).reason_code is reason


@pytest.mark.parametrize(
    ("status", "reason"),
    [(0x0B, Reason.UNKNOWN_SUBSCRIBER), (0x0A, Reason.REJECTED), (0x58, Reason.NETWORK_ERROR)],
)
def test_an_smsc_refusing_a_submit_sm_says_why(status: int, reason: Reason) -> None:
    from smsrelay.gateways.smpp.status import TRANSIENT_STATUSES, submit_reason

    assert submit_reason(status, transient=status in TRANSIENT_STATUSES) is reason


def test_the_sandbox_reports_each_test_numbers_outcome_with_its_code() -> None:
    import asyncio

    from smsrelay.gateways import sandbox
    from smsrelay.gateways.base import DeliveryReceipt, GatewayError, OutboundSms

    async def outcome(to: str) -> DeliveryReceipt | GatewayError | None:
        gateway = sandbox.SandboxGateway(delivery_delay_ms=1)
        got: list[DeliveryReceipt] = []

        async def sink(receipt: DeliveryReceipt) -> None:
            got.append(receipt)

        await gateway.start(sink)
        sms = OutboundSms("m1", "acme", "ACME", "alphanumeric", to, "Hi", "GSM_7BIT", ("Hi",))
        try:
            await gateway.submit(sms)
        except GatewayError as error:
            return error
        await asyncio.sleep(0.1)
        await gateway.close()
        return got[0] if got else None

    def code(to: str) -> Reason | None:
        found = asyncio.run(outcome(to))
        if isinstance(found, GatewayError):
            return found.code
        return None if found is None else found.reason_code

    assert code(sandbox.UNDELIVERED) is Reason.ABSENT_SUBSCRIBER
    assert code(sandbox.REJECTED) is Reason.REJECTED
    assert code(sandbox.FLAKY) is Reason.NETWORK_ERROR
    assert code(sandbox.EXPIRED) is Reason.EXPIRED
    assert asyncio.run(outcome(sandbox.SILENT)) is None  # never reports
    delivered = asyncio.run(outcome("+4915112345678"))
    assert isinstance(delivered, DeliveryReceipt) and delivered.reason_code is None
