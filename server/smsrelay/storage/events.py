"""Events: one row per status change (and per reply or opt-out, see the ``events`` table's
``kind``), written in the change's own transaction, so the agents' event streams on every relay
instance see every change (see ``smsrelay.feed``)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import ColumnElement, Connection, Engine, and_, func, or_, select

from .rows import EventRow, FeedEvent
from .schema import events
from .statements import Statements


def insert_event(
    conn: Connection,
    sql: Statements,
    tenant: str,
    agent: str,
    message_id: str,
    status: str,
    reason: str | None,
    now: int,
    reason_code: str | None = None,
) -> None:
    """An event inside a write job, beside the change it reports."""
    values = status_event(tenant, agent, message_id, status, reason, now, reason_code)
    sql.insert_status_event.run(conn, values)


def status_event(
    tenant: str,
    agent: str,
    message_id: str,
    status: str,
    reason: str | None,
    now: int,
    reason_code: str | None = None,
) -> dict[str, Any]:
    """A row for ``Statements.insert_status_event``: a message's status changed."""
    return {
        "tenant": tenant,
        "agent": agent,
        "message_id": message_id,
        "status": status,
        "reason": reason,
        "reason_code": reason_code,
        "at": now,
        "kind": "status",
    }


def for_agent(agent: str, queues: Sequence[str] | None) -> ColumnElement[bool]:
    """The agent's own events, and those of the queues it serves (agent '')."""
    if queues is not None and not queues:
        return events.c.agent == agent
    queue = (
        events.c.queue_id.is_not(None) if queues is None else events.c.queue_id.in_(list(queues))
    )
    return or_(events.c.agent == agent, and_(events.c.agent == "", queue))


def _event_row(r: Mapping[Any, Any]) -> EventRow:
    return EventRow(
        r["id"],
        r["message_id"],
        r["status"],
        r["reason"],
        r["at"],
        r["reason_code"],
        r["kind"],
        r["number"],
        r["queue_id"],
    )


class SqlEvents:
    """Reads the events table (its rows are written by the other parts' write jobs)."""

    def __init__(self, engine: Engine, sql: Statements) -> None:
        self.engine = engine
        self._sql = sql

    def events_after(
        self,
        tenant: str,
        agent: str,
        after: int,
        limit: int = 100,
        upto: int | None = None,
        queues: Sequence[str] | None = (),
    ) -> list[EventRow]:
        """An agent's events after ``after`` (and up to ``upto``), oldest first, with the
        events meant for every agent of ``queues`` (None: all of the tenant's queues)."""
        query = (
            select(events)
            .where(events.c.tenant == tenant, for_agent(agent, queues), events.c.id > after)
            .order_by(events.c.id)
            .limit(limit)
        )
        if upto is not None:
            query = query.where(events.c.id <= upto)
        with self.engine.connect() as conn:
            return [_event_row(r) for r in conn.execute(query).mappings()]

    def events_since(self, after: int, limit: int) -> list[FeedEvent]:
        """Everybody's events after ``after``, oldest first: what the event feed hands out."""
        with self.engine.connect() as conn:
            rows = conn.execute(self._sql.events_since, {"b_after": after, "b_limit": limit})
            return [FeedEvent(r["tenant"], r["agent"], _event_row(r)) for r in rows.mappings()]

    def max_event_id(self) -> int:
        with self.engine.connect() as conn:
            return int(conn.execute(select(func.max(events.c.id))).scalar() or 0)
