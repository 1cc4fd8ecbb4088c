"""A real PostgreSQL server for the tests, started from Debian's PostgreSQL 15 binaries.

:func:`postgres_database` (a session-scoped fixture; import it into a test module) runs
``initdb`` into a temporary directory and starts ``postgres`` itself as a child process, so the
PID we hold is the postmaster's: trust authentication on 127.0.0.1 only, a free port, the Unix
socket inside the temporary directory, ``fsync`` on. It yields a factory that creates a fresh
database per call (``CREATE DATABASE t_<random>``) and returns its URL. At the end the server
gets SIGQUIT (immediate shutdown: its directory goes anyway), SIGKILL if it has not gone after a
timeout, and the directory is removed. A server that does not start fails the test with the
tail of its log; it never skips.

PostgreSQL refuses to run as root, so as root ``initdb`` and ``postgres`` run as the
unprivileged ``nobody`` (``subprocess.Popen(user=…)``: no ``runuser``/``su`` in between, the
child *is* the server) and the directory is handed to it.

Several test modules may import the fixture; pytest then holds one fixture per module, but they
share one server (reference-counted), which stops when the last of them is torn down.
"""

from __future__ import annotations

import ctypes
import os
import pwd
import secrets
import shutil
import signal
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest

from tests.support.processes import free_port, start_process, stop_process

BIN = Path(os.environ.get("SMSRELAY_TEST_PG_BIN", "/usr/lib/postgresql/15/bin"))
#: The unprivileged account the server runs as when the tests run as root.
RUN_AS = "nobody"
SUPERUSER = "postgres"
STARTUP_TIMEOUT = 30.0
STOP_TIMEOUT = 15.0


