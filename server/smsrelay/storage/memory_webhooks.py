"""The webhooks' outbox in memory: the ``WebhookStore`` port as ``SqlWebhooks`` keeps it, for
fast tests (the same contract suite runs on both)."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from dataclasses import replace
from typing import Any, TypeVar

from .rows import FeedEvent, MessageRow
from .webhook_rows import (
    DELIVERED,
    PENDING,
    AttemptRow,
    ClaimFor,
    DeliveryOutcome,
    DeliveryRow,
    NewDelivery,
    WebhookCursor,
    delivery_values,
)

T = TypeVar("T")


class MemoryWebhooks:
    def __init__(
        self,
        lock: threading.RLock,
        events: list[FeedEvent],
        messages: dict[str, dict[str, Any]],
    ) -> None:
        self._lock = lock
        #: The store's own events and messages (read, never written here).
        self._events = events
        self._messages = messages
        self._cursor = WebhookCursor(0)
        self._deliveries: dict[int, DeliveryRow] = {}
        self._attempts: list[AttemptRow] = []

    # -- the pump ---------------------------------------------------------------------------

    def webhook_cursor(self) -> WebhookCursor:
        with self._lock:
            return self._cursor

    def events_with_ids(self, ids: Sequence[int]) -> list[FeedEvent]:
        with self._lock:
            return [e for e in self._events if e.event.id in set(ids)]

    def messages_by_id(self, ids: Sequence[str]) -> dict[str, MessageRow]:
        with self._lock:
            return {i: MessageRow.from_row(self._messages[i]) for i in ids if i in self._messages}

    def submit_advance(
        self,
        base: WebhookCursor,
        moved: WebhookCursor,
        deliveries: Sequence[NewDelivery],
        claim: ClaimFor | None = None,
    ) -> Future[list[DeliveryRow] | None]:
        def advance() -> list[DeliveryRow] | None:
            if self._cursor.version != base.version:
                return None
            self._cursor = WebhookCursor(moved.position, moved.holes, base.version + 1)
            added = {self._add(delivery_values(new)).id for new in deliveries}
            if claim is None or not added:
                return []
            return self._claim(claim, added)

        return self._write(advance)

    # -- the deliverer ----------------------------------------------------------------------

    def next_delivery_at(self) -> int | None:
        with self._lock:
            due = [
                max(d.next_attempt_at, d.claimed_until or 0) for d in self._first_of_conversations()
            ]
        return min(due) if due else None

    def _first_of_conversations(self) -> list[DeliveryRow]:
        """The pending deliveries no earlier pending one of their conversation holds up."""
        seen: set[tuple[str, str, str]] = set()
        first = []
        for delivery in sorted(self._deliveries.values(), key=lambda d: d.id):
            conversation = (delivery.tenant, delivery.endpoint, delivery.ordering)
            if delivery.state == PENDING and conversation not in seen:
                seen.add(conversation)
                first.append(delivery)
        return first

    def submit_claim_deliveries(
        self, *, worker: str, now: int, lease_ms: int, limit: int
    ) -> Future[list[DeliveryRow]]:
        return self._write(lambda: self._claim(ClaimFor(worker, now, lease_ms, limit)))

    def _claim(self, claim: ClaimFor, only: set[int] | None = None) -> list[DeliveryRow]:
        claimed: list[DeliveryRow] = []
        for delivery in self._first_of_conversations():
            if only is not None and delivery.id not in only:
                continue
            free = delivery.claimed_until is None or delivery.claimed_until < claim.now
            if delivery.next_attempt_at <= claim.now and free and len(claimed) < claim.limit:
                until = claim.now + claim.lease_ms
                taken = replace(delivery, claimed_by=claim.worker, claimed_until=until)
                self._deliveries[delivery.id] = taken
                claimed.append(taken)
        return claimed

    def submit_record_delivery(
        self, delivery: DeliveryRow, *, worker: str, outcome: DeliveryOutcome
    ) -> Future[bool]:
        def record() -> bool:
            attempt = AttemptRow(
                len(self._attempts) + 1,
                delivery.id,
                outcome.at,
                outcome.status,
                outcome.error,
                outcome.duration_ms,
            )
            self._attempts.append(attempt)
            current = self._deliveries.get(delivery.id)
            if current is None or current.state != PENDING:
                return False
            if outcome.state != DELIVERED and current.claimed_by != worker:
                return False
            self._deliveries[delivery.id] = replace(
                current,
                state=outcome.state,
                attempts=current.attempts + 1,
                next_attempt_at=outcome.next_attempt_at or outcome.at,
                claimed_by=None,
                claimed_until=None,
                last_status=outcome.status,
                last_error=outcome.error,
                last_attempt_at=outcome.at,
                delivered_at=outcome.at if outcome.state == DELIVERED else None,
            )
            return True

        return self._write(record)

    # -- the administrator's log ------------------------------------------------------------

    def deliveries(
        self,
        tenant: str,
        *,
        endpoint: str | None = None,
        state: str | None = None,
        event_type: str | None = None,
        message_id: str | None = None,
        before: int | None = None,
        limit: int = 50,
    ) -> list[DeliveryRow]:
        with self._lock:
            found = [
                d
                for d in sorted(self._deliveries.values(), key=lambda d: d.id, reverse=True)
                if d.tenant == tenant
                and endpoint in (None, d.endpoint)
                and state in (None, d.state)
                and event_type in (None, d.event_type)
                and message_id in (None, d.message_id)
                and (before is None or d.id < before)
            ]
        return found[:limit]

    def delivery(self, tenant: str, delivery_id: int) -> DeliveryRow | None:
        with self._lock:
            found = self._deliveries.get(delivery_id)
        return found if found is not None and found.tenant == tenant else None

    def delivery_attempts(self, delivery_id: int) -> list[AttemptRow]:
        with self._lock:
            return [a for a in self._attempts if a.delivery_id == delivery_id]

    def submit_redeliver(
        self, tenant: str, delivery_id: int, now: int
    ) -> Future[DeliveryRow | None]:
        def redeliver() -> DeliveryRow | None:
            original = self._deliveries.get(delivery_id)
            if original is None or original.tenant != tenant:
                return None
            again = NewDelivery(
                tenant=original.tenant,
                endpoint=original.endpoint,
                event_id=original.event_id,
                event_type=original.event_type,
                ordering=original.ordering,
                message_id=original.message_id,
                interaction_id=original.interaction_id,
                payload=original.payload,
                now=now,
            )
            return self._add({**delivery_values(again), "redelivery_of": original.id})

        return self._write(redeliver)

    # -- plumbing ---------------------------------------------------------------------------

    def _add(self, values: dict[str, Any]) -> DeliveryRow:
        row = DeliveryRow.from_row({**values, "id": len(self._deliveries) + 1})
        self._deliveries[row.id] = row
        return row

    def _write(self, job: Callable[[], T]) -> Future[T]:
        future: Future[T] = Future()
        with self._lock:
            try:
                future.set_result(job())
            except Exception as error:
                future.set_exception(error)
        return future
