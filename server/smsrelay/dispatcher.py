"""The background dispatcher: queued messages out to their gateways, with retries.

Each pass claims due messages with a lease (so another relay instance does not take them) and
hands each to an attempt (see :mod:`.attempts`: the send, its outcome, never twice), with
bounded concurrency. Only as many messages are claimed as there are free sending slots, so a
slow gateway makes messages wait in the database, not in memory. The leases of messages being
sent are renewed until their outcome is recorded.

A submitted message waits for receipts until its validity period (or ``receipt_wait_seconds``)
plus ``receipt_grace_seconds`` is over; one that got none by then becomes ``unknown`` (no
receipt) rather than stay ``submitted`` forever — a gateway's receipts can die with it.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import secrets
from collections.abc import Callable, Mapping
from functools import partial

from smscompose.status import Reason

from .attempts import Attempts, brief, written
from .gateways.base import Gateway
from .settings import RelaySettings
from .storage import MessageRow
from .storage.ports import ClaimStore

log = logging.getLogger("smsrelay.dispatch")

NO_RECEIPT_REASON = "no delivery report came within the wait for receipts"
#: How many unreported messages one sweep resolves (the next sweep takes the rest).
_SWEEP_BATCH = 500


class Dispatcher:
    def __init__(
        self,
        settings: RelaySettings,
        store: ClaimStore,
        gateways: Mapping[str, Gateway],
        *,
        clock: Callable[[], int],
        on_status: Callable[[MessageRow], None] = lambda _m: None,
        on_in_flight: Callable[[int], None] = lambda _n: None,
        concurrency: int = 128,
        idle_poll_seconds: float = 0.5,
    ) -> None:
        self.settings = settings
        self.store = store
        self.gateways = gateways
        self.clock = clock
        self.on_status = on_status
        #: Told how many messages are in flight whenever that changes (a metric).
        self.on_in_flight = on_in_flight
        self.worker = f"{os.uname().nodename}:{os.getpid()}:{secrets.token_hex(3)}"
        self.concurrency = concurrency
        self.idle_poll_seconds = idle_poll_seconds
        self._slots = asyncio.Semaphore(concurrency)
        self._wake = asyncio.Event()
        self._tasks: set[asyncio.Task[None]] = set()
        #: Ids of the messages being sent now, whose leases are renewed.
        self._sending: set[str] = set()
        self._stopping = False
        self.attempts = Attempts(
            settings,
            store,
            gateways,
            worker=self.worker,
            clock=clock,
            on_status=on_status,
            stopping=lambda: self._stopping,
        )

    @property
    def in_flight(self) -> int:
        """Messages being sent or recorded now: at most ``concurrency``, however many wait."""
        return len(self._sending)

    def wake(self) -> None:
        """A message was stored: look now rather than at the next poll."""
        self._wake.set()

    async def run(self) -> None:
        helpers = [
            asyncio.create_task(self._renew_leases()),
            asyncio.create_task(self._resolve_unreported()),
        ]
        try:
            await self._dispatch()
        finally:
            for helper in helpers:
                helper.cancel()
            await asyncio.gather(*helpers, return_exceptions=True)

    async def _resolve_unreported(self) -> None:
        """Every ``receipt_sweep_seconds``: submitted messages whose wait for receipts is over
        become ``unknown``. Each relay sweeps; the database lets one of them change a row."""
        while True:
            await asyncio.sleep(self.settings.receipt_sweep_seconds)
            try:
                await self.resolve_unreported()
            except Exception as error:
                log.warning("resolving unreported messages failed (%s)", brief(error))

    async def resolve_unreported(self) -> list[MessageRow]:
        resolved = await written(
            self.store.submit_resolve_unreported(
                now=self.clock(),
                reason=NO_RECEIPT_REASON,
                reason_code=Reason.NO_RECEIPT,
                limit=_SWEEP_BATCH,
            )
        )
        for message in resolved:
            log.warning("%s: %s", message.id, NO_RECEIPT_REASON)
            self.on_status(message)
        return resolved

    async def _renew_leases(self) -> None:
        """Keep the claims on messages still being sent: a send (with its retried write) that
        outlived its lease could be claimed and sent again by another relay."""
        lease_ms = int(self.settings.claim_seconds * 1000)
        while True:
            await asyncio.sleep(self.settings.claim_seconds / 3)
            sending = list(self._sending)
            if not sending:
                continue
            try:
                await written(
                    self.store.submit_renew_claims(self.worker, sending, self.clock() + lease_ms)
                )
            except Exception as error:
                log.warning("renewing %d leases failed (%s); retrying", len(sending), brief(error))

    async def _dispatch(self) -> None:
        while not self._stopping:
            # Cleared before claiming: a wake-up that comes while the claim runs (a message
            # stored, a slot freed) is not lost.
            self._wake.clear()
            try:
                claimed = await self._claim()
            except Exception as error:  # the database may be unavailable: keep running
                log.warning("claiming messages failed (%s); retrying", brief(error))
                claimed = []
            for message in claimed:
                if message.id in self._sending:
                    # Ours, its lease lapsed while the database was away: the task still
                    # recording its outcome settles it (its claim is ours again).
                    continue
                await self._slots.acquire()
                self._sending.add(message.id)
                self.on_in_flight(len(self._sending))
                task = asyncio.create_task(self.attempts.send(message))
                self._tasks.add(task)
                task.add_done_callback(partial(self._done, message.id))
            if not claimed:
                with contextlib.suppress(TimeoutError):
                    async with asyncio.timeout(self.idle_poll_seconds):
                        await self._wake.wait()

    def _done(self, message_id: str, task: asyncio.Task[None]) -> None:
        self._tasks.discard(task)
        self._sending.discard(message_id)
        self.on_in_flight(len(self._sending))
        self._slots.release()
        # A free slot: claim again now. (Waiting for the idle poll instead held the dispatcher
        # to one round of `concurrency` messages per poll, about 60 a second.)
        self._wake.set()

    async def stop(self) -> None:
        self._stopping = True
        self._wake.set()
        if self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)

    async def _claim(self) -> list[MessageRow]:
        free = self.concurrency - len(self._tasks)
        if free <= 0:
            return []  # the next slot freed wakes the dispatcher
        limit = min(free, self.settings.dispatch_batch)
        return await written(
            self.store.submit_claim_due(
                worker=self.worker,
                now=self.clock(),
                lease_ms=int(self.settings.claim_seconds * 1000),
                limit=limit,
            )
        )
