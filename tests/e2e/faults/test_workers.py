"""``smsrelay serve --workers 2``: two relay processes on one port and one database.

2,000 messages from 20 clients (each its own connection, so the kernel spreads them over both
workers) go out through the SMSC simulator. Each worker has its own writer, event feed and
dispatcher; the dispatch leases in the database are all that keeps them from sending a message
twice. Counted at the SMSC: every message exactly once. Both workers accepted some, and
``/metrics`` — whichever worker answers — is the sum over both. The rate limits, counted in the
database, hold for both workers together. A worker that dies is replaced while the other one
answers, and no worker outlives the supervisor.
"""

from __future__ import annotations

import asyncio
import os
import re
import signal
import time
from collections import Counter
from pathlib import Path

import httpx
import pytest

from tests.e2e.faults.test_database_down import sent_numbers, smpp_gateway
from tests.support.peers.postgres import postgres_database, relay_database  # noqa: F401
from tests.support.peers.smsc import running_smsc
from tests.support.relay_process import (
    body,
    headers,
    post_each,
    relay_config,
    relay_process,
    send,
)

MESSAGES = 2000
CLIENTS = 20
SUBMITTED = 'smsrelay_status_changes_total{status="submitted"}'
DELIVERED = 'smsrelay_status_changes_total{status="delivered"}'
EARLY = 'smsrelay_receipts_total{gateway="smsc",known="false"}'


@pytest.mark.alone  # two workers, the SMSC and 20 clients keep both cores busy
def test_two_workers_send_each_of_2000_messages_once_and_sum_their_metrics(
    tmp_path: Path,
    relay_database: dict[str, str],  # noqa: F811
) -> None:
    # A receipt the relay answers late is delivered again, as a real SMSC keeps doing, not
    # dropped after a few tries: on a busy machine two workers may take seconds to answer.
    with running_smsc(receipt_tries=120, receipt_retry_ms=500) as smsc:
        config = relay_config({"smsc": smpp_gateway(smsc)}, relay=relay_database)
        with relay_process(tmp_path / "relay", config, workers=2) as relay:
            started = time.monotonic()
            answers = asyncio.run(
                post_each(relay, relay.token(), range(MESSAGES), clients=CLIENTS, key="w")
            )
            accepted_in = time.monotonic() - started
            assert answers == {202: MESSAGES}

            def settled() -> bool:
                samples = relay.metrics()
                return (
                    samples.get(SUBMITTED, 0) >= MESSAGES
                    and samples.get(DELIVERED, 0) >= MESSAGES
                    and samples.get("smsrelay_dispatch_in_flight") == 0
                )

            deadline = time.monotonic() + 120
            while not settled() and time.monotonic() < deadline:
                time.sleep(0.25)
            # Every answer of /metrics, from either worker, is the sum over both.
            seen = [relay.metrics() for _ in range(6)]
            log = relay.log.read_text("utf-8", "replace")
        taken = sent_numbers(smsc.submits())
        # A receipt answered late is delivered again, as a real SMSC does; each counts.
        receipts = len(smsc.receipts())

    print(
        f"\n{MESSAGES} accepted in {accepted_in:.1f} s, delivered within {time.monotonic() - started:.1f} s"
    )
    assert sorted(taken) == list(range(MESSAGES)), "a message the SMSC never took"
    assert set(taken.values()) == {1}, [n for n, count in taken.items() if count > 1]
    for samples in seen:
        assert samples["smsrelay_processes"] == 2
        assert samples['smsrelay_messages_accepted_total{tenant="acme"}'] == MESSAGES
        assert samples[SUBMITTED] == MESSAGES
        # Each delivery counts once, also where its receipt came before the submission was
        # recorded (an unknown receipt then, applied with the record).
        assert samples[DELIVERED] == MESSAGES
        known = samples['smsrelay_receipts_total{gateway="smsc",known="true"}']
        assert MESSAGES <= known + samples.get(EARLY, 0) <= receipts
        assert samples["smsrelay_dispatch_in_flight"] == 0
    # Both workers took a share of the requests (each logs what it accepts).
    shares = Counter(re.findall(r"\[worker (\d)\] accepted msg_", log))
    assert set(shares) == {"1", "2"} and sum(shares.values()) == MESSAGES, shares
    print(f"accepted per worker: {dict(sorted(shares.items()))}")


def test_two_workers_hold_an_agents_rate_limit_together(
    tmp_path: Path,
    relay_database: dict[str, str],  # noqa: F811
) -> None:
    config = relay_config(
        {"sandbox": {"type": "sandbox"}}, relay=relay_database, agent_rate_per_minute=30
    )
    with relay_process(tmp_path / "relay", config, workers=2) as relay:
        token = relay.token()

        async def post(number: int) -> int:
            # A connection each, so the kernel hashes them over both workers.
            async with httpx.AsyncClient(base_url=relay.url, timeout=30) as http:
                answer = await http.post(
                    "/v1/messages", json=body(number), headers=headers(token, f"r-{number}")
                )
                return answer.status_code

        # First one at a time until both workers have accepted some (each on a connection
        # of its own, hashed anew), then the rest at once: had each worker counted only what
        # it accepted itself, together they would accept more than 30.
        answers: Counter[int] = Counter()
        number = 0
        while len(set(re.findall(r"\[worker (\d)\] accepted msg_", relay.tail(400)))) < 2:
            assert number < 15, "15 connections all reached one worker"
            answers[asyncio.run(post(number))] += 1
            number += 1

        async def burst() -> Counter[int]:
            return Counter(await asyncio.gather(*(post(n) for n in range(number, 60))))

        answers += asyncio.run(burst())
        samples = relay.metrics()
        log = relay.log.read_text("utf-8", "replace")
    assert answers == {202: 30, 429: 30}
    assert samples['smsrelay_messages_refused_total{code="rate.limited"}'] == 30
    shares = Counter(re.findall(r"\[worker (\d)\] accepted msg_", log))
    assert set(shares) == {"1", "2"}, f"one worker accepted all: {shares}"


def test_a_worker_that_dies_is_replaced_and_sigterm_ends_every_worker(tmp_path: Path) -> None:
    config = relay_config({"sandbox": {"type": "sandbox"}})
    with relay_process(tmp_path / "relay", config, workers=2) as relay:
        pattern = re.compile(r"2 workers serving \(pids (\d+), (\d+)\)")
        deadline = time.monotonic() + 10
        while (serving := pattern.search(relay.tail(200))) is None:
            assert time.monotonic() < deadline, relay.tail()
            time.sleep(0.1)
        first, second = int(serving.group(1)), int(serving.group(2))
        os.kill(first, signal.SIGKILL)
        token = relay.token()
        # The other worker answers meanwhile, and the supervisor starts a new first worker.
        for number in range(20):
            assert send(relay, token, number).status_code == 202
        deadline = time.monotonic() + 60
        while relay.metrics().get("smsrelay_processes") != 2:
            assert time.monotonic() < deadline, relay.tail()
            time.sleep(0.2)
        assert f"worker 1 (pid {first}) exited" in relay.tail(200)
        workers = _children(relay.pid)
        assert second in workers and first not in workers and len(workers) == 2
    # relay_process stopped the supervisor with SIGTERM: no worker outlives it.
    assert not any(Path(f"/proc/{pid}").exists() for pid in workers)


def _children(pid: int) -> list[int]:
    found = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    return [int(child) for child in found]
