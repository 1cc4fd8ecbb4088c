"""``MemoryStore``: the store's ports in memory, for fast tests of the code that uses them.

The same answers as ``SqlStore`` (tests/unit/test_store_contract.py runs one suite against
both): idempotency keys, claims with leases and unconfirmed sends, receipts before their
submission, events in id order, drafts with versions, opt-outs. Messages are kept as the
columns ``SqlStore`` writes, so rows are built by the same code. One lock stands in for the
one writer; a write is done before its future is handed out.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from dataclasses import dataclass, replace
from typing import Any, TypeVar

from .rows import (
    OPTED_OUT,
    DraftRow,
    EventRow,
    FeedEvent,
    MessageRow,
    NewMessage,
    OptedOut,
    OptOut,
    message_values,
    new_id,
    stored_row,
)
from .status import FINAL_STATUSES, derived_status, part_status

T = TypeVar("T")


@dataclass
class _Ref:
    """A gateway id: a part of a message, or (``message_id`` None) an early receipt."""

    message_id: str | None
    part: int | None
    status: str
    reason: str | None
    reason_code: str | None = None


@dataclass
class _Draft:
    tenant: str
    agent: str
    row: DraftRow


class MemoryOptOuts:
    def __init__(self, lock: threading.RLock) -> None:
        self._lock = lock
        self._entries: dict[tuple[str, str], OptOut] = {}

    def get(self, tenant: str, number: str) -> OptOut | None:
        with self._lock:
            return self._entries.get((tenant, number))

    def add(self, tenant: str, number: str, source: str, now: int) -> bool:
        with self._lock:
            if (tenant, number) in self._entries:
                return False
            self._entries[tenant, number] = OptOut(tenant, number, source, now)
            return True

    def remove(self, tenant: str, number: str) -> bool:
        with self._lock:
            return self._entries.pop((tenant, number), None) is not None

    def all(self, tenant: str) -> list[OptOut]:
        with self._lock:
            return sorted((e for e in self._entries.values() if e.tenant == tenant), key=_number)

    def has(self, tenant: str, number: str) -> bool:
        return (tenant, number) in self._entries


class MemoryStore:
    def __init__(self) -> None:
        self._lock = threading.RLock()
        #: Message id → the columns SqlStore writes.
        self._messages: dict[str, dict[str, Any]] = {}
        self._keys: dict[tuple[str, str, str], str] = {}
        self._refs: dict[tuple[str, str], _Ref] = {}
        self._events: list[FeedEvent] = []
        self._drafts: dict[str, _Draft] = {}
        self.optouts = MemoryOptOuts(self._lock)

    def create_schema(self) -> None:
        pass

    def ping(self) -> None:
        pass

    def close(self) -> None:
        pass

    # -- messages ---------------------------------------------------------------------------

    def insert_message(self, new: NewMessage) -> Future[MessageRow | OptedOut | None]:
        def insert() -> MessageRow | OptedOut | None:
            if self.optouts.has(new.tenant, new.to_number):
                return OPTED_OUT
            key = (new.tenant, new.agent, new.idempotency_key)
            if key in self._keys:
                return None
            values = message_values(new)
            self._messages[new.id] = values
            self._keys[key] = new.id
            self._event(new.tenant, new.agent, new.id, "queued", None, new.now)
            return stored_row(new, values)

        return self._write(insert)

    def find_by_key(self, tenant: str, agent: str, key: str) -> MessageRow | None:
        with self._lock:
            message_id = self._keys.get((tenant, agent, key))
            return self._row(message_id) if message_id else None

    def get_message(self, tenant: str, agent: str, message_id: str) -> MessageRow | None:
        with self._lock:
            values = self._messages.get(message_id)
            if values is None or (values["tenant"], values["agent"]) != (tenant, agent):
                return None
            return MessageRow.from_row(values)

    def list_messages(
        self, tenant: str, agent: str, *, limit: int, before: str | None = None
    ) -> list[MessageRow]:
        with self._lock:
            mine = [
                v
                for v in self._messages.values()
                if v["tenant"] == tenant
                and v["agent"] == agent
                and (not before or v["id"] < before)
            ]
            mine.sort(key=lambda v: v["id"], reverse=True)
            return [MessageRow.from_row(v) for v in mine[:limit]]

    # -- claims -----------------------------------------------------------------------------

    def submit_claim_due(
        self, *, worker: str, now: int, lease_ms: int, limit: int
    ) -> Future[list[MessageRow]]:
        def claim() -> list[MessageRow]:
            due = [
                v
                for v in self._messages.values()
                if v["status"] == "queued"
                and v["next_attempt_at"] <= now
                and (v["claimed_until"] is None or v["claimed_until"] < now)
            ]
            due.sort(key=lambda v: v["next_attempt_at"])
            rows = []
            for values in due[:limit]:
                if values["claimed_by"] is not None:  # ran out without an outcome
                    values["unconfirmed_by"] = values["claimed_by"]
                    values["unconfirmed_at"] = now
                values["claimed_by"] = worker
                values["claimed_until"] = now + lease_ms
                row = MessageRow.from_row(values)
                if self.optouts.has(row.tenant, row.to_number):
                    row = replace(row, opted_out=True)
                rows.append(row)
            return sorted(rows, key=lambda m: m.created_at)

        return self._write(claim)

    def submit_record_attempt(
        self,
        message: MessageRow,
        *,
        worker: str,
        now: int,
        status: str,
        parts_sent: int,
        new_gateway_ids: Sequence[str],
        reason: str | None = None,
        reason_code: str | None = None,
        next_attempt_at: int | None = None,
    ) -> Future[bool]:
        def record() -> bool:
            values = self._messages.get(message.id)
            if values is None or worker not in (values["claimed_by"], values["unconfirmed_by"]):
                return False
            values.update(
                status=status,
                reason=reason,
                reason_code=reason_code,
                attempts=values["attempts"] + 1,
                parts_sent=parts_sent,
                gateway_ids=json.dumps([*message.gateway_ids, *new_gateway_ids]),
                next_attempt_at=next_attempt_at or now,
                claimed_by=None,
                claimed_until=None,
                unconfirmed_by=None,
                unconfirmed_at=None,
                updated_at=now,
            )
            first_new_part = message.parts_sent
            per_part = len(new_gateway_ids) == parts_sent - first_new_part
            for i, gateway_id in enumerate(new_gateway_ids):
                part = first_new_part + i if per_part else -1
                ref = self._refs.get((message.gateway, gateway_id))
                if ref is None:
                    self._refs[message.gateway, gateway_id] = _Ref(
                        message.id, part, "submitted", None
                    )
                else:  # an early receipt's placeholder keeps its status
                    ref.message_id, ref.part = message.id, part
            if status != message.status:
                self._event(
                    message.tenant, message.agent, message.id, status, reason, now, reason_code
                )
            if new_gateway_ids:
                self._derive(message.id, now)
            return True

        return self._write(record)

    def submit_release_claim(
        self, message: MessageRow, *, worker: str, next_attempt_at: int
    ) -> Future[bool]:
        def release() -> bool:
            values = self._messages.get(message.id)
            if values is None or values["claimed_by"] != worker:
                return False
            values.update(claimed_by=None, claimed_until=None, next_attempt_at=next_attempt_at)
            return True

        return self._write(release)

    def submit_renew_claims(
        self, worker: str, message_ids: Sequence[str], until: int
    ) -> Future[None]:
        def renew() -> None:
            for message_id in message_ids:
                values = self._messages.get(message_id)
                if values is not None and values["claimed_by"] == worker:
                    values["claimed_until"] = until

        return self._write(renew)

    def receipts_seen(self, gateway: str, gateway_ids: Sequence[str]) -> set[str]:
        with self._lock:
            return {gid for gid in gateway_ids if (gateway, gid) in self._refs}

    # -- receipts ---------------------------------------------------------------------------

    def submit_apply_receipt(
        self,
        *,
        gateway: str,
        gateway_id: str,
        status: str,
        reason: str | None,
        now: int,
        reason_code: str | None = None,
        message_id: str | None = None,
    ) -> Future[MessageRow | None]:
        def apply() -> MessageRow | None:
            news = (part_status(status), reason, reason_code)
            ref = self._refs.get((gateway, gateway_id))
            if ref is None:  # kept until the record of its submission comes
                ref = self._refs[gateway, gateway_id] = _Ref(None, None, *news)
                return self._adopt(ref, gateway, message_id, now)
            if ref.message_id is None:
                if ref.status not in FINAL_STATUSES:
                    ref.status, ref.reason, ref.reason_code = news
                return self._adopt(ref, gateway, message_id, now)
            if ref.message_id not in self._messages:
                return None
            if ref.status not in FINAL_STATUSES and status != "enroute":
                ref.status, ref.reason, ref.reason_code = news
            return self._derive(ref.message_id, now)

        return self._write(apply)

    def _adopt(
        self, ref: _Ref, gateway: str, message_id: str | None, now: int
    ) -> MessageRow | None:
        values = self._messages.get(message_id) if message_id is not None else None
        if values is None:
            return None
        message = MessageRow.from_row(values)
        if message.gateway != gateway or message.status != "unknown" or message.gateway_ids:
            return None
        ref.message_id, ref.part = message.id, -1
        return self._derive(message.id, now)

    def _derive(self, message_id: str, now: int) -> MessageRow | None:
        values = self._messages.get(message_id)
        if values is None:
            return None
        message = MessageRow.from_row(values)
        refs = [ref for ref in self._refs.values() if ref.message_id == message_id]
        parts = [(ref.part, ref.status) for ref in refs]
        new_status = derived_status(message.status, message.segments, parts)
        if not new_status or new_status == message.status:
            return message
        bad = next((ref for ref in refs if ref.status == new_status), None)
        reason, code = (bad.reason, bad.reason_code) if bad is not None else (None, None)
        values.update(status=new_status, reason=reason, reason_code=code, updated_at=now)
        self._event(message.tenant, message.agent, message_id, new_status, reason, now, code)
        return replace(message, status=new_status, reason=reason, reason_code=code, updated_at=now)

    def submit_resolve_unreported(
        self, *, now: int, reason: str, reason_code: str, limit: int
    ) -> Future[list[MessageRow]]:
        def resolve() -> list[MessageRow]:
            due = sorted(
                (
                    v
                    for v in self._messages.values()
                    if v["status"] == "submitted" and v["next_attempt_at"] <= now
                ),
                key=lambda v: v["next_attempt_at"],
            )[:limit]
            for values in due:
                values.update(
                    status="unknown", reason=reason, reason_code=reason_code, updated_at=now
                )
                self._event(
                    values["tenant"],
                    values["agent"],
                    values["id"],
                    "unknown",
                    reason,
                    now,
                    reason_code,
                )
            return [MessageRow.from_row(v) for v in due]

        return self._write(resolve)

    # -- events -----------------------------------------------------------------------------

    def _event(
        self,
        tenant: str,
        agent: str,
        message_id: str,
        status: str,
        reason: str | None,
        at: int,
        reason_code: str | None = None,
    ) -> None:
        event = EventRow(len(self._events) + 1, message_id, status, reason, at, reason_code)
        self._events.append(FeedEvent(tenant, agent, event))

    def events_after(
        self, tenant: str, agent: str, after: int, limit: int = 100, upto: int | None = None
    ) -> list[EventRow]:
        with self._lock:
            return [
                f.event
                for f in self._events[after:]
                if f.tenant == tenant and f.agent == agent and (upto is None or f.event.id <= upto)
            ][:limit]

    def events_since(self, after: int, limit: int) -> list[FeedEvent]:
        with self._lock:
            return self._events[after : after + limit]

    def max_event_id(self) -> int:
        with self._lock:
            return len(self._events)

    # -- drafts -----------------------------------------------------------------------------

    def create_draft(self, tenant: str, agent: str, body: str, now: int) -> DraftRow:
        row = DraftRow(new_id("drf", now), body, 1, now, now)
        with self._lock:
            self._drafts[row.id] = _Draft(tenant, agent, row)
        return row

    def list_drafts(self, tenant: str, agent: str) -> list[DraftRow]:
        with self._lock:
            mine = [d.row for d in self._drafts.values() if (d.tenant, d.agent) == (tenant, agent)]
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
            del self._drafts[draft_id]
            return True

    def _own_draft(self, tenant: str, agent: str, draft_id: str) -> _Draft | None:
        draft = self._drafts.get(draft_id)
        return draft if draft and (draft.tenant, draft.agent) == (tenant, agent) else None

    # -- plumbing ---------------------------------------------------------------------------

    def _row(self, message_id: str) -> MessageRow:
        return MessageRow.from_row(self._messages[message_id])

    def _write(self, job: Callable[[], T]) -> Future[T]:
        """Run a write at once, under the lock; its outcome (or error) is in the future."""
        future: Future[T] = Future()
        with self._lock:
            try:
                future.set_result(job())
            except Exception as error:
                future.set_exception(error)
        return future


def _number(entry: OptOut) -> str:
    return entry.number
