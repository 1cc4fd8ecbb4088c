"""Messages accepted per second by the relay, against Kannel's own sendsms accept rate.

In one run on this machine: wrk with 50 connections for a fixed time against (1) Kannel's
smsbox ``sendsms`` (bearerbox with a fake SMSC), (2) the relay on SQLite, (3) bench/floor.py,
the least a Python server must do per message (the compose check and the durable insert), and
(4) the relay on PostgreSQL, each ``POST /v1/messages`` with its own Idempotency-Key and To
number, and the dispatcher sending through the sandbox gateway meanwhile. A 202 means durably
stored, so afterwards the stored rows are counted and must equal the 202s. Prints a Markdown
table (also bench/results/relay.md).

The peers are the test suite's own launchers (tests/support/peers): started on 127.0.0.1,
stopped by PID.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, text  # noqa: E402

from tests.support.peers.kannel import running_kannel  # noqa: E402
from tests.support.peers.postgres import start_postgres  # noqa: E402
from tests.support.processes import (  # noqa: E402
    free_port,
    start_process,
    stop_process,
    wait_for_port,
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

    @property
    def rate(self) -> float:
        return self.requests / self.seconds


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


def relay_config(directory: Path, port: int, database_url: str | None) -> Path:
    database = f'database_url = "{database_url}"\n' if database_url else ""
    config = directory / "relay.toml"
    config.write_text(
        f"""
[relay]
public_url = "http://127.0.0.1:{port}"
data_dir = "{directory / "data"}"
{database}
[gateways.sandbox]
type = "sandbox"
delivery_delay_ms = 500

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
def relay(directory: Path, database_url: str | None) -> Iterator[tuple[str, str]]:
    port = free_port()
    config = relay_config(directory, port, database_url)
    serve = [PYTHON, "-m", "smsrelay", "serve", "--config", config, "--port", str(port)]
    with server(directory, port, serve) as base:
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
            run.name = "Kannel smsbox `sendsms` (reference)"
            runs.append(run)
        (root / "sqlite").mkdir()
        with relay(root / "sqlite", None) as (base, token):
            run = wrk(f"{base}/v1/messages", args.seconds, post_script(token))
        run.name = "relay `POST /v1/messages`, SQLite (WAL, synchronous=FULL)"
        run.stored = stored_rows(f"sqlite:///{root / 'sqlite' / 'data' / 'relay.db'}")
        runs.append(run)
        (root / "floor").mkdir()
        with floor(root / "floor") as base:
            run = wrk(f"{base}/v1/messages", args.seconds, post_script("-"))
        run.name = "floor: check + durable insert only, in Python (bench/floor.py)"
        run.stored = stored_rows(f"sqlite:///{root / 'floor' / 'floor.db'}")
        runs.append(run)
        postgres, stop = start_postgres()
        try:
            database = postgres.create_database()
            (root / "postgres").mkdir()
            with relay(root / "postgres", database) as (base, token):
                run = wrk(f"{base}/v1/messages", args.seconds, post_script(token))
            run.name = "relay `POST /v1/messages`, PostgreSQL 15"
            run.stored = stored_rows(database)
            runs.append(run)
        finally:
            stop()
    print(table(runs))
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "relay.md").write_text(table(runs) + "\n")
    relay_ok = all(r.errors == 0 and _durable(r) == "yes" for r in runs[1:])
    return 0 if relay_ok else 1


def _durable(run: Run) -> str:
    # Requests still in flight when wrk stops may be stored without wrk counting their 202, so
    # the promise checked is: no 202 without a stored row.
    return "yes" if run.stored is not None and run.stored >= run.requests - run.errors else "NO"


def table(runs: list[Run]) -> str:
    kannel = runs[0].rate
    lines = [
        f"# Relay benchmark ({CONNECTIONS} concurrent clients, wrk, loopback)",
        "",
        "| Target | Accepted/s | vs Kannel | p50 | p99 | Errors | every 202 stored |",
        "|---|---:|---:|---:|---:|---:|---|",
    ]
    for run in runs:
        stored = "" if run.stored is None else f"{_durable(run)} ({run.stored:,} rows)"
        lines.append(
            f"| {run.name} | {run.rate:,.0f} | {run.rate / kannel:.2f}× | {run.p50_ms:.1f} ms "
            f"| {run.p99_ms:.1f} ms | {run.errors} | {stored} |"
        )
    sqlite, least = runs[1].rate, runs[2].rate
    verdict = "meets" if sqlite >= kannel else "misses"
    lines += [
        "",
        f"Target: relay on SQLite ≥ Kannel's rate — {verdict} ({sqlite / kannel:.2f}×).",
        f"The floor, a server that only checks and stores, reaches {least / kannel:.2f}× Kannel; "
        f"the relay reaches {sqlite / least:.2f}× the floor.",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
