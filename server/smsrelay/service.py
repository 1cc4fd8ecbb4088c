"""What the relay does, independent of HTTP: accept a message, take a receipt.

Accepting re-checks everything with the compose core's own rules (``check_outgoing``) against
the configuration the *token* grants — the browser may have been tampered with — and stores the
message before anyone is told it was accepted.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial
from typing import Any

from anyio import to_thread

from smscompose import OutgoingCheck, check_outgoing
from smscompose.moments import iso_utc

from .auth import Agent
from .errors import ApiError
from .gateways.base import DeliveryReceipt
from .ratelimit import RateLimits
from .settings import RelaySettings, TenantSettings
from .storage import OPTED_OUT, MessageRow, NewMessage, RateLimited, new_id
from .storage.ports import ServiceStore

log = logging.getLogger("smsrelay")

#: Problems that mean "you may not", not "you typed it wrong".
_FORBIDDEN = frozenset(
    {"compose.sender_not_allowed", "compose.unknown_queue", "compose.sms_disabled"}
)


@dataclass(frozen=True)
class SendRequest:
    queue_id: str
    sender: str
    to: str
    text: str
    interaction_id: str | None = None
    interaction_type: str | None = None
    #: When to send it (ISO 8601 with an offset); None: at once.
    send_at: str | None = None

    def fingerprint(self) -> str:
        """Equal for equal requests: the idempotency check compares these. (A request without
        ``send_at`` keeps the fingerprint it had before there was one.)"""
        fields = {k: v for k, v in self.__dict__.items() if not (k == "send_at" and v is None)}
        canonical = json.dumps(fields, sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def now_ms() -> int:
    return time.time_ns() // 1_000_000


class MessageService:
    def __init__(
        self,
        settings: RelaySettings,
        store: ServiceStore,
        *,
        clock: Callable[[], int] = now_ms,
        on_accepted: Callable[[], None] = lambda: None,
        on_status: Callable[[MessageRow], None] = lambda _m: None,
    ) -> None:
        self.settings = settings
        self.store = store
        self.clock = clock
        #: Numbers that replied STOP, per tenant (in the database: every instance sees them).
        self.optouts = store.optouts
        #: Wakes the dispatcher of this process, so a message does not wait for its next poll.
        self.on_accepted = on_accepted
        #: Tells this process's event streams about a status change at once.
        self.on_status = on_status

    def tenant(self, agent: Agent) -> TenantSettings:
        return self.settings.tenants[agent.tenant]

    async def accept(self, agent: Agent, request: SendRequest, key: str) -> tuple[MessageRow, bool]:
        """Store a message for sending; ``(message, created)``. Raises ApiError when the
        message may not or cannot be sent, or the key was used for another message.

        The checks run inline on the event loop (they are quick); the database work is
        awaited, so no thread sits waiting for the commit."""
        admission = self._admit(agent, request, key)
        lookup = partial(self.store.find_by_key, agent.tenant, agent.id, key)
        if admission.new is None:
            return self._refuse(admission, await to_thread.run_sync(lookup))
        # The writer checks the opt-out list and the rate limits in the insert's own
        # transaction, one look for every message it stores together (not a read of its own
        # for each request); the limits hold across every relay on the database.
        row = await asyncio.wrap_future(self.store.insert_message(admission.new))
        if row is OPTED_OUT or isinstance(row, RateLimited):
            refusal = _rate_refusal(row) or ApiError(422, "recipient.opted_out", "to")
            refused = _Admission(None, refusal, admission.fingerprint)
            return self._refuse(refused, await to_thread.run_sync(lookup))
        if not isinstance(row, MessageRow):
            existing = await to_thread.run_sync(lookup)
            return self._replay(_required(existing), admission.fingerprint)
        return self._accepted(agent, row), True

    def _admit(self, agent: Agent, request: SendRequest, key: str) -> _Admission:
        """The message to store, or why it may not be stored (a replay may still win)."""
        tenant = self.tenant(agent)
        fingerprint = request.fingerprint()
        check = self._checked(agent, request) if agent.may_use_queue(request.queue_id) else None
        refusal = _refusal(check)
        number = check.number if check is not None else None
        if refusal is not None or check is None or number is None or number.e164 is None:
            refusal = refusal or ApiError(403, "auth.queue_not_allowed", "queue_id")
            return _Admission(None, refusal, fingerprint)
        sender = tenant.senders[request.sender]
        now = self.clock()
        message = check.message
        timing = check.timing
        # Goes out later: at the agent's time, or when the customer's quiet hours end.
        send_at = (
            None
            if timing is None or timing.send_at is None
            else int(timing.send_at.timestamp() * 1000)
        )
        start = now if send_at is None else send_at
        new = NewMessage(
            id=new_id("msg", now),
            tenant=agent.tenant,
            agent=agent.id,
            idempotency_key=key,
            request_hash=fingerprint,
            queue_id=request.queue_id,
            sender=sender.address.value,
            sender_kind=sender.address.kind,
            gateway=sender.gateway,
            to_number=number.e164,
            text=request.text,
            encoding=str(message.encoding),
            units=message.units,
            segments=message.segments,
            parts=tuple(p.text for p in message.parts),
            locking=message.locking,
            single=message.single,
            interaction_id=request.interaction_id,
            interaction_type=request.interaction_type,
            expires_at=start + tenant.validity_seconds * 1000 if tenant.validity_seconds else None,
            now=now,
            send_at=send_at,
            held=timing is not None and timing.held,
            limits=RateLimits(tenant.agent_rate_per_minute, tenant.tenant_rate_per_minute),
        )
        return _Admission(new, None, fingerprint)

    def _refuse(
        self, admission: _Admission, existing: MessageRow | None
    ) -> tuple[MessageRow, bool]:
        # A replay gets its original answer even if the rules or the rate changed since; only
        # a new message is refused. (A new key, the common case, never needs this lookup.)
        if existing is not None:
            return self._replay(existing, admission.fingerprint)
        raise admission.refusal or RuntimeError("refused without a reason")

    def _accepted(self, agent: Agent, row: MessageRow) -> MessageRow:
        log.info(
            "accepted %s tenant=%s agent=%s segments=%d to=%s",
            row.id,
            row.tenant,
            row.agent,
            row.segments,
            mask_number(row.to_number),
        )
        self.on_accepted()
        return row

    def _checked(self, agent: Agent, request: SendRequest) -> OutgoingCheck:
        return check_outgoing(
            self.tenant(agent).compose_config(agent.queues),
            queue_id=request.queue_id,
            sender=request.sender,
            to=request.to,
            text=request.text,
            send_at=request.send_at or "",
            # The relay's clock decides what is past and whether quiet hours have begun.
            now=datetime.fromtimestamp(self.clock() / 1000, UTC),
        )

    def _replay(self, existing: MessageRow, fingerprint: str) -> tuple[MessageRow, bool]:
        if existing.request_hash != fingerprint:
            raise ApiError(409, "request.idempotency_conflict", "Idempotency-Key")
        return existing, False

    def answer(self, row: MessageRow, tenant: TenantSettings) -> dict[str, Any]:
        """The accepted-message answer; a replay gets exactly the same (status ``queued``, or
        ``scheduled`` with the time it goes out)."""
        return {
            "id": row.id,
            "status": "queued" if row.send_at is None else "scheduled",
            "encoding": row.encoding,
            "segments": row.segments,
            "units": row.units,
            "cost": _cost(row, tenant),
            **_schedule(row),
        }

    async def cancel(self, agent: Agent, message_id: str) -> MessageRow:
        """Cancel one of the agent's messages before it goes out (a retry of a cancel that
        lost its answer gets the cancelled message again). 404 for no such message, 409 once
        a relay took it up to send."""
        cancelled = self.store.submit_cancel(agent.tenant, agent.id, message_id, self.clock())
        # Shielded: a request cancelled meanwhile does not take back the write.
        found = await asyncio.shield(asyncio.wrap_future(cancelled))
        if found is None:
            raise ApiError(404, "message.not_found", "id")
        row, now_cancelled = found
        if now_cancelled:
            log.info("cancelled %s tenant=%s agent=%s", row.id, row.tenant, row.agent)
            self.on_status(row)
        elif row.status != "cancelled":
            raise ApiError(409, "message.not_cancellable", "id")
        return row

    async def apply_receipt(self, receipt: DeliveryReceipt) -> MessageRow | None:
        now = self.clock()
        applied = self.store.submit_apply_receipt(
            gateway=receipt.gateway,
            gateway_id=receipt.gateway_id,
            status=str(receipt.status),
            reason=receipt.reason,
            reason_code=receipt.reason_code,
            message_id=receipt.message_id,
            now=now,
        )
        # Shielded, as the dispatcher's writes are: a request cancelled meanwhile does not
        # take back a receipt that the writer may still apply.
        row = await asyncio.shield(asyncio.wrap_future(applied))
        if row is None:
            log.info(
                "receipt before its submission or for no known message: %s %s",
                receipt.gateway,
                receipt.gateway_id,
            )
            return None
        if row.updated_at == now:  # this receipt changed the message's status
            self.on_status(row)
        return row


@dataclass(frozen=True)
class _Admission:
    #: The message to store, or None when it is refused.
    new: NewMessage | None
    refusal: ApiError | None
    fingerprint: str


def _rate_refusal(limited: object) -> ApiError | None:
    if not isinstance(limited, RateLimited):
        return None
    seconds = str(max(1, -(-limited.retry_after_ms // 1000)))
    return ApiError(
        429, "rate.limited", params={"retry_after": seconds}, headers={"Retry-After": seconds}
    )


def _required(row: MessageRow | None) -> MessageRow:
    if row is None:  # the conflicting row is committed before the insert reports the conflict
        raise RuntimeError("idempotency conflict without a stored message")
    return row


def _refusal(check: OutgoingCheck | None) -> ApiError | None:
    """Why a message may not (403) or cannot (422) be sent, or None. No check at all means
    the token does not grant the queue."""
    if check is None:
        return ApiError(403, "auth.queue_not_allowed", "queue_id")
    if check.ok:
        return None
    forbidden = [p for p in check.problems if p.code in _FORBIDDEN]
    if forbidden:
        others = [p for p in check.problems if p not in forbidden]
        return ApiError.from_problems(403, (*forbidden, *others))
    return ApiError.from_problems(422, check.problems)


def message_view(row: MessageRow, tenant: TenantSettings) -> dict[str, Any]:
    """A stored message as the agent's history shows it."""
    return {
        "id": row.id,
        "status": row.status,
        "reason": row.reason,
        "reason_code": row.reason_code,
        "queue_id": row.queue_id,
        "from": row.sender,
        "to": row.to_number,
        "text": row.text,
        "encoding": row.encoding,
        "segments": row.segments,
        "units": row.units,
        "cost": _cost(row, tenant),
        "interaction_id": row.interaction_id,
        "interaction_type": row.interaction_type,
        "created_at": row.created_at,
        "updated_at": row.updated_at,
        **_schedule(row),
    }


def _schedule(row: MessageRow) -> dict[str, Any]:
    """When a scheduled message goes out (ISO 8601, UTC; null: it went at once) and whether
    the customer's quiet hours held it."""
    return {
        "send_at": None
        if row.send_at is None
        else iso_utc(datetime.fromtimestamp(row.send_at / 1000, UTC)),
        "held": row.held,
    }


def _cost(row: MessageRow, tenant: TenantSettings) -> dict[str, Any] | None:
    if tenant.price_per_segment is None:
        return None
    return {
        "amount": round(row.segments * tenant.price_per_segment, 4),
        "currency": tenant.currency,
    }


def mask_number(number: str) -> str:
    """Logs keep the country and the last two digits, nothing that identifies a customer."""
    return number[:3] + "*" * max(0, len(number) - 5) + number[-2:] if len(number) > 5 else "***"
