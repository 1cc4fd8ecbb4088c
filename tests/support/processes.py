"""Ports, waits and processes: the one copy the tests (and ``bench/``) use.

Every peer and relay a test starts listens on 127.0.0.1 on a port picked by :func:`free_port`,
is waited for with :func:`wait_until` or :func:`wait_for_port`, and is stopped by its PID with
:func:`stop_process` — never by name, so a run ends only what it started itself.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

LOCALHOST = "127.0.0.1"


def free_port(host: str = LOCALHOST) -> int:
    """A TCP port on ``host`` that nothing listens on now (the kernel picks it). Also the port
    of an unreachable peer. It stays free only until someone binds it: where a server can take
    an inherited listening socket, hand it one instead (see ``peers/twilio.py``)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


def wait_until(condition: Callable[[], object], timeout: float, interval: float = 0.1) -> bool:
    """Poll ``condition`` every ``interval`` seconds until it holds or ``timeout`` seconds
    passed; its last answer (asked once more at the deadline)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(interval)
    return bool(condition())


def port_open(port: int, host: str = LOCALHOST, timeout: float = 0.2) -> bool:
    """Whether something accepts TCP connections on ``host:port`` right now."""
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


def wait_for_port(
    port: int,
    timeout: float,
    *,
    host: str = LOCALHOST,
    process: subprocess.Popen[Any] | None = None,
    interval: float = 0.05,
) -> bool:
    """Wait until ``host:port`` accepts connections: True then; False after ``timeout``
    seconds, or as soon as ``process`` (the server meant to listen there) has exited."""
    deadline = time.monotonic() + timeout
    while not port_open(port, host):
        if process is not None and process.poll() is not None:
            return False
        if time.monotonic() >= deadline:
            return False
        time.sleep(interval)
    return True


def start_process(
    command: Sequence[str | os.PathLike[str]],
    *,
    log: Path | None = None,
    append: bool = True,
    **options: Any,
) -> subprocess.Popen[bytes]:
    """Start ``command`` with nothing on stdin and its stdout and stderr in ``log`` (appended
    to, or written afresh with ``append=False``; discarded without a log). ``options`` go to
    :class:`subprocess.Popen` as they are (``cwd``, ``env``, ``user``, ``start_new_session``,
    …) and win over these defaults. Stop it with :func:`stop_process`."""
    streams: dict[str, Any] = {"stdin": subprocess.DEVNULL, "stderr": subprocess.STDOUT}
    if log is None:
        return subprocess.Popen(command, **{**streams, "stdout": subprocess.DEVNULL, **options})
    with log.open("ab" if append else "wb") as out:
        return subprocess.Popen(command, **{**streams, "stdout": out, **options})


def stop_process(
    process: subprocess.Popen[Any],
    timeout: float = 10.0,
    *,
    first: signal.Signals = signal.SIGTERM,
) -> int:
    """Stop a process this run started, by its PID: ``first`` (SIGTERM, a graceful shutdown;
    SIGINT for PostgreSQL's fast shutdown; SIGKILL for no shutdown at all), then SIGKILL if it
    has not ended within ``timeout`` seconds. One that has ended already is left alone.
    Returns its exit status."""
    if process.poll() is not None:
        return process.returncode
    _signal(process, first)
    try:
        return process.wait(timeout)
    except subprocess.TimeoutExpired:
        _signal(process, signal.SIGKILL)
        return process.wait(timeout)


def _signal(process: subprocess.Popen[Any], sig: signal.Signals) -> None:
    with contextlib.suppress(ProcessLookupError):  # ended (and was reaped) in between
        os.kill(process.pid, sig)
