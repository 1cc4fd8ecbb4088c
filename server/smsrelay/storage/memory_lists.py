"""Drafts, opt-out lists and rate limits' hits in memory: the parts of ``MemoryStore`` that
are plain lists behind its one lock."""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, replace

from ..ratelimit import Hit, Key, admit, first_second, keys_of, wait_of
from .rows import DraftRow, NewMessage, OptOut, RateLimited, new_id


@dataclass
class _Draft:
    tenant: str
    agent: str
    row: DraftRow


#: What a change of the list records: tenant, number, ``opted_out``/``opted_in``, source, time.
OptOutEvent = Callable[[str, str, str, str, int], None]


class MemoryOptOuts:
    def __init__(self, lock: threading.RLock, on_change: OptOutEvent) -> None:
        self._lock = lock
        self._entries: dict[tuple[str, str], OptOut] = {}
        #: Writes the change's ``optout`` event, under the same lock (one transaction).
        self._on_change = on_change

    def get(self, tenant: str, number: str) -> OptOut | None:
        with self._lock:
            return self._entries.get((tenant, number))

    def add(self, tenant: str, number: str, source: str, now: int) -> bool:
        with self._lock:
            if (tenant, number) in self._entries:
                return False
            self._entries[tenant, number] = OptOut(tenant, number, source, now)
            self._on_change(tenant, number, "opted_out", source, now)
            return True

    def remove(self, tenant: str, number: str, source: str = "cli", now: int | None = None) -> bool:
        with self._lock:
            if self._entries.pop((tenant, number), None) is None:
                return False
            at = now if now is not None else time.time_ns() // 1_000_000
            self._on_change(tenant, number, "opted_in", source, at)
            return True

    def all(self, tenant: str) -> list[OptOut]:
        with self._lock:
            return sorted((e for e in self._entries.values() if e.tenant == tenant), key=_number)

    def has(self, tenant: str, number: str) -> bool:
        return (tenant, number) in self._entries


class MemoryDrafts:
    def __init__(self, lock: threading.RLock) -> None:
        self._lock = lock
        self._entries: dict[str, _Draft] = {}

    def create_draft(self, tenant: str, agent: str, body: str, now: int) -> DraftRow:
        row = DraftRow(new_id("drf", now), body, 1, now, now)
        with self._lock:
            self._entries[row.id] = _Draft(tenant, agent, row)
        return row

    def list_drafts(self, tenant: str, agent: str) -> list[DraftRow]:
        with self._lock:
            mine = [d.row for d in self._entries.values() if (d.tenant, d.agent) == (tenant, agent)]
        return sorted(mine, key=lambda row: row.updated_at, reverse=True)

    def get_draft(self, tenant: str, agent: str, draft_id: str) -> DraftRow | None:
        with self._lock:
            draft = self._own_draft(tenant, agent, draft_id)
            return draft.row if draft else None

    def update_draft(
        self, tenant: str, agent: str, draft_id: str, body: str, version: int | None, now: int
    ) -> DraftRow | bool | None:
        with self._lock:
            draft = self._own_draft(tenant, agent, draft_id)
            if draft is None:
                return None
            if version is not None and draft.row.version != version:
                return False
            draft.row = replace(draft.row, body=body, version=draft.row.version + 1, updated_at=now)
            return draft.row

    def delete_draft(self, tenant: str, agent: str, draft_id: str) -> bool:
        with self._lock:
            if self._own_draft(tenant, agent, draft_id) is None:
                return False
            del self._entries[draft_id]
            return True

    def _own_draft(self, tenant: str, agent: str, draft_id: str) -> _Draft | None:
        draft = self._entries.get(draft_id)
        return draft if draft and (draft.tenant, draft.agent) == (tenant, agent) else None


def _number(entry: OptOut) -> str:
    return entry.number


class MemoryRates:
    """The rate limits' hits, as ``rate_counts`` keeps them: (tenant, agent or "") → second →
    count. Used under the store's lock."""

    def __init__(self) -> None:
        self._hits: dict[Key, Counter[int]] = {}

    def refused(self, new: NewMessage) -> RateLimited | None:
        if new.limits is None:
            return None
        hit = Hit(new.tenant, new.agent, new.now, new.limits)
        since = first_second(new.now)
        window = {
            key: Counter({s: n for s, n in self._hits.get(key, {}).items() if s >= since})
            for key, _ in keys_of(hit)
        }
        totals = {key: sum(seconds.values()) for key, seconds in window.items()}
        return None if admit([hit], totals)[0] else RateLimited(wait_of(hit, window))

    def count(self, new: NewMessage) -> None:
        if new.limits is not None:
            for key, _ in keys_of(Hit(new.tenant, new.agent, new.now, new.limits)):
                self._hits.setdefault(key, Counter())[new.now // 1000] += 1
