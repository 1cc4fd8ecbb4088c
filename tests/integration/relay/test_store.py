"""The storage adapter, on SQLite and on a real PostgreSQL server.

Every test runs twice: on a temporary SQLite file and on a fresh PostgreSQL database. Where
several workers or relays meet, each gets its own ``SqlStore`` (its own writer thread and
connections), so their transactions really run at the same time, as two relay processes' do.
"""

from __future__ import annotations

import contextlib
import os
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from functools import partial
from typing import Any

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import event, func, insert, inspect, select, text

from smsrelay.migrate import alembic_config
from smsrelay.storage import OPTED_OUT, MessageRow, OptOut, SqlStore, new_id
from smsrelay.storage.schema import gateway_refs, messages, opt_outs
from tests.support.peers.postgres import database_url, postgres_database  # noqa: F401
from tests.support.processes import wait_until
from tests.support.storekit import (
    LEASE,
    NOW,
    claim_one,
    create,
    done,
    new_message,
    receipt,
    status_of,
    statuses_of_events,
    submitted,
)

# -- fixtures and helpers -------------------------------------------------------------------


@pytest.fixture
def open_store(database_url: str) -> Iterator[Callable[[], SqlStore]]:  # noqa: F811
    """Opens another store on the same database (another relay, as far as the database can
    tell); all are closed at the end."""
    opened: list[SqlStore] = []

    def open_one() -> SqlStore:
        store = SqlStore(database_url)
        opened.append(store)
        return store

    yield open_one
    for store in opened:
        store.close()


@pytest.fixture
def store(open_store: Callable[[], SqlStore]) -> SqlStore:
    store = open_store()
    store.create_schema()
    return store


def count(store: SqlStore, table: Any) -> int:
    with store.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(table)).scalar_one())


# -- schema ---------------------------------------------------------------------------------


def test_migrating_an_up_to_date_schema_again_changes_nothing(store: SqlStore) -> None:
    stored, _ = create(store, new_message())
    store.create_schema()
    store.create_schema()
    with store.engine.connect() as conn:
        head = ScriptDirectory.from_config(alembic_config(conn)).get_current_head()
    with store.engine.connect() as conn:
        versions = conn.execute(text("SELECT version_num FROM alembic_version")).scalars().all()
        tables = set(inspect(conn).get_table_names())
    assert versions == [head]
    assert {"messages", "gateway_refs", "events", "drafts"} <= tables
    assert store.get_message("acme", "agent-1", stored.id) == stored


# -- closing --------------------------------------------------------------------------------


def test_a_read_still_running_when_the_store_closes_leaves_no_connection_open(
    store: SqlStore,
) -> None:
    """A read in a thread that nobody waits for any more (a cancelled request, a watcher
    stopped at shutdown) ends after ``close``: its connection is closed as it comes back,
    not left open for the garbage collector (psycopg's ResourceWarning)."""
    reading, release = threading.Event(), threading.Event()
    held: list[Any] = []

    def read() -> None:
        with store.engine.connect() as conn:
            conn.execute(text("SELECT 1"))
            held.append(conn.connection.dbapi_connection)
            reading.set()
            release.wait(10)

    thread = threading.Thread(target=read)
    thread.start()
    assert reading.wait(10)
    store.close()
    assert is_open(held[0])  # still in use: closing the store does not pull it away
    release.set()
    thread.join(10)
    assert not is_open(held[0])
    for _ in range(2):  # a read that comes later still gets a working connection, and closes it
        with store.engine.connect() as conn:
            assert conn.execute(text("SELECT 1")).scalar() == 1
            late = conn.connection.dbapi_connection
        assert not is_open(late)


def is_open(dbapi_connection: Any) -> bool:
    if hasattr(dbapi_connection, "closed"):  # psycopg
        return not dbapi_connection.closed
    try:  # sqlite3 has no flag; a closed one refuses everything
        dbapi_connection.total_changes  # noqa: B018
    except Exception:
        return False
    return True


# -- messages and idempotency ---------------------------------------------------------------


def test_a_new_message_is_stored_queued_with_its_first_event(store: SqlStore) -> None:
    row, created = create(store, new_message(segments=2))
    assert created
    assert row.status == "queued" and row.attempts == 0 and row.gateway_ids == ()
    assert store.get_message("acme", "agent-1", row.id) == row
    assert store.get_message("acme", "agent-2", row.id) is None
    assert statuses_of_events(store, row) == ["queued"]


