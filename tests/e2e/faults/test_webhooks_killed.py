"""Webhooks survive a relay's SIGKILL, on SQLite and on PostgreSQL: the CRM — a receiver process
that verifies every request with the ``standardwebhooks`` package and counts — gets every event
at least once, and a duplicate carries the same ``webhook-id`` and body, so it is dropped.

Two kills. The first lands between accept and webhook: the CRM is down (answering 500), forty
messages are accepted, and the relay dies right after the last 202 — their events are in the
events table, some already in the outbox, none delivered. The second lands while webhooks are
under way, so deliveries die claimed and are taken up again when their lease runs out. What the
CRM got is compared with the agent's own event stream, which replays every status event.
The CRM answers slowly then, so the kill catches requests it has taken but not answered: the
relay sends those again after their lease, and the CRM sees them twice, under one id.
"""

from __future__ import annotations

import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

from smsrelay.tenants.webhooks import new_secret
from tests.support.peers.postgres import database_url, postgres_database  # noqa: F401
from tests.support.peers.webhook_receiver import run_webhook_receiver
from tests.support.processes import wait_until
from tests.support.relay_process import (
    EventStream,
    history,
    relay_config,
    relay_process,
    send,
)

SECRET = new_secret()
PER_ROUND = 40
FINAL = {"delivered", "undelivered", "failed", "expired", "unknown"}


def test_after_sigkill_the_crm_gets_every_event_at_least_once(
    tmp_path: Path,
    database_url: str,  # noqa: F811
) -> None:
    with run_webhook_receiver(SECRET) as receiver:
        config = relay_config(
            {"sandbox": {"type": "sandbox", "delivery_delay_ms": 300}},
            relay={
                "database_url": database_url,
                "claim_seconds": 2.0,
                "unconfirmed_grace_seconds": 2.0,
                "receipt_wait_seconds": 2,
                "receipt_grace_seconds": 0,
                "receipt_sweep_seconds": 0.2,
                "webhook_timeout_seconds": 1.0,
                "webhook_retry_base_seconds": 0.2,
                "webhook_retry_max_seconds": 1.0,
                "webhook_poll_seconds": 0.1,
                "webhook_private_networks": True,
            },
            webhooks=[{"id": "crm", "url": receiver.url(), "secret": SECRET}],
        )
        with relay_process(tmp_path / "relay", config) as relay:
            token = relay.token()
            # 1. The CRM is down; the relay dies right after the last accept.
            receiver.configure(fail_status=500, fail_until=time.time() + 3600)
            first = [send(relay, token, n) for n in range(PER_ROUND)]
            relay.kill()
            assert {answer.status_code for answer in first} == {202}
            assert receiver.received() == []
            receiver.configure(fail_until=0)
            relay.start()

            # 2. Killed while webhooks are on their way.
            def post(n: int) -> int:
                try:
                    return send(relay, token, n).status_code
                except httpx.TransportError:
                    return 0

            # The CRM takes its time to answer: the kill lands on requests it has already
            # taken but not answered, which the relay sends again — duplicates.
            receiver.configure(delay=0.5)
            before = len(receiver.received())
            with ThreadPoolExecutor(8) as pool:
                posted = [pool.submit(post, n) for n in range(PER_ROUND, 2 * PER_ROUND)]
                assert wait_until(lambda: len(receiver.received()) >= before + 20, 30)
                relay.kill()
                answers = [future.result() for future in posted]
            receiver.configure(delay=0)
            relay.start()
            for n, status in zip(range(PER_ROUND, 2 * PER_ROUND), answers, strict=True):
                if status != 202:  # the panel sends again what got no answer, same key
                    assert send(relay, token, n).status_code == 202

            def settled() -> bool:
                found = history(relay, token)
                return len(found) == 2 * PER_ROUND and all(
                    m["status"] in FINAL for m in found.values()
                )

            assert wait_until(settled, 60), relay.tail()
            with EventStream(relay, token) as stream:
                assert wait_until(
                    lambda: sum(e["status"] in FINAL for e in stream.events) >= 2 * PER_ROUND, 30
                )
                time.sleep(0.5)
                streamed = {(e["id"], e["status"]) for e in stream.events}

            def webhooks() -> set[tuple[str, str]]:
                return {
                    (d["event"]["data"]["message_id"], d["event"]["data"]["status"])
                    for d in receiver.received()
                }

            assert wait_until(lambda: streamed <= webhooks(), 60), streamed - webhooks()
            received = receiver.received()
            assert webhooks() == streamed  # every event, and none the relay did not have
            assert receiver.refused()["refused"] == []
            # Duplicates (sent again after a kill) carry the same id and body.
            by_id: dict[str, set[str]] = {}
            for delivery in received:
                by_id.setdefault(delivery["headers"]["webhook-id"], set()).add(delivery["body"])
            assert all(len(bodies) == 1 for bodies in by_id.values())
            assert len(by_id) == len(streamed)
            copies = Counter(d["headers"]["webhook-id"] for d in received)
            twice = sum(1 for c in copies.values() if c > 1)
            assert twice >= 1  # the kill did catch requests in flight
            print(f"\n{len(streamed)} events, {len(received)} deliveries, {twice} sent again")
