"""The storage contract for scheduled sends, on ``SqlStore`` (SQLite) and ``MemoryStore``
alike: a message stored to go out later waits ``scheduled`` until its time, and the agent can
cancel what waits and was never claimed — never what a relay took up to send.

(tests/integration/relay/test_scheduled_sends.py races cancels against claims on SQLite and
PostgreSQL.)"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from smsrelay.storage import MessageRow, NewMessage, SqlStore
from smsrelay.storage.memory import MemoryStore
from smsrelay.storage.ports import Store
from tests.support.storekit import (
    LEASE,
    NOW,
    claim,
    claim_one,
    create,
    done,
    new_message,
    record,
    status_of,
    statuses_of_events,
)

LATER = NOW + 3_600_000


@pytest.fixture(params=["sqlite", "memory"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    if request.param == "memory":
        yield MemoryStore()
        return
    sql = SqlStore(f"sqlite:///{tmp_path / 'relay.db'}")
    sql.create_schema()
    yield sql
    sql.close()


def scheduled(key: str = "later", at: int = LATER, held: bool = False) -> NewMessage:
    return replace(new_message(key), send_at=at, held=held)


def cancel(store: Store, row: MessageRow, agent: str = "agent-1") -> tuple[MessageRow, bool] | None:
    return done(store.submit_cancel(row.tenant, agent, row.id, NOW + 5))


def test_a_message_to_go_out_later_waits_scheduled_until_its_time(store: Store) -> None:
    row, _ = create(store, scheduled(held=True))
    assert (row.status, row.send_at, row.held) == ("scheduled", LATER, True)
    assert store.get_message("acme", "agent-1", row.id) == row
    assert statuses_of_events(store, row) == ["scheduled"]
    assert claim(store, now=LATER - 1) == []
    taken = claim_one(store, now=LATER)
    assert (taken.id, taken.status, taken.send_at) == (row.id, "scheduled", LATER)
    assert record(store, taken, now=LATER)
    assert statuses_of_events(store, row) == ["scheduled", "submitted"]


def test_a_message_to_go_out_at_once_is_queued_without_a_time(store: Store) -> None:
    row, _ = create(store, new_message())
    assert (row.status, row.send_at, row.held) == ("queued", None, False)


def test_only_an_agents_scheduled_messages_are_listed_by_status(store: Store) -> None:
    later, _ = create(store, scheduled("a"))
    create(store, new_message("b"))
    create(store, replace(new_message("c", agent="agent-2"), send_at=LATER))
    assert store.list_messages("acme", "agent-1", limit=10, status="scheduled") == [later]
    assert len(store.list_messages("acme", "agent-1", limit=10)) == 2


def test_what_waits_unclaimed_is_cancelled_once_with_its_event(store: Store) -> None:
    later, _ = create(store, scheduled("a"))
    now, _ = create(store, new_message("b"))
    for row in (later, now):
        cancelled = cancel(store, row)
        assert cancelled is not None
        found, changed = cancelled
        assert changed and (found.id, found.status, found.updated_at) == (
            row.id,
            "cancelled",
            NOW + 5,
        )
        again = cancel(store, row)
        assert again is not None and again[1] is False and again[0].status == "cancelled"
        assert statuses_of_events(store, row)[-1] == "cancelled"
        assert statuses_of_events(store, row).count("cancelled") == 1
    # A cancelled message is never claimed, however late it is.
    assert claim(store, now=LATER + 1) == []


def test_what_a_relay_claimed_is_not_cancelled_nor_after_its_claim_ran_out(store: Store) -> None:
    row, _ = create(store, scheduled())
    claim_one(store, worker="w1", now=LATER)
    for _ in range(2):  # claimed; then its lease ran out (the relay died mid-send)
        refused = cancel(store, row)
        assert refused is not None and refused[1] is False and refused[0].status == "scheduled"
    # Another relay finds it unconfirmed and gives it back to wait for receipts: it may have
    # gone out, so it still cannot be cancelled.
    retaken = claim_one(store, worker="w2", now=LATER + LEASE + 1)
    assert retaken.unconfirmed_by == "w1"
    assert done(store.submit_release_claim(retaken, worker="w2", next_attempt_at=LATER + 10**6))
    refused = cancel(store, row)
    assert refused is not None and refused[1] is False
    assert status_of(store, row) == "scheduled"


def test_a_message_given_back_untouched_or_retried_unsent_can_still_be_cancelled(
    store: Store,
) -> None:
    row, _ = create(store, new_message())
    taken = claim_one(store)
    assert done(store.submit_release_claim(taken, worker="w1", next_attempt_at=NOW + 1000))
    found = cancel(store, row)
    assert found is not None and found[1] is True
    retried, _ = create(store, new_message("k2"))
    assert record(store, claim_one(store), status="queued", parts_sent=0, next_attempt_at=NOW + 9)
    found = cancel(store, retried)
    assert found is not None and found[1] is True


def test_a_sent_message_or_one_with_parts_out_is_not_cancelled(store: Store) -> None:
    sent, _ = create(store, new_message("k1"))
    assert record(store, claim_one(store))
    found = cancel(store, sent)
    assert found is not None and found[1] is False and found[0].status == "submitted"
    half, _ = create(store, new_message("k2", segments=2))
    taken = claim_one(store)
    assert record(store, taken, status="queued", parts_sent=1, new_gateway_ids=("g-1",))
    found = cancel(store, half)
    assert found is not None and found[1] is False and found[0].status == "queued"
    for row in (sent, half):
        assert "cancelled" not in statuses_of_events(store, row)


def test_nobody_cancels_another_agents_message(store: Store) -> None:
    row, _ = create(store, scheduled())
    assert cancel(store, row, agent="agent-2") is None
    assert done(store.submit_cancel("other", "agent-1", row.id, NOW)) is None
    assert done(store.submit_cancel("acme", "agent-1", "msg_nope", NOW)) is None
    assert status_of(store, row) == "scheduled"
