"""What the store hands out and takes in: rows as frozen dataclasses, and new ids."""

from __future__ import annotations

import json
import os
import random
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..ratelimit import RateLimits


class _Entropy:
    """Random bytes from the operating system, fetched in bulk. A system call for each id let
    the writer thread take the GIL from the request being answered, which then waited to get it
    back (py-spy: 8 % of the event loop's samples in os.urandom)."""

    CHUNK = 4096

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._pool = b""
        self._used = 0
        # A forked child must not hand out the bytes its parent hands out.
        os.register_at_fork(after_in_child=self._forget)

    def hex(self, nbytes: int) -> str:
        with self._lock:
            if self._used + nbytes > len(self._pool):
                self._pool, self._used = os.urandom(self.CHUNK), 0
            taken = self._pool[self._used : self._used + nbytes]
            self._used += nbytes
        return taken.hex()

    def _forget(self) -> None:
        self._lock = threading.Lock()
        self._pool, self._used = b"", 0


_entropy = _Entropy()


def new_id(prefix: str, now_ms: int) -> str:
    """Time-ordered ids, so pages of an agent's history sort by id."""
    return f"{prefix}_{now_ms:012x}{_entropy.hex(6)}"


@dataclass(frozen=True)
class MessageRow:
    id: str
    tenant: str
    agent: str
    queue_id: str
    sender: str
    sender_kind: str
    gateway: str
    to_number: str
    text: str
    encoding: str
    units: int
    segments: int
    parts: tuple[str, ...]
    locking: str | None
    single: str | None
    concat_ref: int
    interaction_id: str | None
    interaction_type: str | None
    status: str
    reason: str | None
    attempts: int
    parts_sent: int
    gateway_ids: tuple[str, ...]
    expires_at: int | None
    created_at: int
    updated_at: int
    request_hash: str
    #: Set when a claim on this message ran out before its outcome was recorded.
    unconfirmed_by: str | None = None
    unconfirmed_at: int | None = None
    #: What the agent reads as the reason (``smscompose.status.Reason``); ``reason`` is the
    #: gateway's own words.
    reason_code: str | None = None
    #: When a scheduled message goes out (ms, UTC), and whether quiet hours held it.
    send_at: int | None = None
    held: bool = False
    #: Not a column: set on a claimed message whose number opted out (STOP) after it was
    #: accepted, so the dispatcher fails it instead of sending it.
    opted_out: bool = False

    @classmethod
    def from_row(cls, row: Mapping[Any, Any]) -> MessageRow:
        return cls(
            **{name: row[name] for name in _ROW_COLUMNS},
            parts=tuple(json.loads(row["parts"])),
            gateway_ids=tuple(json.loads(row["gateway_ids"])),
            # Read on the driver's cursor (storage/prepared.py), SQLite's boolean is 0 or 1.
            held=bool(row["held"]),
        )


_ROW_COLUMNS = tuple(
    name
    for name in MessageRow.__dataclass_fields__
    if name not in ("parts", "gateway_ids", "opted_out", "held")
)


@dataclass(frozen=True)
class NewMessage:
    id: str
    tenant: str
    agent: str
    idempotency_key: str
    request_hash: str
    queue_id: str
    sender: str
    sender_kind: str
    gateway: str
    to_number: str
    text: str
    encoding: str
    units: int
    segments: int
    parts: tuple[str, ...]
    locking: str | None
    single: str | None
    interaction_id: str | None
    interaction_type: str | None
    expires_at: int | None
    now: int
    #: The tenant's rate limits this message counts against (None: not limited).
    limits: RateLimits | None = None
    #: A later time to go out at (ms, UTC): the message is stored ``scheduled``, not ``queued``.
    send_at: int | None = None
    held: bool = False

    @property
    def status(self) -> str:
        return "queued" if self.send_at is None else "scheduled"


@dataclass(frozen=True)
class EventRow:
    id: int
    message_id: str
    status: str
    reason: str | None
    at: int
    reason_code: str | None = None
    #: ``status``, ``received`` or ``optout`` (see the ``events`` table).
    kind: str = "status"
    number: str | None = None
    queue_id: str | None = None


class OptedOut:
    """What storing a message gives when its number is on its tenant's opt-out list."""

    def __repr__(self) -> str:
        return "OPTED_OUT"


OPTED_OUT = OptedOut()


@dataclass(frozen=True)
class RateLimited:
    """What storing a message gives when its agent or tenant is at its rate limit: nothing
    stored, and how long until one more message fits."""

    retry_after_ms: int


@dataclass(frozen=True)
class Recorded:
    """The status an attempt's record left its message in, with its reason: the attempt's
    own, or past it where receipts that came before the record settled it in the same
    transaction (a fast SMSC's delivery receipt can outrun the submission's record)."""

    status: str
    reason: str | None = None
    reason_code: str | None = None


@dataclass(frozen=True)
class FeedEvent:
    """An event with the agent it is for, as the event feed reads the table."""

    tenant: str
    agent: str
    event: EventRow


@dataclass(frozen=True)
class OptOut:
    """A number on a tenant's opt-out list."""

    tenant: str
    number: str
    #: Where it came from: ``kannel:GATEWAY``, ``twilio:GATEWAY`` or ``cli``.
    source: str
    created_at: int


@dataclass(frozen=True)
class DraftRow:
    id: str
    body: str
    version: int
    created_at: int
    updated_at: int


def stored_row(new: NewMessage, values: Mapping[str, Any]) -> MessageRow:
    """The row as stored, built from what was written (not parsed back from it)."""
    return MessageRow(
        **{name: values[name] for name in _ROW_COLUMNS},
        parts=new.parts,
        gateway_ids=(),
        held=new.held,
    )


def message_values(new: NewMessage) -> dict[str, Any]:
    return {
        "id": new.id,
        "tenant": new.tenant,
        "agent": new.agent,
        "idempotency_key": new.idempotency_key,
        "request_hash": new.request_hash,
        "queue_id": new.queue_id,
        "sender": new.sender,
        "sender_kind": new.sender_kind,
        "gateway": new.gateway,
        "to_number": new.to_number,
        "text": new.text,
        "encoding": new.encoding,
        "units": new.units,
        "segments": new.segments,
        "parts": json.dumps(list(new.parts), ensure_ascii=False),
        "locking": new.locking,
        "single": new.single,
        # The handset joins the parts by this; it needs variety, not secrecy, so no system
        # call (which lets the writer thread take the GIL from the request in hand).
        "concat_ref": random.getrandbits(8),
        "interaction_id": new.interaction_id,
        "interaction_type": new.interaction_type,
        "status": new.status,
        "reason": None,
        "reason_code": None,
        "attempts": 0,
        "parts_sent": 0,
        "gateway_ids": "[]",
        "next_attempt_at": new.now if new.send_at is None else new.send_at,
        "claimed_by": None,
        "claimed_until": None,
        "unconfirmed_by": None,
        "unconfirmed_at": None,
        "expires_at": new.expires_at,
        "created_at": new.now,
        "updated_at": new.now,
        "send_at": new.send_at,
        "held": new.held,
    }
