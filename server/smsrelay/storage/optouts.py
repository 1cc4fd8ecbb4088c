"""The opt-out list: numbers that replied STOP, per tenant (the keywords are read in
``smsrelay.optouts``). In the database, so every relay instance refuses a number from the
moment it is committed; written through the store's one writer like everything else, and
read again inside the transactions that store or claim messages, with no gap between the
check and the write. Every change writes an ``optout`` event in its own transaction, which the
CRM's webhooks read (``optout.changed``)."""

from __future__ import annotations

import time
from collections.abc import Iterable
from typing import Any

from sqlalchemy import Connection, Engine, delete, select

from .rows import OptOut
from .schema import opt_outs
from .statements import Statements
from .writer import WriteQueue

#: An ``optout`` event's status: the number opted out, or back in. Its ``reason`` says where
#: the change came from (``kannel:GATEWAY``, ``twilio:GATEWAY``, ``cli``).
OPTED_OUT, OPTED_IN = "opted_out", "opted_in"


def optout_event(tenant: str, number: str, status: str, source: str, now: int) -> dict[str, Any]:
    """The events table's row for a change of the opt-out list: about a number, for no agent."""
    return {
        "tenant": tenant,
        "agent": "",
        "message_id": "",
        "status": status,
        "reason": source,
        "reason_code": None,
        "at": now,
        "kind": "optout",
        "number": number,
        "queue_id": None,
    }


class SqlOptOuts:
    def __init__(self, engine: Engine, sql: Statements, writes: WriteQueue) -> None:
        self.engine = engine
        self._sql = sql
        self._writes = writes

    def get(self, tenant: str, number: str) -> OptOut | None:
        query = select(opt_outs).where(opt_outs.c.tenant == tenant, opt_outs.c.number == number)
        with self.engine.connect() as conn:
            row = conn.execute(query).mappings().first()
        return OptOut(**row) if row else None

    def add(self, tenant: str, number: str, source: str, now: int) -> bool:
        """Opt a number out; False when it already was (the first date is kept)."""
        values = {"tenant": tenant, "number": number, "source": source, "created_at": now}
        add = self._sql.add_opt_out

        def opt_out(conn: Connection) -> bool:
            added = bool(conn.execute(add, values).rowcount)
            if added:
                self._event(conn, tenant, number, OPTED_OUT, source, now)
            return added

        return self._writes.run(opt_out)

    def remove(self, tenant: str, number: str, source: str = "cli", now: int | None = None) -> bool:
        """Opt a number back in; False when it was not opted out. ``now`` defaults to the
        time of the call."""
        at = now if now is not None else time.time_ns() // 1_000_000
        query = delete(opt_outs).where(opt_outs.c.tenant == tenant, opt_outs.c.number == number)

        def opt_in(conn: Connection) -> bool:
            removed = bool(conn.execute(query).rowcount)
            if removed:
                self._event(conn, tenant, number, OPTED_IN, source, at)
            return removed

        return self._writes.run(opt_in)

    def _event(
        self, conn: Connection, tenant: str, number: str, status: str, source: str, now: int
    ) -> None:
        conn.execute(self._sql.insert_event, optout_event(tenant, number, status, source, now))

    def all(self, tenant: str) -> list[OptOut]:
        query = select(opt_outs).where(opt_outs.c.tenant == tenant).order_by(opt_outs.c.number)
        with self.engine.connect() as conn:
            return [OptOut(**row) for row in conn.execute(query).mappings()]


def blocked(
    conn: Connection, sql: Statements, numbers: Iterable[tuple[str, str]]
) -> set[tuple[str, str]]:
    """Which of these ``(tenant, number)`` are on their tenant's list: one look for a whole
    batch, not one for each message. Tenants and numbers as two lists, so the database looks
    each up in the list's primary key instead of reading the whole list."""
    wanted = set(numbers)
    if not wanted:
        return set()
    found = conn.execute(
        sql.opted_out,
        {
            "b_tenants": sorted({tenant for tenant, _ in wanted}),
            "b_numbers": sorted({number for _, number in wanted}),
        },
    )
    return {(tenant, number) for tenant, number in found} & wanted
