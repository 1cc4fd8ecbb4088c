"""The sandbox's receipts live in the relay's memory: a SIGKILL after the messages went out
takes them along. Nothing would ever report on those messages again, and they used to stay
``submitted`` forever. The restarted relay stops waiting once the wait for receipts is over and
shows them ``unknown`` ("no delivery report"), never ``failed`` and never sent again.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from tests.support.processes import wait_until
from tests.support.relay_process import history, relay_config, relay_process, send

MESSAGES = 6
WAIT_SECONDS = 3


def test_messages_whose_receipts_died_with_the_relay_end_unknown_after_the_wait(
    tmp_path: Path,
) -> None:
    config = relay_config(
        # The network would report after a minute: far too late for this relay.
        {"sandbox": {"type": "sandbox", "delivery_delay_ms": 60_000}},
        relay={
            "receipt_wait_seconds": WAIT_SECONDS,
            "receipt_grace_seconds": 0,
            "receipt_sweep_seconds": 0.2,
        },
    )
    with relay_process(tmp_path / "relay", config) as relay:
        token = relay.token()
        ids = [send(relay, token, n).json()["id"] for n in range(MESSAGES)]

        def all_submitted() -> bool:
            found = history(relay, token)
            return all(found[i]["status"] == "submitted" for i in ids)

        assert wait_until(all_submitted, timeout=20), relay.tail()
        relay.kill()  # the pending receipts die here
        relay.start()

        def all_resolved() -> bool:
            found = history(relay, token)
            return all(found[i]["status"] != "submitted" for i in ids)

        assert wait_until(all_resolved, timeout=WAIT_SECONDS + 20), relay.tail()
        found = history(relay, token)
        outcomes = Counter((found[i]["status"], found[i]["reason_code"]) for i in ids)
        assert outcomes == Counter({("unknown", "no_receipt"): MESSAGES}), outcomes
        # Resolved once each, and none was sent again: the restarted relay recorded no new
        # submission, only the six resolutions.
        changes = relay.metrics()
        assert changes.get('smsrelay_status_changes_total{status="unknown"}') == MESSAGES
        assert changes.get('smsrelay_status_changes_total{status="submitted"}', 0.0) == 0.0
        assert relay.log_count("no delivery report came within the wait") == MESSAGES
