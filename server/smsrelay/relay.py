"""The running relay as routes see it: settings, storage, gateways, the service layer."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from .auth import TokenCache
from .conversations import ConversationService
from .dispatcher import Dispatcher
from .feed import EventFeed
from .gateways.base import DeliveryReceipt, Gateway, InboundSms
from .inbound import InboundService
from .metrics import Metrics
from .service import MessageService
from .settings import RelaySettings
from .storage.ports import Store
from .tenants.sync import TenantSync


@dataclass
class Relay:
    """Everything a route needs, on ``app.state.relay``."""

    settings: RelaySettings
    store: Store
    gateways: Mapping[str, Gateway]
    service: MessageService
    dispatcher: Dispatcher
    feed: EventFeed
    metrics: Metrics
    #: Keeps ``settings.tenants`` (a TenantDirectory) in step with the database.
    tenants: TenantSync
    #: Customers' messages from every gateway, and the agents' conversations.
    inbound: InboundService
    conversations: ConversationService
    #: Mints demo tokens at /demo/token; only with the embedded demo configuration.
    demo: bool = False
    tokens: TokenCache = field(default_factory=TokenCache)
    #: True once the server is shutting down: open event streams end then, or a graceful
    #: shutdown would wait for them forever (every agent holds one open).
    shutting_down: Callable[[], bool] = lambda: False

    async def take_receipt(self, receipt: DeliveryReceipt) -> None:
        """A receipt from any gateway, over its bind or an HTTP callback."""
        row = await self.service.apply_receipt(receipt)
        self.metrics.receipts.labels(receipt.gateway, str(row is not None).lower()).inc()

    async def take_inbound(self, sms: InboundSms) -> None:
        """A customer's message from any gateway, over its bind or an HTTP callback. Raises
        ``InboundTooLong``."""
        await self.inbound.take(sms)
