"""Wires the relay: clock, store, gateways, metrics, dispatcher, event feed, and the order they
start and stop in. ``create_app`` and the command line both build the relay here, so there is
one place that says what a relay is made of; tests hand in a store, gateways or a clock of
their own."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable, Mapping
from contextlib import asynccontextmanager
from dataclasses import replace

import httpx
from anyio import to_thread

from .conversations import ConversationService
from .dispatcher import Dispatcher
from .feed import EventFeed
from .gateways.base import Gateway
from .gateways.options import RelayEndpoint
from .gateways.registry import build_gateway
from .inbound import InboundService
from .metrics import Metrics
from .relay import Relay
from .service import MessageService, now_ms
from .settings import RelaySettings
from .storage import MessageRow, SqlStore
from .storage.ports import Store
from .tenants.directory import TenantDirectory
from .tenants.sync import TenantSync
from .webhooks import ReceivedMessages, WebhookDeliverer, WebhookPump, Webhooks
from .webhooks.payloads import StoredReceivedMessages

__all__ = ["bootstrap", "build_gateways", "open_store", "prepare_database", "running"]


def bootstrap(
    settings: RelaySettings,
    *,
    store: Store | None = None,
    gateways: Mapping[str, Gateway] | None = None,
    clock: Callable[[], int] = now_ms,
    demo: bool = False,
    received: ReceivedMessages | None = None,
    webhook_transport: httpx.AsyncBaseTransport | None = None,
    wake_dispatcher: Callable[[], None] | None = None,
) -> Relay:
    """The relay, built but not started (see :func:`running`). Raises ``InvalidConfig`` when a
    configured gateway cannot be built. ``received`` is where ``message.received`` webhooks
    read customers' SMS; ``webhook_transport`` replaces the network for webhooks (tests).
    ``wake_dispatcher`` is told of every accepted message when the dispatcher runs in a
    process of its own (:mod:`.dispatch_wake`); the event feed then also looks for that
    process's status changes more often than for another relay's."""
    # Gateways first: a configuration error then leaves no database connection behind.
    gateways = dict(gateways) if gateways is not None else build_gateways(settings)
    store = store or SqlStore(settings.database_url)
    # Everything looks tenants up in the live directory: the database's newest revisions
    # once the relay runs (until then, the configuration file's tables).
    directory = TenantDirectory(settings.gateways, settings.tenants)
    tenants = TenantSync(
        store,
        directory,
        documents=settings.tenant_documents,
        source=settings.source,
        clock=clock,
    )
    settings = replace(settings, tenants=directory)
    # A dispatcher elsewhere writes every "submitted" and "delivered" the agents here wait
    # for; the feed learns of them only by reading, so it reads five times as often.
    feed = EventFeed(store, poll_seconds=0.1 if wake_dispatcher is not None else 0.5)
    metrics = Metrics()
    deliverer = WebhookDeliverer(
        settings,
        store.webhooks,
        directory,
        clock=clock,
        transport=webhook_transport,
        on_outcome=lambda state: metrics.webhook_attempts.labels(state).inc(),
    )
    metrics.webhooks_in_flight.set_function(lambda: deliverer.in_flight)
    pump = WebhookPump(
        store,
        store.webhooks,
        directory,
        received=received or StoredReceivedMessages(store),
        clock=clock,
        poll_seconds=settings.webhook_poll_seconds,
    )
    webhooks = Webhooks(pump, deliverer)

    def on_status(row: MessageRow) -> None:
        metrics.status.labels(row.status).inc()
        feed.notify()
        webhooks.notify()

    def on_accepted() -> None:
        (wake_dispatcher or dispatcher.wake)()
        feed.notify()  # its "queued" event
        webhooks.notify()

    dispatcher = Dispatcher(
        settings,
        store,
        gateways,
        clock=clock,
        on_status=on_status,
        on_in_flight=metrics.in_flight.set,
        concurrency=settings.dispatch_concurrency,
    )
    service = MessageService(
        settings, store, clock=clock, on_accepted=on_accepted, on_status=on_status
    )

    def on_received() -> None:
        feed.notify()
        webhooks.notify()

    inbound = InboundService(settings, store, store.optouts, clock=clock, on_received=on_received)
    conversations = ConversationService(settings, store, clock=clock)
    return Relay(
        settings,
        store,
        gateways,
        service,
        dispatcher,
        feed,
        metrics,
        tenants,
        inbound,
        conversations,
        webhooks,
        demo,
    )


def build_gateways(settings: RelaySettings) -> dict[str, Gateway]:
    """The configured gateways' adapters, not started."""
    relay = RelayEndpoint(settings.public_url, settings.callback_secret)
    return {
        name: build_gateway(name, gateway.type, gateway.options, relay)
        for name, gateway in settings.gateways.items()
    }


def open_store(settings: RelaySettings) -> SqlStore:
    """The configured database with its schema up to date, for commands that need only the
    store; the caller closes it."""
    _make_data_dir(settings)
    store = SqlStore(settings.database_url)
    try:
        store.create_schema()
    except BaseException:
        store.close()
        raise
    return store


def prepare_database(settings: RelaySettings) -> None:
    """Migrate the database and seed its tenants from the configuration if it has none: what
    every relay does when it starts, done once before a supervisor's workers start together."""
    store = open_store(settings)
    try:
        directory = TenantDirectory(settings.gateways, settings.tenants)
        TenantSync(
            store,
            directory,
            documents=settings.tenant_documents,
            source=settings.source,
            clock=now_ms,
        ).start()
    finally:
        store.close()


@asynccontextmanager
async def running(
    relay: Relay, *, dispatch: bool = True, streams: bool = True
) -> AsyncIterator[Relay]:
    """The relay started: schema migrated, (with ``streams``) the event feed reading, gateways
    bound and (with ``dispatch``) the dispatcher sending; everything stopped again on exit.
    A process that serves no event streams (``--dispatch-process``) has no feed to read."""
    settings, store, feed, dispatcher = relay.settings, relay.store, relay.feed, relay.dispatcher
    _make_data_dir(settings)
    await to_thread.run_sync(store.create_schema)
    await to_thread.run_sync(relay.tenants.start)
    watcher = asyncio.create_task(relay.tenants.run(lambda: relay.shutting_down()))
    reader = None
    if streams:
        await feed.start()
        # Ends the event streams at shutdown too, or a graceful shutdown would wait for them
        # forever (every agent holds one open).
        reader = asyncio.create_task(feed.run(lambda: relay.shutting_down()))
    for gateway in relay.gateways.values():
        await gateway.start(relay.take_receipt, relay.take_inbound)
    runner = asyncio.create_task(dispatcher.run()) if dispatch else None
    webhooks = asyncio.create_task(relay.webhooks.run(lambda: relay.shutting_down()))
    try:
        yield relay
    finally:
        if reader is not None:
            feed.end()
            await reader
        relay.webhooks.stop()
        # Whatever ended it, the rest still stops and the store is closed.
        await asyncio.gather(webhooks, return_exceptions=True)
        watcher.cancel()
        await asyncio.gather(watcher, return_exceptions=True)
        await dispatcher.stop()
        if runner is not None:
            runner.cancel()
            await asyncio.gather(runner, return_exceptions=True)
        for gateway in relay.gateways.values():
            await gateway.close()
        store.close()


def _make_data_dir(settings: RelaySettings) -> None:
    if settings.database_url.startswith("sqlite"):
        settings.data_dir.mkdir(parents=True, exist_ok=True)