@dataclass
class PostgresServer:
    """A running server: where it listens and how to reach it."""

    root: Path
    port: int
    pid: int
    process: subprocess.Popen[bytes]
    log_path: Path

    @property
    def admin_dsn(self) -> str:
        return f"host=127.0.0.1 port={self.port} user={SUPERUSER} dbname=postgres"

    def url(self, database: str) -> str:
        return f"postgresql+psycopg://{SUPERUSER}@127.0.0.1:{self.port}/{database}"

    def create_database(self) -> str:
        """A new, empty database; its SQLAlchemy URL."""
        name = f"t_{secrets.token_hex(6)}"
        with psycopg.connect(self.admin_dsn, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def log_tail(self, lines: int = 40) -> str:
        try:
            text = self.log_path.read_text("utf-8", "replace")
        except OSError as error:
            return f"(no server log: {error})"
        return "\n".join(text.splitlines()[-lines:])


def libpq_url(url: str) -> str:
    """A database URL as psycopg (libpq) takes it, without SQLAlchemy's driver name."""
    return url.replace("postgresql+psycopg://", "postgresql://", 1)


def _account() -> pwd.struct_passwd | None:
    """Whom to run the server as: None (ourselves) unless we are root."""
    if os.geteuid() != 0:
        return None
    return pwd.getpwnam(RUN_AS)


def _run_as(account: pwd.struct_passwd | None) -> dict[str, object]:
    if account is None:
        return {}
    return {"user": account.pw_uid, "group": account.pw_gid, "extra_groups": []}


def _initdb(root: Path, account: pwd.struct_passwd | None) -> Path:
    data = root / "data"
    log = root / "initdb.log"
    with log.open("wb") as out:
        result = subprocess.run(
            [
                str(BIN / "initdb"),
                "--pgdata",
                str(data),
                "--username",
                SUPERUSER,
                "--auth",
                "trust",
                "--encoding",
                "UTF8",
                "--no-locale",
                # Only initdb's own final sync of the template files; the server runs with
                # fsync on.
                "--no-sync",
            ],
            stdout=out,
            stderr=subprocess.STDOUT,
            cwd=root,
            env=_env(root),
            check=False,
            **_run_as(account),  # type: ignore[arg-type]
        )
    if result.returncode != 0:
        tail = "\n".join(log.read_text("utf-8", "replace").splitlines()[-40:])
        pytest.fail(f"initdb failed (exit {result.returncode}):\n{tail}", pytrace=False)
    # Only TCP on 127.0.0.1 and the socket in our own directory, both trusted.
    (data / "pg_hba.conf").write_text(
        "local all all trust\nhost all all 127.0.0.1/32 trust\n", "utf-8"
    )
    if account is not None:
        os.chown(data / "pg_hba.conf", account.pw_uid, account.pw_gid)
    return data


def _die_with_us() -> Callable[[], None] | None:
    """A preexec function asking Linux to send the server SIGINT (fast shutdown) if the test
    process dies without stopping it (killed, crashed); None where that is not available."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        prctl = libc.prctl
    except (OSError, AttributeError):
        return None
    pr_set_pdeathsig = 1

    def preexec() -> None:
        prctl(pr_set_pdeathsig, signal.SIGINT)

    return preexec


def _env(root: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
    env.update(LC_ALL="C", LANG="C", HOME=str(root), TZ="UTC")
    return env


def _start(
    root: Path, data: Path, account: pwd.struct_passwd | None, port: int | None = None
) -> PostgresServer:
    port = port or free_port()
    log_path = root / f"postgres-{port}.log"
    process = start_process(
        [
            str(BIN / "postgres"),
            "-D",
            str(data),
            "-p",
            str(port),
            "-c",
            "listen_addresses=127.0.0.1",
            "-c",
            f"unix_socket_directories={root}",
            "-c",
            "fsync=on",
            "-c",
            "max_connections=200",
            "-c",
            "shared_buffers=64MB",
            "-c",
            "log_min_messages=warning",
            "-c",
            "logging_collector=off",
        ],
        log=log_path,
        append=False,
        cwd=root,
        env=_env(root),
        # Its own process group: a Ctrl-C in the terminal is not a shutdown request for it.
        start_new_session=True,
        # Runs after the switch to the unprivileged user, so the setting survives it.
        preexec_fn=_die_with_us(),
        **_run_as(account),
    )
    return PostgresServer(root=root, port=port, pid=process.pid, process=process, log_path=log_path)


def _wait_ready(server: PostgresServer, timeout: float) -> str | None:
    """None once the server takes connections, else why not."""
    deadline = time.monotonic() + timeout
    last = "no attempt"
    while time.monotonic() < deadline:
        code = server.process.poll()
        if code is not None:
            return f"postgres exited with {code}"
        try:
            with psycopg.connect(server.admin_dsn, connect_timeout=2) as conn:
                conn.execute("SELECT 1")
            return None
        except psycopg.OperationalError as error:
            last = str(error).strip()
            time.sleep(0.05)
    return f"not accepting connections after {timeout:.0f} s: {last}"


def _stop(server: PostgresServer) -> None:
    """SIGINT (fast shutdown: abort transactions, disconnect, checkpoint), then SIGKILL."""
    stop_process(server.process, STOP_TIMEOUT, first=signal.SIGINT)


def start_postgres() -> tuple[PostgresServer, Callable[[], None]]:
    """Start a server in a new temporary directory; return it and the function that stops it
    and removes the directory. Fails (never skips) with the server log's tail."""
    if not (BIN / "postgres").exists():
        pytest.fail(f"PostgreSQL server binaries not found in {BIN}", pytrace=False)
    account = _account()
    root = Path(tempfile.mkdtemp(prefix="smsrelay-pg-"))
    if account is not None:
        os.chown(root, account.pw_uid, account.pw_gid)

    def cleanup() -> None:
        shutil.rmtree(root, ignore_errors=True)

    try:
        data = _initdb(root, account)
        # The free port is only free until someone else binds it: try another on that failure.
        for _attempt in range(3):
            server = _start(root, data, account)
            problem = _wait_ready(server, STARTUP_TIMEOUT)
            if problem is None:
                break
            tail = server.log_tail()
            _stop(server)
            if "could not bind" not in tail and "Address already in use" not in tail:
                break
        if problem is not None:
            pytest.fail(
                f"PostgreSQL (pid {server.pid}, port {server.port}) did not start: {problem}\n"
                f"--- server log ---\n{tail}",
                pytrace=False,
            )
    except BaseException:
        cleanup()
        raise

    def stop() -> None:
        # Immediate shutdown (SIGQUIT): the directory is removed right after, so the shutdown
        # checkpoint a fast shutdown writes — fsyncing every file of every database the run
        # created, past its timeout after a whole suite — would be written for nothing.
        try:
            stop_process(server.process, STOP_TIMEOUT, first=signal.SIGQUIT)
        finally:
            cleanup()

    return server, stop


class OwnPostgres:
    """A server of one test's own, which the test may stop and start again (same data, same
    port): the database going away under a running relay. See :func:`own_postgres`."""

    def __init__(self, root: Path, data: Path, account: pwd.struct_passwd | None) -> None:
        self._root = root
        self._data = data
        self._account = account
        self.server = _start(root, data, account)
        problem = _wait_ready(self.server, STARTUP_TIMEOUT)
        if problem is not None:
            tail = self.server.log_tail()
            _stop(self.server)
            pytest.fail(f"PostgreSQL did not start: {problem}\n{tail}", pytrace=False)

    @property
    def running(self) -> bool:
        return self.server.process.poll() is None

    def stop(self) -> None:
        """Fast shutdown: open transactions abort, every connection is cut."""
        _stop(self.server)

    def start(self) -> None:
        """Start the server again on its port and wait until it takes connections."""
        self.server = _start(self._root, self._data, self._account, self.server.port)
        problem = _wait_ready(self.server, STARTUP_TIMEOUT)
        if problem is not None:
            pytest.fail(
                f"PostgreSQL did not start again: {problem}\n{self.server.log_tail()}",
                pytrace=False,
            )


@contextmanager
def own_postgres() -> Iterator[OwnPostgres]:
    """A PostgreSQL server for one test (stopped by PID and removed at the end)."""
    if not (BIN / "postgres").exists():
        pytest.fail(f"PostgreSQL server binaries not found in {BIN}", pytrace=False)
    account = _account()
    root = Path(tempfile.mkdtemp(prefix="smsrelay-pg-"))
    try:
        if account is not None:
            os.chown(root, account.pw_uid, account.pw_gid)
        own = OwnPostgres(root, _initdb(root, account), account)
        try:
            yield own
        finally:
            own.stop()
    finally:
        shutil.rmtree(root, ignore_errors=True)


class _Shared:
    """One server for the whole test session, however many modules import the fixtures."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._users = 0
        self._server: PostgresServer | None = None
        self._stop: Callable[[], None] | None = None

    def acquire(self) -> PostgresServer:
        with self._lock:
            if self._server is None:
                self._server, self._stop = start_postgres()
            self._users += 1
            return self._server

    def release(self) -> None:
        with self._lock:
            self._users -= 1
            if self._users == 0 and self._stop is not None:
                stop, self._server, self._stop = self._stop, None, None
                stop()


_shared = _Shared()


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """The running PostgreSQL server (one per test session)."""
    server = _shared.acquire()
    try:
        yield server
    finally:
        _shared.release()


@pytest.fixture(scope="session")
def postgres_database() -> Iterator[Callable[[], str]]:
    """A factory: each call creates a fresh, empty database and returns its URL
    (``postgresql+psycopg://postgres@127.0.0.1:PORT/t_…``)."""
    server = _shared.acquire()
    try:
        yield server.create_database
    finally:
        _shared.release()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh, empty database of each kind the relay supports: a SQLite file in the test's
    folder, or a new database on the session's PostgreSQL (only started when asked for). A
    module using it imports ``postgres_database`` too."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'relay.db'}"
    create_database: Callable[[], str] = request.getfixturevalue("postgres_database")
    return create_database()


@pytest.fixture(params=["sqlite", "postgresql"])
def relay_database(request: pytest.FixtureRequest) -> dict[str, str]:
    """The ``[relay]`` settings of a relay process on each database it supports: none for
    SQLite (its file in the relay's own data folder), a fresh database's URL on the session's
    PostgreSQL. A module using it imports ``postgres_database`` too."""
    if request.param == "sqlite":
        return {}
    create_database: Callable[[], str] = request.getfixturevalue("postgres_database")
    return {"database_url": create_database()}
