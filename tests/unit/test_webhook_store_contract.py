"""The webhooks' storage contract — the pump's cursor, deliveries in order per conversation,
claims, outcomes, the log, "redeliver", signing secrets, opt-out events — run against
``SqlStore`` on SQLite and against ``MemoryStore``, so both answer alike.

(``tests/integration/relay/test_webhooks.py`` runs the SQL adapter on PostgreSQL too.)
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from smsrelay.storage import SqlStore
from smsrelay.storage.memory import MemoryStore
from smsrelay.storage.ports import Store
from smsrelay.storage.tenants import NewRevision, TenantState
from smsrelay.storage.webhook_rows import (
    DELIVERED,
    FAILED,
    PENDING,
    ClaimFor,
    DeliveryOutcome,
    DeliveryRow,
    NewDelivery,
    WebhookCursor,
)
from tests.support.storekit import NOW, done

NUMBER = "+4915122222222"


@pytest.fixture(params=["sqlite", "memory"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    if request.param == "memory":
        yield MemoryStore()
        return
    sql = SqlStore(f"sqlite:///{tmp_path / 'relay.db'}")
    sql.create_schema()
    yield sql
    sql.close()


def delivery(
    n: int, *, ordering: str = "conv-a", endpoint: str = "crm", tenant: str = "acme"
) -> NewDelivery:
    return NewDelivery(
        tenant=tenant,
        endpoint=endpoint,
        event_id=f"evt_{n}",
        event_type="message.status",
        ordering=ordering,
        message_id=f"msg_{n}",
        interaction_id="call-7",
        payload=f'{{"id": "evt_{n}"}}',
        now=NOW + n,
    )


def add(store: Store, *news: NewDelivery) -> list[DeliveryRow]:
    cursor = store.webhooks.webhook_cursor()
    moved = WebhookCursor(cursor.position + len(news))
    assert done(store.webhooks.submit_advance(cursor, moved, news)) == []
    return store.webhooks.deliveries("acme", limit=len(news))[::-1]


def claim(store: Store, worker: str = "w1", now: int = NOW + 100, limit: int = 10) -> list[str]:
    rows = done(
        store.webhooks.submit_claim_deliveries(worker=worker, now=now, lease_ms=30_000, limit=limit)
    )
    return [row.event_id for row in rows]


def outcome(
    state: str, at: int = NOW + 200, status: int | None = 204, next_at: int | None = None
) -> DeliveryOutcome:
    return DeliveryOutcome(
        at=at,
        status=status,
        error=None if status == 204 else "HTTP 500",
        duration_ms=5,
        state=state,
        next_attempt_at=next_at,
    )


def record(store: Store, event_id: str, result: DeliveryOutcome, worker: str = "w1") -> bool:
    (row,) = [d for d in store.webhooks.deliveries("acme", limit=100) if d.event_id == event_id]
    return done(store.webhooks.submit_record_delivery(row, worker=worker, outcome=result))


# -- the cursor -------------------------------------------------------------------------------


def test_the_cursor_moves_once_from_one_place_and_creates_the_deliveries_with_it(
    store: Store,
) -> None:
    base = store.webhooks.webhook_cursor()
    assert base.position == 0 and base.holes == ()
    moved = WebhookCursor(5, ((3, NOW),))
    assert done(store.webhooks.submit_advance(base, moved, [delivery(1)])) == []
    # A second relay that read the same cursor loses, and writes nothing.
    assert done(store.webhooks.submit_advance(base, WebhookCursor(9), [delivery(2)])) is None
    now = store.webhooks.webhook_cursor()
    assert (now.position, now.holes) == (5, ((3, NOW),)) and now.version != base.version
    assert [d.event_id for d in store.webhooks.deliveries("acme")] == ["evt_1"]


def test_opting_out_and_in_writes_an_optout_event_with_the_number(store: Store) -> None:
    start = store.max_event_id()
    assert store.optouts.add("acme", NUMBER, "kannel:k", NOW)
    assert not store.optouts.add("acme", NUMBER, "cli", NOW + 1)  # no change, no event
    assert store.optouts.remove("acme", NUMBER, "twilio:t", NOW + 2)
    assert not store.optouts.remove("acme", NUMBER, "cli", NOW + 3)
    found = store.events_since(start, 10)
    assert [
        (e.tenant, e.event.kind, e.event.number, e.event.status, e.event.reason, e.event.at)
        for e in found
    ] == [
        ("acme", "optout", NUMBER, "opted_out", "kannel:k", NOW),
        ("acme", "optout", NUMBER, "opted_in", "twilio:t", NOW + 2),
    ]
    assert store.webhooks.events_with_ids([found[1].event.id, 10_000]) == [found[1]]


def test_a_pump_pass_claims_for_its_relay_what_may_go_at_once(store: Store) -> None:
    add(store, delivery(1))  # pending, not claimed
    cursor = store.webhooks.webhook_cursor()
    news = [delivery(2), delivery(3, ordering="conv-b"), delivery(4, ordering="conv-c")]
    room = ClaimFor("w1", NOW + 10, 30_000, limit=1)
    claimed = done(store.webhooks.submit_advance(cursor, WebhookCursor(9), news, room))
    # evt_2 waits behind evt_1; of the others only as many as the deliverer has room for.
    assert [(d.event_id, d.claimed_by) for d in claimed or []] == [("evt_3", "w1")]
    assert claim(store, "w2") == ["evt_1", "evt_4"]


# -- claims and order ---------------------------------------------------------------------------


def test_a_later_event_of_a_conversation_waits_while_an_earlier_one_is_pending(
    store: Store,
) -> None:
    add(
        store, delivery(1), delivery(2), delivery(3, ordering="conv-b"), delivery(4, endpoint="erp")
    )
    assert claim(store) == ["evt_1", "evt_3", "evt_4"]
    assert claim(store, "w2") == []  # claimed, or behind a pending one
    assert record(store, "evt_1", outcome(DELIVERED))
    assert claim(store, "w2") == ["evt_2"]


def test_a_failed_attempt_waits_for_its_next_time_and_keeps_the_conversation_waiting(
    store: Store,
) -> None:
    add(store, delivery(1), delivery(2))
    assert claim(store) == ["evt_1"]
    assert record(store, "evt_1", outcome(PENDING, status=500, next_at=NOW + 5_000))
    assert claim(store, now=NOW + 4_999) == []
    assert store.webhooks.next_delivery_at() == NOW + 5_000
    assert claim(store, now=NOW + 5_000) == ["evt_1"]
    assert record(store, "evt_1", outcome(FAILED, at=NOW + 6_000, status=500))
    assert claim(store, now=NOW + 6_000) == ["evt_2"]  # a failed one no longer holds them up
    first = store.webhooks.deliveries("acme", event_type="message.status")[-1]
    assert (first.state, first.attempts, first.last_status, first.last_error) == (
        FAILED,
        2,
        500,
        "HTTP 500",
    )
    attempts = store.webhooks.delivery_attempts(first.id)
    assert [(a.at, a.status) for a in attempts] == [(NOW + 200, 500), (NOW + 6_000, 500)]


def test_a_claim_runs_out_and_only_its_holder_records_a_failure_but_anyone_a_success(
    store: Store,
) -> None:
    add(store, delivery(1))
    assert claim(store, "w1", now=NOW + 1) == ["evt_1"]
    assert store.webhooks.next_delivery_at() == NOW + 30_001  # when the lease runs out
    assert claim(store, "w2", now=NOW + 30_001) == []
    assert claim(store, "w2", now=NOW + 30_002) == ["evt_1"]  # w1 died with it
    assert not record(store, "evt_1", outcome(PENDING, status=500, next_at=NOW + 40_000), "w1")
    assert record(store, "evt_1", outcome(DELIVERED), "w1")  # it did get through, after all
    assert not record(store, "evt_1", outcome(DELIVERED), "w2")
    (row,) = store.webhooks.deliveries("acme")
    assert (row.state, row.attempts, row.delivered_at) == (DELIVERED, 1, NOW + 200)
    assert len(store.webhooks.delivery_attempts(row.id)) == 3  # every attempt is logged
    assert store.webhooks.next_delivery_at() is None


# -- the log and redeliver ---------------------------------------------------------------------


def test_the_log_is_newest_first_per_tenant_filtered_and_paged(store: Store) -> None:
    add(store, delivery(1), delivery(2, endpoint="erp"), delivery(3), delivery(4, tenant="other"))
    log = store.webhooks.deliveries("acme")
    assert [d.event_id for d in log] == ["evt_3", "evt_2", "evt_1"]
    assert [d.event_id for d in store.webhooks.deliveries("acme", endpoint="erp")] == ["evt_2"]
    assert [d.event_id for d in store.webhooks.deliveries("acme", message_id="msg_3")] == ["evt_3"]
    assert store.webhooks.deliveries("acme", state=DELIVERED) == []
    page = store.webhooks.deliveries("acme", before=log[0].id, limit=1)
    assert [d.event_id for d in page] == ["evt_2"]
    assert store.webhooks.delivery("acme", log[0].id) == log[0]
    other = store.webhooks.deliveries("other")[0]
    assert store.webhooks.delivery("acme", other.id) is None


def test_redeliver_sends_the_same_event_again_behind_its_conversation(store: Store) -> None:
    first, second = add(store, delivery(1), delivery(2))
    assert claim(store) == ["evt_1"]
    assert record(store, "evt_1", outcome(DELIVERED))
    again = done(store.webhooks.submit_redeliver("acme", first.id, NOW + 500))
    assert again is not None and again.id > second.id
    assert (again.event_id, again.payload, again.redelivery_of) == (
        "evt_1",
        first.payload,
        first.id,
    )
    assert (again.state, again.attempts, again.window_start) == (PENDING, 0, NOW + 500)
    assert claim(store, now=NOW + 500) == ["evt_2"]  # the older pending one first
    assert done(store.webhooks.submit_redeliver("other", first.id, NOW)) is None
    assert store.webhooks.delivery("acme", first.id).state == DELIVERED  # type: ignore[union-attr]


# -- signing secrets ---------------------------------------------------------------------------


def test_webhook_secrets_are_saved_with_a_revision_and_kept_by_one_without(store: Store) -> None:
    def revision(base: int, webhook_secrets: dict[str, tuple[str, ...]] | None) -> None:
        store.save_revision(
            NewRevision(
                "acme",
                base,
                TenantState.ACTIVE,
                {},
                "t",
                None,
                NOW,
                webhook_secrets=webhook_secrets,
            )
        )

    revision(0, {"crm": ("whsec_new", "whsec_old"), "erp": ("whsec_e",)})
    assert store.webhook_secrets() == {
        "acme": {"crm": ("whsec_new", "whsec_old"), "erp": ("whsec_e",)}
    }
    revision(1, None)
    assert store.webhook_secrets()["acme"]["crm"] == ("whsec_new", "whsec_old")
    revision(2, {"crm": ("whsec_newer",)})
    assert store.webhook_secrets() == {"acme": {"crm": ("whsec_newer",)}}
    assert "whsec" not in str(store.current_tenants())
