"""The Twilio-compatible fake (:mod:`.twilio_fake`) as a peer process for tests: started on a
free 127.0.0.1 port, stopped by its PID, and a client for what it saw and what it can do
(settings, a customer's incoming message)."""

from __future__ import annotations

import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.support.peers.twilio_fake import ACCOUNT_SID, AUTH_TOKEN
from tests.support.processes import stop_process

__all__ = ["TwilioFakeClient", "run_twilio_fake", "twilio_fake"]

#: The fake runs as a script of its own, so its process imports nothing of the tests.
SCRIPT = Path(__file__).with_name("twilio_fake.py")


@dataclass
class TwilioFakeClient:
    """A running fake: where it listens, its credentials, and what it saw."""

    base_url: str
    sid: str
    token: str
    pid: int

    def _get(self, path: str) -> Any:
        # Generous: under a test's full load (two relays sending 2,000 messages and taking their
        # callbacks, on two cores) the fake's one event loop has answered this in over 5 s.
        response = httpx.get(self.base_url + path, timeout=30.0)
        response.raise_for_status()
        return response.json()

    def requests(self) -> list[dict[str, Any]]:
        """Every create-message request received, oldest first, with the answer given."""
        return self._get("/_fake/requests")

    def callbacks(self) -> list[dict[str, Any]]:
        """Every StatusCallback sent (url, params, and the receiver's status or an error)."""
        return self._get("/_fake/callbacks")

    def configure(
        self,
        *,
        delay: float | None = None,
        callback_delay: float | None = None,
        fail: list[int] | None = None,
    ) -> None:
        """Delay answers by ``delay`` seconds; answer the next requests with ``fail``'s
        HTTP statuses (Twilio error JSON); space StatusCallbacks by ``callback_delay``."""
        settings: dict[str, Any] = {}
        if delay is not None:
            settings["delay"] = delay
        if callback_delay is not None:
            settings["callback_delay"] = callback_delay
        if fail is not None:
            settings["fail"] = fail
        httpx.post(self.base_url + "/_fake/settings", json=settings, timeout=5.0)

    def send_incoming(
        self, url: str, sender: str, to: str, body: str, *, sid: str | None = None
    ) -> dict[str, Any]:
        """A customer texts ``to``: the fake posts Twilio's signed incoming-message webhook to
        ``url`` (``sid``: the same message again). What the receiver answered: ``sid``,
        ``status`` and ``response`` (or ``error``)."""
        order = {"url": url, "from": sender, "to": to, "body": body, "sid": sid}
        response = httpx.post(self.base_url + "/_fake/incoming", json=order, timeout=30.0)
        response.raise_for_status()
        result: dict[str, Any] = response.json()
        return result

    def reset(self) -> None:
        httpx.post(self.base_url + "/_fake/reset", timeout=5.0).raise_for_status()


@contextmanager
def run_twilio_fake(
    account_sid: str = ACCOUNT_SID, auth_token: str = AUTH_TOKEN, startup_timeout: float = 15.0
) -> Iterator[TwilioFakeClient]:
    """Start the fake in a subprocess on a free 127.0.0.1 port, wait until it answers, yield a
    client, then stop it by its PID.

    The listening socket is bound here and handed to the child, so the port cannot be taken
    in between and connections made before the child is up simply wait in the backlog.
    """
    with tempfile.TemporaryFile() as log:
        # Closed here once the child holds its own copy of the listening socket.
        with socket.create_server(("127.0.0.1", 0)) as sock:
            port = sock.getsockname()[1]
            command = [sys.executable, str(SCRIPT), "--fd", str(sock.fileno())]
            command += ["--account-sid", account_sid, "--auth-token", auth_token]
            process = subprocess.Popen(
                command, pass_fds=(sock.fileno(),), stdout=log, stderr=subprocess.STDOUT
            )
        client = TwilioFakeClient(f"http://127.0.0.1:{port}", account_sid, auth_token, process.pid)
        try:
            _wait_ready(client, process, startup_timeout, log)
            yield client
        finally:
            stop_process(process, 5)


def _wait_ready(
    client: TwilioFakeClient, process: subprocess.Popen[bytes], timeout: float, log: Any
) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            break
        try:
            if httpx.get(client.base_url + "/_fake/health", timeout=1.0).status_code == 200:
                return
        except httpx.HTTPError:
            time.sleep(0.05)
    log.seek(0)
    output = log.read().decode("utf-8", "replace")
    raise RuntimeError(f"Twilio fake (pid {process.pid}) did not start:\n{output}")


@pytest.fixture(scope="module")
def twilio_fake() -> Iterator[TwilioFakeClient]:
    """The Twilio fake as a separate process, shared by a test module (``reset()`` between
    tests that change its settings)."""
    with run_twilio_fake() as fake:
        yield fake