def test_the_same_idempotency_key_gives_back_the_stored_message_and_stores_nothing(
    store: SqlStore,
) -> None:
    first, created = create(store, new_message("k", text="first"))
    again, created_again = create(store, new_message("k", text="second"))
    assert created and not created_again
    assert again == first
    assert again.text == "first"
    assert count(store, messages) == 1
    assert statuses_of_events(store, first) == ["queued"]


def test_an_idempotency_key_belongs_to_one_agent(store: SqlStore) -> None:
    mine, _ = create(store, new_message("k", agent="a"))
    theirs, created = create(store, new_message("k", agent="b"))
    assert created and theirs.id != mine.id
    assert store.find_by_key("acme", "a", "k") == mine


def test_threads_racing_with_one_key_store_exactly_one_message(
    store: SqlStore, open_store: Callable[[], SqlStore]
) -> None:
    relays = [store, open_store(), open_store(), open_store()]
    start = threading.Barrier(8)

    def create_one(i: int) -> tuple[MessageRow, bool]:
        start.wait(timeout=10)
        return create(relays[i % len(relays)], new_message("same", text=f"try {i}"))

    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(create_one, range(8)))
    assert sum(created for _, created in results) == 1
    winner = next(row for row, created in results if created)
    assert {row.id for row, _ in results} == {winner.id}
    assert count(store, messages) == 1
    assert statuses_of_events(store, winner) == ["queued"]


def test_ids_are_unique_and_a_forked_process_does_not_repeat_its_parents() -> None:
    ids = {new_id("msg", NOW) for _ in range(10_000)}
    assert len(ids) == 10_000
    reader, writer = os.pipe()
    child = os.fork()
    if child == 0:  # the child reports its next id and leaves at once
        os.write(writer, new_id("msg", NOW).encode())
        os._exit(0)
    os.waitpid(child, 0)
    theirs = os.read(reader, 100).decode()
    assert theirs != new_id("msg", NOW)
    assert theirs.startswith(f"msg_{NOW:012x}")


@contextlib.contextmanager
def writer_held(store: SqlStore) -> Iterator[None]:
    """Keeps the store's writer busy, so that what is queued meanwhile waits as one batch."""
    running, release = threading.Event(), threading.Event()

    def hold(_conn: Any) -> None:
        running.set()
        release.wait(10)

    busy = store._writes.submit(hold)
    running.wait(10)
    try:
        yield
    finally:
        release.set()
        busy.result(10)


def test_messages_waiting_together_are_one_insert_and_a_repeated_key_stores_once(
    store: SqlStore,
) -> None:
    inserts: list[str] = []
    event.listen(
        store.engine,
        "before_cursor_execute",
        lambda _c, _cur, sql, *_rest: inserts.extend(sql.split()[2:3] if "INSERT" in sql else ()),
    )
    with writer_held(store):
        waiting = [store.insert_message(new_message(f"k{n}")) for n in range(50)]
        waiting.append(store.insert_message(new_message("k7", text="again")))
    rows = [future.result(10) for future in waiting]

    assert all(row is not None for row in rows[:50]) and rows[50] is None
    assert store.find_by_key("acme", "agent-1", "k7") == rows[7]
    assert count(store, messages) == 50
    assert all(statuses_of_events(store, row) == ["queued"] for row in rows[:50] if row)
    assert inserts == ["messages", "events"]  # each one multi-row statement


def test_a_number_on_its_tenants_opt_out_list_is_not_stored_and_others_are(
    store: SqlStore,
) -> None:
    with store.engine.begin() as conn:
        row = {"tenant": "acme", "number": "+4915199999999", "source": "cli", "created_at": NOW}
        conn.execute(insert(opt_outs), row)
    stopped = replace(new_message("stopped"), to_number="+4915199999999")
    elsewhere = replace(new_message("elsewhere", tenant="other"), to_number="+4915199999999")
    with writer_held(store):
        waiting = [
            store.insert_message(new)
            for new in (new_message("before"), stopped, elsewhere, new_message("after"))
        ]
    before, refused, other, after = (future.result(10) for future in waiting)

    assert refused is OPTED_OUT
    assert store.find_by_key("acme", "agent-1", "stopped") is None
    assert isinstance(other, MessageRow) and other.to_number == "+4915199999999"
    assert isinstance(before, MessageRow) and isinstance(after, MessageRow)
    assert count(store, messages) == 3
    with pytest.raises(ValueError, match="opt-out"):
        create(store, replace(stopped, idempotency_key="again"))


