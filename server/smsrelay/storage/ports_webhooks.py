"""The webhooks' storage port (the others are :mod:`.ports`): the outbox the pump fills from
the events table and the deliverer works off. ``SqlWebhooks`` and ``MemoryWebhooks`` are its
adapters."""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import Future
from typing import Protocol

from .rows import FeedEvent, MessageRow
from .webhook_rows import (
    AttemptRow,
    ClaimFor,
    DeliveryOutcome,
    DeliveryRow,
    NewDelivery,
    WebhookCursor,
)

__all__ = ["WebhookStore"]


class WebhookStore(Protocol):
    """The webhooks' outbox: the pump's cursor over the events table and the deliveries it
    creates with each advance; claims with a lease, in order per endpoint and conversation;
    each attempt's outcome; the administrator's log and "redeliver"."""

    def webhook_cursor(self) -> WebhookCursor: ...

    def events_with_ids(self, ids: Sequence[int]) -> list[FeedEvent]:
        """These events (those that exist), in id order: the pump looks for holes it passed."""
        ...

    def messages_by_id(self, ids: Sequence[str]) -> dict[str, MessageRow]: ...

    def submit_advance(
        self,
        base: WebhookCursor,
        moved: WebhookCursor,
        deliveries: Sequence[NewDelivery],
        claim: ClaimFor | None = None,
    ) -> Future[list[DeliveryRow] | None]:
        """Move the cursor from ``base`` to ``moved`` and create ``deliveries`` in one
        transaction, claiming for ``claim`` those of them that may go at once (the first of
        their conversation); None, with nothing written, when the cursor is no longer at
        ``base``."""
        ...

    def next_delivery_at(self) -> int | None:
        """When the earliest pending delivery is due, or its claim runs out; None: none."""
        ...

    def submit_claim_deliveries(
        self, *, worker: str, now: int, lease_ms: int, limit: int
    ) -> Future[list[DeliveryRow]]:
        """Up to ``limit`` pending deliveries due by ``now``, unclaimed (or whose claim ran
        out) and first of their endpoint and conversation, oldest first, for ``lease_ms``."""
        ...

    def submit_record_delivery(
        self, delivery: DeliveryRow, *, worker: str, outcome: DeliveryOutcome
    ) -> Future[bool]:
        """Log an attempt; settle the delivery as ``outcome`` says — a success whoever holds
        the claim, a failure only while ``worker`` does. False when the delivery was not
        changed."""
        ...

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
        """A tenant's deliveries, newest first; ``before``: a delivery id, for the next page."""
        ...

    def delivery(self, tenant: str, delivery_id: int) -> DeliveryRow | None: ...

    def delivery_attempts(self, delivery_id: int) -> list[AttemptRow]:
        """Oldest first."""
        ...

    def submit_redeliver(
        self, tenant: str, delivery_id: int, now: int
    ) -> Future[DeliveryRow | None]:
        """The delivery's event again: a new delivery, same event id and body, behind its
        conversation's others, with a new retry window. None: no such delivery of ``tenant``."""
        ...
