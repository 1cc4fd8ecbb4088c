"""PostgreSQL stops under a running relay, and comes back.

While it is away, ``POST /v1/messages`` answers 503 with ``Retry-After`` in the one error shape
and stores nothing; sends the SMSC already took cannot be recorded, and the dispatcher keeps
trying — past the ten tries after which it used to give up, and past its lease, which it can no
longer renew. When the database is back the relay records them and sends every stored message
exactly once (counted at the SMSC simulator).
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import httpx
import psycopg

from tests.support.peers.postgres import libpq_url, own_postgres
from tests.support.peers.smsc import Smsc, running_smsc
from tests.support.processes import wait_until
from tests.support.relay_process import (
    number_in,
    relay_config,
    relay_process,
    send,
    statuses,
)

BEFORE = 3
IN_FLIGHT = 8
REFUSED = 4
LEASE_SECONDS = 1.0
#: The old dispatcher gave up recording an outcome after this many tries.
OLD_GIVE_UP = 10


def smpp_gateway(smsc: Smsc) -> dict[str, Any]:
    return {
        "type": "smpp",
        "host": smsc.host,
        "port": smsc.port,
        "system_id": smsc.system_id,
        "password": smsc.password,
        "reconnect_initial": 0.1,
        "reconnect_max": 1.0,
    }


def sent_numbers(records: list[dict[str, Any]]) -> Counter[int | None]:
    """How often the SMSC took each message number."""
    return Counter(
        number_in(bytes.fromhex(r["short_message"]).decode("latin-1"))
        for r in records
        if r["command_status"] == 0
    )


def test_the_database_going_away_refuses_new_messages_and_sends_stored_ones_once(
    tmp_path: Path,
) -> None:
    # The SMSC keeps a receipt the relay could not store and delivers it again, as a real one
    # does for hours; this one for up to a minute.
    smsc_peer = running_smsc(receipt_tries=120, receipt_retry_ms=500)
    with own_postgres() as postgres, smsc_peer as smsc:
        database_url = postgres.server.create_database()
        config = relay_config(
            {"smsc": smpp_gateway(smsc)},
            relay={
                "database_url": database_url,
                "claim_seconds": LEASE_SECONDS,
                "outcome_retry_max_seconds": 0.3,
                "unconfirmed_grace_seconds": 30.0,
            },
        )
        with relay_process(tmp_path / "relay", config) as relay:
            token = relay.token()
            for number in range(BEFORE):
                assert send(relay, token, number).status_code == 202

            # Sends the SMSC takes but answers late: their outcome is due while the DB is away.
            # Late enough that none is answered before the database stops, even on a loaded
            # machine where the eight submits and the stop take seconds.
            assert wait_until(lambda: len(smsc.submits()) == BEFORE, timeout=10)
            smsc.mode(submit_delay_ms=6000)
            in_flight = range(BEFORE, BEFORE + IN_FLIGHT)
            assert [send(relay, token, n).status_code for n in in_flight] == [202] * IN_FLIGHT
            assert wait_until(lambda: len(smsc.submits()) == BEFORE + IN_FLIGHT, timeout=10)
            postgres.stop()

            refused = range(1000, 1000 + REFUSED)
            answers = [send(relay, token, n) for n in refused]
            for answer in answers:
                assert answer.status_code == 503
                assert answer.headers["Retry-After"].isdigit()
                error = answer.json()
                assert set(error) == {"code", "message", "field"}
                assert (error["code"], error["field"]) == ("service.unavailable", None)
                assert "nicht verfügbar" in error["message"]  # the tenant's language
            assert httpx.get(relay.url + "/readyz").status_code == 503

            # Away for longer than the lease, and for more tries than the old give-up.
            def tried_long_enough() -> bool:
                return relay.log_count(f"failed (attempt {OLD_GIVE_UP + 2})") >= IN_FLIGHT

            assert wait_until(tried_long_enough, timeout=30), relay.tail()
            postgres.start()

            assert wait_until(
                lambda: httpx.get(relay.url + "/readyz").status_code == 200, timeout=15
            )
            accepted = BEFORE + IN_FLIGHT
            assert wait_until(
                lambda: Counter(statuses(relay, token).values()) == {"delivered": accepted},
                timeout=30,
            ), (Counter(statuses(relay, token).values()), relay.tail())
            with psycopg.connect(libpq_url(database_url)) as conn:
                stored = conn.execute("SELECT text FROM messages").fetchall()
            # Nothing that was answered 503 was stored.
            assert sorted(number_in(text) for (text,) in stored) == list(range(accepted))

            # The panel sends the refused ones again, with their keys: now they go out.
            smsc.mode(submit_delay_ms=0)
            assert [send(relay, token, n).status_code for n in refused] == [202] * REFUSED
            total = accepted + REFUSED
            assert wait_until(lambda: len(statuses(relay, token)) == total, timeout=10)
            assert wait_until(
                lambda: set(statuses(relay, token).values()) == {"delivered"}, timeout=30
            ), Counter(statuses(relay, token).values())
            # A second send of a message whose outcome was recorded late would come now.
            assert relay.metrics().get("smsrelay_dispatch_in_flight") == 0
            records = smsc.submits()

    assert sent_numbers(records) == Counter([*range(accepted), *refused])
