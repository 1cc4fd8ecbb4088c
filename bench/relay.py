"""Messages accepted per second by the relay, against Jasmin, Kannel and the floor.

In one run on this machine: wrk with 50 connections for a fixed time against (1) Kannel's
smsbox ``sendsms`` (bearerbox with a fake SMSC; C, answering from memory: context), (2) Jasmin's
HTTP ``/send`` (bench/jasmin.py: RabbitMQ, Redis, an SMPP connector bound to the SMSC
simulator — the reference), (3) bench/floor.py, the least a Python server must do per message
(the compose check and the durable insert), and (4) the relay on SQLite and on PostgreSQL, with
one process and with ``--workers N`` (one per core), each also with ``--dispatch-process``,
each ``POST /v1/messages`` with its own Idempotency-Key and To number, the dispatcher sending
through the sandbox gateway meanwhile (and, as Jasmin does, over SMPP to the SMSC simulator).
A 202 means durably stored, so afterwards the stored rows are counted and must cover the 202s.
Jasmin's answer means "on a RabbitMQ queue" (not durable); what reached the SMSC is counted
after the queues drained. For both, how long the last accepted message took to go out after
the load stopped gives the rate at which messages were sent, not only accepted. Prints a
Markdown table (also bench/results/relay.md).

The peers are the test suite's own launchers (tests/support/peers): started on 127.0.0.1,
stopped by PID.

Usage: .venv/bin/python bench/relay.py [--seconds 10] [--workers N] [--no-jasmin]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, text  # noqa: E402

from bench.jasmin import VERSION as JASMIN_VERSION  # noqa: E402
from bench.jasmin import running_jasmin  # noqa: E402
from smsrelay.workers import default_workers  # noqa: E402
from tests.support.peers.kannel import running_kannel  # noqa: E402
from tests.support.peers.postgres import start_postgres  # noqa: E402
from tests.support.peers.smsc import Smsc, running_smsc  # noqa: E402
from tests.support.processes import (  # noqa: E402
    free_port,
    start_process,
    stop_process,
    wait_for_port,
    wait_until,
)

RESULTS = ROOT / "bench" / "results"
PYTHON = ROOT / ".venv" / "bin" / "python"
SECRET = "bench-secret-0123456789-0123456789-0123"
TEXT = "Hallo, Ihr Paket kommt morgen zwischen 10 und 12 Uhr. Ihr ACME-Team"
CONNECTIONS = 50


@dataclass
class Run:
    name: str
    requests: int
    seconds: float
    errors: int
    p50_ms: float
    p99_ms: float
    stored: int | None = None
    #: Jasmin: how many reached the SMSC once its queues drained (nothing is stored).
    delivered: int | None = None
    kind: str = ""
    #: How long after the load stopped the last accepted message went out (to the sandbox
    #: gateway, or Jasmin's to the SMSC): what was accepted faster than it was sent.
    drain_seconds: float | None = None

    @property
    def rate(self) -> float:
        return self.requests / self.seconds

    @property
    def sent_rate(self) -> float | None:
        """Accepted messages per second until the last of them was sent."""
        if self.drain_seconds is None:
            return None
        sent = self.stored if self.stored is not None else self.delivered
        return (sent or 0) / (self.seconds + self.drain_seconds)


def wrk(url: str, seconds: int, script: str | None = None) -> Run:
    """Run wrk and read its summary (requests, errors, latency percentiles)."""
    command = ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{seconds}s", "--latency", "--timeout", "10s"]
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as lua:
        lua.write(script or "")
    if script:
        command += ["-s", lua.name]
    output = subprocess.run(
        [*command, url], capture_output=True, text=True, check=True, timeout=seconds + 60
    ).stdout
    os.unlink(lua.name)
    requests = int(re.search(r"(\d+) requests in", output).group(1))  # type: ignore[union-attr]
    duration = re.search(r"requests in ([\d.]+)(m?s)", output)
    seconds_taken = float(duration.group(1)) / (1000 if duration.group(2) == "ms" else 1)  # type: ignore[union-attr]
    errors = int(m.group(1)) if (m := re.search(r"Non-2xx or 3xx responses: (\d+)", output)) else 0
    socket_errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    if socket_errors:
        errors += sum(int(g) for g in socket_errors.groups())
    return Run(
        "", requests, seconds_taken, errors, _percentile(output, "50%"), _percentile(output, "99%")
    )


def _percentile(output: str, label: str) -> float:
    match = re.search(rf"{label}\s+([\d.]+)(us|ms|s)", output)
    if not match:
        return float("nan")
    value, unit = float(match.group(1)), match.group(2)
    return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value


def post_script(token: str) -> str:
    # Each message goes to another German mobile number, as real traffic would: the relay
    # remembers numbers it has checked, and one number over and over would measure only that.
    head = json.dumps({"queue_id": "q", "from": "ACME", "to": "+49151"})[:-1]
    tail = json.dumps({"text": TEXT})[1:]
    return f"""
