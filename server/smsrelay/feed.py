"""The event feed: one reader of the events table per relay process, fanning rows out to the
agents' open event streams in memory.

Every status change is an event row, written by whichever relay instance made it, so the table
is what streams follow. Reading it once per stream and second made 200 idle streams a steady
load on the database and the thread pool that requests share; here one task reads whatever is
new for everybody — when this process committed a change, else every ``poll_seconds`` for the
changes other instances made — and an idle stream costs nothing but a timer.

Exactness, also across reconnects with ``Last-Event-ID``: the feed hands out events in id order
and only up to its cursor, below which every event has been handed out. A stream that resumes
from an older id reads the table up to the cursor it subscribed at and takes the feed's events
above it, so nothing falls between the two and nothing comes twice. Ids are taken when a
transaction inserts, not when it commits: on PostgreSQL with several relays a lower id can
commit after a higher one. The feed holds back at such a gap until the missing id commits, or
``gap_seconds`` pass (a rolled-back insert leaves a gap for good).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
import time
from collections import deque
from collections.abc import Callable
from typing import Any

from anyio import to_thread

from .storage import EventRow, FeedEvent
from .storage.ports import EventStore

log = logging.getLogger("smsrelay.feed")

#: How far behind the newest id the feed starts, so that a transaction another relay still
#: had open at start-up (holding lower ids) is waited for like any other gap.
START_LOOKBACK = 1000


class Subscription:
    """One open event stream: the agent's events above ``after``, in id order, and those of
    the queues it serves (``queues``; None: every queue of the tenant)."""

    #: Events one stream may have waiting before it reads the table again instead (a client
    #: that stopped reading must not grow the relay's memory).
    MAX_PENDING = 1000

    def __init__(
        self,
        feed: EventFeed,
        tenant: str,
        agent: str,
        after: int,
        horizon: int,
        queues: frozenset[str] | None = frozenset(),
    ) -> None:
        self.feed = feed
        self.tenant = tenant
        self.agent = agent
        self.queues = queues
        #: The last event delivered (or known to be older than the stream).
        self.after = after
        #: Events up to here are read from the table; the feed brings those above.
        self.horizon = horizon
        self.closed = False
        self._pending: deque[EventRow] = deque()
        self._ready = asyncio.Event()

    def serves(self, queue_id: str) -> bool:
        return self.queues is None or queue_id in self.queues

    def put(self, event: EventRow) -> None:
        if len(self._pending) >= self.MAX_PENDING:
            # Read them from the table when the stream catches up; the feed has handed out
            # everything up to its cursor, so the table has them all.
            self._pending.clear()
            self.horizon = self.feed.cursor
        elif event.id > self.horizon:
            self._pending.append(event)
        self._ready.set()

    def end(self) -> None:
        self.closed = True
        self._ready.set()

    async def next(self, timeout: float) -> list[EventRow] | None:
        """The next events; ``[]`` when ``timeout`` passed quietly, None once the feed ended."""
        while True:
            if self.after < self.horizon:
                found = await self._from_table()
                if found:
                    return found
                continue
            if self._pending:
                found = [e for e in self._pending if e.id > self.after]
                self._pending.clear()
                if found:
                    self.after = found[-1].id
                    return found
                continue
            if self.closed:
                return None
            self._ready.clear()
            try:
                # Not wait_for: on Python 3.11 it can swallow a cancellation (a client that
                # went away) when the wait ends at the same moment.
                async with asyncio.timeout(timeout):
                    await self._ready.wait()
            except TimeoutError:
                return []

    async def _from_table(self) -> list[EventRow]:
        upto = self.horizon
        limit = 100
        queues = None if self.queues is None else sorted(self.queues)
        rows = await to_thread.run_sync(
            lambda: self.feed.store.events_after(
                self.tenant, self.agent, self.after, limit=limit, upto=upto, queues=queues
            )
        )
        if rows:
            self.after = rows[-1].id
        if len(rows) < limit:
            self.after = max(self.after, upto)
        return rows

    def close(self) -> None:
        self.feed.unsubscribe(self)


class EventFeed:
    def __init__(
        self,
        store: EventStore,
        *,
        poll_seconds: float = 0.5,
        settle_seconds: float = 0.025,
        gap_seconds: float = 5.0,
        batch: int = 500,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.store = store
        self.poll_seconds = poll_seconds
        self.settle_seconds = settle_seconds
        self.gap_seconds = gap_seconds
        self.batch = batch
        self.clock = clock
        #: Every event up to here has been handed out (or given up on, past a gap).
        self.cursor = 0
        self._subscribers: dict[tuple[str, str], set[Subscription]] = {}
        #: The same streams by tenant, for events meant for every agent of a queue.
        self._by_tenant: dict[str, set[Subscription]] = {}
        self._loop: asyncio.AbstractEventLoop | None = None
        self._loop_thread: int | None = None
        self._wake: asyncio.Event | None = None
        #: Since when the feed has been waiting at the gap above its cursor.
        self._gap_since: float | None = None
        self._ended = False

    # -- streams ----------------------------------------------------------------------------

    def subscribe(
        self,
        tenant: str,
        agent: str,
        after: int | None,
        queues: frozenset[str] | None = frozenset(),
    ) -> Subscription:
        """Follow an agent's events after ``after`` (a Last-Event-ID), or from now on, with
        those of ``queues`` (None: all of the tenant's)."""
        horizon = self.cursor
        subscription = Subscription(
            self, tenant, agent, horizon if after is None else after, horizon, queues
        )
        if self._ended:
            subscription.end()
        self._subscribers.setdefault((tenant, agent), set()).add(subscription)
        self._by_tenant.setdefault(tenant, set()).add(subscription)
        return subscription

    def unsubscribe(self, subscription: Subscription) -> None:
        _discard(self._subscribers, (subscription.tenant, subscription.agent), subscription)
        _discard(self._by_tenant, subscription.tenant, subscription)

    @property
    def streams(self) -> int:
        return sum(len(s) for s in self._subscribers.values())

    # -- the reader -------------------------------------------------------------------------

    def notify(self) -> None:
        """Something was committed here: read now rather than at the next poll. Safe from
        any thread; on the event loop's own (every accepted message) without a system call."""
        loop, wake = self._loop, self._wake
        if loop is None or wake is None:
            return
        if threading.get_ident() == self._loop_thread:
            wake.set()
        else:
            loop.call_soon_threadsafe(wake.set)

    async def start(self) -> None:
        """Take up the table where it ends (before the relay answers requests)."""
        self._loop = asyncio.get_running_loop()
        self._loop_thread = threading.get_ident()
        self._wake = asyncio.Event()
        newest = await to_thread.run_sync(self.store.max_event_id)
        self.cursor = max(0, newest - START_LOOKBACK)
        while await self.read_once():
            pass

    async def run(self, stopping: Callable[[], bool] = lambda: False) -> None:
        """Read and fan out until ``stopping()``; then end every stream (an EventSource
        reconnects, to another relay, and resumes from its Last-Event-ID)."""
        assert self._wake is not None, "start() first"
        try:
            while not (self._ended or stopping()):
                # Cleared before the read, not after: a commit notified while the read runs
                # (in a thread, after its query saw the table) makes the next read start at
                # once instead of waiting for the poll.
                self._wake.clear()
                try:
                    more = await self.read_once()
                except Exception as error:  # the database may be away: streams wait
                    log.warning("reading events failed (%s); retrying", error)
                    await asyncio.sleep(self.poll_seconds)
                    continue
                if more:
                    continue
                with contextlib.suppress(TimeoutError):
                    async with asyncio.timeout(self.poll_seconds):
                        await self._wake.wait()
                # Under load every request notifies: one read serves a whole burst of them.
                await asyncio.sleep(self.settle_seconds)
        finally:
            self.end()

    def end(self) -> None:
        """End every stream, and the reader."""
        self._ended = True
        if self._wake is not None:
            self._wake.set()
        for subscriptions in self._subscribers.values():
            for subscription in subscriptions:
                subscription.end()

    async def read_once(self) -> bool:
        """Hand out what is new; True when there may be more right away."""
        after = self.cursor
        rows = await to_thread.run_sync(self.store.events_since, after, self.batch)
        self._hand_out(rows)
        return len(rows) >= self.batch and self.cursor > after

    def _hand_out(self, rows: list[FeedEvent]) -> None:
        for row in rows:
            if row.event.id != self.cursor + 1 and not self._past_gap():
                return
            self._gap_since = None
            self.cursor = row.event.id
            if row.agent:
                for subscription in self._subscribers.get((row.tenant, row.agent), ()):
                    subscription.put(row.event)
            elif (queue_id := row.event.queue_id) is not None:
                # Meant for every agent of the queue: each of their streams once.
                for subscription in self._by_tenant.get(row.tenant, ()):
                    if subscription.serves(queue_id):
                        subscription.put(row.event)

    def _past_gap(self) -> bool:
        """At a gap in the ids: True once it has been there long enough to be a rollback."""
        now = self.clock()
        if self._gap_since is None:
            self._gap_since = now
        return now - self._gap_since >= self.gap_seconds


def _discard(index: dict[Any, set[Subscription]], key: Any, subscription: Subscription) -> None:
    subscriptions = index.get(key)
    if subscriptions is not None:
        subscriptions.discard(subscription)
        if not subscriptions:
            del index[key]
