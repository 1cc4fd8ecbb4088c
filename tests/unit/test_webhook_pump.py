"""The webhook pump on the in-memory store: which events become deliveries, for which endpoint,
saying what; the cursor while no tenant has a webhook; gaps in the events' ids; a stop."""

from __future__ import annotations

import asyncio
import json
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from smsrelay.settings import parse_settings
from smsrelay.storage import EventRow, FeedEvent, MessageRow
from smsrelay.storage.memory import MemoryStore
from smsrelay.storage.memory_webhooks import MemoryWebhooks
from smsrelay.tenants.directory import TenantDirectory
from smsrelay.webhooks import (
    NoReceivedMessages,
    ReceivedMessage,
    WebhookDeliverer,
    WebhookPump,
    Webhooks,
)
from tests.support.relaykit import relay_config
from tests.support.storekit import NOW, claim, create, new_message, record

NUMBER = "+4915112345678"
CRM = {"id": "crm", "url": "https://crm.example/hooks"}


def directory(*webhooks: dict[str, Any]) -> TenantDirectory:
    settings = parse_settings(relay_config(webhooks=list(webhooks)))
    return TenantDirectory(settings.gateways, settings.tenants)


class Clock:
    def __init__(self) -> None:
        self.now = NOW
        self.seconds = 0.0

    def __call__(self) -> int:
        return self.now

    def monotonic(self) -> float:
        return self.seconds


def pump_for(
    store: MemoryStore, tenants: TenantDirectory, clock: Clock | None = None
) -> WebhookPump:
    clock = clock or Clock()
    return WebhookPump(
        store,
        store.webhooks,
        tenants,
        received=NoReceivedMessages(),
        clock=clock,
        monotonic=clock.monotonic,
    )


def sent(store: MemoryStore) -> list[dict[str, Any]]:
    """Every delivery's endpoint and body, oldest first."""
    rows = store.webhooks.deliveries("acme", limit=1000)[::-1]
    return [{"endpoint": d.endpoint, **json.loads(d.payload)} for d in rows]


def test_an_accepted_message_and_its_status_become_events_with_ids_and_no_personal_data() -> None:
    store = MemoryStore()
    pump = pump_for(store, directory(CRM))
    message, _ = create(store, new_message())
    assert pump.pump_once()[:2] == (False, 1)
    row = claim(store)[0]
    record(store, row, new_gateway_ids=("g1",))
    assert pump.pump_once()[:2] == (False, 1)
    accepted, status = sent(store)
    assert accepted["type"] == "message.accepted" and status["type"] == "message.status"
    assert accepted["id"].startswith("evt_") and accepted["id"] != status["id"]
    assert accepted["tenant"] == "acme" and accepted["timestamp"] == "2023-11-14T22:13:20.000Z"
    assert accepted["data"] == {
        "message_id": message.id,
        "status": "queued",
        "interaction_id": "call-7",
        "interaction_type": "call",
        "agent": "agent-1",
        "queue_id": "service",
        "from": "ACME",
        "encoding": "GSM_7BIT",
        "segments": 1,
    }
    assert status["data"]["status"] == "submitted" and status["data"]["final"] is False
    assert NUMBER not in json.dumps(sent(store)) and message.text not in json.dumps(sent(store))
    # The webhook-id is the event's id: the delivery row keeps it for every attempt.
    assert [d.event_id for d in store.webhooks.deliveries("acme")][::-1] == [
        accepted["id"],
        status["id"],
    ]


def test_an_endpoint_gets_the_number_and_text_only_when_it_includes_them() -> None:
    store = MemoryStore()
    tenants = directory(
        CRM, {"id": "erp", "url": "https://erp.example/", "include": ["number", "text"]}
    )
    create(store, new_message(text="Ihr Termin"))
    pump_for(store, tenants).pump_once()
    by_endpoint = {d["endpoint"]: d["data"] for d in sent(store)}
    assert "to" not in by_endpoint["crm"] and "text" not in by_endpoint["crm"]
    assert (by_endpoint["erp"]["to"], by_endpoint["erp"]["text"]) == (NUMBER, "Ihr Termin")
    assert len({d["id"] for d in sent(store)}) == 1  # one event, one id, two endpoints


