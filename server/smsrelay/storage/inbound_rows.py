"""What the conversations' storage hands out and takes in: customers' messages, the
conversations they belong to, and SMPP parts on their way to a whole message."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .rows import MessageRow


@dataclass(frozen=True)
class NewInbound:
    """A customer's message to store once, with what routing it needs."""

    id: str
    tenant: str
    #: The customer's number (E.164) and the tenant's sender address it wrote to.
    number: str
    address: str
    text: str
    gateway: str
    #: What a gateway's retry of this message repeats (unique per tenant).
    key: str
    now: int
    #: A reply goes to the agent who last wrote to the number from ``address`` within this
    #: many milliseconds (0: never), else to ``queue_id``.
    reply_window_ms: int
    queue_id: str


@dataclass(frozen=True)
class InboundRow:
    id: str
    tenant: str
    number: str
    address: str
    text: str
    gateway: str
    #: The agent it was routed to ('' for the queue) and the queue.
    agent: str
    queue_id: str
    received_at: int

    @classmethod
    def from_row(cls, row: Mapping[Any, Any]) -> InboundRow:
        return cls(**{name: row[name] for name in cls.__dataclass_fields__})


@dataclass(frozen=True)
class ConversationRow:
    tenant: str
    number: str
    address: str
    #: Where its last reply was routed.
    queue_id: str
    agent: str
    unread: int
    last_at: int
    last_text: str
    last_id: str
    read_at: int | None

    @classmethod
    def from_row(cls, row: Mapping[Any, Any]) -> ConversationRow:
        return cls(**{name: row[name] for name in cls.__dataclass_fields__})


#: One entry of a thread: the customer's message or one of ours.
ThreadEntry = InboundRow | MessageRow


def entry_at(entry: ThreadEntry) -> tuple[int, str]:
    """Where an entry stands in its thread: its time, then its id."""
    if isinstance(entry, InboundRow):
        return entry.received_at, entry.id
    return entry.created_at, entry.id


@dataclass(frozen=True)
class InboundPart:
    """One part of an SMPP message (a message without parts is one part of one)."""

    gateway: str
    #: Names the message the part belongs to: source, destination, reference and total.
    group_key: str
    seq: int
    total: int
    text: str
    now: int
    #: Parts older than this belong to an earlier message under the same key.
    window_ms: int


@dataclass(frozen=True)
class WholeMessage:
    """Every part is there: the text, and when its first part came (which names it)."""

    text: str
    first_at: int
