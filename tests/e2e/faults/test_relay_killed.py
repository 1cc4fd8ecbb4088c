"""The relay is killed with SIGKILL in the middle of a stream of sends, and started again, on
SQLite and on PostgreSQL.

The promise, counted at the SMS center behind a real Kannel: every message that got a 202 goes
out exactly once, and nothing that did not get one goes out. The agents' clients behave as the
panel does: a request that got no answer is sent again with its Idempotency-Key.

A kill lands while the dispatcher has messages in flight: claimed, maybe handed to Kannel, the
outcome not yet recorded. Their leases run out, the restarted relay finds them unconfirmed,
waits for Kannel's receipts (smsbox retries a dlr-url the dead relay did not answer), counts
what the receipts prove was sent and sends only the rest.
"""

from __future__ import annotations

import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

from tests.e2e.faults.test_gateway_down import kannel_gateway
from tests.support.peers.kannel import running_kannel
from tests.support.peers.postgres import database_url, postgres_database  # noqa: F401
from tests.support.processes import wait_until
from tests.support.relay_process import (
    RelayProcess,
    number_in,
    relay_config,
    relay_process,
    send,
    statuses,
)

ROUNDS = 3
PER_ROUND = 80
#: Every tenth message goes to a landline, which the tenant does not allow: a 422, never sent.
LANDLINE = "+493012345678"


class Stream:
    """Agents posting messages concurrently; what each number was last answered."""

    def __init__(self, relay: RelayProcess, token: str) -> None:
        self.relay = relay
        self.token = token
        self.answers: dict[int, int] = {}  # number → HTTP status, 0 for no answer
        self._lock = threading.Lock()

    def post(self, number: int) -> None:
        to = {"to": LANDLINE} if number % 10 == 9 else {}
        try:
            status = send(self.relay, self.token, number, **to).status_code
        except httpx.TransportError:  # the relay died under the request
            status = 0
        with self._lock:
            self.answers[number] = status

    def count(self, status: int, numbers: range) -> int:
        with self._lock:
            return sum(1 for n in numbers if self.answers.get(n) == status)


def in_flight(relay: RelayProcess) -> float:
    try:
        return relay.metrics().get("smsrelay_dispatch_in_flight", 0.0)
    except httpx.HTTPError:
        return 0.0


def test_after_sigkill_every_accepted_message_goes_out_exactly_once(
    tmp_path: Path,
    database_url: str,  # noqa: F811
) -> None:
    with running_kannel(tmp_path / "kannel", dlr_retries=20) as kannel:
        config = relay_config(
            {"kannel": kannel_gateway(kannel)},
            relay={
                "claim_seconds": 2.0,
                "unconfirmed_grace_seconds": 4.0,
                "database_url": database_url,
            },
        )
        with relay_process(tmp_path / "relay", config) as relay:
            stream = Stream(relay, relay.token())
            kills_mid_send = 0
            with ThreadPoolExecutor(8) as pool:
                for round_ in range(ROUNDS):
                    numbers = range(round_ * PER_ROUND, (round_ + 1) * PER_ROUND)
                    posted = [pool.submit(stream.post, n) for n in numbers]
                    # Kill once half the round is accepted, at a moment sends are in flight.
                    assert wait_until(
                        lambda numbers=numbers: stream.count(202, numbers) >= PER_ROUND // 2,
                        timeout=30,
                        interval=0.01,
                    ), relay.tail()
                    kills_mid_send += wait_until(lambda: in_flight(relay) > 0, 5, interval=0)
                    relay.kill()
                    for future in posted:
                        future.result()
                    relay.start()
                    # The panel sends again what got no answer, with the same key.
                    unanswered = [n for n in numbers if stream.answers[n] == 0]
                    for future in [pool.submit(stream.post, n) for n in unanswered]:
                        future.result()

            accepted = {n for n, status in stream.answers.items() if status == 202}
            refused = {n for n, status in stream.answers.items() if status != 202}
            assert {stream.answers[n] for n in refused} == {422}
            assert refused == {n for n in stream.answers if n % 10 == 9}

            def all_out() -> bool:
                return len(kannel.received()) >= len(accepted)

            assert wait_until(all_out, timeout=60), (
                f"{len(kannel.received())} of {len(accepted)} at the SMS center\n{relay.tail()}"
            )
            token = relay.token()
            assert wait_until(
                lambda: set(statuses(relay, token).values()) == {"delivered"}, timeout=30
            ), Counter(statuses(relay, token).values())
            settled = relay.log_count("was unconfirmed: receipts show")
            # A duplicate would come now, after the last settlement: none may.
            late = kannel.wait_for_messages(
                kannel.received()[0].receiver, len(accepted), settle=1.0
            )

    sent = Counter(number_in(m.data.decode("utf-8", "replace")) for m in late)
    assert sent == Counter(accepted), (
        f"sent twice: {[n for n, c in sent.items() if c > 1]}, "
        f"lost: {sorted(accepted - set(sent))}, not accepted but sent: {set(sent) - accepted}"
    )
    # The kills hit messages mid-send, which the restarted relay settled from receipts.
    assert kills_mid_send >= 1
    assert settled >= 1, "no kill left a message unconfirmed: the hard case was not exercised"
    print(f"\n{len(accepted)} accepted, {settled} unconfirmed after {ROUNDS} kills, all sent once")
