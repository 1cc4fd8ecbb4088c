"""Helpers for tests that drive a store directly: its writes answer with futures."""

from __future__ import annotations

from concurrent.futures import Future
from typing import TypeVar

from smsrelay.storage import OPTED_OUT, MessageRow, NewMessage, SqlStore

T = TypeVar("T")


def done(write: Future[T], timeout: float = 30.0) -> T:
    """What a write gave, once committed."""
    return write.result(timeout)


def create(store: SqlStore, new: NewMessage) -> tuple[MessageRow, bool]:
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
