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
