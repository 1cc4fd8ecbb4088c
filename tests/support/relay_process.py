"""The relay as its own process (``python -m smsrelay serve``), for the fault and load tests.

A fault test needs what only a process has: a PID to SIGKILL, a resident set size to watch, a
port a gateway calls back on, and a restart on the same port and database. The configuration is
written as the TOML file an operator writes; tokens are minted with the tenant's secret.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from smsrelay.auth import mint_token
from smsrelay.settings import load_settings
from tests.support.processes import free_port, start_process, stop_process

SECRET = "fault-secret-0123456789-0123456789-abcdef"
CALLBACK_SECRET = "fault-callback-0123456789-0123456789-abc"
SENDER = "ACME"
MOBILE = "+4915112345678"
STARTUP_TIMEOUT = 30.0
STOP_TIMEOUT = 20.0

#: The number every test text carries, so a peer's records say which message they are.
_NUMBER = re.compile(r"#(\d{6})\b")


def text_of(number: int) -> str:
    """A one-part GSM text naming its message; only characters that read the same in GSM
    septets and Latin-1, so a peer's raw bytes can be read back."""
    return f"Bestellung #{number:06d} ist unterwegs. Ihr ACME Team"


def number_in(text: str) -> int | None:
    match = _NUMBER.search(text)
    return int(match.group(1)) if match else None


def relay_config(
    gateways: Mapping[str, Mapping[str, Any]],
    *,
    relay: Mapping[str, Any] | None = None,
    **tenant: Any,
) -> dict[str, Any]:
    """One tenant ``acme`` with the sender ``ACME`` on the first gateway and a queue
    ``service``; rate limits out of the way (they are tested elsewhere)."""
    first = next(iter(gateways))
    return {
        "relay": {
            "callback_secret": CALLBACK_SECRET,
            "retry_base_seconds": 0.2,
            "retry_max_seconds": 1.0,
            "max_attempts": 1000,
            **(relay or {}),
        },
        "gateways": {name: dict(options) for name, options in gateways.items()},
        "tenants": {
            "acme": {
                "default_region": "DE",
                "allowed_countries": ["DE"],
                "max_segments": 5,
                "agent_rate_per_minute": 1_000_000,
                "tenant_rate_per_minute": 1_000_000,
                "token_secrets": {"k1": SECRET},
                "senders": [{"address": SENDER, "gateway": first}],
                "queues": [{"id": "service", "senders": [SENDER]}],
                "templates": [{"id": "hi", "text": "Hallo"}],
                **tenant,
            }
        },
    }


def toml_text(data: Mapping[str, Any], prefix: str = "") -> str:
    """The TOML an operator would write for ``data`` (tables, arrays of tables, scalars and
    lists of scalars; JSON's string and number syntax is TOML's)."""
    lines: list[str] = []
    tables: list[tuple[str, Mapping[str, Any]]] = []
    arrays: list[tuple[str, list[Mapping[str, Any]]]] = []
    for key, value in data.items():
        name = f"{prefix}.{key}" if prefix else key
        if isinstance(value, Mapping):
            tables.append((name, value))
        elif isinstance(value, list) and value and all(isinstance(v, Mapping) for v in value):
            arrays.append((name, value))
        else:
            lines.append(f"{json.dumps(key)} = {json.dumps(value)}")
    text = "\n".join(lines) + "\n"
    for name, table in tables:
        text += f"\n[{name}]\n" + toml_text(table, name)
    for name, items in arrays:
        for item in items:
            text += f"\n[[{name}]]\n" + toml_text(item, name)
    return text


