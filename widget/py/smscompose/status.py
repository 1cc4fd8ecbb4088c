"""A sent message's status, why it ended as it did, and which change may follow which.

The relay records these, its event stream carries them, the panel shows them and the usage
report counts them: one enum in the core, so the four can never disagree. Gateways report
outcomes in their own words (SMPP ``stat:UNDELIV err:001``, Twilio ``30003``, Kannel's DLR
types); each adapter maps them to a :class:`Reason` *code* here, keeping its raw text for the
API and the logs. The agent only ever reads the code's translation.
"""

from __future__ import annotations

from enum import StrEnum


class MessageStatus(StrEnum):
    #: Accepted and stored by the relay to go out later: at the time the agent chose, or when
    #: the customer's quiet hours end. The agent can still cancel it.
    SCHEDULED = "scheduled"
    #: Accepted and stored by the relay; waiting for (another) attempt at the gateway.
    QUEUED = "queued"
    #: Handed to the gateway, which took it; no delivery report yet.
    SUBMITTED = "submitted"
    DELIVERED = "delivered"
    #: The network gave up on it (phone off too long, unknown number, …).
    UNDELIVERED = "undelivered"
    #: Never reached the network: refused by the gateway, opted out, or given up on.
    FAILED = "failed"
    #: Not delivered within its validity period.
    EXPIRED = "expired"
    #: Nobody can tell whether it went out (the relay died mid-send) or whether it arrived
    #: (no delivery report at all): may have been sent, so the agent checks before resending.
    UNKNOWN = "unknown"
    #: Cancelled by the agent before it went out: nothing was sent.
    CANCELLED = "cancelled"


#: Nothing follows these: the message's story is over.
FINAL: frozenset[MessageStatus] = frozenset(
    {
        MessageStatus.DELIVERED,
        MessageStatus.UNDELIVERED,
        MessageStatus.FAILED,
        MessageStatus.EXPIRED,
        MessageStatus.CANCELLED,
    }
)

#: Not yet handed to a gateway: what the agent may still cancel.
WAITING: frozenset[MessageStatus] = frozenset({MessageStatus.SCHEDULED, MessageStatus.QUEUED})

# `unknown` is not final: a delivery report that arrives late still tells the truth. Nothing
# becomes `scheduled` again, and only what waits can be cancelled.
_NEXT: dict[MessageStatus, frozenset[MessageStatus]] = {
    MessageStatus.SCHEDULED: frozenset(MessageStatus) - {MessageStatus.SCHEDULED},
    MessageStatus.QUEUED: frozenset(MessageStatus) - WAITING,
    MessageStatus.SUBMITTED: frozenset(MessageStatus)
    - WAITING
    - {MessageStatus.SUBMITTED, MessageStatus.CANCELLED},
    MessageStatus.UNKNOWN: frozenset(
        {MessageStatus.DELIVERED, MessageStatus.UNDELIVERED, MessageStatus.EXPIRED}
    ),
    **{status: frozenset() for status in FINAL},
}


def is_final(status: str) -> bool:
    return status in FINAL


def may_follow(current: str, new: str) -> bool:
    """Whether ``new`` may replace ``current``: a stream that delivers a late ``submitted``
    after ``delivered`` must not undo the delivery on the agent's screen."""
    try:
        return MessageStatus(new) in _NEXT[MessageStatus(current)]
    except ValueError:
        return False


class Reason(StrEnum):
    """Why a message is not delivered (or not known to be): what the agent reads as reason."""

    ABSENT_SUBSCRIBER = "absent_subscriber"
    UNKNOWN_SUBSCRIBER = "unknown_subscriber"
    UNDELIVERABLE = "undeliverable"
    REJECTED = "rejected"
    BLOCKED = "blocked"
    EXPIRED = "expired"
    NETWORK_ERROR = "network_error"
    OPTED_OUT = "opted_out"
    UNCONFIRMED = "unconfirmed"
    NO_RECEIPT = "no_receipt"
    GATEWAY_ERROR = "gateway_error"


def reason_or_default(code: object, status: str) -> Reason | None:
    """The reason to show: the one recorded, else what the status itself implies. A delivered
    or pending message has none, and a code from a newer relay is shown as a gateway error."""
    if status in _NO_REASON:
        return None
    if isinstance(code, str):
        try:
            return Reason(code)
        except ValueError:
            pass
    return _IMPLIED.get(status, Reason.GATEWAY_ERROR)


_NO_REASON = frozenset(
    {
        MessageStatus.DELIVERED,
        MessageStatus.QUEUED,
        MessageStatus.SUBMITTED,
        MessageStatus.SCHEDULED,
        MessageStatus.CANCELLED,
    }
)

_IMPLIED: dict[str, Reason] = {
    MessageStatus.EXPIRED: Reason.EXPIRED,
    MessageStatus.UNDELIVERED: Reason.UNDELIVERABLE,
    MessageStatus.UNKNOWN: Reason.UNCONFIRMED,
}
