"""A CRM's webhook receiver, run as its own process like a real peer: it verifies every request
with the ``standardwebhooks`` package from PyPI — what a CRM would install — and counts what
it got.

- ``POST /hooks/{name}``: verified with the configured secret (signature over ``webhook-id``,
  ``webhook-timestamp`` and the body; the library refuses timestamps more than five minutes
  off). A refused request is answered 400 and kept with the library's reason; a verified one
  is kept (headers, raw body, the parsed event, when it arrived) and answered 204 — or with the
  configured failure status while ``fail_until`` (Unix time) lies ahead, as a CRM that is down;
  after ``delay`` seconds, as a slow one (what it got is kept before it answers).
- ``POST /_receiver/settings`` ``{"secret", "fail_status", "fail_until", "delay",
  "clock_offset"}``;
  ``clock_offset`` (seconds) moves the clock the library checks timestamps against, so a test
  can replay a captured request "six minutes later" without waiting.
- ``GET /_receiver/received``, ``GET /_receiver/refused``, ``POST /_receiver/reset``.

Start it with :func:`run_webhook_receiver` (a context manager: a free port on 127.0.0.1,
stopped by its PID), or by hand: ``python tests/support/peers/webhook_receiver.py --port 8766
--secret whsec_…``.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import httpx
import standardwebhooks.webhooks as library
from standardwebhooks.webhooks import Webhook, WebhookVerificationError
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route


class _Clock(datetime):
    """The library's clock, movable by ``clock_offset`` (it calls ``datetime.now``)."""

    offset = 0.0

    @classmethod
    def now(cls, tz: Any = None) -> Any:
        return datetime.now(tz) + timedelta(seconds=cls.offset)


library.datetime = _Clock  # type: ignore[misc]


class Receiver:
    def __init__(self, secret: str) -> None:
        self.secret = secret
        self.received: list[dict[str, Any]] = []
        self.refused: list[dict[str, Any]] = []
        self.fail_status = 500
        self.fail_until = 0.0
        self.delay = 0.0
        #: Requests answered with the failure status (verified, not kept as received).
        self.failed = 0

    def app(self) -> Starlette:
        return Starlette(
            routes=[
                Route("/hooks/{name}", self.hook, methods=["POST"]),
                Route("/_receiver/health", self.health),
                Route("/_receiver/received", self.list_received),
                Route("/_receiver/refused", self.list_refused),
                Route("/_receiver/settings", self.settings, methods=["POST"]),
                Route("/_receiver/reset", self.reset, methods=["POST"]),
            ]
        )

    async def hook(self, request: Request) -> Response:
        arrived = time.time()
        raw = await request.body()
        headers = {k: v for k, v in request.headers.items() if k.startswith("webhook-")}
        try:
            event = Webhook(self.secret).verify(raw, dict(request.headers))
        except WebhookVerificationError as error:
            self.refused.append({"reason": str(error), "headers": headers, "at": arrived})
            return JSONResponse({"error": str(error)}, status_code=400)
        if arrived < self.fail_until:
            self.failed += 1
            return JSONResponse({"error": "down for maintenance"}, status_code=self.fail_status)
        self.received.append(
            {
                "hook": request.path_params["name"],
                "headers": headers,
                "body": raw.decode("utf-8"),
                "event": event,
                "arrived": arrived,
            }
        )
        if self.delay:
            await asyncio.sleep(self.delay)
        return Response(status_code=204)

    async def health(self, request: Request) -> Response:
        return JSONResponse({"ok": True, "pid": os.getpid()})

    async def list_received(self, request: Request) -> Response:
        return JSONResponse(self.received)

    async def list_refused(self, request: Request) -> Response:
        return JSONResponse({"refused": self.refused, "failed": self.failed})

    async def settings(self, request: Request) -> Response:
        body = await request.json()
        self.secret = str(body.get("secret", self.secret))
        self.fail_status = int(body.get("fail_status", self.fail_status))
        self.fail_until = float(body.get("fail_until", self.fail_until))
        self.delay = float(body.get("delay", self.delay))
        _Clock.offset = float(body.get("clock_offset", _Clock.offset))
        return JSONResponse({"ok": True})

    async def reset(self, request: Request) -> Response:
        self.received.clear()
        self.refused.clear()
        self.failed, self.fail_until, self.delay, _Clock.offset = 0, 0.0, 0.0, 0.0
        return JSONResponse({"ok": True})


def serve(fd: int | None, port: int, secret: str) -> None:
    import uvicorn

    config = uvicorn.Config(
        Receiver(secret).app(),
        log_level="warning",
        ws="none",
        lifespan="off",
        timeout_graceful_shutdown=1,
    )
    sock = socket.create_server(("127.0.0.1", port)) if fd is None else socket.socket(fileno=fd)
    uvicorn.Server(config).run(sockets=[sock])


@dataclass
class ReceiverClient:
    """A running receiver: its address and what it got."""

    base_url: str
    pid: int

    def url(self, name: str = "crm") -> str:
        return f"{self.base_url}/hooks/{name}"

    def received(self) -> list[dict[str, Any]]:
        """Every verified delivery kept, oldest first."""
        answer = httpx.get(self.base_url + "/_receiver/received", timeout=30.0)
        answer.raise_for_status()
        return list(answer.json())

    def refused(self) -> dict[str, Any]:
        """``{"refused": [...], "failed": N}``: requests the library refused, and how many
        verified ones were answered with the failure status."""
        answer = httpx.get(self.base_url + "/_receiver/refused", timeout=30.0)
        answer.raise_for_status()
        return dict(answer.json())

    def configure(self, **settings: Any) -> None:
        httpx.post(self.base_url + "/_receiver/settings", json=settings, timeout=5.0)

    def reset(self) -> None:
        httpx.post(self.base_url + "/_receiver/reset", timeout=5.0).raise_for_status()

    def replay(self, delivery: dict[str, Any], **header_changes: str) -> httpx.Response:
        """Send a captured delivery again, as an attacker who recorded it would."""
        headers = {**delivery["headers"], **header_changes, "content-type": "application/json"}
        return httpx.post(
            self.url(delivery["hook"]), content=delivery["body"].encode(), headers=headers
        )


@contextmanager
def run_webhook_receiver(secret: str, startup_timeout: float = 15.0) -> Iterator[ReceiverClient]:
    """The receiver in a subprocess on a free 127.0.0.1 port (the listening socket is bound
    here and handed over, so the port cannot be taken in between); stopped by its PID."""
    from tests.support.processes import stop_process, wait_until

    with tempfile.TemporaryFile() as log:
        with socket.create_server(("127.0.0.1", 0)) as sock:
            port = sock.getsockname()[1]
            command = [sys.executable, os.path.abspath(__file__), "--fd", str(sock.fileno())]
            process = subprocess.Popen(
                [*command, "--secret", secret],
                pass_fds=(sock.fileno(),),
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        client = ReceiverClient(f"http://127.0.0.1:{port}", process.pid)

        def up() -> bool:
            try:
                return httpx.get(client.base_url + "/_receiver/health", timeout=1).is_success
            except httpx.HTTPError:
                return process.poll() is not None

        try:
            if not wait_until(up, startup_timeout) or process.poll() is not None:
                log.seek(0)
                raise AssertionError(f"webhook receiver did not start:\n{log.read().decode()}")
            yield client
        finally:
            stop_process(process, 5)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--fd", type=int)
    parser.add_argument("--port", type=int, default=8766)
    parser.add_argument("--secret", required=True)
    args = parser.parse_args()
    serve(args.fd, args.port, args.secret)
