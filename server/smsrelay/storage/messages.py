"""Accepted messages: stored with their first event before anyone hears 202, once per
idempotency key, never for a number on its tenant's opt-out list; and read back."""

from __future__ import annotations

from concurrent.futures import Future

from sqlalchemy import Connection, Engine, select, update

from smscompose.status import WAITING, MessageStatus

from . import rates
from .events import insert_event
from .optouts import blocked
from .rows import (
    OPTED_OUT,
    MessageRow,
    NewMessage,
    OptedOut,
    RateLimited,
    message_values,
    stored_row,
)
from .schema import messages
from .statements import Statements
from .writer import WriteQueue

#: The writer's bulk kind for new messages (see ``insert_messages``).
INSERT_MESSAGE = "insert_message"


def insert_messages(
    sql: Statements, conn: Connection, news: list[NewMessage]
) -> list[MessageRow | OptedOut | RateLimited | None]:
    """The writer's bulk handler: new messages, and their first events, as one statement
    each (not one per message), after one look at the opt-out list for all of them (in
    the same transaction: an opt-out committed before is seen) and one at the rate limits'
    counts, which the stored messages then add to."""
    refused = blocked(conn, sql, ((new.tenant, new.to_number) for new in news))
    allowed = [new for new in news if (new.tenant, new.to_number) not in refused]
    limited = rates.refused(conn, allowed)
    wanted = [new for new in allowed if new.id not in limited]
    values = [message_values(new) for new in wanted]
    if not values:
        stored: set[str] = set()
    elif sql.insert_messages.run(conn, values) < len(values):
        # Some idempotency keys were taken (rarely: a client's retry): which rows are ours?
        ids = [v["id"] for v in values]
        stored = set(conn.execute(sql.stored_ids, {"b_ids": ids}).scalars())
    else:
        stored = {v["id"] for v in values}
    rows = {v["id"]: stored_row(new, v) for new, v in zip(wanted, values, strict=True)}
    first_events = [
        {
            "tenant": row.tenant,
            "agent": row.agent,
            "message_id": row.id,
            "status": row.status,
            "reason": None,
            "reason_code": None,
            "at": row.created_at,
            "kind": "status",
            "number": None,
            "queue_id": None,
        }
        for row in rows.values()
        if row.id in stored
    ]
    if first_events:
        sql.insert_events.run(conn, first_events)
    rates.count(conn, sql, [new for new in wanted if new.id in stored])
    return [
        OPTED_OUT
        if (new.tenant, new.to_number) in refused
        else RateLimited(limited[new.id])
        if new.id in limited
        else rows[new.id]
        if new.id in stored
        else None
        for new in news
    ]


class SqlMessages:
    def __init__(self, engine: Engine, sql: Statements, writes: WriteQueue) -> None:
        self.engine = engine
        self._sql = sql
        self._writes = writes

    def insert_message(self, new: NewMessage) -> Future[MessageRow | OptedOut | RateLimited | None]:
        """Queue the insert; the future gives the stored row once it is committed, None when
        the idempotency key was already taken, OPTED_OUT (nothing stored) when the number
        is on its tenant's opt-out list, RateLimited (nothing stored) when the agent or the
        tenant is at its limit. (An event loop awaits this without tying up a
        thread.)"""
        return self._writes.submit_bulk(INSERT_MESSAGE, new)

    def find_by_key(self, tenant: str, agent: str, key: str) -> MessageRow | None:
        query = select(messages).where(
            messages.c.tenant == tenant,
            messages.c.agent == agent,
            messages.c.idempotency_key == key,
        )
        with self.engine.connect() as conn:
            row = conn.execute(query).mappings().first()
        return MessageRow.from_row(row) if row else None

    def get_message(self, tenant: str, agent: str, message_id: str) -> MessageRow | None:
        query = select(messages).where(
            messages.c.id == message_id, messages.c.tenant == tenant, messages.c.agent == agent
        )
        with self.engine.connect() as conn:
            row = conn.execute(query).mappings().first()
        return MessageRow.from_row(row) if row else None

    def list_messages(
        self,
        tenant: str,
        agent: str,
        *,
        limit: int,
        before: str | None = None,
        status: str | None = None,
    ) -> list[MessageRow]:
        query = select(messages).where(messages.c.tenant == tenant, messages.c.agent == agent)
        if before:
            query = query.where(messages.c.id < before)
        if status:
            query = query.where(messages.c.status == status)
        query = query.order_by(messages.c.id.desc()).limit(limit)
        with self.engine.connect() as conn:
            return [MessageRow.from_row(r) for r in conn.execute(query).mappings()]

    def submit_cancel(
        self, tenant: str, agent: str, message_id: str, now: int
    ) -> Future[tuple[MessageRow, bool] | None]:
        """Cancel a message that waits and was never claimed: ``(row, True)``. A message that
        was claimed (it may be on its way), sent or ended otherwise gives ``(row, False)`` and
        stays as it is; None when the agent has no such message.

        One conditional UPDATE decides, so a cancel and the dispatcher's claim never both win:
        on PostgreSQL the claim locks the row (FOR UPDATE) and the UPDATE, waiting for it,
        checks its condition again on the claimed row; on SQLite writes take turns."""
        mine = (
            messages.c.id == message_id,
            messages.c.tenant == tenant,
            messages.c.agent == agent,
        )
        cancel = (
            update(messages)
            .where(
                *mine,
                messages.c.status.in_([str(s) for s in WAITING]),
                messages.c.claimed_by.is_(None),
                # A claim that ran out may have handed it to the gateway: not cancellable.
                messages.c.unconfirmed_by.is_(None),
                messages.c.parts_sent == 0,
            )
            .values(status=MessageStatus.CANCELLED.value, updated_at=now)
            .returning(*messages.c)
        )
        current = select(messages).where(*mine)
        sql = self._sql

        def run(conn: Connection) -> tuple[MessageRow, bool] | None:
            cancelled = conn.execute(cancel).mappings().first()
            if cancelled is not None:
                row = MessageRow.from_row(cancelled)
                insert_event(conn, sql, tenant, agent, message_id, row.status, None, now)
                return row, True
            found = conn.execute(current).mappings().first()
            return None if found is None else (MessageRow.from_row(found), False)

        return self._writes.submit(run)
