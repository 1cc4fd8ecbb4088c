"""Two relay processes on one PostgreSQL database, sending through one Twilio fake.

Behind a load balancer every relay accepts messages and every relay's dispatcher claims from
the same table. The promise: every accepted message reaches the gateway exactly once, whichever
relay took it and whichever claimed it. Everything here is a real process — PostgreSQL, the
Twilio fake and both relays (``python -m smsrelay serve``) — so nothing is shared but the
database and the network.
"""

from __future__ import annotations

import asyncio
import json
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import psycopg
import pytest

from smsrelay.auth import mint_token
from smsrelay.settings import load_settings
from smsrelay.storage import SqlStore
from tests.support.peers.postgres import libpq_url, postgres_database  # noqa: F401
from tests.support.peers.twilio import TwilioFakeClient, twilio_fake  # noqa: F401
from tests.support.processes import free_port, start_process, stop_process, wait_until
from tests.support.relaykit import SECRET

MESSAGES = 2_000
IN_FLIGHT = 20
AGENTS = 10
SENDER = "+4989123456"
MOBILE = "+4915112345678"


@dataclass
class RelayProcess:
    name: str
    url: str
    config: Path
    process: subprocess.Popen[bytes]
    log: Path

    @property
    def pid(self) -> int:
        return self.process.pid

    def log_tail(self, lines: int = 40) -> str:
        return "\n".join(self.log.read_text("utf-8", "replace").splitlines()[-lines:])

    def metrics(self) -> dict[str, float]:
        """The relay's Prometheus samples, by name and labels."""
        samples: dict[str, float] = {}
        for line in httpx.get(self.url + "/metrics", timeout=5.0).text.splitlines():
            if line and not line.startswith("#"):
                name, _, value = line.rpartition(" ")
                samples[name] = float(value)
        return samples


def relay_toml(*, public_url: str, database_url: str, fake: TwilioFakeClient) -> str:
    def q(value: str) -> str:  # a TOML basic string (JSON's escapes are TOML's)
        return json.dumps(value)

    return f"""\
[relay]
public_url = {q(public_url)}
database_url = {q(database_url)}
dispatch_batch = 20

[gateways.twilio]
type = "twilio"
account_sid = {q(fake.sid)}
auth_token = {q(fake.token)}
base_url = {q(fake.base_url)}
# The fake's one event loop, making 4,000 status callbacks meanwhile, has taken over the
# default 10 s to answer a create on two busy cores; a read timeout is an unknown outcome,
# which the relay fails rather than risk a double send (tests/integration/gateways cover that case).
timeout = 60

[tenants.acme]
default_region = "DE"
allowed_countries = ["DE"]
token_secrets = {{ k1 = {q(SECRET)} }}
agent_rate_per_minute = 100000
tenant_rate_per_minute = 100000
senders = [{{ address = {q(SENDER)}, gateway = "twilio" }}]
queues = [{{ id = "service", senders = [{q(SENDER)}] }}]
templates = [{{ id = "shipped", text = "Ihre Bestellung ist unterwegs." }}]
"""


def start_relay(name: str, folder: Path, database_url: str, fake: TwilioFakeClient) -> RelayProcess:
    """``python -m smsrelay serve`` on a free port; its receipts (StatusCallbacks) come back to
    its own public URL, so the fake's records tell which relay sent each message."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    config = folder / f"{name}.toml"
    config.write_text(relay_toml(public_url=url, database_url=database_url, fake=fake), "utf-8")
    log = folder / f"{name}.log"
    command = [sys.executable, "-m", "smsrelay", "serve", "--config", str(config)]
    command += ["--port", str(port), "--workers", "1"]  # two relays, one process each
    process = start_process(command, log=log, append=False, cwd=folder)
    return RelayProcess(name, url, config, process, log)


def wait_ready(relay: RelayProcess, timeout: float = 30.0) -> str | None:
    """None once /readyz answers 200; else what went wrong."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if relay.process.poll() is not None:
            return f"relay {relay.name} (pid {relay.pid}) exited with {relay.process.returncode}"
        try:
            if httpx.get(relay.url + "/readyz", timeout=1.0).status_code == 200:
                return None
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    return f"relay {relay.name} (pid {relay.pid}) not ready after {timeout:.0f} s"


