"""Durable storage of messages, their status events, receipts, parked drafts and opt-outs.

A message is committed before the client hears 202, and every status change writes an event
row in the same transaction, which the agents' event streams read — so every relay instance
sees every change. Every write goes through one writer thread per store (``writer.py``),
which commits whatever waits together.

Callers know the store by its ports (``ports.py``: one small Protocol per use). ``SqlStore``
(``sql.py``) is the adapter for SQLite and PostgreSQL; each module beside it holds one table
family (``messages``, ``claims``, ``receipts``, ``events``, ``drafts``, ``optouts``) or one
concern they share (``schema``, ``rows``, ``status``, ``writer``). ``MemoryStore``
(``memory.py``) keeps the same promises in memory, for fast tests.
"""

from .rows import (
    OPTED_OUT,
    DraftRow,
    EventRow,
    FeedEvent,
    MessageRow,
    NewMessage,
    OptedOut,
    OptOut,
    RateLimited,
    Recorded,
    new_id,
)
from .sql import SqlStore
from .status import FINAL_STATUSES

__all__ = [
    "FINAL_STATUSES",
    "OPTED_OUT",
    "DraftRow",
    "EventRow",
    "FeedEvent",
    "MessageRow",
    "NewMessage",
    "OptOut",
    "OptedOut",
    "RateLimited",
    "Recorded",
    "SqlStore",
    "new_id",
]
