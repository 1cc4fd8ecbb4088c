"""Waking a dispatcher that runs in a process of its own (``smsrelay serve --dispatch-process``).

The accepting workers store a message and would wake their own dispatcher; with the dispatcher
in another process they ring it through a pipe the supervisor made instead, so a message goes
out at once rather than at the dispatcher's next poll. A ring is one byte, written at most once
per turn of the event loop however many messages that turn accepted, and never waited for: a
full pipe (a dispatcher restarting) already holds a wake-up, and the dispatcher's poll is the
backstop for anything a pipe could lose.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
from collections.abc import Callable


class DispatchBell:
    """The accepting side: ``ring()`` from the event loop after storing a message."""

    def __init__(self, fd: int) -> None:
        self.fd = fd
        os.set_blocking(fd, False)
        self._rung = False

    def ring(self) -> None:
        if self._rung:
            return
        self._rung = True
        asyncio.get_running_loop().call_soon(self._write)

    def _write(self) -> None:
        self._rung = False
        # BlockingIOError: the pipe is full, a wake-up is waiting already.
        with contextlib.suppress(OSError):
            os.write(self.fd, b"\0")


def listen(fd: int, wake: Callable[[], None]) -> Callable[[], None]:
    """The dispatching side: call ``wake`` whenever an accepting worker rang; the returned
    function stops listening."""
    os.set_blocking(fd, False)
    loop = asyncio.get_running_loop()

    def readable() -> None:
        with contextlib.suppress(BlockingIOError, InterruptedError):
            os.read(fd, 4096)  # every ring so far: one wake-up covers them all
        wake()

    def stop() -> None:
        loop.remove_reader(fd)

    loop.add_reader(fd, readable)
    return stop