def stop_relay(relay: RelayProcess, timeout: float = 15.0) -> None:
    """SIGTERM (uvicorn's graceful shutdown: the dispatcher finishes its sends), then SIGKILL."""
    stop_process(relay.process, timeout)


@contextmanager
def running_relays(
    folder: Path, database_url: str, fake: TwilioFakeClient, count: int = 2
) -> Iterator[list[RelayProcess]]:
    """Relays started together, stopped by PID whatever happens."""
    with ExitStack() as stack:
        relays = []
        for i in range(count):
            relay = start_relay(f"relay-{'ab'[i]}", folder, database_url, fake)
            stack.callback(stop_relay, relay)
            relays.append(relay)
        yield relays


def require_ready(relays: list[RelayProcess]) -> None:
    for relay in relays:
        problem = wait_ready(relay)
        if problem is not None:
            pytest.fail(f"{problem}\n--- {relay.name} log ---\n{relay.log_tail()}", pytrace=False)


async def post_all(
    relays: list[RelayProcess], tokens: list[str], count: int
) -> list[tuple[int, str, dict[str, Any]]]:
    """POST ``count`` messages, alternating between the relays, ``IN_FLIGHT`` at a time.
    Returns (number, relay name, answer) in posting order."""
    slots = asyncio.Semaphore(IN_FLIGHT)
    limits = httpx.Limits(max_connections=IN_FLIGHT, max_keepalive_connections=IN_FLIGHT)

    async with httpx.AsyncClient(timeout=30.0, limits=limits) as http:

        async def post(number: int) -> tuple[int, str, dict[str, Any]]:
            relay = relays[number % len(relays)]
            body = {
                "queue_id": "service",
                "from": SENDER,
                "to": MOBILE,
                "text": f"Ihre Bestellung #{number:05d} ist unterwegs.",
            }
            headers = {
                "Authorization": f"Bearer {tokens[number % len(tokens)]}",
                "Idempotency-Key": f"two-relays-{number}",
            }
            async with slots:
                response = await http.post(relay.url + "/v1/messages", json=body, headers=headers)
            return number, relay.name, {**response.json(), "http": response.status_code}

        return await asyncio.gather(*(post(n) for n in range(count)))