local counter = 0
function setup(thread) thread:set("prefix", tostring(math.random(1e9))) end
function init(args) math.randomseed(tonumber(prefix)) end
wrk.method = "POST"
function request()
  counter = counter + 1
  local body = [[{head[:-1]}]] .. math.random(10000000, 99999999) .. [[", {tail}]]
  return wrk.format(nil, nil, {{["Content-Type"] = "application/json",
    ["Authorization"] = "Bearer {token}", ["Idempotency-Key"] = prefix .. "-" .. counter}}, body)
end
"""


def jasmin_script(username: str, password: str) -> str:
    # Each message carries its own number in the text (and goes to another number), so the
    # SMSC's records show which messages arrived and none twice.
    query = f"username={username}&password={password}&from=ACME"
    return f"""
local counter = 0
function setup(thread) thread:set("prefix", tostring(math.random(1e9))) end
function init(args) math.randomseed(tonumber(prefix)) end
function request()
  counter = counter + 1
  local to = "&to=49151" .. math.random(10000000, 99999999)
  local text = "&content=Bestellung+%23" .. prefix .. "-" .. counter .. "+ist+unterwegs"
  return wrk.format("GET", wrk.path .. "?{query}" .. to .. text)
end
"""


def run_jasmin(root: Path, seconds: int) -> Run:
    """wrk against Jasmin's /send, then wait until its queues stop draining into the SMSC."""
    with running_smsc(receipt_delay_ms=50) as smsc, running_jasmin(smsc, root) as jasmin:
        run = wrk(jasmin.send_url, seconds, jasmin_script(jasmin.username, jasmin.password))
        stopped = time.monotonic()
        taken: list[int] = []
        last_taken = stopped

        def drained() -> bool:
            nonlocal last_taken
            taken.append(sum(1 for r in smsc.submits() if r["command_status"] == 0))
            if len(taken) < 2 or taken[-1] > taken[-2]:
                last_taken = time.monotonic()
            return taken[-1] >= run.requests - run.errors or (
                len(taken) > 10 and taken[-1] == taken[-11]
            )

        wait_until(drained, 180, interval=0.1)
        run.delivered = taken[-1]
        run.drain_seconds = last_taken - stopped
    run.name = f"Jasmin {JASMIN_VERSION} HTTP `/send` (reference; RabbitMQ, SMPP to the simulator)"
    run.kind = "jasmin"
    return run


def relay_config(
    directory: Path, port: int, database_url: str | None, smsc: Smsc | None = None
) -> Path:
    """The bench tenant's relay; its gateway the sandbox, or SMPP to ``smsc`` as Jasmin's."""
    database = f'database_url = "{database_url}"\n' if database_url else ""
    if smsc is None:
        gateway = '[gateways.sandbox]\ntype = "sandbox"\ndelivery_delay_ms = 500\n'
    else:
        gateway = (
            f'[gateways.smsc]\ntype = "smpp"\nhost = "{smsc.host}"\nport = {smsc.port}\n'
            f'system_id = "{smsc.system_id}"\npassword = "{smsc.password}"\n'
        )
    config = directory / "relay.toml"
    config.write_text(
        f"""
[relay]
public_url = "http://127.0.0.1:{port}"
data_dir = "{directory / "data"}"
{database}
{gateway}
[tenants.bench]
default_region = "DE"
agent_rate_per_minute = 100000000
tenant_rate_per_minute = 100000000
[tenants.bench.token_secrets]
k = "{SECRET}"
[[tenants.bench.senders]]
address = "ACME"
[[tenants.bench.queues]]
id = "q"
senders = ["ACME"]
[[tenants.bench.templates]]
id = "t"
text = "Hallo"
"""
    )
    return config


@contextmanager
def server(directory: Path, port: int, command: list[str | Path]) -> Iterator[str]:
    """Start ``command`` (listening on ``port``), yield its base URL, stop it by PID."""
    log = directory / "server.log"  # a pipe nobody reads would fill and block it
    process = start_process(command, log=log, append=False, cwd=ROOT)
    try:
        if not wait_for_port(port, 30, process=process, interval=0.1):
            tail = log.read_text(errors="replace")[-2000:]
            raise RuntimeError(f"{command[1]} did not start:\n{tail}")
        yield f"http://127.0.0.1:{port}"
    finally:
        stop_process(process, 15)


@contextmanager
def relay(
    directory: Path,
    database_url: str | None,
    workers: int,
    *,
    dispatch_process: bool = False,
    smsc: Smsc | None = None,
) -> Iterator[tuple[str, str]]:
    port = free_port()
    config = relay_config(directory, port, database_url, smsc)
    serve = [PYTHON, "-m", "smsrelay", "serve", "--config", config, "--port", str(port)]
    serve += ["--workers", str(workers)] + (["--dispatch-process"] if dispatch_process else [])
    with server(directory, port, serve) as base:
        # A supervisor listens before its workers serve: wait until every one counts itself.
        processes = workers + dispatch_process
        wait_until(lambda: _processes(base) == processes, 120, interval=0.5)
        mint = ["token", "--config", config, "--tenant", "bench", "--agent", "bench"]
        token = subprocess.run(
            [PYTHON, "-m", "smsrelay", *mint], capture_output=True, text=True, check=True, cwd=ROOT
        ).stdout.strip()
        yield base, token


@contextmanager
def floor(directory: Path) -> Iterator[str]:
    """bench/floor.py with the relay's tenant configuration."""
    port = free_port()
    config = relay_config(directory, port, None)
    database = directory / "floor.db"
    command = [PYTHON, ROOT / "bench" / "floor.py", "--config", config, "--port", str(port)]
    with server(directory, port, [*command, "--database", database]) as base:
        yield base


def _processes(base: str) -> int:
    try:
        with urllib.request.urlopen(f"{base}/metrics", timeout=2) as answer:
            text = answer.read().decode()
    except OSError:
        return 0
    match = re.search(r"^smsrelay_processes (\S+)$", text, re.MULTILINE)
    return int(float(match.group(1))) if match else 0


def drain(database_url: str, run: Run) -> None:
    """Wait until no accepted message is left to send; note how long that took."""
    url = database_url.replace("postgresql://", "postgresql+psycopg://", 1)
    engine = create_engine(url)
    stopped = time.monotonic()
    query = text("SELECT count(*) FROM messages WHERE status = 'queued'")
    with engine.connect() as conn:
        while conn.execute(query).scalar_one() and time.monotonic() - stopped < 300:
            conn.commit()  # a fresh snapshot each time (PostgreSQL)
            time.sleep(0.1)
    run.drain_seconds = time.monotonic() - stopped
    engine.dispose()


def stored_rows(database_url: str) -> int:
    url = database_url.replace("postgresql://", "postgresql+psycopg://", 1)
    engine = create_engine(url)
    with engine.connect() as conn:
        count = conn.execute(text("SELECT count(*) FROM messages")).scalar_one()
    engine.dispose()
    return int(count)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=int, default=10, help="per measurement (default 10)")
    parser.add_argument(
        "--workers", type=int, default=default_workers(), help="for the N-worker rows"
    )
    parser.add_argument("--no-jasmin", action="store_true", help="leave Jasmin out")
    args = parser.parse_args()
    runs: list[Run] = []
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        (root / "kannel").mkdir()
        with running_kannel(root / "kannel") as kannel:
            query = urllib.parse.urlencode(
                {
                    "username": kannel.username,
                    "password": kannel.password,
                    "from": "ACME",
                    "to": "+4915112345678",
                    "text": TEXT,
                }
            )
            run = wrk(f"{kannel.sendsms_url}?{query}", args.seconds)
            run.name = "Kannel smsbox `sendsms` (C, from memory: context)"
            run.kind = "kannel"
            runs.append(run)
        if not args.no_jasmin:
            runs.append(run_jasmin(root / "jasmin", args.seconds))
        (root / "floor").mkdir()
        with floor(root / "floor") as base:
            run = wrk(f"{base}/v1/messages", args.seconds, post_script("-"))
        run.name = "floor: check + durable insert only, in Python (bench/floor.py)"
        run.kind = "floor"
        run.stored = stored_rows(f"sqlite:///{root / 'floor' / 'floor.db'}")
        runs.append(run)
        # (workers, a dispatcher process of its own) per database.
        shapes = sorted({(1, False), (args.workers, False), (1, True), (args.workers, True)})
        sqlite = "relay `POST /v1/messages`, SQLite (WAL, synchronous=FULL)"
        for workers, own in shapes:
            kind = f"sqlite-{workers}{'-d' if own else ''}"
            runs.append(measure(root, kind, sqlite, args.seconds, workers=workers, own=own))
        # As Jasmin sends: SMPP to the SMSC simulator, whose receipts come back the same way.
        with running_smsc(receipt_delay_ms=50) as smsc:
            smpp = "relay, SQLite, SMPP to the simulator as Jasmin"
            for own in (False, True):
                kind = f"smpp-1{'-d' if own else ''}"
                runs.append(measure(root, kind, smpp, args.seconds, own=own, smsc=smsc))
        postgres, stop = start_postgres()
        try:
            for workers, own in sorted({(1, False), (args.workers, False), (1, True)}):
                database = postgres.create_database()
                kind = f"postgres-{workers}{'-d' if own else ''}"
                name = "relay `POST /v1/messages`, PostgreSQL 15"
                run = measure(
                    root, kind, name, args.seconds, workers=workers, own=own, database=database
                )
                runs.append(run)
        finally:
            stop()
    markdown = table(runs, args.workers)
    print(markdown)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "relay.md").write_text(markdown + "\n")
    relays = [r for r in runs if r.kind.startswith(("sqlite", "smpp", "postgres"))]
    relay_ok = all(r.errors == 0 and _durable(r) == "yes" for r in relays)
    return 0 if relay_ok else 1


