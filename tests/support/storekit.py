"""Helpers for tests that drive a store directly (``SqlStore`` or ``MemoryStore``, through
the ports): new messages, and the writes' futures awaited."""

from __future__ import annotations

from concurrent.futures import Future
from typing import Any, TypeVar

from smsrelay.ratelimit import RateLimits
from smsrelay.storage import OPTED_OUT, MessageRow, NewMessage, Recorded, new_id
from smsrelay.storage.ports import Store

T = TypeVar("T")

NOW = 1_700_000_000_000
LEASE = 60_000
PART = "x" * 153


def done(write: Future[T], timeout: float = 30.0) -> T:
    """What a write gave, once committed."""
    return write.result(timeout)


def new_message(
    key: str = "key-1",
    *,
    agent: str = "agent-1",
    tenant: str = "acme",
    segments: int = 1,
    now: int = NOW,
    text: str | None = None,
    to_number: str = "+4915112345678",
    expires_at: int | None = None,
    limits: RateLimits | None = None,
) -> NewMessage:
    parts = tuple(PART for _ in range(segments))
    return NewMessage(
        limits=limits,
        id=new_id("msg", now),
        tenant=tenant,
        agent=agent,
        idempotency_key=key,
        request_hash="h" * 64,
        queue_id="service",
        sender="ACME",
        sender_kind="alphanumeric",
        gateway="smsc",
        to_number=to_number,
        text=text if text is not None else "".join(parts),
        encoding="GSM_7BIT",
        units=153 * segments,
        segments=segments,
        parts=parts,
        locking=None,
        single=None,
        interaction_id="call-7",
        interaction_type="call",
        expires_at=expires_at,
        now=now,
    )


def create(store: Store, new: NewMessage) -> tuple[MessageRow, bool]:
    """Store a message as the service does: ``(row, True)``, or the message stored before
    under the same idempotency key and False. Raises ValueError for an opted-out number."""
    row = done(store.insert_message(new))
    if isinstance(row, MessageRow):
        return row, True
    if row is OPTED_OUT:
        raise ValueError(f"{new.tenant} has {new.to_number} on its opt-out list")
    existing = store.find_by_key(new.tenant, new.agent, new.idempotency_key)
    assert existing is not None, "the conflicting row is committed before the insert answers"
    return existing, False


def claim(store: Store, worker: str = "w1", now: int = NOW, limit: int = 10) -> list[MessageRow]:
    return done(store.submit_claim_due(worker=worker, now=now, lease_ms=LEASE, limit=limit))


def claim_one(store: Store, worker: str = "w1", now: int = NOW) -> MessageRow:
    (claimed,) = claim(store, worker, now)
    return claimed


def record(store: Store, message: MessageRow, **outcome: Any) -> Recorded | None:
    """``submit_record_attempt`` awaited; by default w1 sent every part at NOW, ids none."""
    outcome = {
        "worker": "w1",
        "now": NOW,
        "status": "submitted",
        "parts_sent": message.segments,
        "new_gateway_ids": (),
        **outcome,
    }
    return done(store.submit_record_attempt(message, **outcome))


def submitted(
    store: Store,
    key: str,
    *,
    segments: int = 1,
    ids: tuple[str, ...] = ("g-1",),
    parts_sent: int | None = None,
) -> MessageRow:
    """A message whose parts went out under the gateway ids ``ids``."""
    row, _ = create(store, new_message(key, segments=segments))
    claimed = claim_one(store)
    assert claimed.id == row.id
    assert record(
        store,
        claimed,
        parts_sent=segments if parts_sent is None else parts_sent,
        new_gateway_ids=ids,
    )
    return row


def receipt(
    store: Store,
    gateway_id: str,
    status: str,
    reason: str | None = None,
    code: str | None = None,
) -> Any:
    return done(
        store.submit_apply_receipt(
            gateway="smsc",
            gateway_id=gateway_id,
            status=status,
            reason=reason,
            reason_code=code,
            now=NOW + 1,
        )
    )


def status_of(store: Store, message: MessageRow) -> str:
    row = store.get_message(message.tenant, message.agent, message.id)
    assert row is not None
    return row.status


def events_of(store: Store, message: MessageRow) -> list[tuple[str, str | None]]:
    """``(status, reason_code)`` of every event of ``message``."""
    return [
        (e.status, e.reason_code)
        for e in store.events_after(message.tenant, message.agent, 0, limit=1000)
        if e.message_id == message.id
    ]


def statuses_of_events(store: Store, message: MessageRow) -> list[str]:
    return [
        e.status
        for e in store.events_after(message.tenant, message.agent, 0, limit=1000)
        if e.message_id == message.id
    ]
