"""Gateways' own words for an outcome, mapped to the compose core's :class:`Reason` codes.

Each network says "not delivered" its own way: SMPP receipts carry a ``stat`` word and an
``err`` number (often the GSM MAP error), Twilio an ``ErrorCode``, Kannel a DLR type and the
SMSC's receipt text. The agent reads one translated reason whichever gateway sent the message;
the raw text stays with the message for the API and the logs.
"""

from __future__ import annotations

import re

from smscompose.status import Reason

# GSM MAP error codes (3GPP TS 29.002) that SMSCs put in a receipt's err field.
_MAP_ERRORS = {
    1: Reason.UNKNOWN_SUBSCRIBER,  # unknownSubscriber
    5: Reason.UNKNOWN_SUBSCRIBER,  # unidentifiedSubscriber
    9: Reason.UNKNOWN_SUBSCRIBER,  # illegalSubscriber
    11: Reason.UNKNOWN_SUBSCRIBER,  # teleserviceNotProvisioned
    13: Reason.BLOCKED,  # callBarred
    27: Reason.ABSENT_SUBSCRIBER,  # absentSubscriber
    31: Reason.ABSENT_SUBSCRIBER,  # subscriberBusyForMT-SMS
    32: Reason.UNDELIVERABLE,  # smDeliveryFailure (memory full, equipment)
}

_STATS = {
    "UNDELIV": Reason.UNDELIVERABLE,
    "UNDELIVERABLE": Reason.UNDELIVERABLE,
    "EXPIRED": Reason.EXPIRED,
    "REJECTD": Reason.REJECTED,
    "REJECTED": Reason.REJECTED,
    "DELETED": Reason.REJECTED,
}


def from_receipt(stat: str | None, err: str | None) -> Reason:
    """An SMPP-style receipt (``stat:UNDELIV err:027``), as SMPP and Kannel deliver it."""
    stat = (stat or "").upper()
    if stat == "EXPIRED":
        return Reason.EXPIRED
    if err and err.isdigit() and int(err) in _MAP_ERRORS:
        return _MAP_ERRORS[int(err)]
    return _STATS.get(stat, Reason.GATEWAY_ERROR)


_RECEIPT_TEXT = re.compile(r"\bstat:(\S+)(?:.*?\berr:(\S+))?", re.IGNORECASE)


def from_receipt_text(text: str | None) -> Reason | None:
    """The reason in a receipt's text (``id:… stat:UNDELIV err:027 …``), if it has one."""
    match = _RECEIPT_TEXT.search(text or "")
    return None if match is None else from_receipt(match.group(1), match.group(2))


# Twilio's error codes (twilio.com/docs/api/errors) that say more than "failed".
_TWILIO = {
    "21211": Reason.UNKNOWN_SUBSCRIBER,  # invalid To number
    "21408": Reason.REJECTED,  # region not enabled
    "21610": Reason.OPTED_OUT,  # recipient replied STOP
    "21614": Reason.UNKNOWN_SUBSCRIBER,  # To is not a mobile number
    "30001": Reason.NETWORK_ERROR,  # queue overflow
    "30002": Reason.REJECTED,  # account suspended
    "30003": Reason.ABSENT_SUBSCRIBER,  # unreachable destination handset
    "30004": Reason.BLOCKED,  # message blocked
    "30005": Reason.UNKNOWN_SUBSCRIBER,  # unknown destination handset
    "30006": Reason.UNKNOWN_SUBSCRIBER,  # landline or unreachable carrier
    "30007": Reason.BLOCKED,  # filtered by the carrier
    "30034": Reason.BLOCKED,  # unregistered A2P sender
    "30036": Reason.EXPIRED,  # validity period expired
}


def from_twilio(code: str | int | None, *, default: Reason = Reason.GATEWAY_ERROR) -> Reason:
    return _TWILIO.get(str(code), default) if code is not None else default