@dataclass
class RelayProcess:
    """A relay process: started, killed, restarted on the same port, data and log."""

    folder: Path
    port: int
    config: Path
    log: Path
    process: subprocess.Popen[bytes] | None = None
    starts: int = 0
    #: ``serve --workers``: 1 is one process (its PID is the relay's), more a supervisor.
    workers: int = 1
    #: ``serve --dispatch-process``: one more process, which sends what the workers accept.
    dispatch_process: bool = False

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    def start(self) -> None:
        command = [sys.executable, "-m", "smsrelay", "serve", "--config", str(self.config)]
        command += ["--port", str(self.port), "--data-dir", str(self.folder / "data")]
        command += ["--workers", str(self.workers)]
        command += ["--dispatch-process"] if self.dispatch_process else []
        with self.log.open("ab") as out:
            out.write(f"\n=== start {self.starts + 1} ===\n".encode())
        self.process = start_process(command, log=self.log, cwd=self.folder)
        self.starts += 1
        self.wait_ready()

    def wait_ready(self, timeout: float = STARTUP_TIMEOUT) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.process is not None
            if self.process.poll() is not None:
                raise AssertionError(f"relay exited with {self.process.returncode}:\n{self.tail()}")
            try:
                processes = self.workers + self.dispatch_process
                if processes == 1:
                    if httpx.get(self.url + "/healthz", timeout=1.0).status_code == 200:
                        return
                elif self.metrics().get("smsrelay_processes") == processes:
                    return  # every worker serves (and counts itself in the sum)
            except httpx.HTTPError:
                pass
            time.sleep(0.05)
        raise AssertionError(f"relay not up after {timeout:.0f} s:\n{self.tail()}")

    def kill(self) -> None:
        """SIGKILL: no shutdown, nothing flushed, leases left as they were."""
        if self.process is not None:
            stop_process(self.process, STOP_TIMEOUT, first=signal.SIGKILL)

    def stop(self) -> None:
        """SIGTERM (a graceful shutdown), then SIGKILL if it does not end."""
        if self.process is not None:
            stop_process(self.process, STOP_TIMEOUT)

    def processes(self) -> list[int]:
        """The relay's PID and, under a supervisor, its workers' (and dispatcher's)."""
        found = [self.pid]
        with contextlib.suppress(OSError):
            children = Path(f"/proc/{self.pid}/task/{self.pid}/children").read_text()
            found += [int(pid) for pid in children.split()]
        return found

    def rss_mib(self) -> float:
        """The resident set size of the relay's processes now."""
        kib = 0
        for pid in self.processes():
            with contextlib.suppress(OSError):
                status = Path(f"/proc/{pid}/status").read_text()
                kib += int(re.search(r"VmRSS:\s+(\d+) kB", status).group(1))  # type: ignore[union-attr]
        return kib / 1024

    def cpu_seconds(self) -> tuple[float, float]:
        """(CPU time used, time spent runnable but waiting for a CPU) by the relay's processes'
        threads so far: a shared machine shows in the second."""
        ticks = os.sysconf("SC_CLK_TCK")
        used = waited = 0.0
        for pid in self.processes():
            with contextlib.suppress(OSError):
                fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
                used += (int(fields[11]) + int(fields[12])) / ticks  # utime, stime
                for task in Path(f"/proc/{pid}/task").iterdir():
                    with contextlib.suppress(OSError):
                        waited += int((task / "schedstat").read_text().split()[1]) / 1e9
        return used, waited

    def metrics(self) -> dict[str, float]:
        samples: dict[str, float] = {}
        for line in httpx.get(self.url + "/metrics", timeout=5.0).text.splitlines():
            if line and not line.startswith("#"):
                name, _, value = line.rpartition(" ")
                samples[name] = float(value)
        return samples

    def token(self, agent: str = "agent-1") -> str:
        settings = load_settings(self.config)
        return mint_token(settings, tenant="acme", agent=agent, ttl_seconds=3600)

    def tail(self, lines: int = 60) -> str:
        text = self.log.read_text("utf-8", "replace") if self.log.exists() else ""
        return "\n".join(text.splitlines()[-lines:])

    def log_count(self, needle: str) -> int:
        return self.log.read_text("utf-8", "replace").count(needle)


@contextmanager
def relay_process(
    folder: Path,
    config: dict[str, Any],
    *,
    port: int | None = None,
    workers: int = 1,
    dispatch_process: bool = False,
) -> Iterator[RelayProcess]:
    """A started relay on ``port`` (else a free one) whose public URL is its own address;
    stopped by PID at the end, whatever happened. One process unless ``workers`` or
    ``dispatch_process`` say more."""
    port = port or free_port()
    config = {**config, "relay": {"public_url": f"http://127.0.0.1:{port}", **config["relay"]}}
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "relay.toml"
    path.write_text(toml_text(config), "utf-8")
    log = folder / "relay.log"
    relay = RelayProcess(
        folder, port, path, log, workers=workers, dispatch_process=dispatch_process
    )
    try:
        relay.start()
        yield relay
    finally:
        relay.stop()


