"""A real Kannel on 127.0.0.1: bearerbox, smsbox and ``fakesmsc`` as the SMS center.

Import the fixture into a test module (``from tests.support.peers.kannel import
kannel_fixture``): the ``kannel`` fixture starts one Kannel per module in a temporary directory,
with free ports, its own configuration and logs, and stops every process it started at teardown.
:func:`running_kannel` starts one for a single test (e.g. one the test stops).

``fakesmsc`` (Kannel's test SMS center) prints every message bearerbox's ``smsc = fake``
connection hands it (see :mod:`.fakesmsc` for the format); its delivery reports are immediate:
"delivered to SMSC" (8) as soon as fakesmsc has the message, then "delivered" (1).

Customers write back through a second fake SMS center, ``customers``, that no message to a
phone is routed to: a second fakesmsc in its interactive mode sends bearerbox each line
:meth:`Kannel.send_mo` writes to its standard input, as a mobile-originated message. Given an
``sms_service_url``, smsbox has an sms-service that passes every such message to that URL
(the relay's ``smsrelay inbound-url``), as an operator sets it up.
"""

from __future__ import annotations

import re
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from tests.support.peers.fakesmsc import (
    FakeSmscMessage,
    mobile_originated_line,
    parse_fakesmsc_line,
)
from tests.support.processes import free_port, port_open, start_process, stop_process, wait_until

BEARERBOX = Path("/usr/sbin/bearerbox")
SMSBOX = Path("/usr/sbin/smsbox")
FAKESMSC = Path("/usr/lib/kannel/test/fakesmsc")

STARTUP_TIMEOUT = 15.0
STOP_TIMEOUT = 5.0

_FATAL = ("PANIC:", "Address already in use")
#: What bearerbox's status page says an SMS center received: ``rcvd: sms 3 (…) / dlr 0``.
_RECEIVED = re.compile(r"rcvd: sms (\d+)")


def _tail(path: Path, lines: int = 25) -> str:
    try:
        text = path.read_text(errors="replace")
    except FileNotFoundError:
        return f"({path.name} missing)"
    return "\n".join(text.splitlines()[-lines:])


@dataclass
class _Process:
    name: str
    popen: subprocess.Popen[bytes]
    output: Path
    log_file: Path | None = None
    stopped: bool = False

    def describe(self) -> str:
        parts = [f"--- {self.name} (pid {self.popen.pid}) exit {self.popen.returncode}"]
        text = self.output.read_text(errors="replace") if self.output.exists() else ""
        parts += [line for line in text.splitlines() if any(m in line for m in _FATAL)][:5]
        parts.append(f"console {self.output}:\n{_tail(self.output)}")
        if self.log_file is not None:
            parts.append(f"log {self.log_file}:\n{_tail(self.log_file)}")
        return "\n".join(parts)

    def fatal(self) -> bool:
        text = self.output.read_text(errors="replace")
        return any(marker in text for marker in _FATAL)

    def stop(self) -> None:
        self.stopped = True
        stop_process(self.popen, STOP_TIMEOUT)
        if self.popen.stdin is not None:
            self.popen.stdin.close()