def measure(
    root: Path,
    kind: str,
    name: str,
    seconds: int,
    *,
    workers: int = 1,
    own: bool = False,
    database: str | None = None,
    smsc: Smsc | None = None,
) -> Run:
    """One relay row: wrk against a relay of this shape, then the wait until what it accepted
    went out, then its stored rows counted."""
    folder = root / kind
    folder.mkdir()
    url = database or f"sqlite:///{folder / 'data' / 'relay.db'}"
    with relay(folder, database, workers, dispatch_process=own, smsc=smsc) as (base, token):
        run = wrk(f"{base}/v1/messages", seconds, post_script(token))
        drain(url, run)
    run.name = f"{name}, {_procs(kind)}"
    run.kind = kind
    run.stored = stored_rows(url)
    return run


def _procs(kind: str) -> str:
    """``sqlite-2-d`` → "2 workers + a dispatcher process"."""
    parts = kind.split("-")
    workers = int(parts[1])
    if len(parts) > 2:
        accepting = "1 worker" if workers == 1 else f"{workers} workers"
        return f"{accepting} + a dispatcher process"
    return "1 process" if workers == 1 else f"{workers} workers"


def _durable(run: Run) -> str:
    # Requests still in flight when wrk stops may be stored without wrk counting their 202, so
    # the promise checked is: no 202 without a stored row.
    return "yes" if run.stored is not None and run.stored >= run.requests - run.errors else "NO"


