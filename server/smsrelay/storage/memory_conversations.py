"""Customers' messages and conversations in memory, for ``MemoryStore`` (the same answers as
``storage/conversations.py``)."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from dataclasses import replace
from typing import Any

from .conversations import STALE_PARTS_MS, whole
from .inbound_rows import (
    ConversationRow,
    InboundPart,
    InboundRow,
    NewInbound,
    ThreadEntry,
    WholeMessage,
    entry_at,
)
from .rows import EventRow, MessageRow

#: Appends an event (tenant, agent, the event without its id) and gives it its id.
AddEvent = Callable[[str, str, EventRow], None]


class MemoryConversations:
    def __init__(
        self,
        lock: threading.RLock,
        messages: dict[str, dict[str, Any]],
        add_event: AddEvent,
        write: Callable[[Callable[[], Any]], Future[Any]],
    ) -> None:
        self._lock = lock
        self._messages = messages
        self._add_event = add_event
        self._write = write
        self._inbound: dict[str, InboundRow] = {}
        self._keys: set[tuple[str, str]] = set()
        self._conversations: dict[tuple[str, str, str], ConversationRow] = {}
        #: (gateway, group) → seq → (total, text, received_at)
        self._parts: dict[tuple[str, str], dict[int, tuple[int, str, int]]] = {}

    def submit_store_inbound(self, new: NewInbound) -> Future[InboundRow | None]:
        def store() -> InboundRow | None:
            if (new.tenant, new.key) in self._keys:
                return None
            agent, queue_id = "", new.queue_id
            if new.reply_window_ms > 0:
                recent = [
                    v
                    for v in self._messages.values()
                    if (v["tenant"], v["to_number"], v["sender"])
                    == (new.tenant, new.number, new.address)
                    and v["created_at"] >= new.now - new.reply_window_ms
                ]
                if recent:
                    last = max(recent, key=lambda v: v["created_at"])
                    agent, queue_id = last["agent"], last["queue_id"]
            row = InboundRow(
                new.id,
                new.tenant,
                new.number,
                new.address,
                new.text,
                new.gateway,
                agent,
                queue_id,
                new.now,
            )
            self._keys.add((new.tenant, new.key))
            self._inbound[row.id] = row
            key = (row.tenant, row.number, row.address)
            before = self._conversations.get(key)
            self._conversations[key] = ConversationRow(
                row.tenant,
                row.number,
                row.address,
                queue_id,
                agent,
                (before.unread if before else 0) + 1,
                row.received_at,
                row.text,
                row.id,
                before.read_at if before else None,
            )
            event = EventRow(
                0, row.id, "received", None, row.received_at, None, "received", row.number, queue_id
            )
            self._add_event(row.tenant, agent, event)
            return row

        return self._write(store)

    def submit_inbound_part(self, part: InboundPart) -> Future[WholeMessage | None]:
        def take() -> WholeMessage | None:
            for group, parts in list(self._parts.items()):
                for seq, (_total, _text, at) in list(parts.items()):
                    earlier = group == (part.gateway, part.group_key)
                    if at < part.now - STALE_PARTS_MS or (
                        earlier and at < part.now - part.window_ms
                    ):
                        del parts[seq]
                if not parts:
                    del self._parts[group]
            parts = self._parts.setdefault((part.gateway, part.group_key), {})
            parts.setdefault(part.seq, (part.total, part.text, part.now))
            found = [(seq, text, at) for seq, (total, text, at) in sorted(parts.items())
                     if total == part.total]  # fmt: skip
            return whole(found, part.total)

        return self._write(take)

    def get_inbound(self, tenant: str, inbound_id: str) -> InboundRow | None:
        with self._lock:
            row = self._inbound.get(inbound_id)
            return row if row is not None and row.tenant == tenant else None

    def get_conversation(self, tenant: str, number: str, address: str) -> ConversationRow | None:
        with self._lock:
            return self._conversations.get((tenant, number, address))

    def list_conversations(
        self, tenant: str, *, agent: str, queues: Sequence[str] | None, limit: int
    ) -> list[ConversationRow]:
        with self._lock:
            found = [
                c
                for c in self._conversations.values()
                if c.tenant == tenant
                and (queues is None or c.queue_id in queues or c.agent == agent)
            ]
        found.sort(key=lambda c: (c.unread == 0, -c.last_at, c.number, c.address))
        return found[:limit]

    def thread(
        self,
        tenant: str,
        number: str,
        address: str,
        *,
        limit: int,
        before: tuple[int, str] | None = None,
    ) -> list[ThreadEntry]:
        with self._lock:
            entries: list[ThreadEntry] = [
                r for r in self._inbound.values() if (r.tenant, r.number, r.address)
                == (tenant, number, address)
            ]  # fmt: skip
            entries += [
                MessageRow.from_row(v)
                for v in self._messages.values()
                if (v["tenant"], v["to_number"], v["sender"]) == (tenant, number, address)
            ]
        if before is not None:
            entries = [e for e in entries if entry_at(e) < before]
        return sorted(entries, key=entry_at, reverse=True)[:limit]

    def mark_read(self, tenant: str, number: str, address: str, now: int) -> bool:
        with self._lock:
            key = (tenant, number, address)
            found = self._conversations.get(key)
            if found is None:
                return False
            self._conversations[key] = replace(found, unread=0, read_at=now)
            return True