def test_opt_outs_are_written_by_the_stores_one_writer(store: SqlStore) -> None:
    number = "+4915199999999"
    with ThreadPoolExecutor(1) as pool:
        with writer_held(store):
            adding = pool.submit(store.optouts.add, "acme", number, "cli", NOW)
            time.sleep(0.2)
            assert not adding.done()  # it waits for the writer, not beside it
        assert adding.result(10) is True
        assert not store.optouts.add("acme", number, "kannel:k", NOW + 1)  # the first is kept
        assert store.optouts.get("acme", number) == OptOut("acme", number, "cli", NOW)
        with writer_held(store):
            removing = pool.submit(store.optouts.remove, "acme", number)
            time.sleep(0.2)
            assert not removing.done()
        assert removing.result(10) is True
    assert store.optouts.get("acme", number) is None
    assert not store.optouts.remove("acme", number)


def test_a_write_whose_caller_gave_up_is_not_done_and_the_writer_goes_on(
    store: SqlStore,
) -> None:
    with writer_held(store):
        abandoned = store.insert_message(new_message("gone"))
        assert abandoned.cancel()  # as asyncio.wrap_future does for a cancelled request
    assert store.insert_message(new_message("next")).result(10) is not None
    assert store.find_by_key("acme", "agent-1", "gone") is None
    assert count(store, messages) == 1


# -- claiming -------------------------------------------------------------------------------


def test_concurrent_workers_never_claim_the_same_message(
    store: SqlStore, open_store: Callable[[], SqlStore]
) -> None:
    with ThreadPoolExecutor(16) as pool:
        created = list(pool.map(lambda i: create(store, new_message(f"k{i}")), range(500)))
    ids = {row.id for row, _ in created}
    workers = {f"worker-{i}": open_store() for i in range(8)}
    start = threading.Barrier(len(workers))

    def drain(worker: str) -> list[str]:
        relay = workers[worker]
        start.wait(timeout=10)
        got: list[str] = []
        while batch := done(
            relay.submit_claim_due(worker=worker, now=NOW, lease_ms=LEASE, limit=7)
        ):
            assert len(batch) <= 7
            got += [m.id for m in batch]
        return got

    with ThreadPoolExecutor(len(workers)) as pool:
        claims = dict(zip(workers, pool.map(drain, workers), strict=True))
    times_claimed = Counter(i for got in claims.values() for i in got)
    assert set(times_claimed) == ids
    assert set(times_claimed.values()) == {1}
    with store.engine.connect() as conn:
        holders = dict(conn.execute(select(messages.c.id, messages.c.claimed_by)).all())
    for worker, got in claims.items():
        assert {holders[i] for i in got} <= {worker}
    assert done(store.submit_claim_due(worker="late", now=NOW, lease_ms=LEASE, limit=100)) == []


def test_a_message_is_not_claimed_before_it_is_due(store: SqlStore) -> None:
    later, _ = create(store, new_message("later", now=NOW + 5_000))
    assert done(store.submit_claim_due(worker="w1", now=NOW, lease_ms=LEASE, limit=10)) == []
    assert claim_one(store, now=NOW + 5_000).id == later.id


def test_a_retry_waits_for_its_next_attempt_at(store: SqlStore) -> None:
    row, _ = create(store, new_message())
    claimed = claim_one(store)
    retry_at = NOW + 2_000
    assert done(
        store.submit_record_attempt(
            claimed,
            worker="w1",
            now=NOW,
            status="queued",
            parts_sent=0,
            new_gateway_ids=(),
            reason="throttled",
            next_attempt_at=retry_at,
        )
    )
    assert (
        done(store.submit_claim_due(worker="w2", now=retry_at - 1, lease_ms=LEASE, limit=10)) == []
    )
    again = claim_one(store, worker="w2", now=retry_at)
    assert (again.id, again.attempts, again.reason) == (row.id, 1, "throttled")


