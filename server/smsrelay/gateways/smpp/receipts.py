"""Delivery receipts in deliver_sm: the SMSC's receipt fields (``receipted_message_id``,
``message_state``) where it sends them, else the receipt text of SMPP 3.4 Appendix B
(``id:… sub:… dlvrd:… submit date:… done date:… stat:… err:… text:…``); and how a receipt
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

from ..base import DeliveryReceipt, ReceiptSink, ReceiptStatus
from ..reasons import from_receipt
from .connection import Connection
from .pdu import text
from .status import ESME_ROK, ESME_RX_T_APPN

__all__ = ["ReceiptHandoff", "parse_receipt"]

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


def parse_receipt(gateway: str, pdu: Any) -> DeliveryReceipt | None:
    """The :class:`DeliveryReceipt` in a deliver_sm, or ``None`` when it is not one (a
    mobile-originated message) or names no message id."""
    esm_class = pdu.esm_class or 0
    if not esm_class & (ESM_CLASS_RECEIPT | ESM_CLASS_INTERMEDIATE):
        log.info("SMPP %s: ignoring a deliver_sm that is not a receipt", gateway)
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
    ) -> None:
        self.name = gateway
        self._loop = loop
        self._receipts = sink
        self._respond = respond
        self._executor = executor

    def take(self, conn: Connection, pdu: Any) -> None:
        """A deliver_sm, on the connection thread."""
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
