"""The port over SMPP 3.4: one transceiver bind to an SMSC.

smpplib is blocking, so each gateway runs one thread that owns the connection: it connects,
binds, reads every PDU, keeps the link alive with enquire_link, answers the SMSC's requests and
reconnects with backoff when the bind drops. Submits come from asyncio: a part's submit_sm is
written by a small executor under a lock, and its submit_sm_resp resolves an asyncio future
found by sequence number. Delivery receipts go to the :data:`ReceiptSink` on the event loop, and
their deliver_sm_resp is sent once the sink has taken them, so a receipt the relay could not
store is re-sent by the SMSC.

What the SMSC is sent, per part of :class:`OutboundSms`:

- ``data_coding`` 0 with the unpacked GSM septets (escapes included) of the message's alphabet
  (national language tables too), or 8 with UTF-16BE for UCS-2;
- a user data header (and ``esm_class`` UDHI 0x40) when there is more than one part or a
  national language table: the concatenation IE (0x00: reference, total, sequence) first, then
  the single shift IE (0x24) and the locking shift IE (0x25), each with the language identifier
  (3GPP TS 23.040 §9.2.3.24.1, .15 and .16);
- ``registered_delivery`` 1: a receipt for the final outcome, success or failure.

A submit_sm whose response never came (a timeout, or the connection dropped first) may have been
accepted: it fails *permanently* with an "unconfirmed" reason instead of being retried, since
SMPP has no way to ask and a retry would then be a double send. Only a part that provably never
reached the SMSC (not bound, the connection already closed, the write failed) is transient.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import random
import re
import select
import socket
import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import Future as ThreadFuture
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import partial
from typing import Any

import smpplib.client
import smpplib.consts
import smpplib.exceptions
import smpplib.smpp

from smscompose import get_alphabet

from .base import (
    DeliveryReceipt,
    GatewayError,
    OutboundSms,
    ReceiptSink,
    ReceiptStatus,
    SubmitResult,
)
from .udh import user_data_header

__all__ = ["SmppGateway", "SubmitUnconfirmed"]

log = logging.getLogger(__name__)

ESM_CLASS_UDHI = 0x40
#: esm_class message types of a receipt: SMSC delivery receipt, intermediate notification.
ESM_CLASS_RECEIPT = 0x04
ESM_CLASS_INTERMEDIATE = 0x20
DATA_CODING_GSM = 0x00
DATA_CODING_UCS2 = 0x08
#: Octets short_message can hold (SMPP 3.4 §5.2.22).
SHORT_MESSAGE_MAX = 254

ESME_ROK = 0x00
ESME_RINVBNDSTS = 0x04
ESME_RSYSERR = 0x08
ESME_RBINDFAIL = 0x0D
ESME_RINVPASWD = 0x0E
ESME_RINVSYSID = 0x0F
ESME_RMSGQFUL = 0x14
ESME_RSUBMITFAIL = 0x45
ESME_RINVSYSTYP = 0x53
ESME_RTHROTTLED = 0x58
ESME_RX_T_APPN = 0x64
ESME_RUNKNOWNERR = 0xFF

#: submit_sm_resp errors worth a retry: the SMSC did not take the part but may later. Every
#: other error is the SMSC refusing this message (an invalid number, sender or coding).
TRANSIENT_STATUSES = frozenset(
    {
        ESME_RINVBNDSTS,
        ESME_RSYSERR,
        ESME_RMSGQFUL,
        ESME_RSUBMITFAIL,
        ESME_RTHROTTLED,
        ESME_RX_T_APPN,
        ESME_RUNKNOWNERR,
    }
)
#: Bind errors that mean the credentials or system_type are wrong.
BIND_REFUSALS = frozenset({ESME_RBINDFAIL, ESME_RINVPASWD, ESME_RINVSYSID, ESME_RINVSYSTYP})

_STATUS_NAMES = {
    value: name.removeprefix("SMPP_")
    for name, value in vars(smpplib.consts).items()
    if name.startswith("SMPP_ESME_") and isinstance(value, int)
}

#: message_state (SMPP 3.4 §5.2.28) as the stat word of the receipt text.
_MESSAGE_STATES = {
    1: "ENROUTE",
    2: "DELIVRD",
    3: "EXPIRED",
    4: "DELETED",
    5: "UNDELIV",
    6: "ACCEPTD",
    7: "UNKNOWN",
    8: "REJECTD",
}
_STATS = {
    "DELIVRD": ReceiptStatus.DELIVERED,
    "UNDELIV": ReceiptStatus.UNDELIVERED,
    "EXPIRED": ReceiptStatus.EXPIRED,
    "REJECTD": ReceiptStatus.FAILED,
    "DELETED": ReceiptStatus.FAILED,
    "UNKNOWN": ReceiptStatus.FAILED,
    "ENROUTE": ReceiptStatus.ENROUTE,
    "ACCEPTD": ReceiptStatus.ENROUTE,
    # Spelled out by some SMSCs.
    "DELIVERED": ReceiptStatus.DELIVERED,
    "UNDELIVERABLE": ReceiptStatus.UNDELIVERED,
    "REJECTED": ReceiptStatus.FAILED,
    "ACCEPTED": ReceiptStatus.ENROUTE,
}
# The receipt text of SMPP 3.4 Appendix B: "id:… sub:… dlvrd:… submit date:… done date:…
# stat:… err:… text:…".
_RECEIPT_FIELD = re.compile(r"\b(id|stat|err):(\S+)", re.IGNORECASE)


def describe_status(status: int) -> str:
    """``ESME_RINVDSTADR (0x0000000B): Invalid Destination Address``."""
    name = _STATUS_NAMES.get(status, "unknown command_status")
    text = smpplib.consts.DESCRIPTIONS.get(status)
    return f"{name} (0x{status:08X})" + (f": {text}" if text else "")


class SubmitUnconfirmed(GatewayError):
    """A part was written but its submit_sm_resp never came: the SMSC may have accepted it.
    Always permanent (a retry could be a double send); ``accepted_parts`` counts the parts
    confirmed before it."""


class _NotSent(Exception):
    """The submit_sm did not reach the SMSC whole: a retry cannot be a double send."""


class _ConnectionLost(Exception):
    """The connection ended before the response came."""


class _BindRefused(Exception):
    def __init__(self, status: int) -> None:
        super().__init__(describe_status(status))
        self.status = status


@dataclass(eq=False)
class _Connection:
    """One bound session. ``pending`` maps sequence numbers to the futures of the submits
    waiting for their response; the reader thread resolves them."""

    client: smpplib.client.Client
    sock: socket.socket
    #: The same socket, non-blocking, to see whether the SMSC has closed it before writing.
    peek: socket.socket
    alive: bool = True
    pending: dict[int, asyncio.Future[tuple[int, str]]] = field(default_factory=dict)

    def closed_by_peer(self) -> bool:
        try:
            return self.peek.recv(1, socket.MSG_PEEK) == b""
        except BlockingIOError:
            return False
        except OSError:
            return True


class SmppGateway:
    """An SMPP 3.4 transceiver bind to one SMSC.

    ``enquire_link_interval``: seconds of silence before an enquire_link; with no answer within
    ``submit_timeout`` the link counts as dead and is reopened. Reconnects wait
    ``reconnect_initial`` seconds, doubling up to ``reconnect_max`` (with jitter).
    ``submit_timeout``: how long a part waits for the bind, and then again for its
    submit_sm_resp. ``max_in_flight``: parts awaiting a response at once (the SMSC's window).
    ``short_code_ton_npi``: TON/NPI of a short code sender, network specific (3/0) by default;
    some SMSCs want 0/1. ``transient_statuses``: vendor error codes to retry besides
    :data:`TRANSIENT_STATUSES`.
    """

    def __init__(
        self,
        name: str,
        host: str,
        port: int,
        system_id: str,
        password: str,
        system_type: str = "",
        *,
        enquire_link_interval: float = 30.0,
        reconnect_initial: float = 1.0,
        reconnect_max: float = 60.0,
        submit_timeout: float = 10.0,
        connect_timeout: float = 10.0,
        max_in_flight: int = 10,
        short_code_ton_npi: tuple[int, int] | list[int] = (3, 0),
        transient_statuses: Iterable[int] = (),
    ) -> None:
        # SMPP 3.4 §4.1.1: C-Octet Strings of at most 16, 9 and 13 octets with the NUL.
        for label, value, limit in (
            ("system_id", system_id, 15),
            ("password", password, 8),
            ("system_type", system_type, 12),
        ):
            if not value.isascii() or len(value) > limit:
                raise ValueError(f"{label} must be at most {limit} ASCII characters")
        for label, number in (
            ("enquire_link_interval", enquire_link_interval),
            ("reconnect_initial", reconnect_initial),
            ("reconnect_max", reconnect_max),
            ("submit_timeout", submit_timeout),
            ("connect_timeout", connect_timeout),
            ("max_in_flight", max_in_flight),
        ):
            if not number > 0:
                raise ValueError(f"{label} must be positive")
        if len(short_code_ton_npi) != 2:
            raise ValueError("short_code_ton_npi must be [ton, npi]")
        self.name = name
        self._host = host
        self._port = int(port)
        self._system_id = system_id
        self._password = password
        self._system_type = system_type
        self._enquire_link_interval = float(enquire_link_interval)
        self._reconnect_initial = float(reconnect_initial)
        self._reconnect_max = max(float(reconnect_max), self._reconnect_initial)
        self._submit_timeout = float(submit_timeout)
        self._connect_timeout = float(connect_timeout)
        self._max_in_flight = int(max_in_flight)
        self._short_code_ton_npi = (int(short_code_ton_npi[0]), int(short_code_ton_npi[1]))
        self._transient = TRANSIENT_STATUSES | frozenset(transient_statuses)

        self._loop: asyncio.AbstractEventLoop | None = None
        self._receipts: ReceiptSink | None = None
        self._thread: threading.Thread | None = None
        self._executor: ThreadPoolExecutor | None = None
        self._stopping = threading.Event()
        # Wakes the connection thread's select() for close(); made by start().
        self._wake_r: socket.socket | None = None
        self._wake_w: socket.socket | None = None
        # Guards _conn, each connection's alive flag and every write (smpplib's sequence
        # numbers are not thread-safe either).
        self._lock = threading.Lock()
        self._conn: _Connection | None = None
        self._bound = asyncio.Event()
        self._window = asyncio.Semaphore(self._max_in_flight)
        self._last_error: str | None = None

    def __repr__(self) -> str:
        return f"SmppGateway({self.name!r}, {self._host}:{self._port}, bound={self.bound})"

    @property
    def bound(self) -> bool:
        """Whether a bind is up right now."""
        conn = self._conn
        return conn is not None and conn.alive

    @property
    def last_error(self) -> str | None:
        """Why the last connection or bind attempt failed or the last bind dropped."""
        return self._last_error

    # -- the port --------------------------------------------------------------------------

    async def start(self, receipts: ReceiptSink) -> None:
        """Connect and bind. Raises a permanent :class:`GatewayError` when the SMSC refuses
        the first bind (wrong system_id, password or system_type); when it cannot be reached,
        returns and keeps trying in the background (submits meanwhile wait, then fail
        transiently)."""
        if self._thread is not None:
            raise RuntimeError(f"SMPP gateway {self.name} was already started")
        self._loop = asyncio.get_running_loop()
        self._receipts = receipts
        self._executor = ThreadPoolExecutor(1, thread_name_prefix=f"smpp-{self.name}-send")
        self._wake_r, self._wake_w = socket.socketpair()
        self._wake_r.setblocking(False)
        self._wake_w.setblocking(False)
        first: ThreadFuture[bool] = ThreadFuture()
        self._thread = threading.Thread(
            target=self._run, args=(first,), name=f"smpp-{self.name}", daemon=True
        )
        self._thread.start()
        try:
            bound = await asyncio.wrap_future(first)
        except _BindRefused as refused:
            await self.close()
            raise GatewayError(
                f"SMSC {self.name} ({self._host}:{self._port}) refused the bind of system_id "
                f"{self._system_id!r}: {refused}; check system_id, password and system_type",
                permanent=True,
            ) from None
        if not bound:
            log.warning("SMPP %s: not bound yet (%s), retrying", self.name, self._last_error)

    async def submit(self, sms: OutboundSms) -> SubmitResult:
        if self._loop is None or self._stopping.is_set():
            raise GatewayError(f"SMPP gateway {self.name} is not running", permanent=False)
        ids: list[str] = []
        for number, params in self._submit_params(sms):
            try:
                ids.append(await self._submit_part(params))
            except GatewayError as error:
                if not ids:
                    raise
                raise type(error)(
                    f"{error.reason} (part {number + 1} of {len(sms.parts)})",
                    permanent=error.permanent,
                    accepted_parts=len(ids),
                    accepted_ids=tuple(ids),
                ) from error
        return SubmitResult(tuple(ids))

    def part_id(self, message_id: str, part: int) -> None:
        """The gateway assigns its ids: none is known before a part is accepted."""
        return None

    async def close(self) -> None:
        """Unbind (waiting a second for unbind_resp) and stop the connection thread."""
        thread = self._thread
        if thread is None or self._stopping.is_set():
            return
        self._stopping.set()
        self._wake()
        await asyncio.to_thread(thread.join, self._connect_timeout + 2.0)
        if thread.is_alive():
            log.error("SMPP %s: the connection thread did not stop", self.name)
        if self._executor is not None:
            self._executor.shutdown(wait=False)
        self._bound.clear()
        for sock in (self._wake_r, self._wake_w):
            if sock is not None:
                sock.close()

    # -- building submit_sm ----------------------------------------------------------------

    def _submit_params(self, sms: OutboundSms) -> list[tuple[int, dict[str, Any]]]:
        """(part index, submit_sm fields) for every part from ``sms.first_part``."""
        source_ton, source_npi, source = self._source_address(sms)
        total = len(sms.parts)
        if not 1 <= total <= 255:
            raise GatewayError(f"cannot send {total} parts", permanent=True)
        if not 0 <= sms.concat_ref <= 255:
            raise GatewayError(f"concat_ref {sms.concat_ref} is not 0-255", permanent=True)
        encode: Callable[[str], bytes]
        if sms.encoding == "GSM_7BIT":
            try:
                encode = get_alphabet(sms.locking, sms.single).encode
            except KeyError as error:
                raise GatewayError(f"no national language table {error}", permanent=True) from None
            data_coding = DATA_CODING_GSM
            locking, single = sms.locking, sms.single
        elif sms.encoding == "UCS2":
            encode = partial(str.encode, encoding="utf-16-be")
            data_coding = DATA_CODING_UCS2
            locking = single = None
        else:
            raise GatewayError(f"unknown encoding {sms.encoding!r}", permanent=True)

        validity = relative_validity(sms.validity_seconds)
        result = []
        for number in range(sms.first_part, total):
            udh = user_data_header(
                sms.concat_ref, total, number + 1, locking=locking, single=single
            )
            try:
                short_message = udh + encode(sms.parts[number])
            except ValueError as error:
                raise GatewayError(f"part {number + 1}: {error}", permanent=True) from None
            if len(short_message) > SHORT_MESSAGE_MAX:
                raise GatewayError(
                    f"part {number + 1} is {len(short_message)} octets, more than SMPP's "
                    f"{SHORT_MESSAGE_MAX}",
                    permanent=True,
                )
            params = {
                "source_addr_ton": source_ton,
                "source_addr_npi": source_npi,
                "source_addr": source,
                "dest_addr_ton": 1,
                "dest_addr_npi": 1,
                "destination_addr": sms.to.removeprefix("+"),
                "esm_class": ESM_CLASS_UDHI if udh else 0,
                "registered_delivery": 1,
                "data_coding": data_coding,
                "short_message": short_message,
                "validity_period": validity,
            }
            result.append((number, params))
        return result

    def _source_address(self, sms: OutboundSms) -> tuple[int, int, str]:
        """TON, NPI and source_addr: an E.164 number is international/ISDN without its '+', an
        alphanumeric sender ID is TON 5 / NPI 0, a short code ``short_code_ton_npi``."""
        sender = sms.sender
        if sms.sender_kind == "number":
            ton, npi, sender = 1, 1, sender.removeprefix("+")
        elif sms.sender_kind == "alphanumeric":
            ton, npi = 5, 0
        elif sms.sender_kind == "short_code":
            ton, npi = self._short_code_ton_npi
        else:
            raise GatewayError(f"unknown sender kind {sms.sender_kind!r}", permanent=True)
        # source_addr is an ASCII C-Octet String of at most 21 octets with its NUL.
        if not sender.isascii() or not 0 < len(sender) <= 20:
            raise GatewayError(
                f"sender {sms.sender!r} cannot be an SMPP source_addr (1-20 ASCII characters)",
                permanent=True,
            )
        return ton, npi, sender

    # -- submitting (event loop side) ------------------------------------------------------

    async def _submit_part(self, params: dict[str, Any]) -> str:
        loop = asyncio.get_running_loop()
        assert self._executor is not None
        async with self._window:
            deadline = loop.time() + self._submit_timeout
            while True:
                remaining = deadline - loop.time()
                if remaining <= 0:
                    raise GatewayError(
                        f"SMSC {self.name} not bound within {self._submit_timeout:g} s "
                        f"({self._last_error or 'connecting'}); not sent",
                        permanent=False,
                    )
                if not self._bound.is_set():
                    try:
                        await asyncio.wait_for(self._bound.wait(), remaining)
                    except TimeoutError:
                        continue
                response: asyncio.Future[tuple[int, str]] = loop.create_future()
                try:
                    conn, sequence = await loop.run_in_executor(
                        self._executor, self._write_submit, params, response
                    )
                except _NotSent as not_sent:
                    # The bind is going down; the reader thread will clear _bound shortly.
                    log.debug("SMPP %s: not sent (%s), waiting for a bind", self.name, not_sent)
                    await asyncio.sleep(min(0.02, remaining))
                    continue
                break
            try:
                status, message_id = await asyncio.wait_for(response, self._submit_timeout)
            except (TimeoutError, _ConnectionLost) as error:
                conn.pending.pop(sequence, None)
                why = (
                    f"no submit_sm_resp within {self._submit_timeout:g} s"
                    if isinstance(error, TimeoutError)
                    else f"the connection dropped before the submit_sm_resp ({error})"
                )
                raise SubmitUnconfirmed(
                    f"unconfirmed: {why}; the SMSC may have accepted it, so it is not retried",
                    permanent=True,
                ) from None
        if status != ESME_ROK:
            raise GatewayError(
                f"SMSC {self.name} rejected the submit_sm: {describe_status(status)}",
                permanent=status not in self._transient,
            )
        if not message_id:
            log.warning("SMPP %s: submit_sm_resp without a message_id", self.name)
        return message_id

    # -- the connection thread -------------------------------------------------------------

    def _run(self, first: ThreadFuture[bool]) -> None:
        """Connect, bind, serve, and again after a drop, until close()."""
        failures = 0
        while not self._stopping.is_set():
            try:
                conn = self._open()
            except _BindRefused as refused:
                self._last_error = f"bind refused: {refused}"
                log.error("SMPP %s: %s", self.name, self._last_error)
                if not first.done():
                    first.set_exception(refused)
                    return
            except Exception as error:  # refused, timed out, or a broken answer
                self._last_error = f"cannot bind to {self._host}:{self._port}: {_text(error)}"
                log.warning("SMPP %s: %s", self.name, self._last_error)
                if not first.done():
                    first.set_result(False)
            else:
                failures = 0
                if not first.done():
                    first.set_result(True)
                reason = self._serve(conn)
                if not self._stopping.is_set():
                    self._last_error = f"bind dropped: {reason}"
                    log.warning("SMPP %s: %s; reconnecting", self.name, self._last_error)
            delay = min(self._reconnect_max, self._reconnect_initial * 2 ** min(failures, 20))
            failures += 1
            self._stopping.wait(delay * random.uniform(0.8, 1.0))

    def _open(self) -> _Connection:
        client = smpplib.client.Client(
            self._host,
            self._port,
            timeout=self._connect_timeout,
            logger_name=f"smpplib.{self.name}",
            allow_unknown_opt_params=True,
        )
        try:
            client.connect()
            try:
                client.bind_transceiver(
                    system_id=self._system_id,
                    password=self._password,
                    system_type=self._system_type,
                )
            except smpplib.exceptions.PDUError as error:
                status = error.args[1] if len(error.args) > 1 else None
                if status in BIND_REFUSALS:
                    raise _BindRefused(status) from None
                raise
            sock = client._socket
            # PDUs are small and pipelined: Nagle would hold a part until the last one is acked.
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            peek = socket.socket(fileno=os.dup(sock.fileno()))
            peek.setblocking(False)
        except BaseException:
            _close_client(client)
            raise
        log.info("SMPP %s: bound to %s:%s", self.name, self._host, self._port)
        return _Connection(client, sock, peek)

    def _serve(self, conn: _Connection) -> str:
        """Read PDUs until the connection ends; return why it ended."""
        wake = self._wake_r
        assert wake is not None
        with self._lock:
            self._conn = conn
        self._call_soon(self._bound.set)
        last_read = time.monotonic()
        enquire_sent: float | None = None
        unbind_deadline: float | None = None
        reason = "closed"
        try:
            while True:
                now = time.monotonic()
                if self._stopping.is_set() and unbind_deadline is None:
                    unbind_deadline = now + 1.0
                    self._send_request(conn, "unbind")
                if unbind_deadline is not None and now >= unbind_deadline:
                    return "closed"
                if enquire_sent is None and now - last_read >= self._enquire_link_interval:
                    enquire_sent = now
                    self._send_request(conn, "enquire_link")
                if enquire_sent is not None and now - enquire_sent >= self._submit_timeout:
                    reason = f"no answer to enquire_link within {self._submit_timeout:g} s"
                    return reason
                wake_at = (
                    enquire_sent + self._submit_timeout
                    if enquire_sent is not None
                    else last_read + self._enquire_link_interval
                )
                if unbind_deadline is not None:
                    wake_at = min(wake_at, unbind_deadline)
                readable, _, _ = select.select([conn.sock, wake], [], [], max(0.0, wake_at - now))
                if wake in readable:
                    _drain(wake)
                if conn.sock not in readable:
                    continue
                try:
                    pdu = conn.client.read_pdu()
                except smpplib.exceptions.UnknownCommandError as error:
                    log.warning("SMPP %s: ignoring a PDU: %s", self.name, error)
                    continue
                last_read = time.monotonic()
                enquire_sent = None
                if self._handle(conn, pdu):
                    reason = "unbound"
                    return reason
        except (OSError, smpplib.exceptions.ConnectionError, smpplib.exceptions.PDUError) as e:
            reason = f"connection lost ({_text(e)})"
            return reason
        except Exception as error:  # a bug here must not end the thread: start afresh
            log.exception("SMPP %s: unexpected error on the connection", self.name)
            reason = f"unexpected error ({_text(error)})"
            return reason
        finally:
            self._retire(conn, reason)

    def _handle(self, conn: _Connection, pdu: Any) -> bool:
        """Act on one PDU; True when the session is over (unbind)."""
        command = pdu.command
        if command in ("submit_sm_resp", "generic_nack"):
            message_id = _text(getattr(pdu, "message_id", None) or b"")
            future = conn.pending.pop(pdu.sequence, None)
            if future is None and command == "submit_sm_resp":
                self._late_response(pdu.sequence, pdu.status, message_id)
            elif future is None:
                log.warning("SMPP %s: generic_nack %s", self.name, describe_status(pdu.status))
            else:
                self._call_soon(self._resolve, future, pdu.sequence, pdu.status, message_id)
            if pdu.status == ESME_RINVBNDSTS:  # the SMSC no longer sees us bound
                _shutdown(conn.sock)
        elif command == "deliver_sm":
            self._on_deliver_sm(conn, pdu)
        elif command == "enquire_link":
            self._respond(conn, "enquire_link_resp", pdu.sequence)
        elif command == "unbind":
            self._respond(conn, "unbind_resp", pdu.sequence)
            return True
        elif command == "unbind_resp":
            return True
        elif command not in ("enquire_link_resp", "alert_notification") and pdu.is_request():
            log.warning("SMPP %s: answering %s with generic_nack", self.name, command)
            self._respond(conn, "generic_nack", pdu.sequence, 0x03)  # ESME_RINVCMDID
        return False

    def _retire(self, conn: _Connection, reason: str) -> None:
        with self._lock:
            conn.alive = False
            if self._conn is conn:
                self._conn = None
            waiting = list(conn.pending.values())
            conn.pending.clear()
        self._call_soon(self._bound.clear)
        for future in waiting:
            self._call_soon(_fail, future, _ConnectionLost(reason))
        conn.peek.close()
        _close_client(conn.client)

    # -- writing (any thread, under the lock) ----------------------------------------------

    def _write_submit(
        self, params: dict[str, Any], response: asyncio.Future[tuple[int, str]]
    ) -> tuple[_Connection, int]:
        with self._lock:
            conn = self._conn
            if conn is None or not conn.alive:
                raise _NotSent("not bound")
            if conn.closed_by_peer():
                _shutdown(conn.sock)
                raise _NotSent("the SMSC closed the connection")
            pdu = smpplib.smpp.make_pdu("submit_sm", client=conn.client, **params)
            conn.pending[pdu.sequence] = response
            try:
                conn.client.send_pdu(pdu)
            except (OSError, smpplib.exceptions.ConnectionError) as error:
                # sendall() failed, so part of the PDU never left: the SMSC cannot take it.
                conn.pending.pop(pdu.sequence, None)
                _shutdown(conn.sock)
                raise _NotSent(f"write failed: {_text(error)}") from None
            return conn, pdu.sequence

    def _send_request(self, conn: _Connection, command: str) -> None:
        with self._lock:
            if conn.alive:
                conn.client.send_pdu(smpplib.smpp.make_pdu(command, client=conn.client))

    def _respond(self, conn: _Connection, command: str, sequence: int, status: int = 0) -> None:
        with self._lock:
            if not conn.alive:
                return  # the SMSC re-sends what it did not get an answer for
            pdu = smpplib.smpp.make_pdu(command, client=conn.client)
            pdu.sequence = sequence
            pdu.status = status
            try:
                conn.client.send_pdu(pdu)
            except (OSError, smpplib.exceptions.ConnectionError) as error:
                log.warning("SMPP %s: cannot send %s: %s", self.name, command, _text(error))
                _shutdown(conn.sock)

    # -- receipts --------------------------------------------------------------------------

    def _on_deliver_sm(self, conn: _Connection, pdu: Any) -> None:
        receipt = self.parse_receipt(pdu)
        if receipt is None:
            self._respond(conn, "deliver_sm_resp", pdu.sequence)
            return
        try:
            assert self._loop is not None
            taken = asyncio.run_coroutine_threadsafe(self._deliver(receipt), self._loop)
        except RuntimeError:  # the event loop is gone: let the SMSC send it again
            self._respond(conn, "deliver_sm_resp", pdu.sequence, ESME_RX_T_APPN)
            return
        taken.add_done_callback(partial(self._receipt_taken, conn, pdu.sequence, receipt))

    async def _deliver(self, receipt: DeliveryReceipt) -> None:
        assert self._receipts is not None
        await self._receipts(receipt)

    def _receipt_taken(
        self, conn: _Connection, sequence: int, receipt: DeliveryReceipt, taken: ThreadFuture[None]
    ) -> None:
        status = ESME_ROK
        if taken.cancelled() or taken.exception() is not None:
            # A temporary error: the SMSC keeps the receipt and delivers it again later.
            status = ESME_RX_T_APPN
            error = None if taken.cancelled() else taken.exception()
            log.error(
                "SMPP %s: the receipt for %s was not taken: %r",
                self.name,
                receipt.gateway_id,
                error,
            )
        try:
            assert self._executor is not None
            self._executor.submit(self._respond, conn, "deliver_sm_resp", sequence, status)
        except RuntimeError:  # closing: unanswered, so the SMSC re-sends it
            pass

    def parse_receipt(self, pdu: Any) -> DeliveryReceipt | None:
        """The :class:`DeliveryReceipt` in a deliver_sm, or ``None`` when it is not one (a
        mobile-originated message) or names no message id."""
        esm_class = pdu.esm_class or 0
        if not esm_class & (ESM_CLASS_RECEIPT | ESM_CLASS_INTERMEDIATE):
            log.info("SMPP %s: ignoring a deliver_sm that is not a receipt", self.name)
            return None
        text = _text(pdu.short_message or getattr(pdu, "message_payload", None) or b"")
        fields = {key.lower(): value for key, value in _RECEIPT_FIELD.findall(text)}
        gateway_id = _text(pdu.receipted_message_id or b"") or fields.get("id", "")
        if not gateway_id:
            # Not the receipt's text: its text: field quotes the start of the customer's SMS.
            log.warning("SMPP %s: a receipt without a message id", self.name)
            return None
        stat = _MESSAGE_STATES.get(pdu.message_state or 0) or fields.get("stat", "").upper()
        if stat:
            status = _STATS.get(stat, ReceiptStatus.FAILED)
        elif esm_class & ESM_CLASS_INTERMEDIATE:
            status = ReceiptStatus.ENROUTE
        else:
            status = ReceiptStatus.FAILED
        reason = None
        if status not in (ReceiptStatus.DELIVERED, ReceiptStatus.ENROUTE):
            reason = f"stat:{stat or '?'} err:{fields.get('err', '?')}"
        return DeliveryReceipt(
            gateway=self.name,
            gateway_id=gateway_id,
            status=status,
            reason=reason,
            at=datetime.now(UTC),
        )

    # -- plumbing --------------------------------------------------------------------------

    def _resolve(
        self, future: asyncio.Future[tuple[int, str]], sequence: int, status: int, message_id: str
    ) -> None:
        if future.done():  # its submit gave up waiting
            self._late_response(sequence, status, message_id)
        else:
            future.set_result((status, message_id))

    def _late_response(self, sequence: int, status: int, message_id: str) -> None:
        log.error(
            "SMPP %s: submit_sm_resp for sequence %d came after its submit gave up: %s, "
            "message_id %r (the message was reported unconfirmed)",
            self.name,
            sequence,
            describe_status(status),
            message_id,
        )

    def _call_soon(self, callback: Callable[..., object], *args: object) -> None:
        loop = self._loop
        if loop is None:
            return
        with contextlib.suppress(RuntimeError):  # the event loop is closed
            loop.call_soon_threadsafe(callback, *args)

    def _wake(self) -> None:
        if self._wake_w is not None:
            with contextlib.suppress(OSError):
                self._wake_w.send(b"\0")


def relative_validity(seconds: int | None) -> str | None:
    """An SMPP relative time (``YYMMDDhhmmss000R``, §7.1.1) for a validity period; days are
    capped at 99, far beyond any SMSC's own limit."""
    if seconds is None:
        return None
    days, rest = divmod(max(1, int(seconds)), 86400)
    if days > 99:
        days, rest = 99, 86399
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    return f"0000{days:02d}{hours:02d}{minutes:02d}{secs:02d}000R"


def _fail(future: asyncio.Future[Any], error: BaseException) -> None:
    if not future.done():
        future.set_exception(error)


def _text(value: object) -> str:
    if isinstance(value, bytes):
        return value.decode("latin-1").rstrip("\0")
    if isinstance(value, BaseException):
        return str(value) or type(value).__name__
    return str(value)


def _shutdown(sock: socket.socket) -> None:
    """Break the connection: the reader thread sees it at once and reconnects."""
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)


def _drain(sock: socket.socket) -> None:
    try:
        while sock.recv(64):
            pass
    except OSError:
        pass


def _close_client(client: smpplib.client.Client) -> None:
    # Not client.disconnect(): it logs a warning when the session was still bound.
    if client._socket is not None:
        client._socket.close()
        client._socket = None
    client.state = smpplib.consts.SMPP_CLIENT_STATE_CLOSED
