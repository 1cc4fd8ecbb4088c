"""MessageService on the in-memory store: accepting, replaying, refusing, and receipts — the
send path's rules in milliseconds, without a database or HTTP."""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from dataclasses import replace
from pathlib import Path
from typing import Any, TypeVar

import pytest

from smsrelay.auth import Agent
from smsrelay.errors import ApiError
from smsrelay.gateways.base import DeliveryReceipt, ReceiptStatus
from smsrelay.service import MessageService, SendRequest
from smsrelay.settings import RelaySettings, parse_settings
from smsrelay.storage import MessageRow
from smsrelay.storage.memory import MemoryStore
from tests.support.relaykit import relay_config
from tests.support.storekit import NOW, claim_one, record

T = TypeVar("T")

MOBILE = "+4915112345678"
AGENT = Agent(tenant="acme", id="agent-1", queues=None, expires_at=NOW // 1000 + 3600)


class Relay:
    """A service on a fresh in-memory store, with what it tells the rest of the relay."""

    def __init__(self, settings: RelaySettings) -> None:
        self.now = NOW
        self.store = MemoryStore()
        self.accepted = 0
        self.statuses: list[str] = []
        self.service = MessageService(
            settings,
            self.store,
            clock=lambda: self.now,
            on_accepted=self._on_accepted,
            on_status=lambda row: self.statuses.append(row.status),
        )

    def _on_accepted(self) -> None:
        self.accepted += 1

    def accept(
        self, key: str = "key-1", agent: Agent = AGENT, **request: Any
    ) -> tuple[MessageRow, bool]:
        fields = {"queue_id": "service", "sender": "ACME", "to": "0151 12345678", "text": "Hallo"}
        send = SendRequest(**{**fields, **request})
        return run(self.service.accept(agent, send, key))

    def refusal(self, key: str = "key-1", agent: Agent = AGENT, **request: Any) -> ApiError:
        with pytest.raises(ApiError) as refused:
            self.accept(key, agent, **request)
        return refused.value

    def receipt(self, gateway_id: str, status: ReceiptStatus) -> MessageRow | None:
        self.now += 1
        return run(self.service.apply_receipt(DeliveryReceipt("sandbox", gateway_id, status)))

    def stored(self) -> list[MessageRow]:
        return self.store.list_messages("acme", "agent-1", limit=100)


def run(work: Coroutine[Any, Any, T]) -> T:
    return asyncio.run(work)


@pytest.fixture
def relay(tmp_path: Path) -> Relay:
    return Relay(parse_settings(relay_config(), data_dir=tmp_path))


# -- accepting ------------------------------------------------------------------------------


def test_an_accepted_message_is_stored_queued_in_e164_and_wakes_the_dispatcher(
    relay: Relay,
) -> None:
    row, created = relay.accept(text="x" * 200)
    assert created
    assert (row.status, row.to_number, row.segments, row.gateway) == (
        "queued",
        MOBILE,
        2,
        "sandbox",
    )
    assert relay.stored() == [row]
    assert relay.accepted == 1
    answer = relay.service.answer(row, relay.service.tenant(AGENT))
    assert answer == {
        "id": row.id, "status": "queued", "encoding": "GSM_7BIT", "segments": 2, "units": 200,
        "cost": {"amount": 0.1, "currency": "EUR"}, "send_at": None, "held": False,
    }  # fmt: skip


def test_the_same_key_and_request_replay_the_stored_message(relay: Relay) -> None:
    first, _ = relay.accept()
    relay.now += 1000
    again, created = relay.accept()
    assert (again, created) == (first, False)
    assert relay.stored() == [first] and relay.accepted == 1


def test_the_same_key_for_another_message_is_a_conflict(relay: Relay) -> None:
    relay.accept(text="first")
    refused = relay.refusal(text="second")
    assert (refused.status, refused.code) == (409, "request.idempotency_conflict")
    assert [row.text for row in relay.stored()] == ["first"]


def test_a_replay_gets_its_answer_even_after_the_number_opted_out(relay: Relay) -> None:
    first, _ = relay.accept()
    relay.store.optouts.add("acme", MOBILE, "kannel:k", NOW)
    assert relay.accept() == (first, False)
    assert relay.refusal("key-2").code == "recipient.opted_out"


# -- refusing -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("agent", "request_fields", "status", "code", "field"),
    [
        (replace(AGENT, queues=("sales",)), {}, 403, "auth.queue_not_allowed", "queue_id"),
        (AGENT, {"queue_id": "sales", "sender": "+4989123456"}, 403,
         "compose.sender_not_allowed", "from"),
        (AGENT, {"to": "12"}, 422, "phone.invalid", "to"),
        (AGENT, {"text": "x" * 600}, 422, "compose.too_many_segments", "text"),
    ],
)  # fmt: skip
def test_a_message_that_may_not_or_cannot_be_sent_is_refused_and_not_stored(
    relay: Relay,
    agent: Agent,
    request_fields: dict[str, str],
    status: int,
    code: str,
    field: str,
) -> None:
    refused = relay.refusal(agent=agent, **request_fields)
    assert (refused.status, refused.code) == (status, code)
    assert refused.field == field
    assert relay.stored() == [] and relay.accepted == 0


def test_a_number_on_the_tenants_opt_out_list_is_refused_on_to(relay: Relay) -> None:
    relay.service.optouts.add("acme", MOBILE, "cli", NOW)
    refused = relay.refusal()
    assert (refused.status, refused.code, refused.field) == (422, "recipient.opted_out", "to")
    assert relay.stored() == [] and relay.accepted == 0
    assert relay.service.optouts.remove("acme", MOBILE)
    assert relay.accept()[1]


def test_an_agent_over_the_rate_limit_is_told_when_to_retry(tmp_path: Path) -> None:
    relay = Relay(parse_settings(relay_config(agent_rate_per_minute=1), data_dir=tmp_path))
    relay.accept("key-1")
    refused = relay.refusal("key-2")
    assert (refused.status, refused.code) == (429, "rate.limited")
    assert refused.headers["Retry-After"] == "60"
    relay.now += 60_000
    assert relay.accept("key-2")[1]


# -- receipts -------------------------------------------------------------------------------


def test_receipts_move_the_status_once_and_tell_the_event_streams(relay: Relay) -> None:
    row, _ = relay.accept(text="x" * 200)
    claimed = claim_one(relay.store)
    assert claimed.id == row.id
    assert record(relay.store, claimed, new_gateway_ids=("g-0", "g-1"))
    first = relay.receipt("g-0", ReceiptStatus.DELIVERED)
    assert first is not None and first.status == "submitted"
    assert relay.statuses == []  # no change: nothing to tell
    delivered = relay.receipt("g-1", ReceiptStatus.DELIVERED)
    assert delivered is not None and delivered.status == "delivered"
    assert relay.statuses == ["delivered"]
    late = relay.receipt("g-1", ReceiptStatus.UNDELIVERED)
    assert late is not None and late.status == "delivered"
    assert relay.statuses == ["delivered"]


def test_a_receipt_for_no_known_message_is_kept_and_tells_nobody(relay: Relay) -> None:
    row, _ = relay.accept()
    assert relay.receipt("early", ReceiptStatus.DELIVERED) is None
    assert relay.statuses == []
    assert record(relay.store, claim_one(relay.store), new_gateway_ids=("early",))
    stored = relay.store.get_message("acme", "agent-1", row.id)
    assert stored is not None and stored.status == "delivered"
