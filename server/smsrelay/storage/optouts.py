"""The opt-out list: numbers that replied STOP, per tenant (the keywords are read in
``smsrelay.optouts``). In the database, so every relay instance refuses a number from the
moment it is committed; written through the store's one writer like everything else, and
read again inside the transactions that store or claim messages, with no gap between the
check and the write."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Connection, Engine, delete, select

from .rows import OptOut
from .schema import Statements, opt_outs
from .writer import WriteQueue


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
        return self._writes.run(lambda conn: bool(conn.execute(add, values).rowcount))

    def remove(self, tenant: str, number: str) -> bool:
        """Opt a number back in; False when it was not opted out."""
        query = delete(opt_outs).where(opt_outs.c.tenant == tenant, opt_outs.c.number == number)
        return self._writes.run(lambda conn: bool(conn.execute(query).rowcount))

    def all(self, tenant: str) -> list[OptOut]:
        query = select(opt_outs).where(opt_outs.c.tenant == tenant).order_by(opt_outs.c.number)
        with self.engine.connect() as conn:
            return [OptOut(**row) for row in conn.execute(query).mappings()]


def blocked(conn: Connection, sql: Statements, numbers: Iterable[str]) -> set[tuple[str, str]]:
    """``(tenant, number)`` of these numbers that are on their tenant's list: one look for a
    whole batch, not one for each message."""
    wanted = sorted(set(numbers))
    if not wanted:
        return set()
    found = conn.execute(sql.opted_out, {"b_numbers": wanted})
    return {(tenant, number) for tenant, number in found}