def table(runs: list[Run], workers: int) -> str:
    by_kind = {run.kind: run for run in runs}
    jasmin, least = by_kind.get("jasmin"), by_kind["floor"]

    def ratio(run: Run, to: Run | None) -> str:
        return f"{run.rate / to.rate:.2f}×" if to else "–"

    def sent(run: Run) -> str:
        if run.sent_rate is None:
            return "–"
        return f"{run.sent_rate:,.0f} (+{run.drain_seconds:.1f} s)"

    lines = [
        f"# Relay benchmark ({CONNECTIONS} concurrent clients, wrk, loopback)",
        "",
        "Sent/s: the accepted messages over the time until the last of them was sent (to the "
        "sandbox gateway, or over SMPP to the SMSC simulator), with how long that took after "
        "the load stopped.",
        "",
        "| Target | Accepted/s | vs Jasmin | vs floor | p50 | p99 | Errors | Sent/s "
        "| durable before the answer |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for run in runs:
        if run.stored is not None:
            durable = f"{_durable(run)} (every 202 stored: {run.stored:,} rows)"
        elif run.kind == "jasmin":
            reached = run.delivered or 0
            durable = (
                f"no (non-durable RabbitMQ queues; {reached:,} of {run.requests - run.errors:,}"
                " reached the SMSC)"
            )
        else:
            durable = "no (in memory)"
        lines.append(
            f"| {run.name} | {run.rate:,.0f} | {ratio(run, jasmin)} | {ratio(run, least)} "
            f"| {run.p50_ms:.1f} ms | {run.p99_ms:.1f} ms | {run.errors} | {sent(run)} "
            f"| {durable} |"
        )
    lines.append("")
    kinds = ["sqlite-1", f"sqlite-{workers}", "sqlite-1-d", f"sqlite-{workers}-d"]
    for kind in dict.fromkeys(kinds):
        run = by_kind.get(kind)
        if run is None:
            continue
        to_jasmin = run.rate / jasmin.rate if jasmin else float("nan")
        to_floor = run.rate / least.rate
        verdict = "meets" if to_jasmin >= 1 and to_floor >= 0.5 else "misses"
        lines.append(
            f"Target (relay on SQLite ≥ 1× Jasmin and ≥ 0.5× the floor), {_procs(kind)}:"
            f" {verdict} ({to_jasmin:.2f}× Jasmin, {to_floor:.2f}× the floor)."
        )
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
