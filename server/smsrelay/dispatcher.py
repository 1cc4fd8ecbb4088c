"""The background dispatcher: queued messages out to their gateways, with retries.

Each pass claims due messages with a lease (so another relay instance does not take them),
submits them with bounded concurrency, and records the outcome: ``submitted``; ``queued`` again
with exponential backoff and jitter after a transient failure; ``failed`` with the gateway's
reason after a permanent one or too many attempts; ``expired`` past the validity period. Only as
many messages are claimed as there are free sending slots, so a slow gateway makes messages
wait in the database, not in memory.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import random
import secrets
from collections.abc import Callable, Mapping
from dataclasses import replace
from functools import partial

from anyio import to_thread

from .gateways.base import Gateway, GatewayError, OutboundSms, SubmitResult
from .settings import RelaySettings
from .store import MessageRow, SqlStore

log = logging.getLogger("smsrelay.dispatch")


class Dispatcher:
    def __init__(
        self,
        settings: RelaySettings,
        store: SqlStore,
        gateways: Mapping[str, Gateway],
        *,
        clock: Callable[[], int],
        on_status: Callable[[MessageRow], None] = lambda _m: None,
        concurrency: int = 32,
        idle_poll_seconds: float = 0.5,
    ) -> None:
        self.settings = settings
        self.store = store
        self.gateways = gateways
        self.clock = clock
        self.on_status = on_status
        self.worker = f"{os.uname().nodename}:{os.getpid()}:{secrets.token_hex(3)}"
        self.concurrency = concurrency
        self.idle_poll_seconds = idle_poll_seconds
        self._slots = asyncio.Semaphore(concurrency)
        self._wake = asyncio.Event()
        self._tasks: set[asyncio.Task[None]] = set()
        #: Ids of the messages being sent now, whose leases are renewed.
        self._sending: set[str] = set()
        self._stopping = False

    def wake(self) -> None:
        """A message was stored: look now rather than at the next poll."""
        self._wake.set()

    async def run(self) -> None:
        renewer = asyncio.create_task(self._renew_leases())
        try:
            await self._dispatch()
        finally:
            renewer.cancel()
            await asyncio.gather(renewer, return_exceptions=True)

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
                await to_thread.run_sync(
                    self.store.renew_claims, self.worker, sending, self.clock() + lease_ms
                )
            except Exception:
                log.exception("renewing %d leases failed; retrying", len(sending))

    async def _dispatch(self) -> None:
        while not self._stopping:
            try:
                claimed = await self._claim()
            except Exception:  # the database may be briefly unavailable: keep running
                log.exception("claiming messages failed; retrying")
                claimed = []
            for message in claimed:
                await self._slots.acquire()
                self._sending.add(message.id)
                task = asyncio.create_task(self._send(message))
                self._tasks.add(task)
                task.add_done_callback(partial(self._done, message.id))
            if not claimed:
                self._wake.clear()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), self.idle_poll_seconds)

    def _done(self, message_id: str, task: asyncio.Task[None]) -> None:
        self._tasks.discard(task)
        self._sending.discard(message_id)
        self._slots.release()

    async def stop(self) -> None:
        self._stopping = True
        self._wake.set()
        if self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)

    async def _claim(self) -> list[MessageRow]:
        free = self.concurrency - len(self._tasks)
        if free <= 0:
            await asyncio.sleep(0.05)
            return []
        limit = min(free, self.settings.dispatch_batch)
        return await to_thread.run_sync(
            lambda: self.store.claim_due(
                worker=self.worker,
                now=self.clock(),
                lease_ms=int(self.settings.claim_seconds * 1000),
                limit=limit,
            )
        )

    async def _send(self, message: MessageRow) -> None:
        now = self.clock()
        if message.expires_at is not None and now >= message.expires_at:
            await self._record(message, "expired", message.parts_sent, (), "validity period passed")
            return
        gateway = self.gateways.get(message.gateway)
        if gateway is None:
            await self._record(message, "failed", message.parts_sent, (), "no such gateway")
            return
        try:
            result: SubmitResult = await gateway.submit(outbound(message))
        except GatewayError as error:
            sent = message.parts_sent + error.accepted_parts
            if error.permanent:
                await self._record(message, "failed", sent, error.accepted_ids, error.reason)
            else:
                await self._retry(message, sent, error.accepted_ids, error.reason)
            return
        except Exception as error:  # a bug in an adapter must not lose the message
            log.exception("gateway %s raised unexpectedly", message.gateway)
            await self._retry(
                message, message.parts_sent, (), f"internal error: {type(error).__name__}"
            )
            return
        await self._record(message, "submitted", len(message.parts), result.gateway_ids, None)

    async def _retry(
        self, message: MessageRow, sent: int, ids: tuple[str, ...], reason: str
    ) -> None:
        attempts = message.attempts + 1
        if attempts >= self.settings.max_attempts:
            await self._record(
                message, "failed", sent, ids, f"gave up after {attempts} attempts: {reason}"
            )
            return
        delay = min(
            self.settings.retry_max_seconds, self.settings.retry_base_seconds * 2 ** (attempts - 1)
        )
        delay *= random.uniform(0.5, 1.5)
        log.info("retrying %s in %.1f s: %s", message.id, delay, reason)
        await self._record(
            message, "queued", sent, ids, reason, next_attempt_at=self.clock() + int(delay * 1000)
        )

    async def _record(
        self,
        message: MessageRow,
        status: str,
        parts_sent: int,
        ids: tuple[str, ...],
        reason: str | None,
        next_attempt_at: int | None = None,
    ) -> None:
        def write() -> bool:
            return self.store.record_attempt(
                message,
                worker=self.worker,
                now=self.clock(),
                status=status,
                parts_sent=parts_sent,
                new_gateway_ids=ids,
                reason=reason,
                next_attempt_at=next_attempt_at,
            )

        # What the gateway accepted must be written down: retry the write, never resend.
        for attempt in range(10):
            try:
                recorded = await to_thread.run_sync(write)
                break
            except Exception:
                log.exception("recording %s failed (attempt %d)", message.id, attempt + 1)
                await asyncio.sleep(min(5.0, 0.2 * 2**attempt))
        else:
            return
        if not recorded:
            log.error("lost the claim on %s before recording %s", message.id, status)
            return
        if status != message.status:
            # Wakes this relay's event streams, which read the committed events themselves.
            self.on_status(replace(message, status=status, reason=reason))


def outbound(message: MessageRow) -> OutboundSms:
    return OutboundSms(
        message_id=message.id,
        tenant=message.tenant,
        sender=message.sender,
        sender_kind=message.sender_kind,
        to=message.to_number,
        text=message.text,
        encoding=message.encoding,
        parts=message.parts,
        locking=message.locking,
        single=message.single,
        validity_seconds=(
            max(60, (message.expires_at - message.created_at) // 1000)
            if message.expires_at
            else None
        ),
        concat_ref=message.concat_ref,
        first_part=message.parts_sent,
    )
