"""The webhooks' outbox on SQLite and PostgreSQL: the pump's cursor over the events table, the
deliveries it creates (in the same transaction as it advances the cursor), their claims with a
lease, each attempt's outcome, the administrator's log and "redeliver".

Nothing here runs on the path that accepts a message: the pump reads the events table that
path (and every status change) writes anyway, afterwards, in the background.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from concurrent.futures import Future
from typing import Any

from sqlalchemy import (
    Connection,
    Engine,
    bindparam,
    case,
    delete,
    exists,
    func,
    insert,
    or_,
    select,
    update,
)
from sqlalchemy.orm import aliased

from .rows import EventRow, FeedEvent, MessageRow
from .schema import (
    events,
    messages,
    webhook_attempts,
    webhook_cursor,
    webhook_deliveries,
    webhook_secrets,
)
from .webhook_rows import (
    DELIVERED,
    PENDING,
    AttemptRow,
    ClaimFor,
    DeliveryOutcome,
    DeliveryRow,
    NewDelivery,
    WebhookCursor,
    delivery_values,
)
from .writer import WriteQueue

CURSOR = "events"

_earlier = aliased(webhook_deliveries)
#: No earlier delivery of the same endpoint and conversation is still pending (it goes first).
_FIRST_OF_CONVERSATION = ~exists().where(
    _earlier.c.tenant == webhook_deliveries.c.tenant,
    _earlier.c.endpoint == webhook_deliveries.c.endpoint,
    _earlier.c.ordering == webhook_deliveries.c.ordering,
    _earlier.c.state == PENDING,
    _earlier.c.id < webhook_deliveries.c.id,
)
#: Pending deliveries that may go now: due, not claimed by a live lease, first of their
#: endpoint and conversation.
_DUE = (
    select(webhook_deliveries)
    .where(
        webhook_deliveries.c.state == PENDING,
        webhook_deliveries.c.next_attempt_at <= bindparam("b_now"),
        or_(
            webhook_deliveries.c.claimed_until.is_(None),
            webhook_deliveries.c.claimed_until < bindparam("b_now"),
        ),
        _FIRST_OF_CONVERSATION,
    )
    .order_by(webhook_deliveries.c.id)
    .limit(bindparam("b_limit"))
)
_CLAIM = (
    update(webhook_deliveries)
    .where(
        webhook_deliveries.c.id == bindparam("b_id"),
        webhook_deliveries.c.state == PENDING,
        or_(
            webhook_deliveries.c.claimed_until.is_(None),
            webhook_deliveries.c.claimed_until < bindparam("b_now"),
        ),
    )
    .values(claimed_by=bindparam("b_worker"), claimed_until=bindparam("b_until"))
)
_EVENT_COLUMNS = (
    events.c.id,
    events.c.tenant,
    events.c.agent,
    events.c.message_id,
    events.c.status,
    events.c.reason,
    events.c.reason_code,
    events.c.at,
    events.c.kind,
    events.c.number,
    events.c.queue_id,
)


def feed_event(row: Mapping[Any, Any]) -> FeedEvent:
    event = EventRow(
        row["id"],
        row["message_id"],
        row["status"],
        row["reason"],
        row["at"],
        row["reason_code"],
        row["kind"],
        row["number"],
        row["queue_id"],
    )
    return FeedEvent(row["tenant"], row["agent"], event)


class SqlWebhooks:
    def __init__(self, engine: Engine, writes: WriteQueue) -> None:
        self.engine = engine
        self._writes = writes

    # -- the pump ---------------------------------------------------------------------------

    def webhook_cursor(self) -> WebhookCursor:
        query = select(webhook_cursor).where(webhook_cursor.c.name == CURSOR)
        with self.engine.connect() as conn:
            row = conn.execute(query).mappings().first()
        if row is None:  # the migration writes it; only a schema made otherwise lacks it
            return WebhookCursor(0)
        return WebhookCursor(
            row["position"], WebhookCursor.holes_from(row["holes"]), row["version"]
        )

    def events_with_ids(self, ids: Sequence[int]) -> list[FeedEvent]:
        if not ids:
            return []
        query = select(*_EVENT_COLUMNS).where(events.c.id.in_(list(ids))).order_by(events.c.id)
        with self.engine.connect() as conn:
            return [feed_event(r) for r in conn.execute(query).mappings()]

    def messages_by_id(self, ids: Sequence[str]) -> dict[str, MessageRow]:
        if not ids:
            return {}
        query = select(messages).where(messages.c.id.in_(sorted(set(ids))))
        with self.engine.connect() as conn:
            rows = [MessageRow.from_row(r) for r in conn.execute(query).mappings()]
        return {row.id: row for row in rows}

    def submit_advance(
        self,
        base: WebhookCursor,
        moved: WebhookCursor,
        deliveries: Sequence[NewDelivery],
        claim: ClaimFor | None = None,
    ) -> Future[list[DeliveryRow] | None]:
        """Move the cursor from ``base`` to ``moved`` and create ``deliveries``, in one
        transaction, claiming for ``claim`` those of them that may go at once; None (nothing
        written) when the cursor is no longer at ``base``: another relay's pump moved it."""

        def advance(conn: Connection) -> list[DeliveryRow] | None:
            values = {"position": moved.position, "holes": moved.holes_json()}
            if base.version == 0 and not _cursor_exists(conn):
                conn.execute(insert(webhook_cursor), {"name": CURSOR, **values, "version": 1})
            else:
                changed = conn.execute(
                    update(webhook_cursor)
                    .where(
                        webhook_cursor.c.name == CURSOR, webhook_cursor.c.version == base.version
                    )
                    .values(**values, version=webhook_cursor.c.version + 1)
                ).rowcount
                if not changed:
                    return None
            if not deliveries:
                return []
            before = conn.execute(select(func.max(webhook_deliveries.c.id))).scalar() or 0
            conn.execute(insert(webhook_deliveries), [delivery_values(d) for d in deliveries])
            if claim is None or claim.limit <= 0:
                return []
            return _claim(conn, claim, newer_than=before)

        return self._writes.submit(advance)

    # -- the deliverer ----------------------------------------------------------------------

    def next_delivery_at(self) -> int | None:
        """When the earliest delivery that is first of its conversation is due (a claimed one:
        when its lease ends)."""
        d = webhook_deliveries.c
        due = case((d.claimed_until > d.next_attempt_at, d.claimed_until), else_=d.next_attempt_at)
        query = select(func.min(due)).where(d.state == PENDING, _FIRST_OF_CONVERSATION)
        with self.engine.connect() as conn:
            found = conn.execute(query).scalar()
        return None if found is None else int(found)

    def submit_claim_deliveries(
        self, *, worker: str, now: int, lease_ms: int, limit: int
    ) -> Future[list[DeliveryRow]]:
        request = ClaimFor(worker, now, lease_ms, limit)
        return self._writes.submit(lambda conn: _claim(conn, request))

    def submit_record_delivery(
        self, delivery: DeliveryRow, *, worker: str, outcome: DeliveryOutcome
    ) -> Future[bool]:
        """An attempt's outcome; logged in any case. A success settles the delivery whoever
        claimed it; a failure only while ``worker`` holds the claim (else another relay has
        it now). False when the delivery was not changed."""

        def record(conn: Connection) -> bool:
            conn.execute(
                insert(webhook_attempts),
                {
                    "delivery_id": delivery.id,
                    "at": outcome.at,
                    "status": outcome.status,
                    "error": outcome.error,
                    "duration_ms": outcome.duration_ms,
                },
            )
            where = [webhook_deliveries.c.id == delivery.id, webhook_deliveries.c.state == PENDING]
            if outcome.state != DELIVERED:
                where.append(webhook_deliveries.c.claimed_by == worker)
            changed = conn.execute(
                update(webhook_deliveries)
                .where(*where)
                .values(
                    state=outcome.state,
                    attempts=webhook_deliveries.c.attempts + 1,
                    next_attempt_at=outcome.next_attempt_at or outcome.at,
                    claimed_by=None,
                    claimed_until=None,
                    last_status=outcome.status,
                    last_error=outcome.error,
                    last_attempt_at=outcome.at,
                    delivered_at=outcome.at if outcome.state == DELIVERED else None,
                )
            ).rowcount
            return bool(changed)

        return self._writes.submit(record)

    # -- the administrator's log ------------------------------------------------------------

    def deliveries(
        self,
        tenant: str,
        *,
        endpoint: str | None = None,
        state: str | None = None,
        event_type: str | None = None,
        message_id: str | None = None,
        before: int | None = None,
        limit: int = 50,
    ) -> list[DeliveryRow]:
        """Newest first; ``before`` is a delivery id, for the next page."""
        query = (
            select(webhook_deliveries)
            .where(webhook_deliveries.c.tenant == tenant)
            .order_by(webhook_deliveries.c.id.desc())
            .limit(limit)
        )
        for column, value in (
            (webhook_deliveries.c.endpoint, endpoint),
            (webhook_deliveries.c.state, state),
            (webhook_deliveries.c.event_type, event_type),
            (webhook_deliveries.c.message_id, message_id),
        ):
            if value is not None:
                query = query.where(column == value)
        if before is not None:
            query = query.where(webhook_deliveries.c.id < before)
        with self.engine.connect() as conn:
            return [DeliveryRow.from_row(r) for r in conn.execute(query).mappings()]

    def delivery(self, tenant: str, delivery_id: int) -> DeliveryRow | None:
        query = select(webhook_deliveries).where(
            webhook_deliveries.c.id == delivery_id, webhook_deliveries.c.tenant == tenant
        )
        with self.engine.connect() as conn:
            row = conn.execute(query).mappings().first()
        return None if row is None else DeliveryRow.from_row(row)

    def delivery_attempts(self, delivery_id: int) -> list[AttemptRow]:
        query = (
            select(webhook_attempts)
            .where(webhook_attempts.c.delivery_id == delivery_id)
            .order_by(webhook_attempts.c.id)
        )
        with self.engine.connect() as conn:
            return [AttemptRow(**r) for r in conn.execute(query).mappings()]

    def submit_redeliver(
        self, tenant: str, delivery_id: int, now: int
    ) -> Future[DeliveryRow | None]:
        """The delivery's event once more, as a new delivery with the same event id and body
        behind the conversation's others, with a new retry window; None when there is no such
        delivery of ``tenant``."""

        def redeliver(conn: Connection) -> DeliveryRow | None:
            found = (
                conn.execute(
                    select(webhook_deliveries).where(
                        webhook_deliveries.c.id == delivery_id,
                        webhook_deliveries.c.tenant == tenant,
                    )
                )
                .mappings()
                .first()
            )
            if found is None:
                return None
            original = DeliveryRow.from_row(found)
            values = {
                **delivery_values(
                    NewDelivery(
                        tenant=original.tenant,
                        endpoint=original.endpoint,
                        event_id=original.event_id,
                        event_type=original.event_type,
                        ordering=original.ordering,
                        message_id=original.message_id,
                        interaction_id=original.interaction_id,
                        payload=original.payload,
                        now=now,
                    )
                ),
                "redelivery_of": original.id,
            }
            new_id = conn.execute(
                insert(webhook_deliveries).returning(webhook_deliveries.c.id), values
            ).scalar_one()
            return DeliveryRow.from_row({**values, "id": new_id})

        return self._writes.submit(redeliver)


