"""The event feed: one reader of the events table for all of a relay's event streams.

Runs on SQLite and on a real PostgreSQL server, like the store's tests. Events are written as
the relay writes them (``SqlStore``), or straight into the table as another relay instance
would, without telling this one.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Coroutine
from typing import Any

import pytest
from sqlalchemy import insert

from smsrelay.feed import EventFeed, Subscription
from smsrelay.storage import EventRow, SqlStore
from smsrelay.storage.schema import events
from tests.support.peers.postgres import database_url, postgres_database  # noqa: F401

NOW = 1_700_000_000_000


@pytest.fixture
def store(database_url: str) -> Any:  # noqa: F811
    store = SqlStore(database_url)
    store.create_schema()
    yield store
    store.close()


def write(store: SqlStore, agent: str, *statuses: str, event_id: int | None = None) -> None:
    """Event rows as any relay instance writes them (one transaction)."""
    rows = [
        {"tenant": "acme", "agent": agent, "message_id": f"msg-{agent}", "status": s, "at": NOW}
        for s in statuses
    ]
    if event_id is not None:
        rows = [{**row, "id": event_id + i} for i, row in enumerate(rows)]
    with store.engine.begin() as conn:
        conn.execute(insert(events), rows)


def run(test: Callable[[], Coroutine[Any, Any, None]]) -> None:
    asyncio.run(asyncio.wait_for(test(), 60))


async def drain(subscription: Subscription, count: int) -> list[EventRow]:
    """The next ``count`` events of a stream (failing if they do not come within seconds)."""
    found: list[EventRow] = []
    while len(found) < count:
        batch = await subscription.next(timeout=5)
        assert batch, f"only {found} came"
        found.extend(batch)
    return found


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_a_stream_gets_its_agents_events_from_now_on_and_only_theirs(store: SqlStore) -> None:
    write(store, "a", "before")

    async def scenario() -> None:
        feed = EventFeed(store)
        await feed.start()
        mine = feed.subscribe("acme", "a", None)
        write(store, "b", "queued")
        write(store, "a", "queued", "submitted")
        await feed.read_once()
        assert [e.status for e in await drain(mine, 2)] == ["queued", "submitted"]
        assert await mine.next(timeout=0.05) == []

    run(scenario)


def test_a_stream_resumes_after_its_last_event_id_without_a_gap_or_a_repeat(
    store: SqlStore,
) -> None:
    """Resuming spans what is already in the table and what the feed hands out later."""
    write(store, "a", "1", "2", "3")

    async def scenario() -> None:
        feed = EventFeed(store)
        await feed.start()
        (first,) = store.events_after("acme", "a", 0, limit=1)
        resumed = feed.subscribe("acme", "a", first.id)
        write(store, "a", "4", "5")
        await feed.read_once()
        write(store, "a", "6")
        feed.notify()
        await feed.read_once()
        assert [e.status for e in await drain(resumed, 5)] == ["2", "3", "4", "5", "6"]
        assert await resumed.next(timeout=0.05) == []

    run(scenario)


def test_events_other_relays_write_arrive_by_polling(store: SqlStore) -> None:
    async def scenario() -> None:
        feed = EventFeed(store, poll_seconds=0.05)
        await feed.start()
        reader = asyncio.create_task(feed.run())
        stream = feed.subscribe("acme", "a", None)
        await asyncio.sleep(0.1)
        write(store, "a", "queued")  # no notify: another process wrote it
        assert [e.status for e in await drain(stream, 1)] == ["queued"]
        feed.end()
        await reader
        assert await stream.next(timeout=1) is None  # the feed ended: so do its streams

    run(scenario)


def test_idle_streams_do_not_touch_the_database(
    store: SqlStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    reads: list[str] = []
    for name in ("events_after", "events_since"):
        original = getattr(store, name)

        def counted(*args: Any, _name: str = name, _original: Any = original) -> Any:
            reads.append(_name)
            return _original(*args)

        monkeypatch.setattr(store, name, counted)

    async def scenario() -> None:
        feed = EventFeed(store, poll_seconds=0.1)
        await feed.start()
        reader = asyncio.create_task(feed.run())
        streams = [feed.subscribe("acme", f"agent-{n}", None) for n in range(200)]
        waits = [asyncio.create_task(s.next(timeout=0.55)) for s in streams]
        assert await asyncio.gather(*waits) == [[]] * 200
        feed.end()
        await reader

    run(scenario)
    # One read per poll for all 200 streams (about six in 0.55 s), none of a stream's own.
    assert "events_after" not in reads
    assert 2 <= reads.count("events_since") <= 12, reads


def test_a_stream_that_stops_reading_catches_up_from_the_table(
    store: SqlStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(Subscription, "MAX_PENDING", 3)

    async def scenario() -> None:
        feed = EventFeed(store)
        await feed.start()
        slow = feed.subscribe("acme", "a", None)
        for n in range(10):
            write(store, "a", str(n))
            await feed.read_once()
        assert len(slow._pending) <= 3
        assert [e.status for e in await drain(slow, 10)] == [str(n) for n in range(10)]
        assert await slow.next(timeout=0.05) == []

    run(scenario)


def test_the_feed_waits_at_a_gap_in_the_ids_and_gives_up_on_it_later(store: SqlStore) -> None:
    """A missing id is a transaction still open (or one rolled back): what follows it waits,
    so a stream never skips it, until ``gap_seconds`` say it is not coming."""
    clock = Clock()

    async def scenario() -> None:
        feed = EventFeed(store, gap_seconds=5, clock=clock)
        await feed.start()
        stream = feed.subscribe("acme", "a", None)
        write(store, "a", "1")
        await feed.read_once()
        (first,) = await drain(stream, 1)
        write(store, "a", "3", event_id=first.id + 2)
        await feed.read_once()
        assert await stream.next(timeout=0.05) == []
        clock.now = 4.9
        await feed.read_once()
        assert await stream.next(timeout=0.05) == []
        clock.now = 5.0
        await feed.read_once()
        assert [e.status for e in await drain(stream, 1)] == ["3"]

    run(scenario)


def test_an_event_committed_late_under_a_lower_id_is_not_skipped(
    postgres_database: Callable[[], str],  # noqa: F811
) -> None:
    """On PostgreSQL a relay's open transaction holds a lower id than what another relay
    commits meanwhile. The feed hands both out in id order once both are committed. (SQLite
    has one writer at a time: its ids commit in order.)"""
    store = SqlStore(postgres_database())
    store.create_schema()
    holding = threading.Event()
    release = threading.Event()

    def slow_relay() -> None:
        with store.engine.begin() as conn:
            conn.execute(
                insert(events),
                {"tenant": "acme", "agent": "a", "message_id": "m", "status": "slow", "at": NOW},
            )
            holding.set()
            release.wait(30)

    async def scenario() -> None:
        feed = EventFeed(store, gap_seconds=30)
        await feed.start()
        stream = feed.subscribe("acme", "a", None)
        await asyncio.to_thread(holding.wait, 30)
        write(store, "a", "fast")
        await feed.read_once()
        assert await stream.next(timeout=0.05) == []
        release.set()
        await asyncio.to_thread(other.join, 30)
        await feed.read_once()
        assert [e.status for e in await drain(stream, 2)] == ["slow", "fast"]

    other = threading.Thread(target=slow_relay)
    other.start()
    try:
        run(scenario)
    finally:
        release.set()
        other.join(30)
        store.close()


def write_queue_event(store: SqlStore, queue: str, message_id: str) -> None:
    """A customer's message routed to a queue (agent ''), as the relay writes its event."""
    row = {"tenant": "acme", "agent": "", "message_id": message_id, "status": "received",
           "at": NOW, "kind": "received", "number": "+4915112345678", "queue_id": queue}  # fmt: skip
    with store.engine.begin() as conn:
        conn.execute(insert(events), [row])


