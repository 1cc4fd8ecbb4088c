"""The gateway is down for a while: accepted messages wait, then go out once it is back.

A real Kannel (bearerbox, smsbox, fakesmsc as the SMS center) and the relay as a process. The
relay's gateway is smsbox's sendsms interface; stopping smsbox by PID takes it away while
bearerbox and the SMS center keep running, so what reaches the SMS center is counted across the
outage.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from tests.support.peers.kannel import Kannel, running_kannel
from tests.support.processes import wait_until
from tests.support.relay_process import (
    MOBILE,
    number_in,
    relay_config,
    relay_process,
    send,
    statuses,
)

BEFORE = 5
DURING = 30


def kannel_gateway(kannel: Kannel) -> dict[str, object]:
    return {
        "type": "kannel",
        "sendsms_url": kannel.sendsms_url,
        "username": kannel.username,
        "password": kannel.password,
        "timeout": 5.0,
    }


def sent_numbers(kannel: Kannel) -> Counter[int | None]:
    """How often the SMS center got each message number."""
    return Counter(number_in(m.data.decode("utf-8", "replace")) for m in kannel.received(MOBILE))


def test_messages_wait_while_the_gateway_is_down_and_go_out_once_when_it_is_back(
    tmp_path: Path,
) -> None:
    with running_kannel(tmp_path / "kannel", dlr_retries=5) as kannel:
        config = relay_config({"kannel": kannel_gateway(kannel)})
        with relay_process(tmp_path / "relay", config) as relay:
            token = relay.token()
            for number in range(BEFORE):
                assert send(relay, token, number).status_code == 202
            assert wait_until(lambda: len(kannel.received(MOBILE)) == BEFORE, timeout=15)

            kannel.stop_smsbox()
            retries_before = relay.log_count("retrying msg_")
            answers = [send(relay, token, n) for n in range(BEFORE, BEFORE + DURING)]
            assert [a.status_code for a in answers] == [202] * DURING
            ids = [a.json()["id"] for a in answers]

            # Down for a while: every message was tried and put back several times...
            assert wait_until(
                lambda: relay.log_count("retrying msg_") - retries_before >= 3 * DURING,
                timeout=30,
            ), relay.tail()
            waiting = statuses(relay, token)
            assert {waiting[i] for i in ids} == {"queued"}
            # ...and nothing reached the SMS center.
            assert sum(sent_numbers(kannel).values()) == BEFORE

            kannel.start_smsbox()
            total = BEFORE + DURING
            assert wait_until(lambda: len(kannel.received(MOBILE)) >= total, timeout=30), (
                f"{len(kannel.received(MOBILE))} of {total} reached the SMS center\n{relay.tail()}"
            )
            assert wait_until(
                lambda: set(statuses(relay, token).values()) == {"delivered"}, timeout=30
            ), Counter(statuses(relay, token).values())
            final = statuses(relay, token)

    # None lost, none twice: each number exactly once at the SMS center.
    assert sent_numbers(kannel) == Counter(range(total))
    assert len(final) == total
