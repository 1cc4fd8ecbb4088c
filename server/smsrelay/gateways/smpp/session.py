"""The SMPP session: smpplib is blocking, so one thread owns the connection. It connects, binds,
reads every PDU, keeps the link alive with enquire_link, answers the SMSC's requests and
reconnects with backoff when the bind drops. Other threads write under one lock: a submit_sm
from the gateway's small executor, whose submit_sm_resp then resolves an asyncio future found
by sequence number. Delivery receipts go to the :data:`ReceiptSink` on the event loop, and
their deliver_sm_resp is sent once the sink has taken them, so a receipt the relay could not
store is re-sent by the SMSC."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import select
import socket
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future as ThreadFuture
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import smpplib.exceptions
import smpplib.smpp

from ..base import InboundSink, ReceiptSink
from .connection import (
    BindRefused,
    Connection,
    ConnectionLost,
    NotSent,
    bind_transceiver,
    close_client,
    drain,
    fail,
    shutdown,
)
from .pdu import text
from .receipts import ReceiptHandoff
from .status import ESME_RINVBNDSTS, describe_status

__all__ = ["SmppSession"]

log = logging.getLogger("smsrelay.gateways.smpp")


class SmppSession:
    """The connection thread of one SMPP gateway and the writes made on its connection.

    ``enquire_link_interval``: seconds of silence before an enquire_link; with no answer within
    ``answer_timeout`` the link counts as dead and is reopened. Reconnects wait
    ``reconnect_initial`` seconds, doubling up to ``reconnect_max`` (with jitter).
    """

    def __init__(
        self,
        name: str,
        host: str,
        port: int,
        *,
        system_id: str,
        password: str,
        system_type: str,
        enquire_link_interval: float,
        answer_timeout: float,
        reconnect_initial: float,
        reconnect_max: float,
        connect_timeout: float,
    ) -> None:
        self.name = name
        self._host = host
        self._port = port
        self._system_id = system_id
        self._password = password
        self._system_type = system_type
        self._enquire_link_interval = enquire_link_interval
        self._answer_timeout = answer_timeout
        self._reconnect_initial = reconnect_initial
        self._reconnect_max = reconnect_max
        self._connect_timeout = connect_timeout

        self._loop: asyncio.AbstractEventLoop | None = None
        self._handoff: ReceiptHandoff | None = None
        self._thread: threading.Thread | None = None
        self._executor: ThreadPoolExecutor | None = None
        self._stopping = threading.Event()
        # Wakes the connection thread's select() for close(); made by open().
        self._wake_r: socket.socket | None = None
        self._wake_w: socket.socket | None = None
        # Guards _conn, each connection's alive flag and every write (smpplib's sequence
        # numbers are not thread-safe either).
        self._lock = threading.Lock()
        self._conn: Connection | None = None
        #: Set on the event loop while a bind is up: submits wait for it.
        self.bound_event = asyncio.Event()
        #: Why the last connection or bind attempt failed or the last bind dropped.
        self.last_error: str | None = None

    @property
    def bound(self) -> bool:
        """Whether a bind is up right now."""
        conn = self._conn
        return conn is not None and conn.alive

    @property
    def running(self) -> bool:
        """Opened and not closed: submits may be written."""
        return self._loop is not None and not self._stopping.is_set()

    async def open(self, receipts: ReceiptSink, inbound: InboundSink | None = None) -> bool:
        """Start the connection thread: True once the first bind is up, False when the SMSC
        could not be reached (the thread keeps trying). Raises :class:`BindRefused` when the
        SMSC refuses the first bind; the thread has ended then."""
        if self._thread is not None:
            raise RuntimeError(f"SMPP gateway {self.name} was already started")
        self._loop = asyncio.get_running_loop()
        self._executor = ThreadPoolExecutor(1, thread_name_prefix=f"smpp-{self.name}-send")
        self._handoff = ReceiptHandoff(
            self.name, self._loop, receipts, self._respond, self._executor, inbound
        )
        self._wake_r, self._wake_w = socket.socketpair()
        self._wake_r.setblocking(False)
        self._wake_w.setblocking(False)
        first: ThreadFuture[bool] = ThreadFuture()
        self._thread = threading.Thread(
            target=self._run, args=(first,), name=f"smpp-{self.name}", daemon=True
        )
        self._thread.start()
        return await asyncio.wrap_future(first)

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
        self.bound_event.clear()
        for sock in (self._wake_r, self._wake_w):
            if sock is not None:
                sock.close()

    async def write_submit(
        self, params: dict[str, Any], response: asyncio.Future[tuple[int, str]]
    ) -> tuple[Connection, int]:
        """Write one submit_sm whose submit_sm_resp will resolve ``response``; the connection
        and sequence number it went out with. Raises :class:`NotSent` when it provably did
        not reach the SMSC."""
        assert self._executor is not None
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, self._write_submit, params, response)

    # -- the connection thread -------------------------------------------------------------

    def _run(self, first: ThreadFuture[bool]) -> None:
        """Connect, bind, serve, and again after a drop, until close()."""
        failures = 0
        while not self._stopping.is_set():
            try:
                conn = bind_transceiver(
                    self.name,
                    self._host,
                    self._port,
                    system_id=self._system_id,
                    password=self._password,
                    system_type=self._system_type,
                    timeout=self._connect_timeout,
                )
            except BindRefused as refused:
                self.last_error = f"bind refused: {refused}"
                log.error("SMPP %s: %s", self.name, self.last_error)
                if not first.done():
                    first.set_exception(refused)
                    return
            except Exception as error:  # refused, timed out, or a broken answer
                self.last_error = f"cannot bind to {self._host}:{self._port}: {text(error)}"
                log.warning("SMPP %s: %s", self.name, self.last_error)
                if not first.done():
                    first.set_result(False)
            else:
                failures = 0
                if not first.done():
                    first.set_result(True)
                reason = self._serve(conn)
                if not self._stopping.is_set():
                    self.last_error = f"bind dropped: {reason}"
                    log.warning("SMPP %s: %s; reconnecting", self.name, self.last_error)
            delay = min(self._reconnect_max, self._reconnect_initial * 2 ** min(failures, 20))
            failures += 1
            self._stopping.wait(delay * random.uniform(0.8, 1.0))

    def _serve(self, conn: Connection) -> str:
        """Read PDUs until the connection ends; return why it ended."""
        wake = self._wake_r
        assert wake is not None
        with self._lock:
            self._conn = conn
        self._call_soon(self.bound_event.set)
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
                if enquire_sent is not None and now - enquire_sent >= self._answer_timeout:
                    reason = f"no answer to enquire_link within {self._answer_timeout:g} s"
                    return reason
                wake_at = (
                    enquire_sent + self._answer_timeout
                    if enquire_sent is not None
                    else last_read + self._enquire_link_interval
                )
                if unbind_deadline is not None:
                    wake_at = min(wake_at, unbind_deadline)
                readable, _, _ = select.select([conn.sock, wake], [], [], max(0.0, wake_at - now))
                if wake in readable:
                    drain(wake)
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
            reason = f"connection lost ({text(e)})"
            return reason
        except Exception as error:  # a bug here must not end the thread: start afresh
            log.exception("SMPP %s: unexpected error on the connection", self.name)
            reason = f"unexpected error ({text(error)})"
            return reason
        finally:
            self._retire(conn, reason)

    def _handle(self, conn: Connection, pdu: Any) -> bool:
        """Act on one PDU; True when the session is over (unbind)."""
        command = pdu.command
        if command in ("submit_sm_resp", "generic_nack"):
            message_id = text(getattr(pdu, "message_id", None) or b"")
            future = conn.pending.pop(pdu.sequence, None)
            if future is None and command == "submit_sm_resp":
                self._late_response(pdu.sequence, pdu.status, message_id)
            elif future is None:
                log.warning("SMPP %s: generic_nack %s", self.name, describe_status(pdu.status))
            else:
                self._call_soon(self._resolve, future, pdu.sequence, pdu.status, message_id)
            if pdu.status == ESME_RINVBNDSTS:  # the SMSC no longer sees us bound
                shutdown(conn.sock)
        elif command == "deliver_sm":
            assert self._handoff is not None
            self._handoff.take(conn, pdu)
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

    def _retire(self, conn: Connection, reason: str) -> None:
        with self._lock:
            conn.alive = False
            if self._conn is conn:
                self._conn = None
            waiting = list(conn.pending.values())
            conn.pending.clear()
        self._call_soon(self.bound_event.clear)
        for future in waiting:
            self._call_soon(fail, future, ConnectionLost(reason))
        conn.peek.close()
        close_client(conn.client)

    # -- writing (any thread, under the lock) ----------------------------------------------

    def _write_submit(
        self, params: dict[str, Any], response: asyncio.Future[tuple[int, str]]
    ) -> tuple[Connection, int]:
        with self._lock:
            conn = self._conn
            if conn is None or not conn.alive:
                raise NotSent("not bound")
            if conn.closed_by_peer():
                shutdown(conn.sock)
                raise NotSent("the SMSC closed the connection")
            pdu = smpplib.smpp.make_pdu("submit_sm", client=conn.client, **params)
            conn.pending[pdu.sequence] = response
            try:
                conn.client.send_pdu(pdu)
            except (OSError, smpplib.exceptions.ConnectionError) as error:
                # sendall() failed, so part of the PDU never left: the SMSC cannot take it.
                conn.pending.pop(pdu.sequence, None)
                shutdown(conn.sock)
                raise NotSent(f"write failed: {text(error)}") from None
            return conn, pdu.sequence

    def _send_request(self, conn: Connection, command: str) -> None:
        with self._lock:
            if conn.alive:
                conn.client.send_pdu(smpplib.smpp.make_pdu(command, client=conn.client))

    def _respond(self, conn: Connection, command: str, sequence: int, status: int = 0) -> None:
        with self._lock:
            if not conn.alive:
                return  # the SMSC re-sends what it did not get an answer for
            pdu = smpplib.smpp.make_pdu(command, client=conn.client)
            pdu.sequence = sequence
            pdu.status = status
            try:
                conn.client.send_pdu(pdu)
            except (OSError, smpplib.exceptions.ConnectionError) as error:
                log.warning("SMPP %s: cannot send %s: %s", self.name, command, text(error))
                shutdown(conn.sock)

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
