"""What Twilio sends the relay: requests signed in ``X-Twilio-Signature`` (checked with
:func:`valid_twilio_signature`), and StatusCallback forms that :func:`parse_twilio_status`
turns into receipts."""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Mapping
from urllib.parse import urlsplit, urlunsplit

from smscompose.status import Reason

from ..base import DeliveryReceipt, ReceiptStatus
from ..reasons import from_twilio

__all__ = ["parse_twilio_status", "twilio_signature", "valid_twilio_signature"]

_STATUSES = {
    "accepted": ReceiptStatus.ENROUTE,
    "scheduled": ReceiptStatus.ENROUTE,
    "queued": ReceiptStatus.ENROUTE,
    "sending": ReceiptStatus.ENROUTE,
    "sent": ReceiptStatus.ENROUTE,
    "delivered": ReceiptStatus.DELIVERED,
    # WhatsApp/RCS: read implies delivered.
    "read": ReceiptStatus.DELIVERED,
    "undelivered": ReceiptStatus.UNDELIVERED,
    "failed": ReceiptStatus.FAILED,
    # A scheduled message cancelled before it was sent.
    "canceled": ReceiptStatus.FAILED,
}
#: 30036 "Validity Period Expired": Twilio fails the message when it outlived ValidityPeriod.
_EXPIRED_CODE = "30036"


def twilio_signature(url: str, params: Mapping[str, str], auth_token: str) -> str:
    """Twilio's ``X-Twilio-Signature`` for a form-encoded request: the full URL (query string
    included) followed by every POST parameter, sorted by name, as name + value without
    separators; HMAC-SHA1 keyed with the Auth Token; base64."""
    data = url + "".join(name + params[name] for name in sorted(params))
    digest = hmac.new(auth_token.encode(), data.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode("ascii")


def valid_twilio_signature(
    url: str, params: Mapping[str, str], signature: str, auth_token: str
) -> bool:
    """Whether ``signature`` is Twilio's signature of this request, compared in constant time.

    Like Twilio's own helper libraries, the URL is tried without its port and with it (the
    scheme's default port when none is given), since Twilio does not sign ports consistently.
    """
    if not signature:
        return False
    given = signature.encode()
    valid = False
    for candidate in _port_variants(url):
        expected = twilio_signature(candidate, params, auth_token).encode()
        valid |= hmac.compare_digest(expected, given)
    return valid


def _port_variants(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    host = parts.netloc.rpartition("@")[2]
    userinfo = parts.netloc[: len(parts.netloc) - len(host)]
    hostname = host.rsplit(":", 1)[0] if parts.port is not None else host
    port = parts.port or (443 if parts.scheme == "https" else 80)
    without = urlunsplit(parts._replace(netloc=userinfo + hostname))
    with_port = urlunsplit(parts._replace(netloc=f"{userinfo}{hostname}:{port}"))
    return without, with_port


def parse_twilio_status(
    gateway: str, params: Mapping[str, str], message_id: str | None = None
) -> DeliveryReceipt:
    """Turn a StatusCallback request's form parameters into a receipt.

    ``message_id`` is the ``message_id`` query parameter of the URL Twilio called (see
    :meth:`TwilioGateway.callback_url`). queued/accepted/scheduled/sending/sent are
    ``enroute``; ``failed`` with ErrorCode 30036 (validity period expired) is ``expired``.
    ErrorCode, when given, is the reason of a non-delivered receipt. Raises ``ValueError``
    when MessageSid or MessageStatus is missing or the status is unknown.
    """
    sid = params.get("MessageSid") or params.get("SmsSid")
    raw_status = params.get("MessageStatus") or params.get("SmsStatus")
    if not sid or not raw_status:
        raise ValueError("not a Twilio status callback: MessageSid and MessageStatus required")
    try:
        status = _STATUSES[raw_status.lower()]
    except KeyError:
        raise ValueError(f"unknown Twilio MessageStatus {raw_status!r}") from None
    code = params.get("ErrorCode") or None
    if status is ReceiptStatus.FAILED and code == _EXPIRED_CODE:
        status = ReceiptStatus.EXPIRED
    reason = reason_code = None
    if status in (ReceiptStatus.FAILED, ReceiptStatus.UNDELIVERED, ReceiptStatus.EXPIRED):
        reason = code or raw_status.lower()
        reason_code = from_twilio(code, default=_IMPLIED[status])
    return DeliveryReceipt(
        gateway=gateway,
        gateway_id=sid,
        status=status,
        reason=reason,
        message_id=message_id or None,
        reason_code=reason_code,
    )


#: What a receipt without an ErrorCode Twilio knows says by its status alone.
_IMPLIED = {
    ReceiptStatus.FAILED: Reason.GATEWAY_ERROR,
    ReceiptStatus.UNDELIVERED: Reason.UNDELIVERABLE,
    ReceiptStatus.EXPIRED: Reason.EXPIRED,
}
