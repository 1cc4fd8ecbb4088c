"""One attempt at a claimed message: sent to its gateway (or not), and its outcome recorded.

The outcome is ``submitted``; ``queued`` again with exponential backoff and jitter after a
transient failure; ``failed`` with the gateway's reason after a permanent one or too many
attempts; ``expired`` past the validity period; ``failed`` unsent when its recipient opted out
(STOP) while it waited; ``unknown`` when the gateway may have taken it without saying so. Every
outcome but ``submitted`` carries a :class:`Reason` code (what the agent reads) beside the
gateway's own words.

Never twice: what a gateway accepted is written down before anything else happens to the
message — the write is retried for as long as the database is away, and the dispatcher renews
the lease meanwhile. A claim that ran out without an outcome (the relay was killed mid-send)
leaves the message *unconfirmed*: it waits ``unconfirmed_grace_seconds`` for receipts, or for
the late record of the relay that sent it, then counts the parts receipts named as sent. The
rest is sent only where the gateway names parts in advance (Kannel), so a receipt would have
shown them; elsewhere (SMPP, Twilio) it becomes ``unknown`` (unconfirmed) rather than risk a
double send.
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Callable, Mapping
from concurrent.futures import Future
from dataclasses import replace
from typing import TypeVar

from anyio import to_thread

from smscompose.status import MessageStatus, Reason

from .gateways.base import Gateway, GatewayError, OutboundSms, SubmitResult
from .settings import RelaySettings
from .storage import MessageRow, Recorded
from .storage.ports import ClaimStore

log = logging.getLogger("smsrelay.dispatch")
T = TypeVar("T")

OPTED_OUT_REASON = "not sent: the recipient opted out (replied STOP) after it was accepted"
UNCONFIRMED_REASON = (
    "unconfirmed: the relay sending it stopped before the gateway's answer was recorded; "
    "it may have been sent, so it is not sent again"
)


class Attempts:
    """Sends claimed messages as ``worker`` and records what came of each."""

    def __init__(
        self,
        settings: RelaySettings,
        store: ClaimStore,
        gateways: Mapping[str, Gateway],
        *,
        worker: str,
        clock: Callable[[], int],
        on_status: Callable[[MessageRow], None],
        stopping: Callable[[], bool],
    ) -> None:
        self.settings = settings
        self.store = store
        self.gateways = gateways
        self.worker = worker
        self.clock = clock
        self.on_status = on_status
        #: Whether the relay is shutting down: a write that fails then is not retried.
        self.stopping = stopping

    async def send(self, message: MessageRow) -> None:
        """One attempt at a claimed message, its outcome recorded."""
        if message.opted_out:
            log.info("%s not sent: its recipient opted out", message.id)
            await self._record(
                message,
                MessageStatus.FAILED,
                message.parts_sent,
                (),
                OPTED_OUT_REASON,
                Reason.OPTED_OUT,
            )
            return
        if message.unconfirmed_at is not None:
            await self._settle_unconfirmed(message)
            return
        await self._submit(message)

    async def _submit(self, message: MessageRow, proven: tuple[str, ...] = ()) -> None:
        """Send the parts not yet accepted; ``proven`` are ids of further parts that receipts
        showed the gateway took (after the accepted ones), which are not sent again."""
        now = self.clock()
        done = message.parts_sent + len(proven)
        if message.expires_at is not None and now >= message.expires_at:
            await self._record(
                message,
                MessageStatus.EXPIRED,
                done,
                proven,
                "validity period passed",
                Reason.EXPIRED,
            )
            return
        gateway = self.gateways.get(message.gateway)
        if gateway is None:
            await self._record(
                message,
                MessageStatus.FAILED,
                done,
                proven,
                "no such gateway",
                Reason.GATEWAY_ERROR,
            )
            return
        if done >= len(message.parts):
            await self._submitted(message, proven)
            return
        try:
            result: SubmitResult = await gateway.submit(outbound(message, first_part=done))
        except GatewayError as error:
            sent = done + error.accepted_parts
            ids = proven + error.accepted_ids
            if error.permanent:
                # The gateway may have taken it without saying so: not "not sent".
                maybe_sent = error.code is Reason.UNCONFIRMED
                status = MessageStatus.UNKNOWN if maybe_sent else MessageStatus.FAILED
                await self._record(message, status, sent, ids, error.reason, error.code)
            else:
                await self._retry(message, sent, ids, error.reason, error.code)
            return
        except Exception as error:  # a bug in an adapter must not lose the message
            log.exception("gateway %s raised unexpectedly", message.gateway)
            await self._retry(
                message,
                done,
                proven,
                f"internal error: {type(error).__name__}",
                Reason.GATEWAY_ERROR,
            )
            return
        await self._submitted(message, proven + result.gateway_ids)

    async def _submitted(self, message: MessageRow, ids: tuple[str, ...]) -> None:
        """Every part is out: wait for receipts until the network gives up (the validity
        period, else ``receipt_wait_seconds``) and a grace period more."""
        now = self.clock()
        wait_ms = (
            message.expires_at - _start(message)
            if message.expires_at is not None
            else int(self.settings.receipt_wait_seconds * 1000)
        )
        resolve_at = now + wait_ms + int(self.settings.receipt_grace_seconds * 1000)
        await self._record(
            message,
            MessageStatus.SUBMITTED,
            len(message.parts),
            ids,
            None,
            next_attempt_at=resolve_at,
        )

    async def _settle_unconfirmed(self, message: MessageRow) -> None:
        """A message whose last claim ran out mid-send: wait out the grace period, then trust
        what receipts showed and send only what they prove was not sent."""
        assert message.unconfirmed_at is not None
        settle_at = message.unconfirmed_at + int(self.settings.unconfirmed_grace_seconds * 1000)
        if self.clock() < settle_at:
            # Give it back untouched: receipts, or the record of the relay that sent it (which
            # keeps trying while the database is away), settle it meanwhile.
            try:
                await written(
                    self.store.submit_release_claim(
                        message, worker=self.worker, next_attempt_at=settle_at
                    )
                )
            except Exception as error:  # the lease runs out instead; it is claimed again
                log.warning("releasing %s failed (%s)", message.id, brief(error))
            return
        gateway = self.gateways.get(message.gateway)
        parts = range(message.parts_sent, len(message.parts))
        unsent = [gateway.part_id(message.id, i) for i in parts] if gateway is not None else []
        if not unsent or None in unsent:
            log.error("%s: %s", message.id, UNCONFIRMED_REASON)
            await self._record(
                message,
                MessageStatus.UNKNOWN,
                message.parts_sent,
                (),
                UNCONFIRMED_REASON,
                Reason.UNCONFIRMED,
            )
            return
        ids = [name for name in unsent if name is not None]
        seen = await to_thread.run_sync(self.store.receipts_seen, message.gateway, ids)
        # Parts go out in order: a receipt for one proves every part before it was taken.
        proven = max((i + 1 for i, name in enumerate(ids) if name in seen), default=0)
        log.warning(
            "%s was unconfirmed: receipts show %d of %d unsent parts were taken; sending the rest",
            message.id,
            proven,
            len(ids),
        )
        await self._submit(message, tuple(ids[:proven]))

    async def _retry(
        self, message: MessageRow, sent: int, ids: tuple[str, ...], reason: str, code: Reason
    ) -> None:
        attempts = message.attempts + 1
        if attempts >= self.settings.max_attempts:
            await self._record(
                message,
                MessageStatus.FAILED,
                sent,
                ids,
                f"gave up after {attempts} attempts: {reason}",
                code,
            )
            return
        delay = min(
            self.settings.retry_max_seconds, self.settings.retry_base_seconds * 2 ** (attempts - 1)
        )
        delay *= random.uniform(0.5, 1.5)
        log.info("retrying %s in %.1f s: %s", message.id, delay, reason)
        await self._record(
            message,
            MessageStatus.QUEUED,
            sent,
            ids,
            reason,
            code,
            next_attempt_at=self.clock() + int(delay * 1000),
        )

    async def _record(
        self,
        message: MessageRow,
        status: MessageStatus,
        parts_sent: int,
        ids: tuple[str, ...],
        reason: str | None,
        code: Reason | None = None,
        next_attempt_at: int | None = None,
    ) -> None:
        def write() -> Future[Recorded | None]:
            return self.store.submit_record_attempt(
                message,
                worker=self.worker,
                now=self.clock(),
                status=status,
                parts_sent=parts_sent,
                new_gateway_ids=ids,
                reason=reason,
                reason_code=code,
                next_attempt_at=next_attempt_at,
            )

        # What the gateway accepted must be written down: retry the write for as long as the
        # database is away, never resend. Giving up would let the lease (renewed only while the
        # message is in _sending) run out, and the next claim would send it a second time.
        attempt = 0
        while True:
            try:
                recorded = await written(write())
                break
            except Exception as error:
                attempt += 1
                if self.stopping():
                    # Shutting down: the message stays claimed and becomes unconfirmed when the
                    # lease runs out, which the next claimer settles without a blind resend.
                    log.error("recording %s %s failed at shutdown: %s", message.id, status, error)
                    return
                log.warning(
                    "recording %s %s failed (attempt %d): %s; retrying",
                    message.id,
                    status,
                    attempt,
                    brief(error),
                )
                pause = min(self.settings.outcome_retry_max_seconds, 0.1 * 2 ** min(attempt, 10))
                await asyncio.sleep(pause)
        if recorded is None:
            log.error("lost the claim on %s before recording %s", message.id, status)
            return
        # Each change wakes this relay's event streams (which read the committed events
        # themselves) and counts in /metrics, also the one a receipt that came first made.
        if status != message.status:
            self.on_status(replace(message, status=status, reason=reason, reason_code=code))
        if recorded.status != status:
            self.on_status(
                replace(
                    message,
                    status=recorded.status,
                    reason=recorded.reason,
                    reason_code=recorded.reason_code,
                )
            )


async def written(write: Future[T]) -> T:
    """A write handed to the store's writer, awaited without holding a thread. Shielded: a
    cancelled task (shutdown) does not take back a write, such as a send's outcome, that the
    writer may still do; the write completes, only the answer is not awaited."""
    return await asyncio.shield(asyncio.wrap_future(write))


def brief(error: BaseException) -> str:
    """The first line of an error: a database outage must not flood the log."""
    text = str(error).strip().splitlines()
    return f"{type(error).__name__}: {text[0] if text else ''}"


def outbound(message: MessageRow, *, first_part: int | None = None) -> OutboundSms:
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
            max(60, (message.expires_at - _start(message)) // 1000) if message.expires_at else None
        ),
        concat_ref=message.concat_ref,
        first_part=message.parts_sent if first_part is None else first_part,
    )


def _start(message: MessageRow) -> int:
    """When its validity period began: when it was to go out (a scheduled message), else when
    it was accepted."""
    return message.created_at if message.send_at is None else message.send_at
