"""The sandbox gateway: sends nothing, reports like a real network.

It accepts every message and reports it delivered after a short delay, except for documented
test numbers that show the other outcomes, so the panel's statuses can be tried without a
contract with a carrier:

=================  =====================================================
``+4915100000001``  accepted, then **undelivered** (absent subscriber)
``+4915100000002``  **rejected** at submission (a permanent failure)
``+4915100000003``  **temporarily unavailable** twice, then delivered
``+4915100000004``  accepted, then **expired** (validity period passed)
``+4915100000005``  accepted, then **silent**: no receipt ever comes, as when a
                    network does not report; the relay resolves it as ``unknown``
                    once its wait for receipts is over (``receipt_wait_seconds``)
``+4915100000006``  delivered, and the customer **replies** a moment later
                    (``Danke, passt!``): a conversation to try the thread with
=================  =====================================================

A reason is reported as a network would: as a code the panel translates (see
``smscompose.status.Reason``), with the sandbox's own words kept for the API and the logs.
"""

from __future__ import annotations

import asyncio
import itertools
from collections import Counter
from collections.abc import Coroutine
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import ClassVar

from smscompose.config import ConfigReader
from smscompose.status import Reason

from .base import (
    DeliveryReceipt,
    GatewayError,
    InboundSink,
    InboundSms,
    OutboundSms,
    ReceiptSink,
    ReceiptStatus,
    SubmitResult,
)
from .options import RelayEndpoint, check_keys

UNDELIVERED = "+4915100000001"
REJECTED = "+4915100000002"
FLAKY = "+4915100000003"
EXPIRED = "+4915100000004"
SILENT = "+4915100000005"
REPLYING = "+4915100000006"
#: What the replying test number answers.
REPLY_TEXT = "Danke, passt!"

_FLAKY_FAILURES = 2

_OUTCOMES: dict[str, tuple[ReceiptStatus, str | None, Reason | None]] = {
    UNDELIVERED: (
        ReceiptStatus.UNDELIVERED,
        "absent subscriber (test number)",
        Reason.ABSENT_SUBSCRIBER,
    ),
    EXPIRED: (ReceiptStatus.EXPIRED, "validity period expired (test number)", Reason.EXPIRED),
}


class SandboxGateway:
    def __init__(self, name: str = "sandbox", *, delivery_delay_ms: int = 1500) -> None:
        self.name = name
        self.delay = delivery_delay_ms / 1000
        self._receipts: ReceiptSink | None = None
        self._inbound: InboundSink | None = None
        self._ids = itertools.count(1)
        self._flaky_attempts: Counter[str] = Counter()
        self._pending: set[asyncio.Task[None]] = set()
        #: Every part "sent", for tests and the demo: (message id, part number, text).
        self.sent: list[tuple[str, int, str]] = []

    async def start(self, receipts: ReceiptSink, inbound: InboundSink | None = None) -> None:
        self._receipts = receipts
        self._inbound = inbound

    async def submit(self, sms: OutboundSms) -> SubmitResult:
        if sms.to == REJECTED:
            raise GatewayError(
                "rejected by the sandbox (test number)", permanent=True, code=Reason.REJECTED
            )
        if sms.to == FLAKY and self._flaky_attempts[sms.message_id] < _FLAKY_FAILURES:
            self._flaky_attempts[sms.message_id] += 1
            raise GatewayError(
                "sandbox temporarily unavailable (test number)",
                permanent=False,
                code=Reason.NETWORK_ERROR,
            )
        ids = []
        for number in range(sms.first_part, len(sms.parts)):
            gateway_id = f"sbx-{next(self._ids)}"
            self.sent.append((sms.message_id, number, sms.parts[number]))
            ids.append(gateway_id)
            if sms.to != SILENT:
                self._later(gateway_id, sms.to)
        if sms.to == REPLYING:
            self._track(self._reply(sms, f"sbx-reply-{ids[-1]}" if ids else "sbx-reply"))
        return SubmitResult(tuple(ids))

    async def _reply(self, sms: OutboundSms, key: str) -> None:
        await asyncio.sleep(2 * self.delay)
        if self._inbound is not None:
            await self._inbound(InboundSms(self.name, sms.to, sms.sender, REPLY_TEXT, key))

    def _track(self, coroutine: Coroutine[None, None, None]) -> None:
        task = asyncio.get_running_loop().create_task(coroutine)
        self._pending.add(task)
        task.add_done_callback(self._pending.discard)

    def _later(self, gateway_id: str, to: str) -> None:
        outcome = _OUTCOMES.get(to, (ReceiptStatus.DELIVERED, None, None))
        self._track(self._report(gateway_id, *outcome))

    async def _report(
        self, gateway_id: str, status: ReceiptStatus, reason: str | None, code: Reason | None
    ) -> None:
        await asyncio.sleep(self.delay)
        if self._receipts is not None:
            await self._receipts(
                DeliveryReceipt(
                    gateway=self.name,
                    gateway_id=gateway_id,
                    status=status,
                    reason=reason,
                    at=datetime.now(UTC),
                    reason_code=code,
                )
            )

    def part_id(self, message_id: str, part: int) -> None:
        """The gateway assigns its ids: none is known before a part is accepted."""
        return None

    async def close(self) -> None:
        for task in list(self._pending):
            task.cancel()
        await asyncio.gather(*self._pending, return_exceptions=True)


@dataclass(frozen=True)
class SandboxOptions:
    """``type = "sandbox"``."""

    TYPE: ClassVar[str] = "sandbox"
    #: It takes the parts as the relay encoded them, national language tables included.
    SHIFT_TABLES: ClassVar[bool] = True

    delivery_delay_ms: int = 1500

    @classmethod
    def parse(cls, reader: ConfigReader) -> SandboxOptions:
        check_keys(reader, cls)
        return cls(delivery_delay_ms=reader.optional("delivery_delay_ms", int, 1500))

    def build(self, name: str, relay: RelayEndpoint) -> SandboxGateway:
        return SandboxGateway(name, delivery_delay_ms=self.delivery_delay_ms)
