"""The sandbox gateway: sends nothing, reports like a real network.

It accepts every message and reports it delivered after a short delay, except for documented
test numbers that show the other outcomes, so the panel's statuses can be tried without a
contract with a carrier:

=================  =====================================================
``+4915100000001``  accepted, then **undelivered** (absent subscriber)
``+4915100000002``  **rejected** at submission (a permanent failure)
``+4915100000003``  **temporarily unavailable** twice, then delivered
``+4915100000004``  accepted, then **expired** (validity period passed)
=================  =====================================================
"""

from __future__ import annotations

import asyncio
import itertools
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import ClassVar

from smscompose.config import ConfigReader

from .base import (
    DeliveryReceipt,
    GatewayError,
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

_FLAKY_FAILURES = 2


class SandboxGateway:
    def __init__(self, name: str = "sandbox", *, delivery_delay_ms: int = 1500) -> None:
        self.name = name
        self.delay = delivery_delay_ms / 1000
        self._receipts: ReceiptSink | None = None
        self._ids = itertools.count(1)
        self._flaky_attempts: Counter[str] = Counter()
        self._pending: set[asyncio.Task[None]] = set()
        #: Every part "sent", for tests and the demo: (message id, part number, text).
        self.sent: list[tuple[str, int, str]] = []

    async def start(self, receipts: ReceiptSink) -> None:
        self._receipts = receipts

    async def submit(self, sms: OutboundSms) -> SubmitResult:
        if sms.to == REJECTED:
            raise GatewayError("rejected by the sandbox (test number)", permanent=True)
        if sms.to == FLAKY and self._flaky_attempts[sms.message_id] < _FLAKY_FAILURES:
            self._flaky_attempts[sms.message_id] += 1
            raise GatewayError("sandbox temporarily unavailable (test number)", permanent=False)
        ids = []
        for number in range(sms.first_part, len(sms.parts)):
            gateway_id = f"sbx-{next(self._ids)}"
            self.sent.append((sms.message_id, number, sms.parts[number]))
            ids.append(gateway_id)
            self._later(gateway_id, sms.to)
        return SubmitResult(tuple(ids))

    def _later(self, gateway_id: str, to: str) -> None:
        outcome = {
            UNDELIVERED: (ReceiptStatus.UNDELIVERED, "absent subscriber (test number)"),
            EXPIRED: (ReceiptStatus.EXPIRED, "validity period expired (test number)"),
        }.get(to, (ReceiptStatus.DELIVERED, None))
        task = asyncio.get_running_loop().create_task(self._report(gateway_id, *outcome))
        self._pending.add(task)
        task.add_done_callback(self._pending.discard)

    async def _report(self, gateway_id: str, status: ReceiptStatus, reason: str | None) -> None:
        await asyncio.sleep(self.delay)
        if self._receipts is not None:
            await self._receipts(
                DeliveryReceipt(
                    gateway=self.name,
                    gateway_id=gateway_id,
                    status=status,
                    reason=reason,
                    at=datetime.now(UTC),
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
