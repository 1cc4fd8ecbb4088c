"""A slow gateway: thousands of messages wait in the database, not in the relay's memory.

The SMSC simulator answers every submit_sm 200 ms late, so the relay sends about fifty a second
while two thousand are accepted in seconds. Back-pressure: the dispatcher claims only as many
messages as it has free sending slots, so what it holds (claimed rows, messages in flight) stays
at its concurrency however many wait, and the relay's resident memory stays flat while the
queue drains.
"""

from __future__ import annotations

import sqlite3
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from smsrelay.settings import RelaySettings
from tests.e2e.faults.test_database_down import smpp_gateway
from tests.support.peers.smsc import running_smsc
from tests.support.relay_process import body, headers, relay_config, relay_process

QUEUED = 2_000
SAMPLE_SECONDS = 6.0
#: The dispatcher's default number of sending slots (relay.dispatch_concurrency).
CONCURRENCY = 128
RSS_GROWTH_MIB = 15.0

#: Its memory and pace are measured: nothing else may run meanwhile (make test runs it alone).
pytestmark = pytest.mark.alone


def test_a_slow_gateway_leaves_messages_waiting_in_the_database_with_flat_memory(
    tmp_path: Path,
) -> None:
    assert RelaySettings.dispatch_concurrency == CONCURRENCY
    with running_smsc() as smsc:
        smsc.mode(submit_delay_ms=200)
        gateway = {**smpp_gateway(smsc), "max_in_flight": 10}
        with relay_process(tmp_path / "relay", relay_config({"smsc": gateway})) as relay:
            database = sqlite3.connect(tmp_path / "relay" / "data" / "relay.db")
            token = relay.token()
            with httpx.Client(timeout=30, limits=httpx.Limits(max_connections=16)) as http:

                def post(number: int) -> int:
                    answer = http.post(
                        relay.url + "/v1/messages",
                        json=body(number),
                        headers=headers(token, f"key-{number}"),
                    )
                    return answer.status_code

                with ThreadPoolExecutor(16) as pool:
                    assert set(pool.map(post, range(QUEUED))) == {202}

            def count(where: str) -> int:
                return database.execute(f"SELECT count(*) FROM messages WHERE {where}").fetchone()[
                    0
                ]

            samples: list[tuple[float, float, int, int]] = []  # RSS, in flight, claimed, queued
            deadline = time.monotonic() + SAMPLE_SECONDS
            while time.monotonic() < deadline:
                in_flight = relay.metrics()["smsrelay_dispatch_in_flight"]
                claimed = count("claimed_by IS NOT NULL")
                samples.append((relay.rss_mib(), in_flight, claimed, count("status = 'queued'")))
                time.sleep(0.25)
            sent = len(smsc.submits())
            database.close()

    rss = [s[0] for s in samples]
    waiting = [s[3] for s in samples]
    # Thousands waited in the database the whole time, draining at the gateway's pace...
    assert min(waiting) >= QUEUED // 2, waiting
    assert waiting[-1] < waiting[0]
    assert 0 < sent < QUEUED
    # ...while the relay held no more than its sending slots,
    assert max(s[1] for s in samples) <= CONCURRENCY
    assert max(s[2] for s in samples) <= CONCURRENCY
    assert max(s[1] for s in samples) > 0
    # and its memory did not grow with the queue.
    assert max(rss) - rss[0] < RSS_GROWTH_MIB, rss
    print(
        f"\n{QUEUED} accepted; {sent} sent in {SAMPLE_SECONDS:.0f} s; queued {waiting[0]} → "
        f"{waiting[-1]}; in flight ≤ {max(s[1] for s in samples):.0f}; "
        f"RSS {rss[0]:.1f} → {rss[-1]:.1f} MiB (max {max(rss):.1f})"
    )
