"""The opt-out list as the writer reads it: inside the transaction that stores or claims
messages, so an opt-out committed before is seen, with no gap between check and write."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Connection

from .schema import Statements


def blocked(conn: Connection, sql: Statements, numbers: Iterable[str]) -> set[tuple[str, str]]:
    """``(tenant, number)`` of these numbers that are on their tenant's list: one look for a
    whole batch, not one for each message."""
    wanted = sorted(set(numbers))
    if not wanted:
        return set()
    found = conn.execute(sql.opted_out, {"b_numbers": wanted})
    return {(tenant, number) for tenant, number in found}