def headers(token: str, key: str | None = None) -> dict[str, str]:
    found = {"Authorization": f"Bearer {token}"}
    if key is not None:
        found["Idempotency-Key"] = key
    return found


def body(number: int, to: str = MOBILE) -> dict[str, str]:
    return {"queue_id": "service", "from": SENDER, "to": to, "text": text_of(number)}


def send(relay: RelayProcess, token: str, number: int, **overrides: str) -> httpx.Response:
    """POST one message, its Idempotency-Key derived from its number."""
    return httpx.post(
        relay.url + "/v1/messages",
        json={**body(number), **overrides},
        headers=headers(token, f"key-{number}"),
        timeout=30.0,
    )


def statuses(relay: RelayProcess, token: str) -> dict[str, str]:
    """Message id → status of the agent's messages."""
    return {message_id: item["status"] for message_id, item in history(relay, token).items()}


def history(relay: RelayProcess, token: str, limit: int = 100) -> dict[str, dict[str, Any]]:
    """Message id → the message, for every message of the agent (every page)."""
    found: dict[str, dict[str, Any]] = {}
    before: str | None = None
    while True:
        params: dict[str, Any] = {"limit": limit}
        if before:
            params["before"] = before
        page = httpx.get(
            relay.url + "/v1/messages", params=params, headers=headers(token), timeout=30.0
        ).json()
        found.update({item["id"]: item for item in page["items"]})
        before = page["next"]
        if not before:
            return found


def message(relay: RelayProcess, token: str, message_id: str) -> dict[str, Any]:
    """``GET /v1/messages/{id}``: the message as the agent sees it."""
    answer = httpx.get(f"{relay.url}/v1/messages/{message_id}", headers=headers(token), timeout=30)
    answer.raise_for_status()
    return answer.json()


class EventStream:
    """An agent following ``GET /v1/events`` from the start, in a thread, as a browser's
    EventSource does: every ``status`` event it got, in order."""

    def __init__(self, relay: RelayProcess, token: str) -> None:
        self.events: list[dict[str, Any]] = []
        self.error: BaseException | None = None
        self._stop = threading.Event()
        self._url = f"{relay.url}/v1/events"
        self._headers = headers(token)
        self._thread = threading.Thread(target=self._follow, daemon=True)

    def __enter__(self) -> EventStream:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        self._thread.join(5)

    def of(self, message_id: str) -> list[str]:
        """The statuses streamed for one message, in order."""
        return [e["status"] for e in list(self.events) if e["id"] == message_id]

    def _follow(self) -> None:
        # A read timeout ends a quiet connection, and the stream is resumed from the last event
        # id, as EventSource does after any break: so stopping never waits long.
        timeout = httpx.Timeout(5.0, read=1.0)
        last = "0"
        while not self._stop.is_set():
            try:
                with httpx.stream(
                    "GET",
                    self._url,
                    headers={**self._headers, "Last-Event-ID": last},
                    timeout=timeout,
                ) as answer:
                    answer.raise_for_status()
                    for line in answer.iter_lines():
                        if line.startswith("id: "):
                            last = line[4:]
                        elif line.startswith("data: "):
                            self.events.append(json.loads(line[6:]))
                        if self._stop.is_set():
                            return
            except httpx.ReadTimeout:
                continue
            except Exception as error:
                self.error = error
                return


async def post_each(
    relay: RelayProcess, token: str, numbers: Iterable[int], *, clients: int, key: str
) -> Counter[int]:
    """POST each number's message once, ``clients`` at a time, each client on a connection of
    its own (so the kernel spreads them over a supervisor's workers); the status codes.
    Idempotency-Keys are ``{key}-{number}``."""
    waiting = iter(numbers)
    answers: Counter[int] = Counter()

    async def client() -> None:
        limits = httpx.Limits(max_connections=1)
        async with httpx.AsyncClient(base_url=relay.url, limits=limits, timeout=30) as http:
            for number in waiting:
                answer = await http.post(
                    "/v1/messages", json=body(number), headers=headers(token, f"{key}-{number}")
                )
                answers[answer.status_code] += 1

    await asyncio.gather(*(client() for _ in range(clients)))
    return answers