def test_a_claimed_message_is_claimable_again_once_its_lease_runs_out(store: SqlStore) -> None:
    row, _ = create(store, new_message())
    done(store.submit_claim_due(worker="a", now=NOW, lease_ms=1_000, limit=10))
    assert done(store.submit_claim_due(worker="b", now=NOW + 999, lease_ms=LEASE, limit=10)) == []
    assert done(store.submit_claim_due(worker="b", now=NOW + 1_000, lease_ms=LEASE, limit=10)) == []
    assert claim_one(store, worker="b", now=NOW + 1_001).id == row.id


def test_a_claim_that_ran_out_leaves_the_message_unconfirmed_by_its_worker(
    store: SqlStore,
) -> None:
    row, _ = create(store, new_message())
    claim_one(store, worker="a")
    taken = claim_one(store, worker="b", now=NOW + LEASE + 1)
    assert (taken.unconfirmed_by, taken.unconfirmed_at) == ("a", NOW + LEASE + 1)
    # Given back untouched it stays unconfirmed, and is claimed again when told.
    assert done(store.submit_release_claim(taken, worker="b", next_attempt_at=NOW + LEASE + 100))
    assert (
        done(store.submit_claim_due(worker="c", now=NOW + LEASE + 99, lease_ms=LEASE, limit=10))
        == []
    )
    again = claim_one(store, worker="c", now=NOW + LEASE + 100)
    assert (again.id, again.unconfirmed_by, again.attempts) == (row.id, "a", 0)


def test_the_worker_whose_claim_ran_out_still_records_what_it_sent(store: SqlStore) -> None:
    """It sent the message: its late record settles the doubt, and the claimer that found the
    message unconfirmed can no longer record anything (it must not send it again)."""
    row, _ = create(store, new_message())
    stale = claim_one(store, worker="a")
    fresh = claim_one(store, worker="b", now=NOW + LEASE + 1)
    assert done(
        store.submit_record_attempt(
            stale, worker="a", now=NOW, status="submitted", parts_sent=1, new_gateway_ids=("g-a",)
        )
    )
    assert not done(
        store.submit_record_attempt(
            fresh, worker="b", now=NOW, status="submitted", parts_sent=1, new_gateway_ids=("g-b",)
        )
    )
    settled = store.get_message("acme", "agent-1", row.id)
    assert settled is not None
    assert (settled.status, settled.gateway_ids, settled.unconfirmed_by) == (
        "submitted",
        ("g-a",),
        None,
    )
    assert count(store, gateway_refs) == 1
    assert statuses_of_events(store, row) == ["queued", "submitted"]


def test_a_worker_that_lost_its_claim_to_a_settled_message_cannot_record(store: SqlStore) -> None:
    row, _ = create(store, new_message())
    stale = claim_one(store, worker="a")
    fresh = claim_one(store, worker="b", now=NOW + LEASE + 1)
    assert done(
        store.submit_record_attempt(
            fresh, worker="b", now=NOW, status="failed", parts_sent=0, new_gateway_ids=()
        )
    )
    assert not done(
        store.submit_record_attempt(
            stale, worker="a", now=NOW, status="submitted", parts_sent=1, new_gateway_ids=("g-a",)
        )
    )
    assert status_of(store, row) == "failed"
    assert count(store, gateway_refs) == 0


def test_receipts_seen_names_the_gateway_ids_a_receipt_or_a_record_named(
    store: SqlStore,
) -> None:
    submitted(store, "k1", ids=("g-1",))
    assert receipt(store, "early-1", "enroute") is None  # a placeholder: no message yet
    assert store.receipts_seen("smsc", ["g-1", "early-1", "never"]) == {"g-1", "early-1"}
    assert store.receipts_seen("other", ["g-1"]) == set()


# -- receipts -------------------------------------------------------------------------------


def test_a_message_is_delivered_only_when_every_part_is(store: SqlStore) -> None:
    message = submitted(store, "k", segments=3, ids=("g-0", "g-1", "g-2"))
    assert receipt(store, "g-0", "delivered").status == "submitted"
    assert receipt(store, "g-2", "delivered").status == "submitted"
    assert receipt(store, "g-1", "delivered").status == "delivered"
    assert status_of(store, message) == "delivered"
    assert statuses_of_events(store, message) == ["queued", "submitted", "delivered"]


def test_one_undelivered_part_makes_the_message_undelivered_with_its_reason(
    store: SqlStore,
) -> None:
    message = submitted(store, "k", segments=2, ids=("g-0", "g-1"))
    receipt(store, "g-0", "delivered")
    answer = receipt(store, "g-1", "undelivered", "UNDELIV")
    assert (answer.status, answer.reason) == ("undelivered", "UNDELIV")
    assert status_of(store, message) == "undelivered"