@dataclass
class Kannel:
    """A running Kannel and what its fake SMS center received."""

    directory: Path
    sendsms_url: str
    username: str
    password: str
    admin_url: str
    admin_password: str
    smsc_id: str
    fake_port: int
    fakesmsc_output: Path
    #: The fake SMS center customers' messages come from.
    customers_port: int = 0
    _processes: list[_Process] = field(default_factory=list, repr=False)

    def received(self, receiver: str | None = None) -> list[FakeSmscMessage]:
        """Every message fakesmsc printed so far, oldest first (only to ``receiver``, if given)."""
        text = self.fakesmsc_output.read_text(encoding="utf-8", errors="replace")
        messages = [m for line in text.splitlines() if (m := parse_fakesmsc_line(line))]
        return [m for m in messages if receiver is None or m.receiver == receiver]

    def wait_for_messages(
        self, receiver: str, count: int, *, timeout: float = 10.0, settle: float = 0.3
    ) -> list[FakeSmscMessage]:
        """The messages to ``receiver`` once ``count`` arrived, and nothing more came for
        ``settle`` seconds (so a surplus message is seen, not cut off)."""
        if not wait_until(lambda: len(self.received(receiver)) >= count, timeout, 0.05):
            self.check_alive()
            messages = self.received(receiver)
            raise AssertionError(
                f"fakesmsc got {len(messages)} of {count} messages to {receiver}: {messages}"
            )
        time.sleep(settle)
        return self.received(receiver)

    def send_mo(
        self, sender: str, receiver: str, text: str, *, ucs2: bool = False, udh: bytes = b""
    ) -> None:
        """A customer's message (mobile-originated) from ``sender`` to ``receiver`` into
        bearerbox, as 7-bit text, UCS-2 (``ucs2``) or 7-bit text after a user data header
        (``udh``); returns once bearerbox counted it received. One line at a time: fakesmsc
        reads its input buffered, so a second line written at once would wait for a third."""
        line = mobile_originated_line(sender, receiver, text, ucs2=ucs2, udh=udh)
        customers = next(p for p in self._processes if p.name == "customers")
        before = self.mo_received()
        assert customers.popen.stdin is not None
        customers.popen.stdin.write(line.encode() + b"\n")
        customers.popen.stdin.flush()
        if not wait_until(lambda: self.mo_received() > before, STARTUP_TIMEOUT, 0.02):
            self.check_alive()
            pytest.fail(f"bearerbox did not take {line!r}:\n{self.status()}")

    def mo_received(self) -> int:
        """How many customers' messages bearerbox took from the ``customers`` SMS center."""
        for line in self.status().splitlines():
            if f"FAKE:{self.customers_port} " in line:
                match = _RECEIVED.search(line)
                return int(match.group(1)) if match else 0
        return 0

    def status(self) -> str:
        """bearerbox's ``status.txt`` admin page."""
        url = f"{self.admin_url}/status.txt?password={self.admin_password}"
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.read().decode(errors="replace")

    def check_alive(self) -> None:
        """Fail the test, with the log tails, if a process exited or reported a fatal error
        (bearerbox keeps running without a port it could not bind)."""
        running = [p for p in self._processes if not p.stopped]
        broken = [p for p in running if p.popen.poll() is not None or p.fatal()]
        if broken:
            pytest.fail("Kannel process failed:\n" + "\n".join(p.describe() for p in broken))

    def describe(self) -> str:
        return "\n".join(p.describe() for p in self._processes)

    def stop_fakesmsc(self) -> None:
        """Take the SMS center away, and wait until bearerbox noticed: it keeps running and
        queues what smsbox sends."""
        for process in self._processes:
            if process.name == "fakesmsc":
                process.stop()
        online = f"FAKE:{self.fake_port} (online"
        if not wait_until(lambda: online not in self.status(), STOP_TIMEOUT, 0.05):
            pytest.fail(f"bearerbox still sees fakesmsc online:\n{self.status()}")

    def stop_smsbox(self) -> None:
        """Take the sendsms interface away (the relay's gateway is down); bearerbox and the
        SMS center keep running."""
        for process in self._processes:
            if process.name == "smsbox" and not process.stopped:
                process.stop()
        if not wait_until(lambda: not port_open(self.sendsms_port), STOP_TIMEOUT, 0.05):
            pytest.fail(f"smsbox still listens on {self.sendsms_port}")

    def start_smsbox(self) -> None:
        """Start smsbox again with the same configuration (the same sendsms port), and wait
        until it takes requests and bearerbox sees it."""
        self._processes = [p for p in self._processes if p.name != "smsbox"]
        config = self.directory / "kannel.conf"
        smsbox = _start("smsbox", [str(SMSBOX), str(config)], self.directory, None)
        self._processes.append(smsbox)
        deadline = time.monotonic() + STARTUP_TIMEOUT
        _wait(self, "sendsms port", lambda: port_open(self.sendsms_port), deadline)
        _wait(self, "smsbox connected", lambda: "smsbox:" in self._boxes(), deadline)

    @property
    def sendsms_port(self) -> int:
        return int(self.sendsms_url.split(":")[2].split("/")[0])

    def _boxes(self) -> str:
        return self.status().split("Box connections:", 1)[-1]

    def stop(self) -> None:
        """Stop every process this Kannel started (fakesmsc, smsbox, bearerbox), by PID."""
        for process in reversed(self._processes):
            process.stop()


def _config(
    directory: Path,
    ports: dict[str, int],
    kannel: Kannel,
    dlr_retries: int,
    sms_service_url: str | None,
) -> str:
    # smsbox fetches a dlr-url once unless told to retry; a relay that was down for a moment
    # then never hears of what was sent meanwhile.
    retries = f"http-request-retry = {dlr_retries}\nhttp-queue-delay = 1\n" if dlr_retries else ""
    return _core_and_smscs(directory, ports, kannel) + _boxes(
        directory, ports, kannel, retries, sms_service_url
    )


def _core_and_smscs(directory: Path, ports: dict[str, int], kannel: Kannel) -> str:
    # The customers' SMS center only sends: a message to a phone goes there only when it
    # names it (allowed-smsc-id), and nothing does.
    return f"""\
group = core
admin-port = {ports["admin"]}
admin-interface = 127.0.0.1
admin-password = {kannel.admin_password}
admin-allow-ip = 127.0.0.1
smsbox-port = {ports["smsbox"]}
smsbox-interface = 127.0.0.1
box-allow-ip = 127.0.0.1
dlr-storage = internal
log-file = "{directory / "bearerbox.log"}"
log-level = 0

group = smsc
smsc = fake
smsc-id = {kannel.smsc_id}
port = {ports["fake"]}
our-host = 127.0.0.1
connect-allow-ip = 127.0.0.1

group = smsc
smsc = fake
smsc-id = customers
allowed-smsc-id = customers
port = {ports["customers"]}
our-host = 127.0.0.1
connect-allow-ip = 127.0.0.1
"""


