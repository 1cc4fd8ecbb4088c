"""The event feed's reader on a store in memory whose reads the test holds and releases, so a
commit can be notified exactly while a read is running. (The feed against real SQLite and
PostgreSQL: tests/integration/relay/test_feed.py.)"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Sequence

from smsrelay.feed import EventFeed
from smsrelay.storage import EventRow, FeedEvent

NOW = 1_700_000_000_000


class HeldEvents:
    """An events table whose next read, once ``hold()`` is called, looks at the table and then
    waits for ``release`` before answering — a query that saw the table before a commit and
    is still on its way back."""

    def __init__(self) -> None:
        self.rows: list[FeedEvent] = []
        self.reading = threading.Event()
        self.release = threading.Event()
        self._held = False

    def hold(self) -> None:
        self._held = True

    def commit(self, agent: str, status: str) -> None:
        event = EventRow(len(self.rows) + 1, f"msg-{agent}", status, None, NOW)
        self.rows.append(FeedEvent("acme", agent, event))

    def events_since(self, after: int, limit: int) -> list[FeedEvent]:
        seen = [row for row in self.rows if row.event.id > after][:limit]
        if self._held:
            self._held = False
            self.reading.set()
            self.release.wait(30)
        return seen

    def max_event_id(self) -> int:
        return len(self.rows)

    def events_after(
        self,
        tenant: str,
        agent: str,
        after: int,
        limit: int = 100,
        upto: int | None = None,
        queues: Sequence[str] | None = (),
    ) -> list[EventRow]:
        return [
            row.event
            for row in self.rows
            if (row.tenant, row.agent) == (tenant, agent)
            and after < row.event.id <= (upto if upto is not None else row.event.id)
        ][:limit]


def test_a_commit_notified_while_the_feed_reads_is_handed_out_without_waiting_for_the_poll() -> (
    None
):
    """The read saw the table before the commit; the notification came before the read
    returned. It must cause another read at once, not be lost until the next poll (an hour
    here, so the test cannot pass by polling)."""
    store = HeldEvents()

    async def scenario() -> None:
        feed = EventFeed(store, poll_seconds=3600, settle_seconds=0)
        await feed.start()
        stream = feed.subscribe("acme", "a", None)
        store.hold()
        reader = asyncio.create_task(feed.run())
        try:
            assert await asyncio.to_thread(store.reading.wait, 10)
            store.commit("a", "delivered")
            feed.notify()
            await asyncio.sleep(0)  # the notification is in before the read answers
            store.release.set()
            assert [e.status for e in await stream.next(timeout=5)] == ["delivered"]
        finally:
            store.release.set()
            feed.end()
            await reader

    asyncio.run(asyncio.wait_for(scenario(), 30))
