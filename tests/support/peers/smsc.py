"""The SMSC simulator (``smsc_simulator.mjs``, on the npm ``smpp`` package) as a pytest fixture.

Import the fixtures into a test module (``from tests.support.peers.smsc import smsc_fixture,
smsc_server_fixture``): ``smsc_server`` starts one simulator per module on free ports and
stops it by PID at teardown; ``smsc`` is the same simulator reset for each test. Both yield an
:class:`Smsc`, whose ``submits()`` are the submit_sm PDUs it received (``short_message`` as
hex), ``mode(...)`` makes it fail numbers, reject them, drop connections or throttle, and
``reset()`` forgets everything. :func:`running_smsc` starts one for a single test.
"""

from __future__ import annotations

import json
import os
import re
import select
import shutil
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.support.processes import stop_process

SIMULATOR = Path(__file__).with_name("smsc_simulator.mjs")
ROOT = SIMULATOR.parents[3]
SYSTEM_ID = "relay"
PASSWORD = "secret"

STARTUP_TIMEOUT = 10.0
STOP_TIMEOUT = 3.0

_READY = re.compile(rb"READY smpp=(\d+) control=(\d+)")


@dataclass(frozen=True)
class Smsc:
    """A running simulator: where to bind, and its control API."""

    host: str
    port: int
    control_port: int
    system_id: str
    password: str
    pid: int
    #: Where every submit_sm taken is appended as a JSON line (survives restarts), if asked.
    journal: Path | None = None

    def journaled(self) -> list[dict[str, Any]]:
        """Every submit_sm record in the journal, oldest first (as ``submits()`` gives them)."""
        if self.journal is None or not self.journal.exists():
            return []
        lines = self.journal.read_text("utf-8").splitlines()
        return [json.loads(line) for line in lines if line.endswith("}")]

    def submits(self) -> list[dict[str, Any]]:
        """Every submit_sm received, oldest first: ``connection``, ``sequence``,
        ``system_id``, the addresses with TON/NPI, ``esm_class``, ``data_coding``,
        ``registered_delivery``, ``validity_period``, ``short_message`` (hex), the
        ``message_id`` it answered (``None`` when rejected) and ``command_status``."""
        return self._get("/submits")

    def binds(self) -> list[dict[str, Any]]:
        """Every bind attempt: ``connection``, ``kind`` (trx/tx/rx), ``system_id``, ``ok``, and
        for an accepted one the ``enquire_links`` it sent and whether it ``unbound``."""
        return self._get("/binds")

    def receipts(self) -> list[dict[str, Any]]:
        """Every receipt sent: ``message_id``, ``stat``, ``connection`` and the
        deliver_sm_resp ``status`` (``None`` until answered)."""
        return self._get("/receipts")

    def mode(self, **settings: Any) -> dict[str, Any]:
        """Change the mode: ``fail_numbers={number: stat}`` (the final receipt's stat),
        ``reject={number: command_status}``, ``drop_after_submits=n`` (reset every connection
        after answering n more submits), ``throttle=bool`` (ESME_RTHROTTLED for every submit),
        ``throttle_after_submits=n`` (throttle after n more accepted submits),
        ``submit_delay_ms=n`` (answer each submit_sm n ms late: a slow SMSC)."""
        response = httpx.post(self._url("/mode"), json=settings)
        response.raise_for_status()
        return response.json()

    def deliver(
        self,
        sender: str,
        to: str,
        short_message: bytes,
        *,
        data_coding: int = 0,
        esm_class: int = 0,
        connection: int | None = None,
    ) -> int | None:
        """Send a customer's message to the bound ESME (deliver_sm, not a receipt; on the
        bind of ``connection`` if given): the command_status of its deliver_sm_resp, None when
        none came (or nothing is bound)."""
        body = {"from": sender, "to": to, "short_message": short_message.hex(),
                "data_coding": data_coding, "esm_class": esm_class,
                "connection": connection}  # fmt: skip
        response = httpx.post(self._url("/deliver"), json=body, timeout=10)
        status = response.json().get("command_status")
        return None if status is None else int(status)

    def reset(self) -> None:
        httpx.post(self._url("/reset")).raise_for_status()

    def _get(self, path: str) -> Any:
        response = httpx.get(self._url(path))
        response.raise_for_status()
        return response.json()

    def _url(self, path: str) -> str:
        return f"http://{self.host}:{self.control_port}{path}"


@contextmanager
def running_smsc(
    system_id: str = SYSTEM_ID,
    password: str = PASSWORD,
    receipt_delay_ms: int = 50,
    *,
    port: int = 0,
    journal: Path | None = None,
    receipt_tries: int = 5,
    receipt_retry_ms: int | None = None,
) -> Iterator[Smsc]:
    """Start a simulator (on ``port``, else a free one); stop it (SIGTERM, then SIGKILL) on
    exit. ``journal``: a file every submit_sm taken is appended to. A receipt the ESME does
    not take is delivered again up to ``receipt_tries`` times, ``receipt_retry_ms`` apart
    (default: the receipt delay)."""
    node = shutil.which("node")
    if node is None:
        pytest.fail("node is not installed (make bootstrap)")
    if not (ROOT / "node_modules" / "smpp").is_dir():
        pytest.fail("the npm package smpp is not installed (make bootstrap)")
    process = subprocess.Popen(
        [
            node,
            str(SIMULATOR),
            f"--port={port}",
            "--control-port=0",
            f"--system-id={system_id}",
            f"--password={password}",
            f"--receipt-delay-ms={receipt_delay_ms}",
            f"--journal={journal or ''}",
            f"--receipt-tries={receipt_tries}",
            f"--receipt-retry-ms={receipt_retry_ms or receipt_delay_ms}",
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
    )
    try:
        smpp_port, control_port = _wait_ready(process)
        yield Smsc("127.0.0.1", smpp_port, control_port, system_id, password, process.pid, journal)
    finally:
        _stop(process)


def _wait_ready(process: subprocess.Popen[bytes]) -> tuple[int, int]:
    assert process.stdout is not None
    deadline = time.monotonic() + STARTUP_TIMEOUT
    output = b""
    while (match := _READY.search(output)) is None:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            pytest.fail(f"the SMSC simulator was not ready within {STARTUP_TIMEOUT:g} s")
        readable, _, _ = select.select([process.stdout], [], [], remaining)
        chunk = os.read(process.stdout.fileno(), 4096) if readable else b""
        if readable and not chunk:
            pytest.fail(f"the SMSC simulator exited with {process.wait()}: {output!r}")
        output += chunk
    return int(match.group(1)), int(match.group(2))


def _stop(process: subprocess.Popen[bytes]) -> None:
    stop_process(process, STOP_TIMEOUT)
    if process.stdout is not None:
        process.stdout.close()


@pytest.fixture(scope="module", name="smsc_server")
def smsc_server_fixture() -> Iterator[Smsc]:
    """``smsc_server``: one simulator shared by the tests of a module."""
    with running_smsc() as smsc:
        yield smsc


@pytest.fixture(name="smsc")
def smsc_fixture(smsc_server: Smsc) -> Smsc:
    """``smsc``: the module's simulator, reset (nothing recorded, default mode)."""
    smsc_server.reset()
    return smsc_server