def test_one_failed_part_fails_the_message_before_the_others_report(store: SqlStore) -> None:
    message = submitted(store, "k", segments=3, ids=("g-0", "g-1", "g-2"))
    assert receipt(store, "g-1", "failed", "REJECTD").status == "failed"
    assert receipt(store, "g-0", "delivered").status == "failed"
    assert statuses_of_events(store, message) == ["queued", "submitted", "failed"]


def test_one_receipt_for_a_whole_message_id_covers_every_part(store: SqlStore) -> None:
    message = submitted(store, "k", segments=3, ids=("SM-whole",))
    assert receipt(store, "SM-whole", "delivered").status == "delivered"
    assert status_of(store, message) == "delivered"


def test_a_message_with_parts_never_sent_is_not_delivered(store: SqlStore) -> None:
    message = submitted(store, "k", segments=3, ids=("g-0", "g-1"), parts_sent=2)
    receipt(store, "g-0", "delivered")
    receipt(store, "g-1", "delivered")
    assert status_of(store, message) == "submitted"


def test_an_enroute_receipt_changes_nothing(store: SqlStore) -> None:
    message = submitted(store, "k")
    assert receipt(store, "g-1", "enroute").status == "submitted"
    assert statuses_of_events(store, message) == ["queued", "submitted"]


def test_duplicate_receipts_change_nothing_and_add_no_event(store: SqlStore) -> None:
    message = submitted(store, "k", segments=2, ids=("g-0", "g-1"))
    for _ in range(3):
        receipt(store, "g-0", "delivered")
    assert status_of(store, message) == "submitted"
    receipt(store, "g-1", "delivered")
    receipt(store, "g-1", "delivered")
    assert statuses_of_events(store, message) == ["queued", "submitted", "delivered"]


def test_receipts_after_a_final_status_never_move_it(store: SqlStore) -> None:
    delivered = submitted(store, "d")
    receipt(store, "g-1", "delivered")
    for late in ("enroute", "undelivered", "failed", "expired"):
        assert receipt(store, "g-1", late).status == "delivered"
    assert statuses_of_events(store, delivered) == ["queued", "submitted", "delivered"]

    undelivered = submitted(store, "u", ids=("g-2",))
    receipt(store, "g-2", "undelivered", "UNDELIV")
    answer = receipt(store, "g-2", "delivered")
    assert (answer.status, answer.reason) == ("undelivered", "UNDELIV")
    assert statuses_of_events(store, undelivered) == ["queued", "submitted", "undelivered"]


def test_a_receipt_for_an_unknown_gateway_id_returns_none(store: SqlStore) -> None:
    submitted(store, "k", ids=("g-1",))
    assert receipt(store, "nobody-knows", "delivered") is None
    other_gateway = done(
        store.submit_apply_receipt(
            gateway="kannel", gateway_id="g-1", status="delivered", reason=None, now=NOW
        )
    )
    assert other_gateway is None


def test_a_receipt_that_outruns_the_submission_record_is_applied_when_it_arrives(
    store: SqlStore,
) -> None:
    row, _ = create(store, new_message())
    claimed = claim_one(store)
    assert receipt(store, "fast-1", "delivered") is None
    assert done(
        store.submit_record_attempt(
            claimed,
            worker="w1",
            now=NOW,
            status="submitted",
            parts_sent=1,
            new_gateway_ids=("fast-1",),
        )
    )
    assert status_of(store, row) == "delivered"
    assert statuses_of_events(store, row) == ["queued", "submitted", "delivered"]
    with store.engine.connect() as conn:  # no placeholder is left waiting
        waiting = conn.execute(
            select(func.count())
            .select_from(gateway_refs)
            .where(gateway_refs.c.message_id.is_(None))
        ).scalar_one()
    assert waiting == 0


# -- events ---------------------------------------------------------------------------------


