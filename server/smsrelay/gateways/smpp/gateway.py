"""The gateway port over SMPP 3.4: one transceiver bind to an SMSC (see :mod:`.session`), one
submit_sm per part (see :mod:`.pdu`), receipts matched to the parts' ids (see :mod:`.receipts`).

A submit_sm whose response never came (a timeout, or the connection dropped first) may have been
accepted: it fails *permanently* with the reason code ``unconfirmed`` instead of being retried
(the relay shows the message as ``unknown``), since SMPP has no way to ask and a retry would then
be a double send. Only a part that provably never
reached the SMSC (not bound, the connection already closed, the write failed) is transient.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable
from typing import Any

from smscompose.status import Reason

from ..base import GatewayError, InboundSink, OutboundSms, ReceiptSink, SubmitResult
from .connection import BindRefused, ConnectionLost, NotSent
from .pdu import submit_sm_fields
from .session import SmppSession
from .status import ESME_ROK, TRANSIENT_STATUSES, describe_status, submit_reason

__all__ = ["SmppGateway", "SubmitUnconfirmed"]

log = logging.getLogger("smsrelay.gateways.smpp")


class SubmitUnconfirmed(GatewayError):
    """A part was written but its submit_sm_resp never came: the SMSC may have accepted it.
    Always permanent (a retry could be a double send); ``accepted_parts`` counts the parts
    confirmed before it."""


class SmppGateway:
    """An SMPP 3.4 transceiver bind to one SMSC.

    ``enquire_link_interval``: seconds of silence before an enquire_link; with no answer within
    ``submit_timeout`` the link counts as dead and is reopened. Reconnects wait
    ``reconnect_initial`` seconds, doubling up to ``reconnect_max`` (with jitter).
    ``submit_timeout``: how long a part waits for the bind, and then again for its
    submit_sm_resp. ``max_in_flight``: parts awaiting a response at once (the SMSC's window).
    ``short_code_ton_npi``: TON/NPI of a short code sender, network specific (3/0) by default;
    some SMSCs want 0/1. ``transient_statuses``: vendor error codes to retry besides
    :data:`~.status.TRANSIENT_STATUSES`.
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
        self._submit_timeout = float(submit_timeout)
        self._short_code_ton_npi = (int(short_code_ton_npi[0]), int(short_code_ton_npi[1]))
        self._transient = TRANSIENT_STATUSES | frozenset(transient_statuses)
        self._session = SmppSession(
            name,
            host,
            self._port,
            system_id=system_id,
            password=password,
            system_type=system_type,
            enquire_link_interval=float(enquire_link_interval),
            answer_timeout=self._submit_timeout,
            reconnect_initial=float(reconnect_initial),
            reconnect_max=max(float(reconnect_max), float(reconnect_initial)),
            connect_timeout=float(connect_timeout),
        )
        self._window = asyncio.Semaphore(int(max_in_flight))

    def __repr__(self) -> str:
        return f"SmppGateway({self.name!r}, {self._host}:{self._port}, bound={self.bound})"

    @property
    def bound(self) -> bool:
        """Whether a bind is up right now."""
        return self._session.bound

    @property
    def last_error(self) -> str | None:
        """Why the last connection or bind attempt failed or the last bind dropped."""
        return self._session.last_error

    async def start(self, receipts: ReceiptSink, inbound: InboundSink | None = None) -> None:
        """Connect and bind. Raises a permanent :class:`GatewayError` when the SMSC refuses
        the first bind (wrong system_id, password or system_type); when it cannot be reached,
        returns and keeps trying in the background (submits meanwhile wait, then fail
        transiently)."""
        try:
            bound = await self._session.open(receipts, inbound)
        except BindRefused as refused:
            await self.close()
            raise GatewayError(
                f"SMSC {self.name} ({self._host}:{self._port}) refused the bind of system_id "
                f"{self._system_id!r}: {refused}; check system_id, password and system_type",
                permanent=True,
            ) from None
        if not bound:
            log.warning("SMPP %s: not bound yet (%s), retrying", self.name, self.last_error)

    async def submit(self, sms: OutboundSms) -> SubmitResult:
        if not self._session.running:
            raise GatewayError(
                f"SMPP gateway {self.name} is not running",
                permanent=False,
                code=Reason.NETWORK_ERROR,
            )
        ids: list[str] = []
        for number, params in submit_sm_fields(sms, self._short_code_ton_npi):
            try:
                ids.append(await self._submit_part(params))
            except GatewayError as error:
                if not ids:
                    raise
                raise type(error)(
                    f"{error.reason} (part {number + 1} of {len(sms.parts)})",
                    permanent=error.permanent,
                    code=error.code,
                    accepted_parts=len(ids),
                    accepted_ids=tuple(ids),
                ) from error
        return SubmitResult(tuple(ids))

    def part_id(self, message_id: str, part: int) -> None:
        """The gateway assigns its ids: none is known before a part is accepted."""
        return None

    async def close(self) -> None:
        """Unbind (waiting a second for unbind_resp) and stop the connection thread."""
        await self._session.close()

    async def _submit_part(self, params: dict[str, Any]) -> str:
        loop = asyncio.get_running_loop()
        bound = self._session.bound_event
        async with self._window:
            deadline = loop.time() + self._submit_timeout
            while True:
                remaining = deadline - loop.time()
                if remaining <= 0:
                    raise GatewayError(
                        f"SMSC {self.name} not bound within {self._submit_timeout:g} s "
                        f"({self.last_error or 'connecting'}); not sent",
                        permanent=False,
                        code=Reason.NETWORK_ERROR,
                    )
                if not bound.is_set():
                    try:
                        await asyncio.wait_for(bound.wait(), remaining)
                    except TimeoutError:
                        continue
                response: asyncio.Future[tuple[int, str]] = loop.create_future()
                try:
                    conn, sequence = await self._session.write_submit(params, response)
                except NotSent as not_sent:
                    # The bind is going down; the reader thread will clear the bound event
                    # shortly.
                    log.debug("SMPP %s: not sent (%s), waiting for a bind", self.name, not_sent)
                    await asyncio.sleep(min(0.02, remaining))
                    continue
                break
            try:
                status, message_id = await asyncio.wait_for(response, self._submit_timeout)
            except (TimeoutError, ConnectionLost) as error:
                conn.pending.pop(sequence, None)
                why = (
                    f"no submit_sm_resp within {self._submit_timeout:g} s"
                    if isinstance(error, TimeoutError)
                    else f"the connection dropped before the submit_sm_resp ({error})"
                )
                raise SubmitUnconfirmed(
                    f"unconfirmed: {why}; the SMSC may have accepted it, so it is not retried",
                    permanent=True,
                    code=Reason.UNCONFIRMED,
                ) from None
        if status != ESME_ROK:
            raise GatewayError(
                f"SMSC {self.name} rejected the submit_sm: {describe_status(status)}",
                permanent=status not in self._transient,
                code=submit_reason(status, transient=status in self._transient),
            )
        if not message_id:
            log.warning("SMPP %s: submit_sm_resp without a message_id", self.name)
        return message_id
