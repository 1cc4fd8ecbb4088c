"""The dispatcher process of ``smsrelay serve --dispatch-process``: a whole relay — store,
gateways with their binds and receipts, webhooks, the tenants' live configuration — without an
HTTP server, sending what the accepting workers stored (see :mod:`.workers`)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import signal

from .bootstrap import running
from .dispatch_wake import listen
from .relay import Relay

log = logging.getLogger("smsrelay.dispatch")


async def dispatch_until_stopped(relay: Relay, wake_fd: int | None, ready_fd: int | None) -> bool:
    """Send until SIGTERM or SIGINT, then finish the sends under way (as a worker does at a
    graceful shutdown). Tells the supervisor on ``ready_fd`` once it sends; False when it
    could not start."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    relay.shutting_down = stop.is_set
    started = False
    try:
        async with running(relay, streams=False):
            started = True
            unlisten = listen(wake_fd, relay.dispatcher.wake) if wake_fd is not None else None
            log.info("dispatcher process sending; the workers accept")
            _say_ready(ready_fd, ready=True)
            ready_fd = None
            await stop.wait()
            if unlisten is not None:
                unlisten()
    except Exception:
        if started:
            raise
        log.exception("the dispatcher process could not start")
        _say_ready(ready_fd, ready=False)
        return False
    return True


def _say_ready(fd: int | None, *, ready: bool) -> None:
    if fd is None:
        return
    with contextlib.suppress(OSError):
        if ready:
            os.write(fd, b"ready\n")
        os.close(fd)
