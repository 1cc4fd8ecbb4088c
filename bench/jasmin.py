"""Jasmin, the Python SMS gateway, as the benchmark's reference row: started and stopped here.

Jasmin 0.11.1 (PyPI ``jasmin``) runs in a virtual environment of its own under
``.cache/bench/jasmin-venv`` (made on first use), with Debian's RabbitMQ and Redis
(``scripts/install-debian-packages.sh --bench``). Everything listens on 127.0.0.1 on free ports
and keeps its files in a scratch folder: RabbitMQ with its own node name, Erlang distribution
port and epmd port (so no other epmd is touched), Redis without a persistence file, jasmind
with every service bound to loopback. It is configured through its jCli (telnet) as an operator
would: a group and a user, an SMPP client connector bound to the SMSC simulator, and a default
MT route to it. Everything is stopped by PID (RabbitMQ by ``rabbitmqctl stop`` with its node
name, then its epmd), whatever happened.

``/send`` answers ``Success "<id>"`` once the message is on a RabbitMQ queue. Jasmin declares
those queues non-durable and publishes non-persistent messages, so a broker restart loses
everything accepted and not yet sent: the table says so.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.support.peers.smsc import Smsc  # noqa: E402
from tests.support.processes import (  # noqa: E402
    free_port,
    start_process,
    stop_process,
    wait_for_port,
    wait_until,
)

VERSION = "0.11.1"
VENV = ROOT / ".cache" / "bench" / "jasmin-venv"
RABBITMQ = Path("/usr/lib/rabbitmq/bin")
REDIS = Path("/usr/bin/redis-server")
USER, PASSWORD = "bench", "benchpw"
#: RabbitMQ needs a minute to start on a busy two-core machine.
START_TIMEOUT = 180.0


@dataclass(frozen=True)
class Jasmin:
    send_url: str
    username: str
    password: str


def ensure_venv() -> Path:
    """Jasmin's own virtual environment, with the pinned version; its Python."""
    python = VENV / "bin" / "python"
    marker = VENV / f".jasmin-{VERSION}"
    if not marker.exists():
        print(f"[bench] installing jasmin=={VERSION} into {VENV}", file=sys.stderr)
        subprocess.run([sys.executable, "-m", "venv", "--clear", str(VENV)], check=True)
        pip = [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
        subprocess.run([*pip, f"jasmin=={VERSION}"], check=True)
        marker.touch()
    return python


@contextmanager
def running_jasmin(smsc: Smsc, scratch: Path) -> Iterator[Jasmin]:
    """RabbitMQ, Redis and jasmind on loopback, configured to send through ``smsc``."""
    python = ensure_venv()
    with ExitStack() as stack:
        amqp_port = stack.enter_context(_rabbitmq(scratch / "rabbitmq"))
        redis_port = stack.enter_context(_redis(scratch / "redis"))
        http_port, jcli_port = stack.enter_context(
            _jasmind(python, scratch / "jasmin", amqp_port, redis_port)
        )
        _configure(jcli_port, smsc)
        yield Jasmin(f"http://127.0.0.1:{http_port}/send", USER, PASSWORD)


@contextmanager
def _rabbitmq(folder: Path) -> Iterator[int]:
    folder.mkdir(parents=True)
    port, dist, epmd = free_port(), free_port(), free_port()
    node = f"bench{os.getpid()}@localhost"
    (folder / "rabbitmq.conf").write_text(
        f"listeners.tcp.default = 127.0.0.1:{port}\nloopback_users = none\n"
    )
    (folder / "enabled_plugins").write_text("[].\n")
    (folder / "rabbitmq-env.conf").write_text("")
    env = {
        **os.environ,
        # Its Erlang cookie goes here, not into the caller's home.
        "HOME": str(folder),
        "RABBITMQ_NODENAME": node,
        "RABBITMQ_NODE_IP_ADDRESS": "127.0.0.1",
        "RABBITMQ_NODE_PORT": str(port),
        "RABBITMQ_DIST_PORT": str(dist),
        "ERL_EPMD_PORT": str(epmd),
        "ERL_EPMD_ADDRESS": "127.0.0.1",
        "RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS": "-kernel inet_dist_use_interface {127,0,0,1}",
        "RABBITMQ_MNESIA_BASE": str(folder / "mnesia"),
        "RABBITMQ_LOG_BASE": str(folder / "log"),
        "RABBITMQ_CONFIG_FILE": str(folder / "rabbitmq"),
        "RABBITMQ_ENABLED_PLUGINS_FILE": str(folder / "enabled_plugins"),
        "RABBITMQ_CONF_ENV_FILE": str(folder / "rabbitmq-env.conf"),
        "RABBITMQ_PID_FILE": str(folder / "rabbit.pid"),
    }
    server = start_process(
        [RABBITMQ / "rabbitmq-server"], log=folder / "server.log", env=env, cwd=folder
    )
    try:
        if not wait_for_port(port, START_TIMEOUT, process=server, interval=0.5):
            raise RuntimeError(f"RabbitMQ did not start:\n{_tail(folder / 'server.log')}")
        yield port
    finally:
        subprocess.run(
            [RABBITMQ / "rabbitmqctl", "-n", node, "stop"],
            env=env,
            capture_output=True,
            timeout=60,
            check=False,
        )
        stop_process(server, 30)
        # Its own epmd, on its own port: asked to end, then stopped by its PID.
        subprocess.run(["epmd", "-port", str(epmd), "-kill"], capture_output=True, check=False)
        for pid in _pids_listening(epmd):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGTERM)


