"""The webhook deliverer: posts the outbox's deliveries to the tenants' endpoints, signed, with
retries, in order per endpoint and conversation.

Each pass claims as many due deliveries as it has free slots (``webhook_concurrency``), with a
lease longer than one attempt may take, so another relay leaves them alone while they are under
way and takes them over if this one dies (then the CRM may get an event twice; it drops the
duplicate by its ``webhook-id``). The store hands out only the first pending delivery of each
endpoint and conversation, so a later event waits while an earlier one is being retried.

An attempt succeeds on a 2xx answer. Anything else — another status, a refused connection, a
timeout — is tried again after an exponential backoff with jitter (``webhook_retry_base_seconds``
doubled per attempt, at most ``webhook_retry_max_seconds``), until the retry window
(``webhook_retry_window_seconds``, 24 h) has passed: then the delivery is ``failed``, an
administrator can send it again ("redeliver"), and the conversation's next events go on.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import random
import secrets
import threading
import time
from collections.abc import Callable, Sequence

import httpx
from anyio import to_thread

from ..attempts import brief, written
from ..settings import RelaySettings
from ..storage.ports_webhooks import WebhookStore
from ..storage.webhook_rows import (
    DELIVERED,
    FAILED,
    PENDING,
    ClaimFor,
    DeliveryOutcome,
    DeliveryRow,
)
from ..tenants.directory import TenantDirectory
from .egress import public_transport
from .signing import signed_headers

log = logging.getLogger("smsrelay.webhooks")

USER_AGENT = "sms-panel-relay (webhooks; Standard Webhooks v1)"
#: How much of an endpoint's answer is read (so its connection can be reused); the rest is
#: dropped. Nothing of it is kept: the log has the status only.
MAX_ANSWER_BYTES = 64 * 1024


def backoff_ms(settings: RelaySettings, attempts: int) -> int:
    """The pause after the ``attempts``-th failed attempt: doubling from the base up to the
    longest, and a random half of it taken off, so endpoints that come back are not hit by
    every waiting delivery at once."""
    delay = min(
        settings.webhook_retry_max_seconds,
        settings.webhook_retry_base_seconds * 2 ** min(attempts - 1, 30),
    )
    return int(1000 * delay * random.uniform(0.5, 1.0))


class WebhookDeliverer:
    def __init__(
        self,
        settings: RelaySettings,
        outbox: WebhookStore,
        tenants: TenantDirectory,
        *,
        clock: Callable[[], int],
        transport: httpx.AsyncBaseTransport | None = None,
        on_outcome: Callable[[str], None] = lambda _state: None,
    ) -> None:
        self.settings = settings
        self.outbox = outbox
        self.tenants = tenants
        self.clock = clock
        self.transport = transport
        self.on_outcome = on_outcome
        self.worker = f"{os.uname().nodename}:{os.getpid()}:{secrets.token_hex(3)}"
        # An attempt's lease outlasts its timeout (and recording it), so only the claims of a
        # relay that died run out; their deliveries are taken up again after it.
        self.lease_ms = int(1000 * (2 * settings.webhook_timeout_seconds + 5))
        self._tasks: set[asyncio.Task[None]] = set()
        self._wake: asyncio.Event | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._loop_thread: int | None = None
        self._http: httpx.AsyncClient | None = None
        #: Whether attempts may start (between run()'s start and its end).
        self._accepting = False

    @property
    def in_flight(self) -> int:
        return len(self._tasks)

    def wake(self) -> None:
        """New deliveries, or an attempt ended: look now. Safe from any thread."""
        loop, wake = self._loop, self._wake
        if loop is None or wake is None:
            return
        if threading.get_ident() == self._loop_thread:
            wake.set()
        else:
            loop.call_soon_threadsafe(wake.set)

    async def run(self, stopping: Callable[[], bool] = lambda: False) -> None:
        self._loop = asyncio.get_running_loop()
        self._loop_thread = threading.get_ident()
        self._wake = asyncio.Event()
        timeout = self.settings.webhook_timeout_seconds
        slots = self.settings.webhook_concurrency
        transport = self.transport
        if transport is None and not self.settings.webhook_private_networks:
            transport = public_transport(slots)
        async with httpx.AsyncClient(
            transport=transport,
            timeout=httpx.Timeout(timeout, connect=min(timeout, 5.0)),
            follow_redirects=False,
            limits=httpx.Limits(max_connections=slots),
            headers={"User-Agent": USER_AGENT},
            # No proxy from the environment: it would route around the address check.
            trust_env=False,
        ) as http:
            self._http = http
            self._accepting = True
            try:
                while not stopping():
                    self._wake.clear()
                    try:
                        await self.deliver_due()
                    except Exception as error:  # the database may be away: deliveries wait
                        log.warning("claiming webhook deliveries failed (%s)", brief(error))
                    with contextlib.suppress(TimeoutError):
                        async with asyncio.timeout(self.settings.webhook_poll_seconds):
                            await self._wake.wait()
            finally:
                self._accepting = False  # what the pump claims from now on waits for its lease
                await self._finish()
                self._http = None

    async def _finish(self) -> None:
        """At shutdown: the attempts under way get a moment to end and be recorded; those
        cut off keep their lease and are taken up again when it runs out."""
        if self._tasks:
            await asyncio.wait(set(self._tasks), timeout=self.settings.webhook_timeout_seconds)
        for task in set(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)

    async def deliver_due(self) -> int:
        """Start attempts at the deliveries that are due, as many as there are free slots."""
        free = self.settings.webhook_concurrency - len(self._tasks)
        if free <= 0:
            return 0
        # A read first: while nothing is due, the writer (and so the send path) is left alone.
        due = await to_thread.run_sync(self.outbox.next_delivery_at)
        now = self.clock()
        if due is None or due > now:
            return 0
        claimed = await written(
            self.outbox.submit_claim_deliveries(
                worker=self.worker, now=now, lease_ms=self.lease_ms, limit=free
            )
        )
        self.start(claimed)
        return len(claimed)

    def claim_request(self, now: int) -> ClaimFor | None:
        """What the pump may claim for this deliverer along with the deliveries it creates
        (its free slots), saving the new ones a round trip to the database. Read from the
        pump's thread: at worst a few more attempts than slots run for a moment."""
        free = self.settings.webhook_concurrency - len(self._tasks)
        if free <= 0 or not self._accepting:
            return None
        return ClaimFor(self.worker, now, self.lease_ms, free)

    def start(self, claimed: Sequence[DeliveryRow]) -> None:
        """Attempts at deliveries claimed for this deliverer. On the event loop. Once it has
        stopped, they are left claimed: taken up by a relay when their lease runs out."""
        if not self._accepting:
            return
        for delivery in claimed:
            task = asyncio.create_task(self._attempt(delivery))
            self._tasks.add(task)
            task.add_done_callback(self._ended)

    def _ended(self, task: asyncio.Task[None]) -> None:
        self._tasks.discard(task)
        self.wake()  # a slot is free, and the conversation's next event may go

    async def _attempt(self, delivery: DeliveryRow) -> None:
        outcome = await self.attempt(delivery)
        try:
            await written(
                self.outbox.submit_record_delivery(delivery, worker=self.worker, outcome=outcome)
            )
        except Exception as error:
            # The lease runs out and the delivery is tried again: at least once.
            log.warning("recording webhook delivery %d failed (%s)", delivery.id, brief(error))
            return
        self.on_outcome(outcome.state)
        if outcome.state == FAILED:
            log.warning(
                "webhook delivery %d (%s to %s of %s) failed for good: %s",
                delivery.id,
                delivery.event_type,
                delivery.endpoint,
                delivery.tenant,
                outcome.error or outcome.status,
            )

    async def attempt(self, delivery: DeliveryRow) -> DeliveryOutcome:
        """One POST of a delivery, and what comes of it."""
        at = self.clock()
        endpoint = self.tenants.endpoint(delivery.tenant, delivery.endpoint)
        if endpoint is None:
            return DeliveryOutcome(at, None, "the webhook was removed from the settings", 0, FAILED)
        signing = self.tenants.webhook_secrets.get(delivery.tenant, {}).get(delivery.endpoint)
        if not signing:
            return self._failed(delivery, at, None, "the webhook has no signing secret", 0)
        content = delivery.payload.encode("utf-8")
        headers = signed_headers(signing, delivery.event_id, at // 1000, content)
        headers["Content-Type"] = "application/json"
        started = time.monotonic()
        status: int | None = None
        error: str | None = None
        try:
            # A total deadline: httpx's timeouts are per read, and a trickling answer never
            # trips them.
            async with asyncio.timeout(self.settings.webhook_timeout_seconds):
                status = await self._post(endpoint.url, content, headers)
        except TimeoutError:
            error = f"no answer within {self.settings.webhook_timeout_seconds:g} s"
        except Exception as failure:  # refused, reset, bad TLS, an address httpx refuses…
            error = brief(failure)
        took = int(1000 * (time.monotonic() - started))
        if status is not None and 200 <= status < 300:
            return DeliveryOutcome(at, status, None, took, DELIVERED)
        if status is not None:
            error = f"HTTP {status}"
        return self._failed(delivery, at, status, error, took)

    async def _post(self, url: str, content: bytes, headers: dict[str, str]) -> int:
        assert self._http is not None, "run() first"
        async with self._http.stream("POST", url, content=content, headers=headers) as answer:
            read = 0
            async for chunk in answer.aiter_bytes():
                read += len(chunk)
                if read > MAX_ANSWER_BYTES:
                    break
            return answer.status_code

    def _failed(
        self, delivery: DeliveryRow, at: int, status: int | None, error: str | None, took: int
    ) -> DeliveryOutcome:
        """Another try after the backoff, or — once the retry window is over — none."""
        window_end = delivery.window_start + int(1000 * self.settings.webhook_retry_window_seconds)
        if at >= window_end:
            return DeliveryOutcome(at, status, error, took, FAILED)
        next_at = min(at + backoff_ms(self.settings, delivery.attempts + 1), window_end)
        return DeliveryOutcome(at, status, error, took, PENDING, next_at)