def test_events_after_returns_an_agents_events_in_order_and_never_another_agents(
    store: SqlStore,
) -> None:
    first, _ = create(store, new_message("1", agent="a"))
    create(store, new_message("2", agent="b"))
    create(store, new_message("3", agent="a", tenant="other"))
    second, _ = create(store, new_message("4", agent="a"))
    claimed = done(store.submit_claim_due(worker="w", now=NOW, lease_ms=LEASE, limit=10))
    for message in sorted(claimed, key=lambda m: (m.tenant, m.agent, m.id)):
        done(
            store.submit_record_attempt(
                message, worker="w", now=NOW, status="submitted", parts_sent=1, new_gateway_ids=()
            )
        )

    mine = store.events_after("acme", "a", 0)
    assert [(e.message_id, e.status) for e in mine if e.status == "queued"] == [
        (first.id, "queued"),
        (second.id, "queued"),
    ]
    assert {e.message_id for e in mine} == {first.id, second.id}
    assert [e.id for e in mine] == sorted(e.id for e in mine)
    assert len(mine) == 4
    assert store.events_after("acme", "a", mine[1].id) == mine[2:]
    assert store.events_after("acme", "a", 0, limit=3) == mine[:3]
    assert store.events_after("acme", "a", 0, upto=mine[2].id) == mine[:3]
    assert store.events_after("acme", "a", mine[-1].id) == []
    assert store.events_after("acme", "nobody", 0) == []
    theirs = store.events_after("acme", "b", 0) + store.events_after("other", "a", 0)
    assert not {e.id for e in theirs} & {e.id for e in mine}


def test_events_since_returns_everybodys_events_in_id_order(store: SqlStore) -> None:
    assert store.max_event_id() == 0
    create(store, new_message("1", agent="a"))
    create(store, new_message("2", agent="b", tenant="other"))
    create(store, new_message("3", agent="a"))
    found = store.events_since(0, 10)
    assert [(f.tenant, f.agent, f.event.status) for f in found] == [
        ("acme", "a", "queued"),
        ("other", "b", "queued"),
        ("acme", "a", "queued"),
    ]
    ids = [f.event.id for f in found]
    assert ids == sorted(ids)
    assert store.max_event_id() == ids[-1]
    assert store.events_since(ids[0], 1) == found[1:2]
    assert store.events_since(ids[-1], 10) == []


# -- drafts ---------------------------------------------------------------------------------


def test_a_draft_is_created_listed_read_and_deleted(store: SqlStore) -> None:
    older = store.create_draft("acme", "a", '{"text": "one"}', NOW)
    newer = store.create_draft("acme", "a", '{"text": "two"}', NOW + 10)
    assert (older.version, older.body) == (1, '{"text": "one"}')
    assert [d.id for d in store.list_drafts("acme", "a")] == [newer.id, older.id]
    assert store.get_draft("acme", "a", older.id) == older
    assert store.delete_draft("acme", "a", older.id)
    assert store.get_draft("acme", "a", older.id) is None
    assert not store.delete_draft("acme", "a", older.id)
    assert [d.id for d in store.list_drafts("acme", "a")] == [newer.id]


def test_a_draft_update_must_name_the_current_version(store: SqlStore) -> None:
    draft = store.create_draft("acme", "a", "v1", NOW)
    second = store.update_draft("acme", "a", draft.id, "v2", 1, NOW + 1)
    assert second == type(draft)(draft.id, "v2", 2, NOW, NOW + 1)
    assert store.update_draft("acme", "a", draft.id, "stale", 1, NOW + 2) is False
    assert store.get_draft("acme", "a", draft.id) == second
    unconditional = store.update_draft("acme", "a", draft.id, "v3", None, NOW + 3)
    assert unconditional and not isinstance(unconditional, bool)
    assert unconditional.version == 3
    assert store.update_draft("acme", "a", "drf_missing", "x", None, NOW) is None


def test_an_agent_can_neither_see_nor_change_another_agents_drafts(store: SqlStore) -> None:
    draft = store.create_draft("acme", "a", "mine", NOW)
    for tenant, agent in (("acme", "b"), ("other", "a")):
        assert store.list_drafts(tenant, agent) == []
        assert store.get_draft(tenant, agent, draft.id) is None
        assert store.update_draft(tenant, agent, draft.id, "theirs", None, NOW) is None
        assert not store.delete_draft(tenant, agent, draft.id)
    assert store.get_draft("acme", "a", draft.id) == draft


# -- several relays on one database: their transactions overlap ------------------------------
#
# Two relays are two stores, each with its own writer thread and connections. A CommitGate
# holds their write transactions at COMMIT until both got there (bounded), so each does all its
# work before it sees the other's: the worst interleaving two busy relays can produce. Where
# the store orders them (a row lock, a primary key), one side waits before its commit and the
# gate lets the other commit after its timeout.