def _claim(conn: Connection, claim: ClaimFor, newer_than: int = 0) -> list[DeliveryRow]:
    due = _DUE.where(webhook_deliveries.c.id > newer_than) if newer_than else _DUE
    found = conn.execute(due, {"b_now": claim.now, "b_limit": claim.limit}).mappings().all()
    until = claim.now + claim.lease_ms
    claimed = []
    for row in found:
        params = {"b_id": row["id"], "b_now": claim.now, "b_worker": claim.worker}
        if conn.execute(_CLAIM, {**params, "b_until": until}).rowcount:
            claimed.append(
                DeliveryRow.from_row({**row, "claimed_by": claim.worker, "claimed_until": until})
            )
    return claimed


def _cursor_exists(conn: Connection) -> bool:
    found = conn.execute(select(webhook_cursor.c.name).where(webhook_cursor.c.name == CURSOR))
    return found.first() is not None


# -- signing secrets, written with a tenant's revision (see ``tenants.py``) -------------------


def read_webhook_secrets(conn: Connection) -> dict[str, dict[str, tuple[str, ...]]]:
    """tenant → endpoint → secrets, newest first."""
    found: dict[str, dict[str, list[str]]] = {}
    query = select(
        webhook_secrets.c.tenant, webhook_secrets.c.endpoint, webhook_secrets.c.secret
    ).order_by(webhook_secrets.c.tenant, webhook_secrets.c.endpoint, webhook_secrets.c.position)
    for tenant, endpoint, secret in conn.execute(query):
        found.setdefault(tenant, {}).setdefault(endpoint, []).append(secret)
    return {
        tenant: {endpoint: tuple(values) for endpoint, values in endpoints.items()}
        for tenant, endpoints in found.items()
    }


def replace_webhook_secrets(
    conn: Connection, tenant: str, secrets: Mapping[str, Sequence[str]], now: int
) -> None:
    conn.execute(delete(webhook_secrets).where(webhook_secrets.c.tenant == tenant))
    rows = [
        {"tenant": tenant, "endpoint": endpoint, "position": i, "secret": s, "created_at": now}
        for endpoint, values in secrets.items()
        for i, s in enumerate(values)
    ]
    if rows:
        conn.execute(insert(webhook_secrets), rows)


__all__ = ["SqlWebhooks", "read_webhook_secrets", "replace_webhook_secrets"]
