"""The SMPP bind drops in the middle of sending: the relay binds again and goes on, no duplicates.

Twice in one stream of messages: the SMSC simulator resets every connection (as a network
failure does: submit_sm PDUs it had not read are lost), and later the simulator process is
SIGKILLed and started again on its port. Its journal counts every submit_sm it took, across
both processes.

A part written to the socket whose response never came may or may not have been taken: the
relay never sends it again and marks the message ``unknown`` (unconfirmed: "may have been sent;
check before sending again"), which the agent sees — not "not sent", which could be untrue.
Everything else is sent exactly once.
"""

from __future__ import annotations

import os
import signal
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from pathlib import Path
from typing import Any

from tests.e2e.faults.test_database_down import sent_numbers, smpp_gateway
from tests.support.peers.smsc import running_smsc
from tests.support.processes import wait_until
from tests.support.relay_process import (
    history,
    relay_config,
    relay_process,
    send,
)

PER_PHASE = 60
FINAL = {"delivered", "unknown"}


def test_a_dropped_bind_and_a_killed_smsc_are_survived_without_a_double_send(
    tmp_path: Path,
) -> None:
    journal = tmp_path / "smsc-journal.jsonl"
    with ExitStack() as peers:
        smsc = peers.enter_context(running_smsc(journal=journal))
        gateway = {**smpp_gateway(smsc), "submit_timeout": 3.0}
        relay = peers.enter_context(
            relay_process(tmp_path / "relay", relay_config({"smsc": gateway}))
        )
        token = relay.token()
        answers: dict[int, dict[str, Any]] = {}

        def post(number: int) -> None:
            answer = send(relay, token, number)
            assert answer.status_code == 202, answer.text
            answers[number] = answer.json()

        with ThreadPoolExecutor(6) as pool:
            # 1. Every connection is reset after 20 more submit_sm, mid-stream.
            smsc.mode(drop_after_submits=20)
            list(pool.map(post, range(PER_PHASE)))
            assert wait_until(lambda: len(smsc.binds()) >= 2, timeout=10), smsc.binds()

            # 2. The SMSC process dies while messages are being sent, and comes back.
            posting = [pool.submit(post, n) for n in range(PER_PHASE, 2 * PER_PHASE)]
            taken = len(smsc.journaled())
            assert wait_until(lambda: len(smsc.journaled()) >= taken + 15, 10, interval=0)
            os.kill(smsc.pid, signal.SIGKILL)
            smsc = peers.enter_context(running_smsc(journal=journal, port=smsc.port))
            for future in posting:
                future.result()

            # 3. After both, the bind serves the rest as usual.
            list(pool.map(post, range(2 * PER_PHASE, 3 * PER_PHASE)))

        def messages() -> dict[int, dict[str, Any]]:
            found = history(relay, token)
            return {n: found[answer["id"]] for n, answer in answers.items()}

        def settled() -> bool:
            # Receipts of parts taken just before the SMSC died died with it.
            journaled = sent_numbers(smsc.journaled())
            return all(
                m["status"] in FINAL or (m["status"] == "submitted" and journaled[n] == 1)
                for n, m in messages().items()
            )

        assert wait_until(settled, timeout=30), Counter(m["status"] for m in messages().values())
        final = messages()
        journaled = sent_numbers(smsc.journaled())

    twice = [n for n, count in journaled.items() if count > 1]
    assert twice == [], f"sent twice: {twice}"
    unconfirmed = {n for n, m in final.items() if m["status"] == "unknown"}
    for number in unconfirmed:
        assert final[number]["reason_code"] == "unconfirmed", final[number]
        assert str(final[number]["reason"]).startswith("unconfirmed"), final[number]
    # Every message but the unconfirmed ones went out exactly once...
    assert {n for n in final if journaled[n] == 1} >= set(final) - unconfirmed
    # ...and the unconfirmed are the few whose submit_sm was on the wire at a cut.
    assert len(unconfirmed) <= 20, unconfirmed
    # After the cuts everything went through the new binds and was delivered.
    assert all(final[n]["status"] == "delivered" for n in range(2 * PER_PHASE, 3 * PER_PHASE))
    print(f"\n{len(final)} messages, {len(unconfirmed)} unconfirmed at the cuts, none twice")