@contextmanager
def _redis(folder: Path) -> Iterator[int]:
    folder.mkdir(parents=True)
    port = free_port()
    command = [REDIS, "--port", str(port), "--bind", "127.0.0.1", "--save", ""]
    command += ["--appendonly", "no", "--dir", str(folder)]
    server = start_process(command, log=folder / "redis.log", cwd=folder)
    try:
        if not wait_for_port(port, 30, process=server):
            raise RuntimeError(f"Redis did not start:\n{_tail(folder / 'redis.log')}")
        yield port
    finally:
        stop_process(server, 10)


@contextmanager
def _jasmind(python: Path, folder: Path, amqp: int, redis: int) -> Iterator[tuple[int, int]]:
    for sub in ("etc", "log", "store"):
        (folder / sub).mkdir(parents=True)
    ports = {name: free_port() for name in ("http", "jcli", "router", "cm", "smpp", "smpp_pb")}
    # The AMQP spec file Jasmin's own packaging ships is not in its wheel; txAMQP has it.
    spec = next((python.parents[1] / "lib").glob("python*/site-packages/txamqp/specs/standard"))
    config = folder / "etc" / "jasmin.cfg"
    config.write_text(
        f"""[amqp-broker]
host = 127.0.0.1
port = {amqp}
spec = {spec / "amqp0-9-1.stripped.xml"}
[redis-client]
host = 127.0.0.1
port = {redis}
[jcli]
bind = 127.0.0.1
port = {ports["jcli"]}
authentication = False
[http-api]
bind = 127.0.0.1
port = {ports["http"]}
[router]
bind = 127.0.0.1
port = {ports["router"]}
[client-management]
bind = 127.0.0.1
port = {ports["cm"]}
[smpp-server]
bind = 127.0.0.1
port = {ports["smpp"]}
[smpp-server-pb]
bind = 127.0.0.1
port = {ports["smpp_pb"]}
"""
    )
    env = {
        **os.environ,
        "ROOT_PATH": str(folder),
        "CONFIG_PATH": str(folder / "etc"),
        "LOG_PATH": str(folder / "log"),
        "STORE_PATH": str(folder / "store"),
    }
    # The DLR services in-process, as a single-machine installation runs them.
    command = [python, python.parent / "jasmind.py", "-c", config]
    command += ["--enable-dlr-thrower", "--enable-dlr-lookup"]
    server = start_process(command, log=folder / "jasmind.log", env=env, cwd=folder)
    try:
        for port in (ports["http"], ports["jcli"]):
            if not wait_for_port(port, 60, process=server, interval=0.2):
                raise RuntimeError(f"jasmind did not start:\n{_tail(folder / 'jasmind.log')}")
        yield ports["http"], ports["jcli"]
    finally:
        stop_process(server, 15)


def _configure(jcli_port: int, smsc: Smsc) -> None:
    """The group, user, SMPP connector (started, bound) and default MT route, via jCli."""
    commands = [
        *("group -a", f"gid {USER}", "ok"),
        *("user -a", f"username {USER}", f"password {PASSWORD}", f"gid {USER}", f"uid {USER}"),
        "ok",
        *("smppccm -a", "cid smsc", "host 127.0.0.1", f"port {smsc.port}"),
        *(f"username {smsc.system_id}", f"password {smsc.password}"),
        # Jasmin throttles a connector to 1 message/s unless told otherwise.
        *("submit_throughput 0", "ok"),
        "smppccm -1 smsc",
        *("mtrouter -a", "type defaultroute", "connector smppc(smsc)", "rate 0.00", "ok"),
    ]
    with socket.create_connection(("127.0.0.1", jcli_port), timeout=30) as jcli:
        _read_prompt(jcli, until=b"Session ref")  # its prompt comes with the first command
        for line in commands:
            jcli.sendall(line.encode() + b"\r\n")
            answer = _read_prompt(jcli)
            if "error" in answer.lower() or "unknown" in answer.lower():
                raise RuntimeError(f"jCli refused {line!r}: {answer}")

        def bound() -> bool:
            jcli.sendall(b"smppccm -l\r\n")
            return "BOUND_TRX" in _read_prompt(jcli)

        if not wait_until(bound, 30, interval=0.5):
            raise RuntimeError("Jasmin's SMPP connector did not bind to the SMSC simulator")


def _read_prompt(sock: socket.socket, until: bytes | None = None) -> str:
    """What jCli says up to its next prompt (``jcli : ``, or ``> `` while adding)."""
    data = b""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        chunk = sock.recv(4096)
        if not chunk:
            break
        data += chunk
        tail = data.rstrip()
        if until is not None and until in data:
            break
        if until is None and (tail.endswith(b"jcli :") or tail.endswith(b">")):
            break
    return data.decode("utf-8", "replace")


def _pids_listening(port: int) -> list[int]:
    """PIDs of processes listening on a TCP port (the epmd a RabbitMQ started)."""
    found = subprocess.run(
        ["ss", "-Hltnp", f"sport = :{port}"], capture_output=True, text=True, check=False
    ).stdout
    return sorted({int(pid) for pid in _pid_fields(found)})


def _pid_fields(ss_output: str) -> list[str]:
    return [part.split(",")[0] for part in ss_output.split("pid=")[1:]]


def _tail(path: Path) -> str:
    return path.read_text(errors="replace")[-2000:] if path.exists() else ""
