"""``smsrelay serve --workers N``: one supervisor and N relay processes on one port.

Python runs one request at a time per process, so a relay on a machine with eight cores used
one of them. The supervisor binds N listening sockets to the port with ``SO_REUSEPORT`` — the
kernel spreads new connections over them — and starts N ordinary relay processes
(``smsrelay serve --workers 1``), each handed one socket. Each worker is a whole relay: its own
writer, event feed, dispatcher and gateway connections. What they must agree on is in the
database they share, as it is for several relays behind a load balancer: the dispatch leases,
the rate limits, the events, the tenants.

The supervisor keeps the sockets, so connections that arrive while a worker restarts wait in
its socket's queue instead of being refused. It migrates the database and seeds the tenants
once before the workers start, restarts a worker that dies, and on SIGTERM or SIGINT stops
them all gracefully (each finishes its sends) before it exits. A worker gets SIGTERM when the
supervisor dies, however it dies, so no worker outlives it.

Metrics: the workers count in ``prometheus_client``'s multi-process files (one directory per
supervisor), and ``/metrics`` on any worker answers the sum over all of them.

With ``--dispatch-process`` the workers only accept, and one more process, without a socket,
does all the sending (``smsrelay serve --role dispatch``): the accepting workers' cores then do
nothing but answer agents, which is what they wait on. The workers ring it through a pipe the
supervisor holds (:mod:`.dispatch_wake`) when they store a message. It is watched and restarted
like a worker; while it is away, messages wait in the database as they would for a slow gateway.
"""

from __future__ import annotations

import contextlib
import ctypes
import logging
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType

from .metrics import METRICS_DIR

log = logging.getLogger("smsrelay.workers")
#: How long the workers get to finish their sends after SIGTERM before they are killed.
STOP_SECONDS = 25.0
#: A worker that ran at least this long is restarted at once when it dies; one that keeps
#: dying sooner waits longer each time, up to MAX_BACKOFF seconds.
HEALTHY_SECONDS = 30.0
MAX_BACKOFF = 30.0
BACKLOG = 2048


