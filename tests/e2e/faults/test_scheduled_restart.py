"""A scheduled message survives the relay being killed and is sent once, on SQLite and on
PostgreSQL, counted at the SMS center (the SMPP simulator's journal, which outlives every
process).

The relay is SIGKILLed while two messages wait for their time, stays down past it, and is
started again: the one still scheduled goes out exactly once, the one the agent cancelled
never; a second restart after it went out sends nothing again. (The clock here is the real
one: a process's clock cannot be injected. tests/integration/relay/test_scheduled_sends.py
drives the same rules with an injected clock.)"""

from __future__ import annotations

import time
from collections import Counter
from contextlib import ExitStack
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx

from tests.e2e.faults.test_database_down import sent_numbers, smpp_gateway
from tests.support.peers.postgres import database_url, postgres_database  # noqa: F401
from tests.support.peers.smsc import running_smsc
from tests.support.processes import wait_until
from tests.support.relay_process import headers, message, relay_config, relay_process, send

#: How far ahead the messages are scheduled: time to post, cancel and kill the relay first.
AHEAD = timedelta(seconds=8)


def test_a_scheduled_message_survives_a_killed_relay_and_goes_out_once(
    tmp_path: Path,
    database_url: str,  # noqa: F811
) -> None:
    journal = tmp_path / "smsc-journal.jsonl"
    with ExitStack() as peers:
        smsc = peers.enter_context(running_smsc(journal=journal))
        config = relay_config({"smsc": smpp_gateway(smsc)}, relay={"database_url": database_url})
        relay = peers.enter_context(relay_process(tmp_path / "relay", config))
        token = relay.token()
        due = datetime.now(UTC) + AHEAD
        at = due.isoformat(timespec="seconds")
        kept, cancelled = (send(relay, token, n, send_at=at) for n in (1, 2))
        assert kept.status_code == cancelled.status_code == 202, kept.text
        assert kept.json()["status"] == "scheduled" and kept.json()["send_at"] == at.replace(
            "+00:00", "Z"
        )
        kept_id, cancelled_id = kept.json()["id"], cancelled.json()["id"]
        answer = httpx.post(
            f"{relay.url}/v1/messages/{cancelled_id}/cancel", headers=headers(token), timeout=30
        )
        assert answer.status_code == 200 and answer.json()["status"] == "cancelled"

        relay.kill()  # both wait in the database, nothing was claimed yet
        assert sent_numbers(smsc.journaled()) == Counter()
        time.sleep(max(0.0, (due - datetime.now(UTC)).total_seconds()) + 1.0)
        assert sent_numbers(smsc.journaled()) == Counter(), "sent while the relay was down"

        relay.start()
        assert wait_until(lambda: message(relay, token, kept_id)["status"] == "delivered", 30), (
            relay.tail()
        )
        relay.stop()  # and once more, after it went out
        relay.start()
        time.sleep(2.0)  # a second send would show by now
        assert sent_numbers(smsc.journaled()) == Counter({1: 1})
        assert message(relay, token, cancelled_id)["status"] == "cancelled"
        assert message(relay, token, kept_id)["status"] == "delivered"
