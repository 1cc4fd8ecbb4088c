"""The webhook pump: reads the events table past a durable cursor and turns each event into one
delivery per endpoint that wants it, in the same transaction as it moves the cursor — so an
event gets its deliveries exactly once, whichever relay reads it and whenever one dies.

Nothing is added to the path that accepts a message: every change already writes its event in
its own transaction; the pump reads them afterwards, in the background. While no tenant has a
webhook it only moves the cursor along, every ``poll_seconds``.

Several relays may pump: each reads from the cursor and advances it with a compare-and-set on
its version; the one that loses writes nothing and reads again. Ids are taken when a
transaction inserts, not when it commits: on PostgreSQL a lower id can commit after a higher
one. The pump holds back at such a gap for ``gap_seconds`` (keeping the events' order); then
it passes, noting the missing ids as holes, and picks up any of them that commits within
``hole_seconds`` (late, but at least once).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
import time
from collections.abc import Callable, Sequence
from typing import NamedTuple

from anyio import to_thread

from ..storage import FeedEvent, MessageRow, new_id
from ..storage.ports import EventStore
from ..storage.ports_webhooks import WebhookStore
from ..storage.webhook_rows import ClaimFor, DeliveryRow, NewDelivery, WebhookCursor
from ..tenants.directory import TenantDirectory
from .payloads import (
    ACCEPTED,
    RECEIVED,
    STATUS,
    ReceivedMessage,
    ReceivedMessages,
    body,
    event_type,
    ordering_key,
    payload,
)

log = logging.getLogger("smsrelay.webhooks")

#: Holes kept at most: a larger gap (ids a crash of PostgreSQL skipped, say) is passed.
MAX_HOLES = 1_000


class Pass(NamedTuple):
    """What one pass did."""

    #: Whether there may be more to read right away.
    more: bool
    #: Deliveries created.
    created: int
    #: Those of them claimed for this relay's deliverer in the same transaction.
    claimed: tuple[DeliveryRow, ...] = ()


class WebhookPump:
    def __init__(
        self,
        events: EventStore,
        outbox: WebhookStore,
        tenants: TenantDirectory,
        *,
        received: ReceivedMessages,
        clock: Callable[[], int],
        #: Called on the event loop when a pass created deliveries.
        on_created: Callable[[], None] = lambda: None,
        #: What to claim for this relay's deliverer with the deliveries a pass creates (given
        #: the time), and where the claimed ones go (on the event loop).
        claim_for: Callable[[int], ClaimFor | None] = lambda _now: None,
        on_claimed: Callable[[Sequence[DeliveryRow]], None] = lambda _rows: None,
        batch: int = 500,
        poll_seconds: float = 0.5,
        settle_seconds: float = 0.02,
        gap_seconds: float = 2.0,
        hole_seconds: float = 600.0,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.events = events
        self.outbox = outbox
        self.tenants = tenants
        self.received = received
        self.clock = clock
        self.on_created = on_created
        self.claim_for = claim_for
        self.on_claimed = on_claimed
        self.batch = batch
        self.poll_seconds = poll_seconds
        self.settle_seconds = settle_seconds
        self.gap_seconds = gap_seconds
        self.hole_seconds = hole_seconds
        self.monotonic = monotonic
        #: The cursor position at which the pump found a gap, and since when.
        self._gap: tuple[int, float] | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._loop_thread: int | None = None
        self._wake: asyncio.Event | None = None

    # -- running ----------------------------------------------------------------------------

    def notify(self) -> None:
        """An event was committed here: read now rather than at the next poll. Safe from any
        thread; on the event loop's own (the send path) without a system call."""
        if self.tenants.has_webhooks:
            self.wake()

    def wake(self) -> None:
        """Look now, webhooks or not (a stop is seen at once, not after a poll)."""
        loop, wake = self._loop, self._wake
        if loop is None or wake is None:
            return
        if threading.get_ident() == self._loop_thread:
            wake.set()
        else:
            loop.call_soon_threadsafe(wake.set)

    async def run(self, stopping: Callable[[], bool] = lambda: False) -> None:
        self._loop = asyncio.get_running_loop()
        self._loop_thread = threading.get_ident()
        self._wake = asyncio.Event()
        while not stopping():
            # Cleared before the pass, not after: a commit notified while the pass runs (which
            # may take several round trips to the database) makes the next pass start at once.
            self._wake.clear()
            try:
                more, created, claimed = await to_thread.run_sync(self.pump_once)
            except Exception as error:  # the database may be away: the events wait for us
                log.warning("reading events for webhooks failed (%s); retrying", error)
                more, created, claimed = False, 0, ()
            if claimed:
                self.on_claimed(claimed)
            if created > len(claimed):
                self.on_created()
            if more:
                continue
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(self.poll_seconds):
                    await self._wake.wait()
            # Under load every accepted message notifies: one read serves a burst of them.
            await asyncio.sleep(self.settle_seconds)

    # -- one pass ---------------------------------------------------------------------------

    def pump_once(self) -> Pass:
        """Turn what is new into deliveries."""
        cursor = self.outbox.webhook_cursor()
        if not self.tenants.has_webhooks:
            return Pass(self._skip_to_end(cursor), 0)
        rows = self.events.events_since(cursor.position, self.batch)
        late = self.outbox.events_with_ids([i for i, _ in cursor.holes]) if cursor.holes else []
        taken, position, holes = self._walk(cursor, rows)
        late_ids = {row.event.id for row in late}
        holes = [(i, since) for i, since in holes if i not in late_ids]
        moved = WebhookCursor(position, tuple(holes))
        if (moved.position, moved.holes) == (cursor.position, cursor.holes):
            return Pass(False, 0)
        deliveries = self._deliveries([*late, *taken])
        claim = self.claim_for(self.clock()) if deliveries else None
        claimed = self.outbox.submit_advance(cursor, moved, deliveries, claim).result()
        if claimed is None:
            return Pass(True, 0)  # another relay's pump was first: read on from where it left
        return Pass(len(rows) >= self.batch, len(deliveries), tuple(claimed))

    def _skip_to_end(self, cursor: WebhookCursor) -> bool:
        newest = self.events.max_event_id()
        if newest > cursor.position or cursor.holes:
            self.outbox.submit_advance(cursor, WebhookCursor(newest), ()).result()
        return False

    def _walk(
        self, cursor: WebhookCursor, rows: Sequence[FeedEvent]
    ) -> tuple[list[FeedEvent], int, list[tuple[int, int]]]:
        """The events that can be taken in order, the position after them and the holes."""
        now = self.clock()
        horizon = now - int(self.hole_seconds * 1000)
        holes = [(i, since) for i, since in cursor.holes if since >= horizon]
        position = cursor.position
        taken: list[FeedEvent] = []
        for row in rows:
            if row.event.id > position + 1:
                if not self._past_gap(position):
                    break
                missing = range(position + 1, row.event.id)
                room = MAX_HOLES - len(holes)
                holes += [(i, now) for i in missing[:room]]
                if len(missing) > room:
                    log.warning("events %d–%d never appeared; passed", missing[0], missing[-1])
            taken.append(row)
            position = row.event.id
        return taken, position, holes

    def _past_gap(self, position: int) -> bool:
        """At a gap after ``position``: True once it has been there long enough to be a
        transaction that rolled back (or is taking very long: then it is a hole)."""
        now = self.monotonic()
        if self._gap is None or self._gap[0] != position:
            self._gap = (position, now)
        return now - self._gap[1] >= self.gap_seconds

    # -- events → deliveries ----------------------------------------------------------------

    def _deliveries(self, rows: Sequence[FeedEvent]) -> list[NewDelivery]:
        wanted = [(row, kind) for row in rows if (kind := self._wanted(row)) is not None]
        message_ids = [row.event.message_id for row, kind in wanted if kind in (ACCEPTED, STATUS)]
        messages = self.outbox.messages_by_id(message_ids) if message_ids else {}
        now = self.clock()
        created: list[NewDelivery] = []
        for row, kind in wanted:
            message = messages.get(row.event.message_id) if kind in (ACCEPTED, STATUS) else None
            received = (
                self.received.received_message(row.tenant, row.event.message_id)
                if kind == RECEIVED
                else None
            )
            created += self._for_endpoints(row, kind, message, received, now)
        return created

    def _wanted(self, row: FeedEvent) -> str | None:
        kind = event_type(row)
        tenant = self.tenants.get(row.tenant)
        if kind is None or tenant is None or not any(e.wants(kind) for e in tenant.webhooks):
            return None
        return kind

    def _for_endpoints(
        self,
        row: FeedEvent,
        kind: str,
        message: MessageRow | None,
        received: ReceivedMessage | None,
        now: int,
    ) -> list[NewDelivery]:
        event_id = new_id("evt", row.event.at)
        number = (
            message.to_number
            if message is not None
            else received.number
            if received is not None
            else row.event.number
        )
        interaction = (
            message.interaction_id
            if message is not None
            else received.interaction_id
            if received is not None
            else None
        )
        found = []
        for endpoint in self.tenants[row.tenant].webhooks:
            if not endpoint.wants(kind):
                continue
            document = payload(
                row, event_id, kind, include=endpoint.include, message=message, received=received
            )
            found.append(
                NewDelivery(
                    tenant=row.tenant,
                    endpoint=endpoint.id,
                    event_id=event_id,
                    event_type=kind,
                    ordering=ordering_key(row.tenant, number, row.event.message_id),
                    message_id=row.event.message_id or None,
                    interaction_id=interaction,
                    payload=body(document),
                    now=now,
                )
            )
        return found