def default_workers() -> int:
    """One per core this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


def listening_sockets(host: str, port: int, count: int) -> list[socket.socket]:
    """``count`` sockets listening on ``host:port`` together (``SO_REUSEPORT``). Refuses a port
    that anything else listens on already — another relay of the same user could otherwise
    join the group silently and take a share of the connections."""
    family, _, _, _, address = socket.getaddrinfo(
        host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
    )[0]
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        probe.bind(address)  # OSError (address in use) when the port is taken
        bound = probe.getsockname()
    sockets: list[socket.socket] = []
    try:
        for _ in range(count):
            sock = socket.socket(family, socket.SOCK_STREAM)
            sockets.append(sock)
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
            sock.bind(bound)  # port 0 was resolved by the probe: all share one port
            sock.listen(BACKLOG)
            sock.set_inheritable(True)
    except BaseException:
        for sock in sockets:
            sock.close()
        raise
    return sockets


@dataclass
class _Worker:
    index: int
    #: The listening socket it accepts on; None: the dispatcher, which has none.
    sock: socket.socket | None
    process: subprocess.Popen[bytes] | None = None
    ready_pipe: int | None = None
    ready: bool = False
    started_at: float = 0.0
    backoff: float = 0.5
    restart_at: float | None = None
    starts: int = 0
    exits: list[int] = field(default_factory=list)

    @property
    def name(self) -> str:
        return f"worker {self.index}" if self.sock is not None else "the dispatcher"


class Supervisor:
    """Starts, watches and stops the workers; see the module's docstring."""

    def __init__(
        self,
        command: Sequence[str],
        sockets: list[socket.socket],
        *,
        dispatch_process: bool = False,
    ) -> None:
        #: ``python -m smsrelay serve …`` as the operator gave it, less ``--workers``.
        self.command = list(command)
        self.workers = [_Worker(index, sock) for index, sock in enumerate(sockets, start=1)]
        #: The dispatcher's wake-up pipe (read end, write end), held for every restart.
        self.wake: tuple[int, int] | None = None
        if dispatch_process:
            self.wake = os.pipe()
            self.workers.append(_Worker(len(sockets) + 1, None))
        self.metrics_dir = Path(tempfile.mkdtemp(prefix="smsrelay-metrics-"))
        self.stopping = False

    def run(self) -> int:
        """Serve until SIGTERM or SIGINT; non-zero when the workers could not start."""
        previous = {sig: signal.signal(sig, self._stop) for sig in (signal.SIGTERM, signal.SIGINT)}
        try:
            for worker in self.workers:
                self._start(worker)
            failed = self._wait_all_ready()
            if failed is not None:
                log.error("%s exited with %d while starting", failed.name, failed.exits[-1])
                return 1
            accepting = [w.process.pid for w in self.workers if w.process and w.sock]
            sending = [w.process.pid for w in self.workers if w.process and not w.sock]
            also = f"; the dispatcher: pid {sending[0]}" if sending else ""
            pids = ", ".join(map(str, accepting))
            log.info("%d workers serving (pids %s)%s", len(accepting), pids, also)
            while not self.stopping:
                self._watch()
                time.sleep(0.1)
            return 0
        finally:
            self._stop_all()
            for sig, handler in previous.items():
                signal.signal(sig, handler)
            shutil.rmtree(self.metrics_dir, ignore_errors=True)

    def _stop(self, _sig: int, _frame: FrameType | None) -> None:
        self.stopping = True

    def _start(self, worker: _Worker) -> None:
        read, write = os.pipe()
        command = [*self.command, "--workers", "1", "--worker-index", str(worker.index)]
        command += ["--ready-fd", str(write)]
        fds = [write]
        if worker.sock is not None:
            fds.append(worker.sock.fileno())
            command += ["--listen-fd", str(worker.sock.fileno())]
        if self.wake is not None:
            # The dispatcher reads the pipe; every accepting worker writes to it.
            wake = self.wake[0] if worker.sock is None else self.wake[1]
            fds.append(wake)
            role = "dispatch" if worker.sock is None else "accept"
            command += ["--role", role, "--wake-fd", str(wake)]
        env = {**os.environ, METRICS_DIR: str(self.metrics_dir)}
        worker.process = subprocess.Popen(
            command, pass_fds=fds, env=env, preexec_fn=_die_with_parent
        )
        os.close(write)
        os.set_blocking(read, False)
        worker.ready_pipe = read
        worker.ready = False
        worker.started_at = time.monotonic()
        worker.restart_at = None
        worker.starts += 1

    def _wait_all_ready(self) -> _Worker | None:
        """The first worker that exited before it was ready, or None once all are."""
        while not all(w.ready for w in self.workers):
            if self.stopping:
                return None
            for worker in self.workers:
                self._read_ready(worker)
                if worker.process is not None and worker.process.poll() is not None:
                    worker.exits.append(worker.process.returncode)
                    return worker
            time.sleep(0.05)
        return None

    def _read_ready(self, worker: _Worker) -> None:
        if worker.ready or worker.ready_pipe is None:
            return
        try:
            data = os.read(worker.ready_pipe, 64)
        except BlockingIOError:
            return
        if data:
            worker.ready = True
        os.close(worker.ready_pipe)  # said it, or exited without saying it
        worker.ready_pipe = None

    def _watch(self) -> None:
        """Restart workers that died (at once if they had run a while, else after a pause
        that grows while they keep dying)."""
        now = time.monotonic()
        for worker in self.workers:
            self._read_ready(worker)
            process = worker.process
            if process is not None and process.poll() is not None:
                worker.exits.append(process.returncode)
                self._forget(process.pid)
                worker.process = None
                ran = now - worker.started_at
                worker.backoff = 0.0 if ran >= HEALTHY_SECONDS else max(0.5, worker.backoff * 2)
                worker.backoff = min(worker.backoff, MAX_BACKOFF)
                worker.restart_at = now + worker.backoff
                log.warning(
                    "%s (pid %d) exited with %d after %.0f s; restarting in %.1f s",
                    worker.name,
                    process.pid,
                    process.returncode,
                    ran,
                    worker.backoff,
                )
            due = worker.restart_at is not None and now >= worker.restart_at
            if worker.process is None and due:
                self._start(worker)

    def _forget(self, pid: int) -> None:
        """A dead worker's live gauges leave the sum; its counters stay in it."""
        from prometheus_client import multiprocess

        with contextlib.suppress(OSError):
            multiprocess.mark_process_dead(pid, str(self.metrics_dir))  # type: ignore[no-untyped-call]

    def _stop_all(self) -> None:
        running = [w.process for w in self.workers if w.process and w.process.poll() is None]
        for process in running:
            with contextlib.suppress(ProcessLookupError):
                process.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + STOP_SECONDS
        for process in running:
            try:
                process.wait(max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                log.warning("pid %d did not stop in time; killing it", process.pid)
                process.kill()
                process.wait()
        for worker in self.workers:
            if worker.ready_pipe is not None:
                os.close(worker.ready_pipe)
                worker.ready_pipe = None
            if worker.sock is not None:
                worker.sock.close()
        if self.wake is not None:
            for fd in self.wake:
                os.close(fd)
            self.wake = None


def _die_with_parent() -> None:
    """In the worker, before it runs: SIGTERM when the supervisor dies, even by SIGKILL
    (Linux; elsewhere a worker may outlive a killed supervisor)."""
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(None, use_errno=True)
        pr_set_pdeathsig = 1
        libc.prctl(pr_set_pdeathsig, signal.SIGTERM)


def worker_command(config: Path | None, host: str, port: int, data_dir: Path | None) -> list[str]:
    """The command line of one worker, less what the supervisor adds for it."""
    command = [sys.executable, "-m", "smsrelay", "serve", "--host", host, "--port", str(port)]
    if config is not None:
        command += ["--config", str(config)]
    if data_dir is not None:
        command += ["--data-dir", str(data_dir)]
    return command
