"""Status events: one row per status change, written in the change's own transaction, so the
agents' event streams on every relay instance see every change (see ``smsrelay.feed``)."""

from __future__ import annotations

from sqlalchemy import Connection, Engine, func, select

from .rows import EventRow, FeedEvent
from .schema import Statements, events


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
    conn.execute(
        sql.insert_event,
        {
            "tenant": tenant,
            "agent": agent,
            "message_id": message_id,
            "status": status,
            "reason": reason,
            "reason_code": reason_code,
            "at": now,
        },
    )


class SqlEvents:
    """Reads the events table (its rows are written by the other parts' write jobs)."""

    def __init__(self, engine: Engine, sql: Statements) -> None:
        self.engine = engine
        self._sql = sql

    def events_after(
        self, tenant: str, agent: str, after: int, limit: int = 100, upto: int | None = None
    ) -> list[EventRow]:
        """An agent's events after ``after`` (and up to ``upto``), oldest first."""
        query = (
            select(events)
            .where(events.c.tenant == tenant, events.c.agent == agent, events.c.id > after)
            .order_by(events.c.id)
            .limit(limit)
        )
        if upto is not None:
            query = query.where(events.c.id <= upto)
        with self.engine.connect() as conn:
            return [
                EventRow(
                    r["id"], r["message_id"], r["status"], r["reason"], r["at"], r["reason_code"]
                )
                for r in conn.execute(query).mappings()
            ]

    def events_since(self, after: int, limit: int) -> list[FeedEvent]:
        """Everybody's events after ``after``, oldest first: what the event feed hands out."""
        with self.engine.connect() as conn:
            rows = conn.execute(self._sql.events_since, {"b_after": after, "b_limit": limit})
            return [
                FeedEvent(tenant, agent, EventRow(id_, message_id, status, reason, at, code))
                for id_, tenant, agent, message_id, status, reason, code, at in rows
            ]

    def max_event_id(self) -> int:
        with self.engine.connect() as conn:
            return int(conn.execute(select(func.max(events.c.id))).scalar() or 0)