@pytest.mark.alone  # two relays, PostgreSQL and the Twilio fake keep both cores busy
def test_two_relays_on_one_database_send_every_message_exactly_once(
    postgres_database: Callable[[], str],  # noqa: F811
    twilio_fake: TwilioFakeClient,  # noqa: F811
    tmp_path: Path,
) -> None:
    started = time.monotonic()
    database_url = postgres_database()
    # The schema first: two relays migrating an empty database at once collide (see below).
    schema = SqlStore(database_url)
    schema.create_schema()
    schema.close()
    twilio_fake.reset()

    with running_relays(tmp_path, database_url, twilio_fake) as relays:
        require_ready(relays)
        settings = load_settings(relays[0].config)
        tokens = [
            mint_token(settings, tenant="acme", agent=f"agent-{i}", ttl_seconds=3600)
            for i in range(AGENTS)
        ]
        posting = time.monotonic()
        answers = asyncio.run(post_all(relays, tokens, MESSAGES))
        posted_in = time.monotonic() - posting

        refused = [(n, a) for n, _, a in answers if a["http"] != 202]
        assert not refused, f"{len(refused)} not accepted, e.g. {refused[:3]}"
        message_of = {n: a["id"] for n, _, a in answers}
        ids = set(message_of.values())
        assert len(ids) == MESSAGES

        seen: list[dict[str, Any]] = []

        def all_sent() -> bool:
            seen[:] = twilio_fake.requests()
            return len(seen) >= MESSAGES

        # Generous: about 1 s on a quiet machine, but the bound is only there to stop a broken run.
        assert wait_until(all_sent, timeout=240.0, interval=1.0), (
            f"the Twilio fake got {len(seen)} of {MESSAGES} messages"
        )
        sent_in = time.monotonic() - posting

        dsn = libpq_url(database_url)

        def rows() -> dict[str, tuple[str, list[str]]]:
            with psycopg.connect(dsn) as conn:
                found = conn.execute("SELECT id, status, gateway_ids FROM messages").fetchall()
            return {i: (status, json.loads(sids)) for i, status, sids in found}

        def all_delivered() -> bool:
            return all(status == "delivered" for status, _ in rows().values())

        delivered = wait_until(all_delivered, timeout=120.0, interval=0.5)
        time.sleep(1.0)  # a late duplicate would show up now
        seen = twilio_fake.requests()
        metrics = {relay.name: relay.metrics() for relay in relays}

    stopped = time.monotonic()
    for relay in relays:
        # uvicorn ends a graceful shutdown by re-raising the SIGTERM it caught.
        assert relay.process.returncode in (0, -signal.SIGTERM), relay.log_tail()
        assert "Application shutdown complete" in relay.log_tail(), relay.log_tail()

    # Exactly once at the gateway: by the message id in the StatusCallback URL and by the text.
    assert {r["status"] for r in seen} == {201}

    def message_id(request: dict[str, Any]) -> str:
        return parse_qs(urlsplit(request["form"]["StatusCallback"]).query)["message_id"][0]

    times_sent = Counter(message_id(r) for r in seen)
    assert set(times_sent) == ids
    assert set(times_sent.values()) == {1}, times_sent.most_common(3)
    request_of = {message_id(r): r for r in seen}
    for number, sent_id in message_of.items():
        assert f"#{number:05d} " in request_of[sent_id]["form"]["Body"]

    # Both relays dispatched: each request's StatusCallback names the relay that sent it.
    sent_by = Counter(
        relay.name
        for r in seen
        for relay in relays
        if r["form"]["StatusCallback"].startswith(relay.url + "/")
    )
    assert set(sent_by) == {"relay-a", "relay-b"}, sent_by
    assert sum(sent_by.values()) == MESSAGES

    # The database agrees: each message recorded the one Twilio SID it was given.
    sid_of = {i: json.loads(r["response"])["sid"] for i, r in request_of.items()}
    stored = rows()
    assert set(stored) == ids
    assert {status for status, _ in stored.values()} <= {"submitted", "delivered"}
    assert all(gateway_ids == [sid_of[i]] for i, (_, gateway_ids) in stored.items())
    assert delivered, Counter(status for status, _ in stored.values())
    accepted = {
        name: sum(v for k, v in samples.items() if k.startswith("smsrelay_messages_accepted_total"))
        for name, samples in metrics.items()
    }
    assert accepted == {"relay-a": MESSAGES / 2, "relay-b": MESSAGES / 2}

    print(
        f"\n{MESSAGES} messages: posted in {posted_in:.1f} s, all at the fake after"
        f" {sent_in:.1f} s; sent by {dict(sent_by)}; whole test {stopped - started:.1f} s"
    )


def test_two_relays_starting_together_on_an_empty_database_both_come_up(
    postgres_database: Callable[[], str],  # noqa: F811
    twilio_fake: TwilioFakeClient,  # noqa: F811
    tmp_path: Path,
) -> None:
    database_url = postgres_database()
    dsn = libpq_url(database_url)
    # Hold the relays at their first look at alembic_version (created empty, as Alembic's first
    # step does), so that without a migration lock both find the database unmigrated, as two
    # relays started by one deployment did about half of the time; with the lock, the second
    # waits for it instead. Either way two sessions wait before the gate opens.
    with psycopg.connect(dsn) as gate:
        gate.execute(
            "CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL,"
            " CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num))"
        )
        gate.commit()
        gate.execute("LOCK TABLE alembic_version IN ACCESS EXCLUSIVE MODE")
        with running_relays(tmp_path, database_url, twilio_fake) as relays:

            def both_waiting() -> bool:
                with psycopg.connect(dsn, autocommit=True) as watcher:
                    row = watcher.execute(
                        "SELECT count(*) FROM pg_stat_activity"
                        " WHERE datname = current_database() AND wait_event_type = 'Lock'"
                    ).fetchone()
                return row is not None and row[0] >= 2

            assert wait_until(both_waiting, timeout=30.0, interval=0.1), "relays never waited"
            gate.rollback()  # let both go on at once
            problems = [wait_ready(relay) for relay in relays]
            logs = "\n".join(f"--- {r.name} ---\n{r.log_tail(8)}" for r in relays)
            assert problems == [None, None], f"{problems}\n{logs}"
            with psycopg.connect(dsn) as conn:
                assert conn.execute("SELECT count(*) FROM messages").fetchone() == (0,)