def _boxes(
    directory: Path,
    ports: dict[str, int],
    kannel: Kannel,
    retries: str,
    sms_service_url: str | None,
) -> str:
    # As the README tells operators: every customer's message to the relay (keyword default),
    # and never a reply SMS to the customer, not even Kannel's "could not fetch" when the relay
    # refuses one (max-messages = 0).
    service = (
        f"\ngroup = sms-service\nkeyword = default\ncatch-all = true\nmax-messages = 0\n"
        f'get-url = "{sms_service_url}"\n'
        if sms_service_url
        else ""
    )
    return f"""
group = smsbox
bearerbox-host = 127.0.0.1
bearerbox-port = {ports["smsbox"]}
sendsms-port = {ports["sendsms"]}
sendsms-interface = 127.0.0.1
log-file = "{directory / "smsbox.log"}"
log-level = 0
{retries}
group = sendsms-user
username = {kannel.username}
password = {kannel.password}
max-messages = 10
{service}"""


def _start(
    name: str, args: list[str], directory: Path, log_file: Path | None, **options: Any
) -> _Process:
    output = directory / f"{name}.out"
    popen = start_process(args, log=output, append=False, cwd=directory, **options)
    return _Process(name, popen, output, log_file)


def _wait(kannel: Kannel, ready: str, condition: Callable[[], bool], deadline: float) -> None:
    while True:
        kannel.check_alive()
        try:
            if condition():
                return
        except (OSError, urllib.error.URLError):
            pass
        if time.monotonic() > deadline:
            pytest.fail(f"Kannel not ready ({ready}) in {STARTUP_TIMEOUT} s:\n{kannel.describe()}")
        time.sleep(0.05)


@contextmanager
def running_kannel(
    directory: Path,
    *,
    dlr_retries: int = 0,
    sms_service_url: str | None = None,
    sendsms_port: int | None = None,
) -> Iterator[Kannel]:
    """Start bearerbox, smsbox and the two fakesmsc in ``directory``; stop them on exit.
    ``dlr_retries``: how often smsbox retries a dlr-url that failed, a second apart;
    ``sms_service_url``: where smsbox passes customers' messages on (none: nowhere);
    ``sendsms_port``: smsbox's sendsms port, when the relay's configuration names it first."""
    for binary in (BEARERBOX, SMSBOX, FAKESMSC):
        if not binary.exists():
            pytest.fail(f"{binary} missing: run scripts/install-debian-packages.sh")
    ports = {name: free_port() for name in ("admin", "smsbox", "fake", "customers", "sendsms")}
    if sendsms_port is not None:
        ports["sendsms"] = sendsms_port
    kannel = Kannel(
        directory=directory,
        sendsms_url=f"http://127.0.0.1:{ports['sendsms']}/cgi-bin/sendsms",
        username="relay",
        password="s3cret-relay",
        admin_url=f"http://127.0.0.1:{ports['admin']}",
        admin_password="s3cret-admin",
        smsc_id="fake1",
        fake_port=ports["fake"],
        fakesmsc_output=directory / "fakesmsc.out",
        customers_port=ports["customers"],
    )
    directory.mkdir(parents=True, exist_ok=True)
    config = directory / "kannel.conf"
    config.write_text(_config(directory, ports, kannel, dlr_retries, sms_service_url))
    deadline = time.monotonic() + STARTUP_TIMEOUT
    try:
        kannel._processes.append(
            _start(
                "bearerbox", [str(BEARERBOX), str(config)], directory, directory / "bearerbox.log"
            )
        )
        # The fake SMSC is named in the status page once it listens for fakesmsc.
        listening = f"FAKE:{kannel.fake_port} ("
        _wait(kannel, "bearerbox and its fake SMSC", lambda: listening in kannel.status(), deadline)
        kannel._processes.append(
            _start("smsbox", [str(SMSBOX), str(config)], directory, directory / "smsbox.log")
        )
        # -m 0: send no mobile-originated messages, only print what bearerbox delivers.
        fakesmsc = [str(FAKESMSC), "-H", "127.0.0.1", "-r", str(ports["fake"]), "-m", "0"]
        kannel._processes.append(
            _start("fakesmsc", [*fakesmsc, "100 200 text nop"], directory, None)
        )
        # No message given: interactive, one customer's message per line of its input; -i 0:
        # each as soon as it is read.
        customers = [str(FAKESMSC), "-H", "127.0.0.1", "-r", str(ports["customers"]), "-i", "0"]
        kannel._processes.append(
            _start("customers", customers, directory, None, stdin=subprocess.PIPE)
        )
        _wait(kannel, "sendsms port", lambda: port_open(ports["sendsms"]), deadline)

        def connected() -> bool:
            status = kannel.status()
            online = all(
                f"FAKE:{port} (online" in status
                for port in (kannel.fake_port, kannel.customers_port)
            )
            return online and "smsbox:" in status.split("Box connections:", 1)[-1]

        _wait(kannel, "fake SMSC and smsbox connected", connected, deadline)
        yield kannel
    finally:
        kannel.stop()


@pytest.fixture(scope="module", name="kannel")
def kannel_fixture(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Kannel]:
    """``kannel``: a Kannel shared by the tests of one module."""
    with running_kannel(tmp_path_factory.mktemp("kannel")) as running:
        yield running