def test_an_endpoint_gets_only_the_events_it_chose() -> None:
    store = MemoryStore()
    pump = pump_for(store, directory({**CRM, "events": ["message.status", "optout.changed"]}))
    create(store, new_message())
    assert pump.pump_once()[:2] == (False, 0)
    store.optouts.add("acme", NUMBER, "kannel:k", NOW)
    pump.pump_once()
    assert [d["type"] for d in sent(store)] == ["optout.changed"]


def test_an_opt_out_says_which_way_and_from_where_and_the_number_if_included() -> None:
    store = MemoryStore()
    pump = pump_for(
        store, directory(CRM, {"id": "erp", "url": "https://erp.example/", "include": ["number"]})
    )
    store.optouts.add("acme", NUMBER, "kannel:k", NOW)
    store.optouts.remove("acme", NUMBER, "cli", NOW + 1)
    pump.pump_once()
    events = [(d["endpoint"], d["data"]) for d in sent(store)]
    assert events == [
        ("crm", {"opted_out": True, "source": "kannel:k"}),
        ("erp", {"opted_out": True, "source": "kannel:k", "number": NUMBER}),
        ("crm", {"opted_out": False, "source": "cli"}),
        ("erp", {"opted_out": False, "source": "cli", "number": NUMBER}),
    ]
    # An opt-out is in line with the messages to its number: one conversation.
    rows = store.webhooks.deliveries("acme")
    create(store, new_message("k2"))
    pump.pump_once()
    assert store.webhooks.deliveries("acme")[0].ordering == rows[0].ordering


@dataclass
class Inbox:
    """What the conversations' store will answer: a customer's SMS by id."""

    messages: dict[str, ReceivedMessage] = field(default_factory=dict)

    def received_message(self, tenant: str, message_id: str) -> ReceivedMessage | None:
        return self.messages.get(message_id) if tenant == "acme" else None


def log_of(*events: FeedEvent) -> tuple[list[FeedEvent], MemoryWebhooks, Log]:
    found = list(events)
    return found, MemoryWebhooks(threading.RLock(), found, {}), Log(found)


@dataclass
class Log:
    """An events table as the pump reads it, written by the test (ids may leave gaps)."""

    rows: list[FeedEvent]

    def events_after(self, *_args: Any, **_kwargs: Any) -> list[EventRow]:
        return []

    def events_since(self, after: int, limit: int) -> list[FeedEvent]:
        return sorted((r for r in self.rows if r.event.id > after), key=lambda r: r.event.id)[
            :limit
        ]

    def max_event_id(self) -> int:
        return max((r.event.id for r in self.rows), default=0)


def received(event_id: int, message_id: str = "in_1") -> FeedEvent:
    return FeedEvent(
        "acme", "", EventRow(event_id, message_id, "received", None, NOW, None, "received", NUMBER)
    )


def test_a_reply_is_told_from_the_conversations_store_with_the_text_only_if_included() -> None:
    _rows, outbox, log = log_of(received(1))
    inbox = Inbox(
        {"in_1": ReceivedMessage("in_1", NUMBER, "+4989123456", "Danke!", NOW, "call-7", "msg_9")}
    )
    tenants = directory(
        CRM, {"id": "erp", "url": "https://erp.example/", "include": ["number", "text"]}
    )
    pump = WebhookPump(log, outbox, tenants, received=inbox, clock=Clock())
    assert pump.pump_once()[:2] == (False, 2)
    bodies = {d.endpoint: json.loads(d.payload) for d in outbox.deliveries("acme")}
    assert bodies["crm"]["type"] == "message.received"
    assert bodies["crm"]["data"] == {
        "message_id": "in_1",
        "interaction_id": "call-7",
        "in_reply_to": "msg_9",
        "to": "+4989123456",
        "received_at": "2023-11-14T22:13:20.000Z",
    }
    assert bodies["erp"]["data"]["from"] == NUMBER and bodies["erp"]["data"]["text"] == "Danke!"
    assert {d.interaction_id for d in outbox.deliveries("acme")} == {"call-7"}


