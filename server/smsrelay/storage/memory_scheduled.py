"""An agent's messages (all, or those with one status, such as the scheduled ones) and
cancelling one not yet sent, in memory: the parts of ``MemoryStore`` that scheduled sends
added, behind its one lock and its one writer."""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any

from .memory_conversations import AddEvent
from .rows import EventRow, MessageRow
from .status import CANCEL_COLUMNS, cancellable


class MemoryScheduled:
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

    def list_messages(
        self,
        tenant: str,
        agent: str,
        *,
        limit: int,
        before: str | None = None,
        status: str | None = None,
    ) -> list[MessageRow]:
        with self._lock:
            mine = [
                v
                for v in self._messages.values()
                if (v["tenant"], v["agent"]) == (tenant, agent)
                and (not before or v["id"] < before)
                and (not status or v["status"] == status)
            ]
            mine.sort(key=lambda v: v["id"], reverse=True)
            return [MessageRow.from_row(v) for v in mine[:limit]]

    def submit_cancel(
        self, tenant: str, agent: str, message_id: str, now: int
    ) -> Future[tuple[MessageRow, bool] | None]:
        def cancel() -> tuple[MessageRow, bool] | None:
            values = self._messages.get(message_id)
            if values is None or (values["tenant"], values["agent"]) != (tenant, agent):
                return None
            if not cancellable(**{k: values[k] for k in CANCEL_COLUMNS}):
                return MessageRow.from_row(values), False
            values.update(status="cancelled", updated_at=now)
            self._add_event(tenant, agent, EventRow(0, message_id, "cancelled", None, now, None))
            return MessageRow.from_row(values), True

        return self._write(cancel)
