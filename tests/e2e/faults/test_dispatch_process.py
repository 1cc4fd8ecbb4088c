"""``smsrelay serve --workers 2 --dispatch-process``: two workers that only accept, and one
process that sends.

600 messages from 12 clients go out through the SMSC simulator, each exactly once. The workers
send nothing themselves: while the dispatcher process is paused (SIGSTOP) they keep answering
202, and nothing reaches the SMSC until it goes on. Killed, it is started again by the
supervisor, and what was accepted meanwhile goes out, once. ``/metrics`` counts three processes
and sums the dispatcher's status changes with the workers' acceptances.
"""

from __future__ import annotations

import asyncio
import os
import re
import signal
import time
from collections import Counter
from pathlib import Path

import pytest

from tests.e2e.faults.test_database_down import sent_numbers, smpp_gateway
from tests.support.peers.postgres import postgres_database, relay_database  # noqa: F401
from tests.support.peers.smsc import running_smsc
from tests.support.processes import wait_until
from tests.support.relay_process import post_each, relay_config, relay_process

MESSAGES = 600
CLIENTS = 12
WHILE_AWAY = 40
SUBMITTED = 'smsrelay_status_changes_total{status="submitted"}'


@pytest.mark.alone  # three relay processes, the SMSC and 12 clients keep both cores busy
def test_a_dispatcher_process_sends_what_two_workers_accept_once_and_is_restarted(
    tmp_path: Path,
    relay_database: dict[str, str],  # noqa: F811
) -> None:
    with running_smsc(receipt_tries=120, receipt_retry_ms=500) as smsc:
        config = relay_config({"smsc": smpp_gateway(smsc)}, relay=relay_database)
        folder = tmp_path / "relay"
        with relay_process(folder, config, workers=2, dispatch_process=True) as relay:
            token = relay.token()
            answers = asyncio.run(
                post_each(relay, token, range(MESSAGES), clients=CLIENTS, key="d")
            )
            assert answers == {202: MESSAGES}
            assert wait_until(lambda: len(sent_numbers(smsc.submits())) == MESSAGES, 120)
            assert wait_until(lambda: relay.metrics().get(SUBMITTED) == MESSAGES, 30)
            samples = relay.metrics()
            assert samples["smsrelay_processes"] == 3
            assert samples['smsrelay_messages_accepted_total{tenant="acme"}'] == MESSAGES

            log = relay.log.read_text("utf-8", "replace")
            found = re.search(
                r"2 workers serving \(pids \d+, \d+\); the dispatcher: pid (\d+)", log
            )
            assert found, log[-3000:]
            dispatcher = int(found.group(1))

            # Paused: the workers accept, and nothing goes out (a worker's own dispatcher would
            # have claimed them within its half-second poll) until it goes on.
            os.kill(dispatcher, signal.SIGSTOP)
            try:
                paused = range(MESSAGES, MESSAGES + WHILE_AWAY)
                assert asyncio.run(post_each(relay, token, paused, clients=CLIENTS, key="d")) == {
                    202: WHILE_AWAY
                }
                time.sleep(1.5)
                assert len(sent_numbers(smsc.submits())) == MESSAGES
            finally:
                os.kill(dispatcher, signal.SIGCONT)
            total = MESSAGES + WHILE_AWAY
            assert wait_until(lambda: len(sent_numbers(smsc.submits())) == total, 60)
            # Every outcome recorded: killed now, it has nothing under way (a send cut off
            # mid-way is test_relay_killed's case, settled once its lease runs out).
            assert wait_until(lambda: relay.metrics().get(SUBMITTED) == total, 30)

            # Killed: the supervisor starts it again, and what was accepted meanwhile goes out.
            os.kill(dispatcher, signal.SIGKILL)
            away = range(total, total + WHILE_AWAY)
            assert asyncio.run(post_each(relay, token, away, clients=CLIENTS, key="d")) == {
                202: WHILE_AWAY
            }
            total += WHILE_AWAY
            assert wait_until(lambda: len(sent_numbers(smsc.submits())) == total, 60)
            assert wait_until(lambda: relay.metrics().get(SUBMITTED) == total, 30)
            log = relay.log.read_text("utf-8", "replace")
        taken = sent_numbers(smsc.submits())

    assert sorted(taken) == list(range(total)), "a message the SMSC never took"
    assert set(taken.values()) == {1}, [n for n, count in taken.items() if count > 1]
    assert f"the dispatcher (pid {dispatcher}) exited with -9" in log
    assert log.count("smsrelay.dispatch [dispatcher] dispatcher process sending") == 2
    # The workers accepted every message (each logs what it accepts); the dispatcher none.
    shares = Counter(re.findall(r"\[(worker \d|dispatcher)\] accepted msg_", log))
    assert set(shares) == {"worker 1", "worker 2"} and sum(shares.values()) == total, shares