def test_without_webhooks_the_cursor_only_moves_along_and_later_webhooks_start_from_there() -> None:
    store = MemoryStore()
    create(store, new_message())
    none = pump_for(store, directory())
    assert none.pump_once()[:2] == (False, 0)
    assert store.webhooks.webhook_cursor().position == store.max_event_id()
    with_crm = pump_for(store, directory(CRM))
    assert with_crm.pump_once()[:2] == (False, 0)
    create(store, new_message("k2"))
    assert with_crm.pump_once()[:2] == (False, 1)


def test_at_a_gap_the_pump_waits_then_passes_and_takes_the_missing_event_when_it_comes() -> None:
    rows, outbox, log = log_of(received(1, "in_1"), received(2, "in_2"), received(4, "in_4"))
    clock = Clock()
    pump = WebhookPump(
        log, outbox, directory(CRM), received=Inbox(), clock=clock, monotonic=clock.monotonic
    )
    assert pump.pump_once()[:2] == (False, 2)  # 1 and 2; 4 waits behind the gap
    assert outbox.webhook_cursor().position == 2
    clock.seconds += 1.0
    assert pump.pump_once()[:2] == (False, 0)
    clock.seconds += 1.5  # longer than gap_seconds: a rollback, or a very slow commit
    assert pump.pump_once()[:2] == (False, 1)
    assert (outbox.webhook_cursor().position, outbox.webhook_cursor().holes) == (4, ((3, NOW),))
    rows.append(received(3, "in_3"))  # it did commit, late
    assert pump.pump_once()[:2] == (False, 1)
    assert outbox.webhook_cursor().holes == ()
    assert [d.message_id for d in outbox.deliveries("acme")][::-1] == [
        "in_1",
        "in_2",
        "in_4",
        "in_3",
    ]


def test_a_hole_is_given_up_after_a_while() -> None:
    _rows, outbox, log = log_of(received(2))
    clock = Clock()
    pump = WebhookPump(
        log,
        outbox,
        directory(CRM),
        received=Inbox(),
        clock=clock,
        monotonic=clock.monotonic,
        gap_seconds=0,
    )
    pump.pump_once()
    assert outbox.webhook_cursor().holes == ((1, NOW),)
    clock.now += 601_000
    pump.pump_once()
    assert outbox.webhook_cursor().holes == ()


def test_a_message_row_is_read_once_for_a_whole_batch() -> None:
    store = MemoryStore()
    calls: list[list[str]] = []
    original = store.webhooks.messages_by_id

    def counted(ids: Any) -> dict[str, MessageRow]:
        calls.append(list(ids))
        return original(ids)

    store.webhooks.messages_by_id = counted  # type: ignore[method-assign]
    for i in range(5):
        create(store, new_message(f"k{i}"))
    pump_for(store, directory(CRM)).pump_once()
    assert len(calls) == 1 and len(calls[0]) == 5


def test_a_stop_ends_the_pump_and_the_deliverer_at_once_even_without_webhooks() -> None:
    # Without a webhook the pump ignores commits (notify), but not a stop: a relay's graceful
    # shutdown would otherwise wait for the next poll, here half a minute.
    poll = 30.0
    config = relay_config()
    config["relay"]["webhook_poll_seconds"] = poll
    settings = parse_settings(config)
    store = MemoryStore()
    tenants = TenantDirectory(settings.gateways, settings.tenants)
    assert not tenants.has_webhooks
    clock = Clock()
    pump = WebhookPump(
        store,
        store.webhooks,
        tenants,
        received=NoReceivedMessages(),
        clock=clock,
        poll_seconds=poll,
    )
    webhooks = Webhooks(pump, WebhookDeliverer(settings, store.webhooks, tenants, clock=clock))

    async def run_then_stop() -> float:
        running = asyncio.create_task(webhooks.run())
        await asyncio.sleep(0.2)  # both are waiting for their poll by now
        stopped = time.monotonic()
        webhooks.stop()
        await asyncio.wait_for(running, poll / 2)
        return time.monotonic() - stopped

    assert asyncio.run(run_then_stop()) < poll / 10