def test_a_queues_events_reach_each_of_its_agents_streams_once_and_resume(
    store: SqlStore,
) -> None:
    """A reply routed to a queue goes to every open stream of that queue's agents — once, also
    with two streams of one agent — and to nobody else; resuming reads them from the table."""

    async def scenario() -> None:
        feed = EventFeed(store)
        await feed.start()
        alice = feed.subscribe("acme", "alice", None, frozenset({"service"}))
        alice_tab = feed.subscribe("acme", "alice", None, frozenset({"service", "sales"}))
        bob = feed.subscribe("acme", "bob", None, frozenset({"sales"}))
        boss = feed.subscribe("acme", "boss", None, None)  # every queue
        old = feed.subscribe("acme", "carol", None)  # a stream without queues: its own only
        write_queue_event(store, "service", "in-1")
        write(store, "bob", "queued")
        write_queue_event(store, "sales", "in-2")
        await feed.read_once()
        assert [e.message_id for e in await drain(alice, 1)] == ["in-1"]
        assert [e.message_id for e in await drain(alice_tab, 2)] == ["in-1", "in-2"]
        assert [e.message_id for e in await drain(bob, 2)] == ["msg-bob", "in-2"]
        assert [e.message_id for e in await drain(boss, 2)] == ["in-1", "in-2"]
        for stream in (alice, alice_tab, bob, boss, old):
            assert await stream.next(timeout=0.05) == []
        # Reconnecting with the Last-Event-ID of before: the same events, from the table.
        first = store.events_after("acme", "alice", 0, queues=["service"])[0].id
        resumed = feed.subscribe("acme", "alice", first - 1, frozenset({"service", "sales"}))
        assert [e.message_id for e in await drain(resumed, 2)] == ["in-1", "in-2"]
        assert await resumed.next(timeout=0.05) == []

    run(scenario)
