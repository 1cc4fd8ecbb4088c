"""Delivery receipts in deliver_sm: the SMSC's receipt fields (``receipted_message_id``,
``message_state``) where it sends them, else the receipt text of SMPP 3.4 Appendix B
(``id:… sub:… dlvrd:… submit date:… done date:… stat:… err:… text:…``); and how a receipt —
or a customer's message, a deliver_sm that is not a receipt (see :mod:`.mobile_originated`) —
crosses from the connection thread to the relay and back into a deliver_sm_resp."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
from collections.abc import Callable
from concurrent.futures import Future as ThreadFuture
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from functools import partial
from typing import Any

from ..base import DeliveryReceipt, InboundSink, InboundSms, ReceiptSink, ReceiptStatus
from ..reasons import from_receipt
from .connection import Connection
from .mobile_originated import InvalidMo, parse_mo
from .pdu import text
from .status import ESME_ROK, ESME_RX_R_APPN, ESME_RX_T_APPN

__all__ = ["ReceiptHandoff", "is_receipt", "parse_receipt"]

log = logging.getLogger("smsrelay.gateways.smpp")

#: esm_class message types of a receipt: SMSC delivery receipt, intermediate notification.
ESM_CLASS_RECEIPT = 0x04
ESM_CLASS_INTERMEDIATE = 0x20

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
_RECEIPT_FIELD = re.compile(r"\b(id|stat|err):(\S+)", re.IGNORECASE)


def is_receipt(pdu: Any) -> bool:
    """Whether a deliver_sm is a delivery receipt or notification, not a customer's message."""
    return bool((pdu.esm_class or 0) & (ESM_CLASS_RECEIPT | ESM_CLASS_INTERMEDIATE))


def parse_receipt(gateway: str, pdu: Any) -> DeliveryReceipt | None:
    """The :class:`DeliveryReceipt` in a deliver_sm, or ``None`` when it is not one (a
    mobile-originated message) or names no message id."""
    esm_class = pdu.esm_class or 0
    if not is_receipt(pdu):
        return None
    body = text(pdu.short_message or getattr(pdu, "message_payload", None) or b"")
    fields = {key.lower(): value for key, value in _RECEIPT_FIELD.findall(body)}
    gateway_id = text(pdu.receipted_message_id or b"") or fields.get("id", "")
    if not gateway_id:
        # Not the receipt's text: its text: field quotes the start of the customer's SMS.
        log.warning("SMPP %s: a receipt without a message id", gateway)
        return None
    stat = _MESSAGE_STATES.get(pdu.message_state or 0) or fields.get("stat", "").upper()
    if stat:
        status = _STATS.get(stat, ReceiptStatus.FAILED)
    elif esm_class & ESM_CLASS_INTERMEDIATE:
        status = ReceiptStatus.ENROUTE
    else:
        status = ReceiptStatus.FAILED
    reason = code = None
    if status not in (ReceiptStatus.DELIVERED, ReceiptStatus.ENROUTE):
        reason = f"stat:{stat or '?'} err:{fields.get('err', '?')}"
        code = from_receipt(stat, fields.get("err"))
    return DeliveryReceipt(
        gateway=gateway,
        gateway_id=gateway_id,
        status=status,
        reason=reason,
        at=datetime.now(UTC),
        reason_code=code,
    )


class ReceiptHandoff:
    """Hands the receipts the connection thread reads to the :data:`ReceiptSink` on the event
    loop, and answers each deliver_sm only once the sink has taken its receipt: one the relay
    could not store is refused with a temporary error, so the SMSC sends it again."""

    def __init__(
        self,
        gateway: str,
        loop: asyncio.AbstractEventLoop,
        sink: ReceiptSink,
        respond: Callable[[Connection, str, int, int], None],
        executor: ThreadPoolExecutor,
        inbound: InboundSink | None = None,
    ) -> None:
        self.name = gateway
        self._loop = loop
        self._receipts = sink
        self._inbound = inbound
        self._respond = respond
        self._executor = executor

    def take(self, conn: Connection, pdu: Any) -> None:
        """A deliver_sm, on the connection thread."""
        if not is_receipt(pdu):
            self._take_message(conn, pdu)
            return
        receipt = parse_receipt(self.name, pdu)
        if receipt is None:
            self._respond(conn, "deliver_sm_resp", pdu.sequence, ESME_ROK)
            return
        try:
            taken = asyncio.run_coroutine_threadsafe(self._deliver(receipt), self._loop)
        except RuntimeError:  # the event loop is gone: let the SMSC send it again
            self._respond(conn, "deliver_sm_resp", pdu.sequence, ESME_RX_T_APPN)
            return
        taken.add_done_callback(partial(self._receipt_taken, conn, pdu.sequence, receipt))

    async def _deliver(self, receipt: DeliveryReceipt) -> None:
        await self._receipts(receipt)

    def _take_message(self, conn: Connection, pdu: Any) -> None:
        """A customer's message: answered once the relay stored it (or its part), so one it
        could not store comes again; one that cannot be read is refused for good."""
        try:
            sms = parse_mo(self.name, pdu)
        except InvalidMo as error:
            log.warning("SMPP %s: refused a customer's message: %s", self.name, error)
            self._respond(conn, "deliver_sm_resp", pdu.sequence, ESME_RX_R_APPN)
            return
        if self._inbound is None:
            log.info("SMPP %s: a customer's message, and nobody to take it", self.name)
            self._respond(conn, "deliver_sm_resp", pdu.sequence, ESME_ROK)
            return
        try:
            taken = asyncio.run_coroutine_threadsafe(self._pass_on(sms), self._loop)
        except RuntimeError:  # the event loop is gone: let the SMSC send it again
            self._respond(conn, "deliver_sm_resp", pdu.sequence, ESME_RX_T_APPN)
            return
        taken.add_done_callback(partial(self._message_taken, conn, pdu.sequence))

    async def _pass_on(self, sms: InboundSms) -> None:
        assert self._inbound is not None
        await self._inbound(sms)

    def _message_taken(self, conn: Connection, sequence: int, taken: ThreadFuture[None]) -> None:
        status = ESME_ROK
        error = None if taken.cancelled() else taken.exception()
        if taken.cancelled() or error is not None:
            # Too long is for good; anything else (the database away) is worth another try.
            permanent = isinstance(error, ValueError)
            status = ESME_RX_R_APPN if permanent else ESME_RX_T_APPN
            log.error("SMPP %s: a customer's message was not taken: %r", self.name, error)
        with contextlib.suppress(RuntimeError):
            self._executor.submit(self._respond, conn, "deliver_sm_resp", sequence, status)

    def _receipt_taken(
        self, conn: Connection, sequence: int, receipt: DeliveryReceipt, taken: ThreadFuture[None]
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
        # Closing, the executor refuses: unanswered, the SMSC re-sends it.
        with contextlib.suppress(RuntimeError):
            self._executor.submit(self._respond, conn, "deliver_sm_resp", sequence, status)
