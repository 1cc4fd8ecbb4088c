"""The webhook deliverer against an endpoint played by httpx's MockTransport (the real receiver
process is in tests/integration/relay/test_webhooks.py): signed requests the ``standardwebhooks``
library accepts, retries with backoff until the window ends, order per conversation."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from standardwebhooks.webhooks import Webhook

from smsrelay.settings import RelaySettings, parse_settings
from smsrelay.storage.memory import MemoryStore
from smsrelay.storage.webhook_rows import (
    DELIVERED,
    FAILED,
    PENDING,
    DeliveryRow,
    NewDelivery,
    WebhookCursor,
)
from smsrelay.tenants.directory import TenantDirectory
from smsrelay.tenants.webhooks import new_secret
from smsrelay.webhooks import WebhookDeliverer
from smsrelay.webhooks.deliverer import backoff_ms
from tests.support.relaykit import relay_config
from tests.support.storekit import NOW, done

SECRET = new_secret()
URL = "https://crm.example/hooks"


class Clock:
    def __init__(self) -> None:
        self.now = NOW

    def __call__(self) -> int:
        return self.now


def settings_with(**relay: Any) -> RelaySettings:
    config = relay_config(webhooks=[{"id": "crm", "url": URL}])
    config["relay"].update(
        webhook_retry_base_seconds=10,
        webhook_retry_max_seconds=40,
        webhook_retry_window_seconds=100,
        **relay,
    )
    return parse_settings(config)


class Harness:
    def __init__(self, answer: Callable[[httpx.Request], httpx.Response], **relay: Any) -> None:
        self.settings = settings_with(**relay)
        self.store = MemoryStore()
        self.clock = Clock()
        self.tenants = TenantDirectory(self.settings.gateways, self.settings.tenants)
        self.tenants.webhook_secrets = {"acme": {"crm": (SECRET,)}}
        self.requests: list[httpx.Request] = []

        def handler(request: httpx.Request) -> httpx.Response:
            self.requests.append(request)
            return answer(request)

        self.deliverer = WebhookDeliverer(
            self.settings,
            self.store.webhooks,
            self.tenants,
            clock=self.clock,
            transport=httpx.MockTransport(handler),
        )

    def add(self, n: int, ordering: str = "conv") -> None:
        cursor = self.store.webhooks.webhook_cursor()
        new = NewDelivery(
            "acme",
            "crm",
            f"evt_{n}",
            "message.status",
            ordering,
            f"msg_{n}",
            None,
            json.dumps({"id": f"evt_{n}", "n": n}),
            self.clock.now,
        )
        moved = WebhookCursor(cursor.position + 1)
        assert done(self.store.webhooks.submit_advance(cursor, moved, [new])) == []

    def rows(self) -> list[DeliveryRow]:
        return self.store.webhooks.deliveries("acme")[::-1]

    def claimed(self) -> bool:
        return any(row.claimed_by == self.deliverer.worker for row in self.rows())

    def run(self, rounds: int = 1) -> None:
        """Let the deliverer take what is due, ``rounds`` times, each to the end."""

        async def go() -> None:
            stop = asyncio.Event()
            task = asyncio.create_task(self.deliverer.run(stop.is_set))
            for _ in range(rounds):
                await asyncio.sleep(0)
                while self.deliverer._http is None:
                    await asyncio.sleep(0.001)
                await self.deliverer.deliver_due()
                # The deliverer's own pass may have claimed what was due a moment before this
                # one looked, and not have started it yet: wait for its claims too.
                while self.deliverer.in_flight or self.claimed():
                    await asyncio.sleep(0.001)
            stop.set()
            self.deliverer.wake()
            await task

        asyncio.run(go())


def ok(_request: httpx.Request) -> httpx.Response:
    return httpx.Response(204)


def test_a_delivery_is_posted_signed_and_the_library_verifies_it() -> None:
    harness = Harness(ok)
    harness.add(1)
    harness.run()
    (request,) = harness.requests
    assert str(request.url) == URL and request.method == "POST"
    assert request.headers["content-type"] == "application/json"
    assert request.headers["webhook-id"] == "evt_1"
    assert request.headers["webhook-timestamp"] == str(NOW // 1000)
    # The library's verify checks the timestamp against now, which this test clock is not:
    # its sign gives the signature a CRM's verify compares with.
    when = datetime.fromtimestamp(NOW / 1000, UTC)
    expected = Webhook(SECRET).sign("evt_1", when, request.content.decode())
    assert request.headers["webhook-signature"] == expected
    (row,) = harness.rows()
    assert (row.state, row.attempts, row.last_status, row.delivered_at) == (DELIVERED, 1, 204, NOW)


def test_an_error_answer_is_tried_again_after_a_backoff_until_the_window_ends() -> None:
    harness = Harness(lambda _r: httpx.Response(500, text="oops"))
    harness.add(1)
    waits = []
    for _ in range(8):
        harness.run()
        (row,) = harness.rows()
        if row.state != PENDING:
            break
        waits.append(row.next_attempt_at - harness.clock.now)
        harness.clock.now = row.next_attempt_at
    (row,) = harness.rows()
    assert row.state == FAILED and row.last_status == 500 and row.last_error == "HTTP 500"
    # 10 s, 20 s, 40 s (the longest), each less a random part of up to half; never past 100 s.
    assert (
        5_000 <= waits[0] <= 10_000
        and 10_000 <= waits[1] <= 20_000
        and 20_000 <= waits[2] <= 40_000
    )
    # The last attempt is at the window's end, whatever the backoff says by then.
    assert harness.clock.now == NOW + 100_000
    attempts = harness.store.webhooks.delivery_attempts(row.id)
    assert len(attempts) == row.attempts == len(harness.requests)


def test_a_refused_connection_and_a_slow_endpoint_are_tried_again() -> None:
    def refuse(_request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("Connection refused")

    harness = Harness(refuse)
    harness.add(1)
    harness.run()
    (row,) = harness.rows()
    assert (row.state, row.last_status) == (PENDING, None)
    assert row.last_error == "ConnectError: Connection refused"

    async def slow(_request: httpx.Request) -> httpx.Response:
        await asyncio.sleep(5)
        return httpx.Response(204)

    harness = Harness(slow, webhook_timeout_seconds=0.2)  # type: ignore[arg-type]
    harness.add(1)
    harness.run()
    (row,) = harness.rows()
    assert (row.state, row.last_error) == (PENDING, "no answer within 0.2 s")


def test_a_redirect_is_not_followed_but_counts_as_a_failure() -> None:
    harness = Harness(
        lambda _r: httpx.Response(302, headers={"Location": "http://169.254.169.254/"})
    )
    harness.add(1)
    harness.run()
    assert len(harness.requests) == 1 and harness.rows()[0].last_status == 302


def test_a_later_event_of_a_conversation_waits_for_the_earlier_ones_retry() -> None:
    answers = [500]

    def first_fails(request: httpx.Request) -> httpx.Response:
        return httpx.Response(answers.pop(0) if answers else 204)

    harness = Harness(first_fails)
    harness.add(1)
    harness.add(2)
    harness.add(3, ordering="other")
    harness.run()
    assert [r.headers["webhook-id"] for r in harness.requests] == ["evt_1", "evt_3"]
    harness.clock.now = harness.rows()[0].next_attempt_at
    harness.run(rounds=2)
    assert [r.headers["webhook-id"] for r in harness.requests] == [
        "evt_1",
        "evt_3",
        "evt_1",
        "evt_2",
    ]


def test_a_removed_webhook_fails_its_deliveries_without_a_request() -> None:
    harness = Harness(ok)
    harness.add(1)
    harness.tenants.load([], {}, 1)  # the tenant's settings no longer have it
    harness.run()
    assert harness.requests == []
    assert (harness.rows()[0].state, harness.rows()[0].last_error) == (
        FAILED,
        "the webhook was removed from the settings",
    )


@pytest.mark.parametrize("attempt", range(1, 40))
def test_the_backoff_doubles_up_to_the_longest_less_up_to_half(attempt: int) -> None:
    settings = settings_with()
    full = min(40_000, 10_000 * 2 ** (attempt - 1))
    assert full // 2 <= backoff_ms(settings, attempt) <= full
