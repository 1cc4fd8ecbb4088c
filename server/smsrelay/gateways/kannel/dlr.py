"""Kannel's delivery reports: the dlr-url the relay gives each part names the message and the
part and carries an HMAC of both (:func:`sign_part`), so :func:`parse_kannel_dlr` can tell a
report Kannel fetched for us from a forged one before turning it into a receipt."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping
from datetime import UTC, datetime

from smscompose.status import Reason

from ..base import DeliveryReceipt, ReceiptStatus
from ..reasons import from_receipt_text

__all__ = ["InvalidCallback", "parse_kannel_dlr", "sign_part"]

_DLR_STATUS = {
    1: ReceiptStatus.DELIVERED,
    2: ReceiptStatus.UNDELIVERED,
    4: ReceiptStatus.ENROUTE,
    8: ReceiptStatus.ENROUTE,
    16: ReceiptStatus.FAILED,
}


class InvalidCallback(ValueError):
    """A dlr-url callback that is not signed by us or not shaped like Kannel's."""


def sign_part(secret: bytes | str, message_id: str, part: int) -> str:
    """The hex HMAC-SHA256 of ``"{message_id}:{part}"`` that a part's dlr-url carries."""
    key = secret.encode() if isinstance(secret, str) else secret
    if not key:
        raise ValueError("the dlr-url secret must not be empty")
    return hmac.new(key, f"{message_id}:{part}".encode(), hashlib.sha256).hexdigest()


def parse_kannel_dlr(
    gateway: str, params: Mapping[str, str], secret: bytes | str
) -> DeliveryReceipt:
    """The receipt in one dlr-url callback's query parameters.

    Raises :class:`InvalidCallback` when the signature is missing or wrong (the callback is not
    ours) or the parameters are not what :class:`KannelGateway` asked Kannel for.
    """
    message_id = params.get("message_id", "")
    part = _number(params.get("part", ""), "part", digits=3)
    if not message_id:
        raise InvalidCallback("missing message_id")
    signature = params.get("sig", "").encode()
    if not hmac.compare_digest(signature, sign_part(secret, message_id, part).encode()):
        raise InvalidCallback("bad signature")
    status = _DLR_STATUS.get(_number(params.get("type", ""), "type", digits=2))
    if status is None:
        raise InvalidCallback(f"unknown Kannel DLR type {params.get('type')!r}")
    answer = params.get("answer", "").strip()
    if status is ReceiptStatus.UNDELIVERED and "STAT:EXPIRED" in answer.upper():
        status = ReceiptStatus.EXPIRED
    final_failure = status not in (ReceiptStatus.DELIVERED, ReceiptStatus.ENROUTE)
    return DeliveryReceipt(
        gateway=gateway,
        gateway_id=f"{message_id}:{part}",
        status=status,
        reason=(answer or None) if final_failure else None,
        at=_timestamp(params.get("at", "")),
        message_id=message_id,
        reason_code=_reason_code(status, answer) if final_failure else None,
    )


def _reason_code(status: ReceiptStatus, answer: str) -> Reason:
    """The SMSC's receipt text says why where it has ``stat:``/``err:``; else the DLR type:
    16 is the SMSC refusing the message, 2 the network giving up on it."""
    found = from_receipt_text(answer)
    if found is not None and found is not Reason.GATEWAY_ERROR:
        return found
    if status is ReceiptStatus.EXPIRED:
        return Reason.EXPIRED
    if status is ReceiptStatus.FAILED:
        return Reason.REJECTED
    return Reason.UNDELIVERABLE


def _number(text: str, name: str, *, digits: int) -> int:
    if not (text.isascii() and text.isdigit() and len(text) <= digits):
        raise InvalidCallback(f"malformed {name} {text[:20]!r}")
    return int(text)


def _timestamp(text: str) -> datetime | None:
    """Kannel's ``%T``: Unix time; empty when Kannel had none."""
    if not text:
        return None
    try:
        return datetime.fromtimestamp(_number(text, "time", digits=11), UTC)
    except (OverflowError, OSError, ValueError) as error:
        raise InvalidCallback(f"malformed time {text[:20]!r}") from error
