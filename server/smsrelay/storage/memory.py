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

from smscompose.status import WAITING

from .memory_conversations import MemoryConversations
from .memory_lists import MemoryDrafts, MemoryOptOuts, MemoryRates
from .memory_scheduled import MemoryScheduled
from .memory_tenants import MemoryTenants
from .memory_webhooks import MemoryWebhooks
from .rows import (
    OPTED_OUT,
    EventRow,
    FeedEvent,
    MessageRow,
    NewMessage,
    OptedOut,
    RateLimited,
    Recorded,
    message_values,
    stored_row,
)
from .status import FINAL_STATUSES, derived_status, part_status
from .usage import UsageRow, usage_in_memory

T = TypeVar("T")


@dataclass
class _Ref:
    """A gateway id: a part of a message, or (``message_id`` None) an early receipt."""

    message_id: str | None
    part: int | None
    status: str
    reason: str | None
    reason_code: str | None = None


class MemoryStore:
    def __init__(self) -> None:
        self._lock = threading.RLock()
        #: Message id → the columns SqlStore writes.
        self._messages: dict[str, dict[str, Any]] = {}
        self._keys: dict[tuple[str, str, str], str] = {}
        self._refs: dict[tuple[str, str], _Ref] = {}
        self._events: list[FeedEvent] = []
        self._rates = MemoryRates()
        self.optouts = MemoryOptOuts(self._lock, self._optout_event)
        self.webhooks = MemoryWebhooks(self._lock, self._events, self._messages)
        drafts = MemoryDrafts(self._lock)
        self.create_draft = drafts.create_draft
        self.list_drafts = drafts.list_drafts
        self.get_draft = drafts.get_draft
        self.update_draft = drafts.update_draft
        self.delete_draft = drafts.delete_draft
        conversations = MemoryConversations(
            self._lock, self._messages, self._add_event, self._write
        )
        self.submit_store_inbound = conversations.submit_store_inbound
        self.submit_inbound_part = conversations.submit_inbound_part
        self.get_inbound = conversations.get_inbound
        self.get_conversation = conversations.get_conversation
        self.list_conversations = conversations.list_conversations
        self.thread = conversations.thread
        self.mark_read = conversations.mark_read
        scheduled = MemoryScheduled(self._lock, self._messages, self._add_event, self._write)
        self.list_messages = scheduled.list_messages
        self.submit_cancel = scheduled.submit_cancel
        tenants = MemoryTenants(self._lock)
        self.last_tenant_change = tenants.last_tenant_change
        self.current_tenants = tenants.current_tenants
        self.tenant_secrets = tenants.tenant_secrets
        self.webhook_secrets = tenants.webhook_secrets
        self.save_revision = tenants.save_revision
        self.seed_tenants = tenants.seed_tenants
        self.tenant_revisions = tenants.tenant_revisions
        self.tenant_revision = tenants.tenant_revision

    def create_schema(self) -> None:
        pass

    def ping(self) -> None:
        pass

    def close(self) -> None:
        pass

    # -- messages ---------------------------------------------------------------------------

    def insert_message(self, new: NewMessage) -> Future[MessageRow | OptedOut | RateLimited | None]:
        def insert() -> MessageRow | OptedOut | RateLimited | None:
            if self.optouts.has(new.tenant, new.to_number):
                return OPTED_OUT
            limited = self._rates.refused(new)
            if limited is not None:
                return limited
            key = (new.tenant, new.agent, new.idempotency_key)
            if key in self._keys:
                return None
            self._rates.count(new)
            values = message_values(new)
            self._messages[new.id] = values
            self._keys[key] = new.id
            self._event(new.tenant, new.agent, new.id, new.status, None, new.now)
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

    # -- claims -----------------------------------------------------------------------------

    def submit_claim_due(
        self, *, worker: str, now: int, lease_ms: int, limit: int
    ) -> Future[list[MessageRow]]:
        def claim() -> list[MessageRow]:
            due = [
                v
                for v in self._messages.values()
                if v["status"] in WAITING
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
    ) -> Future[Recorded | None]:
        def record() -> Recorded | None:
            values = self._messages.get(message.id)
            if values is None or worker not in (values["claimed_by"], values["unconfirmed_by"]):
                return None
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
            settled = self._derive(message.id, now) if new_gateway_ids else None
            if settled is not None:
                return Recorded(settled.status, settled.reason, settled.reason_code)
            return Recorded(status, reason, reason_code)

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
        *,
        kind: str = "status",
        number: str | None = None,
    ) -> None:
        self._add_event(
            tenant, agent, EventRow(0, message_id, status, reason, at, reason_code, kind, number)
        )

    def _add_event(self, tenant: str, agent: str, event: EventRow) -> None:
        """The next event, numbered as the table numbers its rows."""
        self._events.append(FeedEvent(tenant, agent, replace(event, id=len(self._events) + 1)))

    def _optout_event(self, tenant: str, number: str, status: str, source: str, at: int) -> None:
        self._event(tenant, "", "", status, source, at, kind="optout", number=number)

    def events_after(
        self,
        tenant: str,
        agent: str,
        after: int,
        limit: int = 100,
        upto: int | None = None,
        queues: Sequence[str] | None = (),
    ) -> list[EventRow]:
        def mine(f: FeedEvent) -> bool:
            if f.agent:
                return f.agent == agent
            queue = f.event.queue_id
            return queue is not None and (queues is None or queue in queues)

        with self._lock:
            return [
                f.event
                for f in self._events[after:]
                if f.tenant == tenant and mine(f) and (upto is None or f.event.id <= upto)
            ][:limit]

    def events_since(self, after: int, limit: int) -> list[FeedEvent]:
        with self._lock:
            return self._events[after : after + limit]

    def max_event_id(self) -> int:
        with self._lock:
            return len(self._events)

    # -- usage ------------------------------------------------------------------------------

    def usage(self, tenant: str, *, since: int, until: int, by: Sequence[str]) -> list[UsageRow]:
        with self._lock:
            rows = [dict(v) for v in self._messages.values() if v["tenant"] == tenant]
        return usage_in_memory(rows, since=since, until=until, by=by)

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
