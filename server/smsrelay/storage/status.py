"""A message's status from its parts' receipts: a pure function, the same for every store."""

from __future__ import annotations

from collections.abc import Iterable

from smscompose.status import FINAL, WAITING, MessageStatus

#: The core's final statuses: what the panel treats as final is what storage never changes.
FINAL_STATUSES = FINAL

#: Any part with one of these makes the whole message so, in this order of precedence.
_BAD = (MessageStatus.FAILED, MessageStatus.UNDELIVERED, MessageStatus.EXPIRED)


def part_status(status: str) -> str:
    """A part's status from a receipt: an intermediate report leaves it submitted."""
    return MessageStatus.SUBMITTED.value if status == "enroute" else status


def derived_status(
    status: str, segments: int, parts: Iterable[tuple[int | None, str]]
) -> str | None:
    """The status a message's parts give it, or None when they leave it as it is.

    ``parts`` are ``(part, status)`` of every gateway id recorded for the message; part -1 is
    one id for the whole message (an HTTP API that splits it itself). A message is delivered
    when every part is; undelivered, failed or expired as soon as one part is. A final status
    never changes.
    """
    if status in FINAL_STATUSES:
        return None
    parts = list(parts)
    statuses = [s for _, s in parts]
    for bad in _BAD:
        if bad in statuses:
            return bad.value
    whole_message = any(part == -1 for part, _ in parts)
    complete = whole_message or len({part for part, _ in parts}) >= segments
    if complete and statuses and all(s == MessageStatus.DELIVERED for s in statuses):
        return MessageStatus.DELIVERED.value
    return None


#: The columns that decide whether a message can still be cancelled.
CANCEL_COLUMNS = ("status", "claimed_by", "unconfirmed_by", "parts_sent")


def cancellable(
    status: str, claimed_by: str | None, unconfirmed_by: str | None, parts_sent: int
) -> bool:
    """Whether the agent may still cancel a message: it waits and no relay ever took it up (a
    claim, even one that ran out, may have handed it to the gateway). ``SqlMessages`` says
    the same in its UPDATE's condition."""
    return status in WAITING and claimed_by is None and unconfirmed_by is None and not parts_sent