class CommitGate:
    def __init__(self, stores: list[SqlStore], parties: int = 2, timeout: float = 1.0) -> None:
        self.stores = stores
        self.timeout = timeout
        self.barrier = threading.Barrier(parties)

    def _hold(self, _conn: Any) -> None:
        with contextlib.suppress(threading.BrokenBarrierError):
            self.barrier.wait(timeout=self.timeout)

    def held(self) -> int:
        return self.barrier.n_waiting

    def __enter__(self) -> CommitGate:
        for store in self.stores:
            event.listen(store.engine, "commit", self._hold)
        return self

    def __exit__(self, *_exc: object) -> None:
        for store in self.stores:
            event.remove(store.engine, "commit", self._hold)


def wait_for(condition: Callable[[], bool], timeout: float = 10.0) -> None:
    assert wait_until(condition, timeout, interval=0.005), "timed out"


def test_two_relays_taking_the_receipts_of_two_parts_at_once_deliver_the_message(
    store: SqlStore, open_store: Callable[[], SqlStore]
) -> None:
    message = submitted(store, "k", segments=2, ids=("g-0", "g-1"))
    other = open_store()
    with CommitGate([store, other]), ThreadPoolExecutor(2) as pool:
        jobs = [
            pool.submit(receipt, relay, gid, "delivered")
            for relay, gid in ((store, "g-0"), (other, "g-1"))
        ]
        for job in jobs:
            job.result(timeout=30)
    assert status_of(store, message) == "delivered"
    assert statuses_of_events(store, message) == ["queued", "submitted", "delivered"]


def test_a_receipt_reaching_one_relay_while_another_records_the_submission_is_not_lost(
    store: SqlStore, open_store: Callable[[], SqlStore]
) -> None:
    row, _ = create(store, new_message())
    claimed = claim_one(store)
    other = open_store()
    with CommitGate([store, other]) as gate, ThreadPoolExecutor(2) as pool:
        # The writer thread records it (and waits at the gate); this one goes on.
        recording = store.submit_record_attempt(
            claimed,
            worker="w1",
            now=NOW,
            status="submitted",
            parts_sent=1,
            new_gateway_ids=("g-1",),
        )
        wait_for(lambda: gate.held() == 1)  # recorded, not yet committed
        receiving = pool.submit(receipt, other, "g-1", "delivered")
        assert recording.result(timeout=30)
        receiving.result(timeout=30)
    assert status_of(store, row) == "delivered"
    assert statuses_of_events(store, row) == ["queued", "submitted", "delivered"]


def test_a_submission_recorded_while_another_relay_keeps_its_early_receipt_is_delivered(
    store: SqlStore, open_store: Callable[[], SqlStore]
) -> None:
    row, _ = create(store, new_message())
    claimed = claim_one(store)
    other = open_store()
    with CommitGate([store, other]) as gate, ThreadPoolExecutor(2) as pool:
        receiving = pool.submit(receipt, other, "g-1", "delivered")
        wait_for(lambda: gate.held() == 1)  # the early receipt is kept, not yet committed
        recording = store.submit_record_attempt(
            claimed,
            worker="w1",
            now=NOW,
            status="submitted",
            parts_sent=1,
            new_gateway_ids=("g-1",),
        )
        assert receiving.result(timeout=30) is None
        assert recording.result(timeout=30)
    assert status_of(store, row) == "delivered"
    assert statuses_of_events(store, row) == ["queued", "submitted", "delivered"]


def test_two_relays_resolving_unreported_messages_at_once_resolve_each_once(
    store: SqlStore, open_store: Callable[[], SqlStore]
) -> None:
    messages_ = [submitted(store, f"k{i}", ids=(f"g-{i}",)) for i in range(20)]
    other = open_store()

    def resolve(relay: SqlStore) -> list[MessageRow]:
        return done(
            relay.submit_resolve_unreported(
                now=NOW + 1, reason="no delivery report", reason_code="no_receipt", limit=15
            )
        )

    with ThreadPoolExecutor(2) as pool:
        first, second = (
            job.result(timeout=30) for job in [pool.submit(resolve, r) for r in (store, other)]
        )
    resolved = [row.id for row in (*first, *second)]
    # Each batch takes at most 15; what one relay resolved the other did not touch again.
    assert len(resolved) == len(set(resolved)) and len(resolved) <= 20
    resolved += [row.id for row in resolve(store)]
    assert sorted(resolved) == sorted(m.id for m in messages_)
    for message in messages_:
        assert statuses_of_events(store, message) == ["queued", "submitted", "unknown"]


