"""Webhooks to the tenants' CRMs: every event of the events table that a tenant's endpoint
wants — ``message.accepted``, ``message.status``, ``message.received``, ``optout.changed`` —
posted to it at least once, signed as Standard Webhooks says, in order per conversation.

``pump.py`` turns events into deliveries (the outbox, written with its cursor in one
transaction); ``deliverer.py`` posts them with retries; ``payloads.py`` says what each event
tells; ``signing.py`` signs. The endpoints and their checks are ``tenants/webhooks.py``, the
outbox's tables ``storage/webhooks.py``.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from .deliverer import WebhookDeliverer
from .payloads import NoReceivedMessages, ReceivedMessage, ReceivedMessages
from .pump import WebhookPump

__all__ = [
    "NoReceivedMessages",
    "ReceivedMessage",
    "ReceivedMessages",
    "WebhookDeliverer",
    "WebhookPump",
    "Webhooks",
]


class Webhooks:
    """The pump and the deliverer of one relay, started and stopped together."""

    def __init__(self, pump: WebhookPump, deliverer: WebhookDeliverer) -> None:
        self.pump = pump
        self.deliverer = deliverer
        pump.on_created = deliverer.wake
        pump.claim_for = deliverer.claim_request
        pump.on_claimed = deliverer.start
        self._stopped = False

    def notify(self) -> None:
        """An event was committed on this relay. Safe from any thread."""
        self.pump.notify()

    async def run(self, stopping: Callable[[], bool] = lambda: False) -> None:
        def done() -> bool:
            return self._stopped or stopping()

        await asyncio.gather(self.pump.run(done), self.deliverer.run(done))

    def stop(self) -> None:
        """End :meth:`run` once the attempts under way have ended (the pump and the
        deliverer are woken, not left to their next poll)."""
        self._stopped = True
        self.pump.wake()
        self.deliverer.wake()
