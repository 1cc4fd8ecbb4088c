"""One bound SMPP connection, how it is opened, and the socket-level helpers the session thread
uses to break, drain and close it."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
from dataclasses import dataclass, field
from typing import Any

import smpplib.client
import smpplib.consts
import smpplib.exceptions

from .status import BIND_REFUSALS, describe_status

__all__ = ["BindRefused", "Connection", "ConnectionLost", "NotSent", "bind_transceiver"]

log = logging.getLogger("smsrelay.gateways.smpp")


class NotSent(Exception):
    """The submit_sm did not reach the SMSC whole: a retry cannot be a double send."""


class ConnectionLost(Exception):
    """The connection ended before the response came."""


class BindRefused(Exception):
    def __init__(self, status: int) -> None:
        super().__init__(describe_status(status))
        self.status = status


@dataclass(eq=False)
class Connection:
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


def bind_transceiver(
    name: str,
    host: str,
    port: int,
    *,
    system_id: str,
    password: str,
    system_type: str,
    timeout: float,
) -> Connection:
    """Connect and bind as a transceiver; raises :class:`BindRefused` when the SMSC refuses
    the credentials or system_type, anything else when it cannot be reached."""
    client = smpplib.client.Client(
        host,
        port,
        timeout=timeout,
        logger_name=f"smpplib.{name}",
        allow_unknown_opt_params=True,
    )
    try:
        client.connect()
        try:
            client.bind_transceiver(
                system_id=system_id,
                password=password,
                system_type=system_type,
            )
        except smpplib.exceptions.PDUError as error:
            status = error.args[1] if len(error.args) > 1 else None
            if status in BIND_REFUSALS:
                raise BindRefused(status) from None
            raise
        sock = client._socket
        # PDUs are small and pipelined: Nagle would hold a part until the last one is acked.
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        peek = socket.socket(fileno=os.dup(sock.fileno()))
        peek.setblocking(False)
    except BaseException:
        close_client(client)
        raise
    log.info("SMPP %s: bound to %s:%s", name, host, port)
    return Connection(client, sock, peek)


def fail(future: asyncio.Future[Any], error: BaseException) -> None:
    if not future.done():
        future.set_exception(error)


def shutdown(sock: socket.socket) -> None:
    """Break the connection: the reader thread sees it at once and reconnects."""
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)


def drain(sock: socket.socket) -> None:
    try:
        while sock.recv(64):
            pass
    except OSError:
        pass


def close_client(client: smpplib.client.Client) -> None:
    # Not client.disconnect(): it logs a warning when the session was still bound.
    if client._socket is not None:
        client._socket.close()
        client._socket = None
    client.state = smpplib.consts.SMPP_CLIENT_STATE_CLOSED