# -- usage ----------------------------------------------------------------------------------


def test_usage_counts_a_message_on_the_utc_day_it_was_created_whatever_the_hour(
    store: SqlStore,
) -> None:
    # PostgreSQL once rounded created_at / 86,400,000 to the nearest day, so every message
    # written after noon UTC was billed on the next day.
    day = 1_700_006_400_000  # 2023-11-15 00:00:00 UTC
    hours = [0, 11.99, 12, 23.999]
    for n, hour in enumerate(hours):
        create(store, new_message(f"k{n}", now=day + int(hour * 3_600_000)))
    create(store, new_message("next", now=day + 86_400_000))
    rows = store.usage("acme", since=day - 86_400_000, until=day + 2 * 86_400_000, by=["day"])
    assert [(row.key, row.messages) for row in rows] == [
        ((day // 86_400_000,), len(hours)),
        ((day // 86_400_000 + 1,), 1),
    ]


# -- receipts that reach the writer together --------------------------------------------------


def test_receipts_the_writer_takes_together_end_as_each_would_alone(
    store: SqlStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    from smsrelay.storage import receipt_batch

    together: list[int] = []
    apply_together = receipt_batch._apply_together

    def counted(conn: Any, sql: Any, pairs: Any) -> Any:
        together.append(len(pairs))
        return apply_together(conn, sql, pairs)

    monkeypatch.setattr(receipt_batch, "_apply_together", counted)
    # (message key, segments), then the receipts as (message key, part, status, reason, code).
    messages_ = [("one", 1), ("two", 1), ("three", 1), ("four", 1), ("five", 2), ("six", 1)]
    receipts = [
        ("one", 0, "delivered", None, None),
        ("two", 0, "undelivered", "UNDELIV", "absent_subscriber"),
        ("three", 0, "enroute", None, None),  # changes nothing
        ("four", 0, "delivered", None, None),
        ("four", 0, "delivered", None, None),  # the same id twice: alone
        ("five", 0, "delivered", None, None),  # two parts of one message: alone
        ("five", 1, "delivered", None, None),
        ("six", 0, "failed", "REJECTD", "rejected"),
        ("nobody", 0, "delivered", None, None),  # no such id yet: a placeholder
    ]

    def gateway_id(run: str, key: str, part: int) -> str:
        return f"{run}-{key}-{part}"

    outcome: dict[str, Any] = {}
    for run in ("alone", "together"):
        rows = {
            key: submitted(
                store,
                f"{run}-{key}",
                segments=segments,
                ids=tuple(gateway_id(run, key, p) for p in range(segments)),
            )
            for key, segments in messages_
        }
        submit = [
            partial(
                store.submit_apply_receipt,
                gateway="smsc",
                gateway_id=gateway_id(run, key, part),
                status=status,
                reason=reason,
                reason_code=code,
                now=NOW + 1,
            )
            for key, part, status, reason, code in receipts
        ]
        if run == "alone":
            answers = [done(apply()) for apply in submit]
        else:
            gate = threading.Event()
            held = store._writes.submit(lambda _conn, gate=gate: gate.wait(30))  # writer waits
            futures = [apply() for apply in submit]
            gate.set()
            done(held)
            answers = [done(future) for future in futures]
        outcome[run] = (
            [None if a is None else (a.status, a.reason, a.reason_code) for a in answers],
            {key: statuses_of_events(store, row) for key, row in rows.items()},
            {key: (r.status, r.reason, r.reason_code) for key, r in _reread(store, rows).items()},
        )
    assert outcome["together"] == outcome["alone"]
    assert together == [4]  # one, two, three and six; the others alone
    assert outcome["alone"][2]["two"] == ("undelivered", "UNDELIV", "absent_subscriber")
    assert outcome["alone"][1]["five"] == ["queued", "submitted", "delivered"]


def _reread(store: SqlStore, rows: dict[str, MessageRow]) -> dict[str, MessageRow]:
    found = {key: store.get_message(r.tenant, r.agent, r.id) for key, r in rows.items()}
    assert all(row is not None for row in found.values())
    return found  # type: ignore[return-value]
