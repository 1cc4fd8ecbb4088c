"""The storage contract: what the ports promise, run against ``SqlStore`` on SQLite and
against ``MemoryStore``, so the fake that the fast tests use answers as the real store does.

(``tests/integration/relay/test_store.py`` runs the SQL adapter on SQLite and PostgreSQL, also
where several relays meet on one database.)
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from smsrelay.ratelimit import RateLimits
from smsrelay.storage import OPTED_OUT, MessageRow, OptOut, RateLimited, Recorded, SqlStore
from smsrelay.storage.memory import MemoryStore
from smsrelay.storage.ports import Store
from tests.support.storekit import (
    LEASE,
    NOW,
    claim,
    claim_one,
    create,
    done,
    events_of,
    new_message,
    receipt,
    record,
    status_of,
    statuses_of_events,
    submitted,
)

OTHER_NUMBER = "+4915199999999"


@pytest.fixture(params=["sqlite", "memory"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    if request.param == "memory":
        yield MemoryStore()
        return
    sql = SqlStore(f"sqlite:///{tmp_path / 'relay.db'}")
    sql.create_schema()
    yield sql
    sql.close()


# -- messages -------------------------------------------------------------------------------


def test_a_new_message_is_stored_queued_with_its_first_event(store: Store) -> None:
    row = done(store.insert_message(new_message(segments=2)))
    assert isinstance(row, MessageRow)
    assert (row.status, row.attempts, row.parts_sent, row.gateway_ids) == ("queued", 0, 0, ())
    assert row.parts == new_message(segments=2).parts and 0 <= row.concat_ref < 256
    assert store.get_message("acme", "agent-1", row.id) == row
    assert store.find_by_key("acme", "agent-1", "key-1") == row
    assert store.get_message("acme", "agent-2", row.id) is None
    assert store.get_message("other", "agent-1", row.id) is None
    assert statuses_of_events(store, row) == ["queued"]


def test_a_taken_idempotency_key_stores_nothing_and_finds_the_first_message(
    store: Store,
) -> None:
    first, _ = create(store, new_message("k", text="first"))
    assert done(store.insert_message(new_message("k", text="second"))) is None
    assert store.find_by_key("acme", "agent-1", "k") == first
    assert store.list_messages("acme", "agent-1", limit=10) == [first]
    assert statuses_of_events(store, first) == ["queued"]
    theirs, created = create(store, new_message("k", agent="agent-2"))
    assert created and theirs.id != first.id


def test_a_number_on_its_tenants_opt_out_list_is_not_stored(store: Store) -> None:
    assert store.optouts.add("acme", OTHER_NUMBER, "cli", NOW)
    stopped = new_message("stopped", to_number=OTHER_NUMBER)
    assert done(store.insert_message(stopped)) is OPTED_OUT
    assert store.find_by_key("acme", "agent-1", "stopped") is None
    elsewhere, created = create(store, new_message("k", tenant="other", to_number=OTHER_NUMBER))
    assert created and elsewhere.to_number == OTHER_NUMBER
    assert store.optouts.remove("acme", OTHER_NUMBER)
    assert isinstance(done(store.insert_message(stopped)), MessageRow)


def test_rate_limits_count_stored_messages_per_agent_and_tenant_for_a_minute(
    store: Store,
) -> None:
    limits = RateLimits(per_agent=2, per_tenant=3)

    def send(key: str, agent: str, now: int) -> object:
        return done(store.insert_message(new_message(key, agent=agent, now=now, limits=limits)))

    assert isinstance(send("a1", "agent-1", NOW), MessageRow)
    # A replay of a stored key is no new message (None: the key is taken), and not counted.
    assert send("a1", "agent-1", NOW + 5_000) is None
    assert isinstance(send("a2", "agent-1", NOW + 10_000), MessageRow)
    # The agent's third within the minute: nothing stored, and it fits when the first left.
    third = send("a3", "agent-1", NOW + 20_000)
    assert isinstance(third, RateLimited) and 39_000 < third.retry_after_ms <= 40_000
    assert store.find_by_key("acme", "agent-1", "a3") is None
    assert isinstance(send("b1", "agent-2", NOW + 20_000), MessageRow)
    # The tenant's fourth: full until the tenant's first left the window.
    fourth = send("b2", "agent-2", NOW + 30_000)
    assert isinstance(fourth, RateLimited) and 29_000 < fourth.retry_after_ms <= 30_000
    assert isinstance(send("a4", "agent-1", NOW + 60_000), MessageRow)
    # Another tenant has its own counts; a message without limits is not counted.
    other = new_message("o1", tenant="other", now=NOW + 30_000, limits=limits)
    assert isinstance(done(store.insert_message(other)), MessageRow)
    assert isinstance(done(store.insert_message(new_message("free", now=NOW + 30_000))), MessageRow)


def test_an_agents_history_is_newest_first_in_pages(store: Store) -> None:
    rows = [create(store, new_message(f"k{n}", now=NOW + n))[0] for n in range(5)]
    create(store, new_message("theirs", agent="agent-2"))
    newest_first = rows[::-1]
    assert store.list_messages("acme", "agent-1", limit=10) == newest_first
    assert store.list_messages("acme", "agent-1", limit=2) == newest_first[:2]
    page = store.list_messages("acme", "agent-1", limit=2, before=newest_first[1].id)
    assert page == newest_first[2:4]
    assert store.list_messages("acme", "nobody", limit=10) == []


# -- claims ---------------------------------------------------------------------------------


def test_due_messages_are_claimed_oldest_first_up_to_the_limit_and_once(store: Store) -> None:
    rows = [create(store, new_message(f"k{n}", now=NOW - 10 + n))[0] for n in range(3)]
    later, _ = create(store, new_message("later", now=NOW + 5_000))
    first_two = claim(store, "a", limit=2)
    assert [m.id for m in first_two] == [r.id for r in rows[:2]]
    assert [m.id for m in claim(store, "b")] == [rows[2].id]
    assert claim(store, "c") == []
    assert [m.id for m in claim(store, "c", now=NOW + 5_000)] == [later.id]


def test_a_claim_that_ran_out_leaves_the_message_unconfirmed_by_its_worker(
    store: Store,
) -> None:
    row, _ = create(store, new_message())
    claim_one(store, worker="a")
    assert claim(store, "b", now=NOW + LEASE) == []
    taken = claim_one(store, worker="b", now=NOW + LEASE + 1)
    assert (taken.id, taken.unconfirmed_by, taken.unconfirmed_at) == (row.id, "a", NOW + LEASE + 1)
    assert done(store.submit_release_claim(taken, worker="b", next_attempt_at=NOW + LEASE + 100))
    assert not done(store.submit_release_claim(taken, worker="b", next_attempt_at=NOW))
    assert claim(store, "c", now=NOW + LEASE + 99) == []
    again = claim_one(store, worker="c", now=NOW + LEASE + 100)
    assert (again.id, again.unconfirmed_by, again.attempts) == (row.id, "a", 0)


def test_renewed_leases_keep_a_claim_and_only_its_workers(store: Store) -> None:
    row, _ = create(store, new_message())
    claim_one(store, worker="a")
    done(store.submit_renew_claims("b", [row.id], NOW + 10 * LEASE))  # not b's: no effect
    done(store.submit_renew_claims("a", [row.id], NOW + 2 * LEASE))
    done(store.submit_renew_claims("a", [], NOW))
    assert claim(store, "b", now=NOW + LEASE + 1) == []
    assert claim_one(store, worker="b", now=NOW + 2 * LEASE + 1).unconfirmed_by == "a"


def test_a_retry_waits_for_its_next_attempt_at(store: Store) -> None:
    row, _ = create(store, new_message())
    retry_at = NOW + 2_000
    assert record(
        store, claim_one(store), status="queued", parts_sent=0, reason="throttled",
        next_attempt_at=retry_at,
    )  # fmt: skip
    assert claim(store, "w2", now=retry_at - 1) == []
    again = claim_one(store, worker="w2", now=retry_at)
    assert (again.id, again.attempts, again.reason, again.status) == (
        row.id,
        1,
        "throttled",
        "queued",
    )
    assert statuses_of_events(store, row) == ["queued"]  # no change, no event


def test_only_the_claims_worker_records_and_the_one_whose_claim_ran_out_still_may(
    store: Store,
) -> None:
    row, _ = create(store, new_message())
    stale = claim_one(store, worker="a")
    fresh = claim_one(store, worker="b", now=NOW + LEASE + 1)
    assert not record(store, stale, worker="c")
    assert record(store, stale, worker="a", new_gateway_ids=("g-a",))
    assert not record(store, fresh, worker="b", new_gateway_ids=("g-b",))
    settled = store.get_message("acme", "agent-1", row.id)
    assert settled is not None
    assert (settled.status, settled.gateway_ids, settled.unconfirmed_by, settled.attempts) == (
        "submitted", ("g-a",), None, 1,
    )  # fmt: skip
    assert statuses_of_events(store, row) == ["queued", "submitted"]
    assert store.receipts_seen("smsc", ["g-a", "g-b"]) == {"g-a"}


def test_a_claimed_message_whose_number_opted_out_since_comes_back_marked(store: Store) -> None:
    create(store, new_message("stopped", to_number=OTHER_NUMBER))
    create(store, new_message("fine", now=NOW + 1))
    store.optouts.add("acme", OTHER_NUMBER, "kannel:k", NOW)
    stopped, fine = claim(store, now=NOW + 1)
    assert (stopped.to_number, stopped.opted_out) == (OTHER_NUMBER, True)
    assert not fine.opted_out


# -- receipts -------------------------------------------------------------------------------


def test_a_message_is_delivered_only_when_every_part_is(store: Store) -> None:
    message = submitted(store, "k", segments=3, ids=("g-0", "g-1", "g-2"))
    assert receipt(store, "g-0", "delivered").status == "submitted"
    assert receipt(store, "g-2", "delivered").status == "submitted"
    delivered = receipt(store, "g-1", "delivered")
    assert (delivered.status, delivered.updated_at) == ("delivered", NOW + 1)
    assert statuses_of_events(store, message) == ["queued", "submitted", "delivered"]


def test_one_bad_part_decides_with_its_reason_and_a_final_status_never_moves(
    store: Store,
) -> None:
    message = submitted(store, "k", segments=3, ids=("g-0", "g-1", "g-2"))
    receipt(store, "g-0", "delivered")
    answer = receipt(store, "g-1", "undelivered", "UNDELIV")
    assert (answer.status, answer.reason) == ("undelivered", "UNDELIV")
    for late in ("delivered", "failed", "enroute"):
        assert receipt(store, "g-2", late).status == "undelivered"
    assert status_of(store, message) == "undelivered"
    assert statuses_of_events(store, message) == ["queued", "submitted", "undelivered"]


def test_a_bad_parts_reason_code_becomes_the_messages_and_its_events(store: Store) -> None:
    message = submitted(store, "k", segments=2, ids=("g-0", "g-1"))
    receipt(store, "g-0", "delivered")
    answer = receipt(store, "g-1", "undelivered", "stat:UNDELIV err:027", "absent_subscriber")
    assert (answer.reason, answer.reason_code) == ("stat:UNDELIV err:027", "absent_subscriber")
    stored = store.get_message("acme", "agent-1", message.id)
    assert stored is not None and stored.reason_code == "absent_subscriber"
    assert events_of(store, message)[-1] == ("undelivered", "absent_subscriber")


def test_an_early_receipts_reason_code_is_kept_until_its_submission_is_recorded(
    store: Store,
) -> None:
    row, _ = create(store, new_message())
    claimed = claim_one(store)
    receipt(store, "g-1", "expired", "stat:EXPIRED", "expired")
    record(store, claimed, new_gateway_ids=("g-1",))
    assert events_of(store, row) == [("queued", None), ("submitted", None), ("expired", "expired")]


def test_an_attempts_reason_code_is_recorded_with_its_event(store: Store) -> None:
    row, _ = create(store, new_message())
    claimed = claim_one(store)
    assert record(
        store,
        claimed,
        status="failed",
        parts_sent=0,
        reason="HTTP 400: unknown number",
        reason_code="rejected",
    )
    stored = store.get_message("acme", "agent-1", row.id)
    assert stored is not None and (stored.status, stored.reason_code) == ("failed", "rejected")
    assert events_of(store, row)[-1] == ("failed", "rejected")


def resolve(store: Store, now: int, limit: int = 10) -> list[MessageRow]:
    return done(
        store.submit_resolve_unreported(
            now=now, reason="no delivery report", reason_code="no_receipt", limit=limit
        )
    )


def test_a_submitted_message_without_receipts_becomes_unknown_when_its_wait_is_over(
    store: Store,
) -> None:
    row, _ = create(store, new_message())
    record(store, claim_one(store), new_gateway_ids=("g-1",), next_attempt_at=NOW + 5_000)
    assert resolve(store, NOW + 4_999) == []
    (resolved,) = resolve(store, NOW + 5_000)
    assert (resolved.id, resolved.status, resolved.reason_code) == (row.id, "unknown", "no_receipt")
    assert resolve(store, NOW + 9_000) == []  # once
    assert events_of(store, row)[-1] == ("unknown", "no_receipt")
    # A report that comes after all still tells the truth.
    assert receipt(store, "g-1", "delivered").status == "delivered"
    assert statuses_of_events(store, row) == ["queued", "submitted", "unknown", "delivered"]


def test_only_submitted_messages_are_resolved_and_a_settled_one_is_left_alone(
    store: Store,
) -> None:
    settled = submitted(store, "settled", ids=("s-1",))
    receipt(store, "s-1", "delivered")
    waiting, _ = create(store, new_message("queued"))
    assert resolve(store, NOW + 10**9) == []
    assert (status_of(store, settled), status_of(store, waiting)) == ("delivered", "queued")


def settle_by_callback(store: Store, gateway_id: str, status: str, message_id: str) -> Any:
    return done(
        store.submit_apply_receipt(
            gateway="smsc",
            gateway_id=gateway_id,
            status=status,
            reason=None,
            now=NOW + 1,
            message_id=message_id,
        )
    )


def test_a_signed_receipt_naming_a_message_whose_send_ended_unknown_settles_it(
    store: Store,
) -> None:
    row, _ = create(store, new_message())
    # The gateway's answer (with its id) was lost: the attempt ended unknown, no id recorded.
    record(store, claim_one(store), status="unknown", parts_sent=0, reason_code="unconfirmed")
    settled = settle_by_callback(store, "SM-late", "delivered", row.id)
    assert settled is not None and (settled.id, settled.status) == (row.id, "delivered")
    assert statuses_of_events(store, row) == ["queued", "unknown", "delivered"]


def test_a_receipt_naming_a_message_in_flight_or_settled_is_only_kept(store: Store) -> None:
    waiting, _ = create(store, new_message("waiting"))
    claim_one(store)  # being sent: its own record will adopt the receipt
    assert settle_by_callback(store, "SM-early", "delivered", waiting.id) is None
    assert status_of(store, waiting) == "queued"
    sent = submitted(store, "sent", ids=("g-1",))
    assert settle_by_callback(store, "SM-other", "undelivered", sent.id) is None
    assert status_of(store, sent) == "submitted"


def test_failed_outranks_the_others_and_a_whole_message_id_covers_every_part(
    store: Store,
) -> None:
    failing = submitted(store, "f", segments=2, ids=("f-0", "f-1"))
    assert receipt(store, "f-1", "failed", "REJECTD").status == "failed"
    whole = submitted(store, "w", segments=3, ids=("SM-whole",))
    assert receipt(store, "SM-whole", "delivered").status == "delivered"
    assert (status_of(store, failing), status_of(store, whole)) == ("failed", "delivered")


def test_enroute_and_duplicate_receipts_change_nothing(store: Store) -> None:
    message = submitted(store, "k", segments=2, ids=("g-0", "g-1"))
    assert receipt(store, "g-0", "enroute").status == "submitted"
    for _ in range(3):
        assert receipt(store, "g-0", "delivered").status == "submitted"
    assert statuses_of_events(store, message) == ["queued", "submitted"]


def test_a_message_with_parts_never_sent_is_not_delivered(store: Store) -> None:
    message = submitted(store, "k", segments=3, ids=("g-0", "g-1"), parts_sent=2)
    receipt(store, "g-0", "delivered")
    receipt(store, "g-1", "delivered")
    assert status_of(store, message) == "submitted"


def test_a_receipt_before_its_submission_is_kept_and_counted_when_it_is_recorded(
    store: Store,
) -> None:
    row, _ = create(store, new_message(segments=2))
    claimed = claim_one(store)
    assert receipt(store, "fast-0", "enroute") is None
    assert receipt(store, "fast-0", "delivered") is None  # the better news is kept
    assert receipt(store, "fast-1", "delivered") is None
    assert store.receipts_seen("smsc", ["fast-0", "fast-1", "never"]) == {"fast-0", "fast-1"}
    assert store.receipts_seen("kannel", ["fast-0"]) == set()
    # The record answers the status the receipts left, for the relay to count and tell.
    assert record(store, claimed, new_gateway_ids=("fast-0", "fast-1")) == Recorded("delivered")
    assert status_of(store, row) == "delivered"
    assert statuses_of_events(store, row) == ["queued", "submitted", "delivered"]


def test_a_final_early_receipt_is_not_overwritten_before_its_submission(store: Store) -> None:
    row, _ = create(store, new_message())
    claimed = claim_one(store)
    receipt(store, "g-1", "undelivered", "UNDELIV")
    receipt(store, "g-1", "delivered")
    recorded = record(store, claimed, new_gateway_ids=("g-1",))
    assert recorded == Recorded("undelivered", "UNDELIV", None)
    settled = store.get_message("acme", "agent-1", row.id)
    assert settled is not None and (settled.status, settled.reason) == ("undelivered", "UNDELIV")


def test_a_receipt_for_an_unknown_gateway_id_gives_none(store: Store) -> None:
    submitted(store, "k", ids=("g-1",))
    assert receipt(store, "nobody-knows", "delivered") is None
    other = store.submit_apply_receipt(
        gateway="kannel", gateway_id="g-1", status="delivered", reason=None, now=NOW
    )
    assert done(other) is None


# -- events ---------------------------------------------------------------------------------


def test_events_come_in_id_order_per_agent_and_for_everybody(store: Store) -> None:
    assert store.max_event_id() == 0
    first, _ = create(store, new_message("1", agent="a"))
    create(store, new_message("2", agent="b"))
    create(store, new_message("3", agent="a", tenant="other"))
    second, _ = create(store, new_message("4", agent="a"))
    for message in claim(store):
        record(store, message)
    mine = store.events_after("acme", "a", 0)
    assert [(e.message_id, e.status) for e in mine[:2]] == [
        (first.id, "queued"),
        (second.id, "queued"),
    ]
    assert {(e.message_id, e.status) for e in mine[2:]} == {
        (first.id, "submitted"), (second.id, "submitted"),
    }  # fmt: skip
    assert [e.id for e in mine] == sorted(e.id for e in mine) and len(mine) == 4
    assert store.events_after("acme", "a", mine[1].id) == mine[2:]
    assert store.events_after("acme", "a", 0, limit=3) == mine[:3]
    assert store.events_after("acme", "a", 0, upto=mine[2].id) == mine[:3]
    assert store.events_after("acme", "nobody", 0) == []
    everybody = store.events_since(0, 100)
    assert len(everybody) == 8 and store.max_event_id() == everybody[-1].event.id
    assert [f.event for f in everybody if (f.tenant, f.agent) == ("acme", "a")] == mine
    assert store.events_since(everybody[2].event.id, 2) == everybody[3:5]


# -- drafts ---------------------------------------------------------------------------------


def test_drafts_are_versioned_listed_newest_first_and_per_agent(store: Store) -> None:
    older = store.create_draft("acme", "a", "one", NOW)
    newer = store.create_draft("acme", "a", "two", NOW + 10)
    assert (older.body, older.version, older.created_at, older.updated_at) == ("one", 1, NOW, NOW)
    assert store.list_drafts("acme", "a") == [newer, older]
    second = store.update_draft("acme", "a", older.id, "one'", 1, NOW + 20)
    assert second == type(older)(older.id, "one'", 2, NOW, NOW + 20)
    assert store.update_draft("acme", "a", older.id, "stale", 1, NOW + 30) is False
    assert store.get_draft("acme", "a", older.id) == second
    assert store.list_drafts("acme", "a") == [second, newer]
    for tenant, agent in (("acme", "b"), ("other", "a")):
        assert store.list_drafts(tenant, agent) == []
        assert store.get_draft(tenant, agent, older.id) is None
        assert store.update_draft(tenant, agent, older.id, "theirs", None, NOW) is None
        assert not store.delete_draft(tenant, agent, older.id)
    assert store.delete_draft("acme", "a", older.id)
    assert not store.delete_draft("acme", "a", older.id)
    assert store.update_draft("acme", "a", older.id, "gone", None, NOW) is None
    assert store.list_drafts("acme", "a") == [newer]


# -- opt-outs -------------------------------------------------------------------------------


def test_opt_outs_keep_the_first_entry_per_tenant_and_list_by_number(store: Store) -> None:
    optouts = store.optouts
    assert optouts.add("acme", "+4915122222222", "cli", NOW)
    assert optouts.add("acme", "+4915111111111", "kannel:k", NOW + 1)
    assert not optouts.add("acme", "+4915122222222", "twilio:t", NOW + 2)
    assert optouts.add("other", "+4915122222222", "cli", NOW + 3)
    assert optouts.get("acme", "+4915122222222") == OptOut("acme", "+4915122222222", "cli", NOW)
    assert [o.number for o in optouts.all("acme")] == ["+4915111111111", "+4915122222222"]
    assert optouts.remove("acme", "+4915122222222")
    assert not optouts.remove("acme", "+4915122222222")
    assert optouts.get("acme", "+4915122222222") is None
    assert optouts.get("other", "+4915122222222") is not None
    assert optouts.all("nobody") == []
