"""How long a CRM waits for a message's webhook: from the relay accepting it (the event's
``timestamp``, the relay's clock at the commit) to the receiver process holding the verified
``message.accepted`` (its clock, on the same machine), over 200 messages sent by agents at about
twenty a second, on SQLite and PostgreSQL. Printed for the README; a generous bound fails only a
relay that has stopped pushing (polling alone would take up to ``webhook_poll_seconds``)."""

from __future__ import annotations

import statistics
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from pathlib import Path

import pytest

from smsrelay.tenants.webhooks import new_secret
from tests.support.peers.postgres import database_url, postgres_database  # noqa: F401
from tests.support.peers.webhook_receiver import run_webhook_receiver
from tests.support.processes import wait_until
from tests.support.relay_process import relay_config, relay_process, send

SECRET = new_secret()
MESSAGES = 200

#: A latency measured: nothing else may run meanwhile (make test runs it alone).
pytestmark = pytest.mark.alone


def test_a_webhook_reaches_the_crm_within_a_fraction_of_a_second_of_the_accept(
    tmp_path: Path,
    database_url: str,  # noqa: F811
) -> None:
    with run_webhook_receiver(SECRET) as receiver:
        config = relay_config(
            {"sandbox": {"type": "sandbox", "delivery_delay_ms": 100}},
            relay={
                "database_url": database_url,
                "webhook_poll_seconds": 2.0,
                "webhook_private_networks": True,
            },
            webhooks=[
                {
                    "id": "crm",
                    "url": receiver.url(),
                    "secret": SECRET,
                    "events": ["message.accepted"],
                }
            ],
        )
        with relay_process(tmp_path / "relay", config) as relay:
            token = relay.token()
            send(relay, token, 999_999)  # warm up: connections, the first imports
            assert wait_until(lambda: len(receiver.received()) == 1, 10)
            receiver.reset()
            with ThreadPoolExecutor(4) as pool:
                futures = []
                for n in range(MESSAGES):
                    # Each to a customer of its own: one customer's events go one after another.
                    to = f"+49151{10_000_000 + n}"
                    futures.append(pool.submit(send, relay, token, n, to=to))
                    time.sleep(0.05)
                assert {f.result().status_code for f in futures} == {202}
            assert wait_until(lambda: len(receiver.received()) >= MESSAGES, 30)
            waits = sorted(
                1000 * (d["arrived"] - datetime.fromisoformat(d["event"]["timestamp"]).timestamp())
                for d in receiver.received()
            )
    median = statistics.median(waits)
    p95 = waits[int(0.95 * len(waits)) - 1]
    print(
        f"\n{database_url.split(':')[0]}: accepted → at the receiver over {len(waits)} messages: "
        f"median {median:.0f} ms, p95 {p95:.0f} ms, max {waits[-1]:.0f} ms"
    )
    # Pushed, not polled: the poll here is 2 s.
    assert p95 < 1000
