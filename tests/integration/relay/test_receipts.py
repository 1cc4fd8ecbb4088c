"""Receipts against the store: early, duplicate, out of order, or about nothing we know."""

from __future__ import annotations

from pathlib import Path

import pytest

from smsrelay.storage import NewMessage, SqlStore
from tests.support.storekit import create, done


@pytest.fixture
def store(tmp_path: Path):
    store = SqlStore(f"sqlite:///{tmp_path / 'relay.db'}")
    store.create_schema()
    yield store
    store.close()


def submitted(store: SqlStore, segments: int, ids: tuple[str, ...]):
    new = NewMessage(
        id="msg_1", tenant="t", agent="a", idempotency_key="k", request_hash="h",
        queue_id="q", sender="ACME", sender_kind="alphanumeric", gateway="gw",
        to_number="+4915112345678", text="x" * segments, encoding="GSM_7BIT",
        units=segments, segments=segments, parts=tuple("x" * segments),
        locking=None, single=None, interaction_id=None, interaction_type=None,
        expires_at=None, now=1,
    )  # fmt: skip
    create(store, new)
    (claimed,) = done(store.submit_claim_due(worker="w", now=2, lease_ms=1000, limit=10))
    return claimed


def receipt(store: SqlStore, gateway_id: str, status: str):
    return done(
        store.submit_apply_receipt(
            gateway="gw", gateway_id=gateway_id, status=status, reason=None, now=5
        )
    )


def test_a_receipt_that_outruns_the_submission_record_is_applied_when_it_arrives(
    store: SqlStore,
) -> None:
    message = submitted(store, 2, ("p0", "p1"))
    assert receipt(store, "p0", "delivered") is None  # not recorded yet: kept, not lost
    assert receipt(store, "p1", "delivered") is None
    done(
        store.submit_record_attempt(
            message,
            worker="w",
            now=3,
            status="submitted",
            parts_sent=2,
            new_gateway_ids=("p0", "p1"),
        )
    )
    assert store.get_message("t", "a", "msg_1").status == "delivered"
    statuses = [e.status for e in store.events_after("t", "a", 0)]
    assert statuses == ["queued", "submitted", "delivered"]


def test_a_message_is_delivered_only_when_every_part_is(store: SqlStore) -> None:
    message = submitted(store, 3, ("p0", "p1", "p2"))
    done(store.submit_record_attempt(
        message, worker="w", now=3, status="submitted", parts_sent=3,
        new_gateway_ids=("p0", "p1", "p2"),
    ))  # fmt: skip
    assert receipt(store, "p0", "delivered").status == "submitted"
    assert receipt(store, "p1", "delivered").status == "submitted"
    assert receipt(store, "p2", "delivered").status == "delivered"


def test_duplicate_and_late_receipts_never_move_a_final_status_back(store: SqlStore) -> None:
    message = submitted(store, 1, ("p0",))
    done(
        store.submit_record_attempt(
            message, worker="w", now=3, status="submitted", parts_sent=1, new_gateway_ids=("p0",)
        )
    )
    assert receipt(store, "p0", "undelivered").status == "undelivered"
    assert receipt(store, "p0", "delivered").status == "undelivered"
    assert receipt(store, "p0", "enroute").status == "undelivered"
    assert [e.status for e in store.events_after("t", "a", 0)] == [
        "queued", "submitted", "undelivered",
    ]  # fmt: skip
