"""The rate limits' counts (``rate_counts``), read and added to in the transaction that stores
the messages (``messages.insert_messages``); the rule itself is ``smsrelay.ratelimit``.

No relay sharing the database accepts past a limit between its look and its write: on SQLite
the writer's transaction holds the database's write lock from its start (``BEGIN IMMEDIATE``,
see ``writer.py``); on PostgreSQL a transaction-scoped advisory lock per tenant guards its
counts, taken before anything else in the transaction and in one order (``lock_tenants``), so
two relays' writers never wait for each other in a circle.
"""

from __future__ import annotations

import hashlib
import time
from collections import Counter
from collections.abc import Iterable
from typing import Any

from sqlalchemy import Connection, delete, func, select, text

from ..ratelimit import Hit, Key, admit, first_second, keys_of, wait_of
from .rows import NewMessage
from .schema import rate_counts
from .statements import Statements

#: How often one store deletes the seconds that left the window.
PRUNE_EVERY_SECONDS = 10.0
_pruned_at = 0.0


def lock_tenants(conn: Connection, news: Iterable[NewMessage]) -> None:
    """PostgreSQL: wait for, and hold until the commit, the lock on each limited tenant's
    counts (SQLite's writer holds the whole database already)."""
    if conn.dialect.name != "postgresql":
        return
    for tenant in sorted({new.tenant for new in news if new.limits is not None}):
        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _lock_key(tenant)})


def refused(conn: Connection, news: list[NewMessage]) -> dict[str, int]:
    """The messages over a limit, as message id → milliseconds until one more fits."""
    hits = {new.id: _hit(new) for new in news if new.limits is not None}
    if not hits:
        return {}
    since = first_second(min(hit.now for hit in hits.values()))
    totals = _totals(conn, hits.values(), since)
    fits = dict(zip(hits, admit(list(hits.values()), totals), strict=True))
    over = [message_id for message_id, ok in fits.items() if not ok]
    if not over:
        return {}
    per_second = dict(_per_second(conn, [hits[message_id] for message_id in over], since))
    for message_id, ok in fits.items():  # the batch's own, counted as if stored
        if ok:
            hit = hits[message_id]
            for key, _ in keys_of(hit):
                seconds = per_second.setdefault(key, Counter())
                seconds[hit.now // 1000] += 1
    return {message_id: wait_of(hits[message_id], per_second) for message_id in over}


def count(conn: Connection, sql: Statements, stored: list[NewMessage]) -> None:
    """Add the messages just stored to their counts (and now and then forget old seconds)."""
    added: Counter[tuple[str, str, int]] = Counter()
    for new in stored:
        if new.limits is not None:
            for (tenant, agent), _ in keys_of(_hit(new)):
                added[(tenant, agent, new.now // 1000)] += 1
    if added:
        rows = [{"tenant": t, "agent": a, "second": s, "hits": n} for (t, a, s), n in added.items()]
        conn.execute(sql.add_rate_hits, rows)
        _prune(conn, max(new.now for new in stored))


def _totals(conn: Connection, hits: Iterable[Hit], since: int) -> dict[Key, int]:
    """Each key's hits in the window, summed by the database (up to 60 rows a key)."""
    wanted = {key for hit in hits for key, _ in keys_of(hit)}
    c = rate_counts.c
    query = (
        select(c.tenant, c.agent, func.sum(c.hits))
        .where(*_within(wanted, since))
        .group_by(c.tenant, c.agent)
    )
    return {
        (tenant, agent): int(total)
        for tenant, agent, total in conn.execute(query)
        if (tenant, agent) in wanted
    }


def _per_second(
    conn: Connection, hits: Iterable[Hit], since: int
) -> list[tuple[Key, Counter[int]]]:
    """Each key's hits per second in the window (only for the refused, to say how long)."""
    wanted = {key for hit in hits for key, _ in keys_of(hit)}
    c = rate_counts.c
    query = select(c.tenant, c.agent, c.second, c.hits).where(*_within(wanted, since))
    found: dict[Key, Counter[int]] = {}
    for tenant, agent, second, number in conn.execute(query):
        if (tenant, agent) in wanted:
            found.setdefault((tenant, agent), Counter())[second] += number
    return list(found.items())


def _within(wanted: set[Key], since: int) -> list[Any]:
    # Tenants and agents each as a list (not pairs): every database takes that form; the few
    # extra pairs it matches are dropped by the caller.
    c = rate_counts.c
    return [
        c.tenant.in_(sorted({tenant for tenant, _ in wanted})),
        c.agent.in_(sorted({agent for _, agent in wanted})),
        c.second >= since,
    ]


def _prune(conn: Connection, now_ms: int) -> None:
    global _pruned_at
    if time.monotonic() - _pruned_at < PRUNE_EVERY_SECONDS:
        return
    _pruned_at = time.monotonic()
    conn.execute(delete(rate_counts).where(rate_counts.c.second < first_second(now_ms)))


def _hit(new: NewMessage) -> Hit:
    assert new.limits is not None
    return Hit(new.tenant, new.agent, new.now, new.limits)


def _lock_key(tenant: str) -> int:
    digest = hashlib.blake2b(f"smsrelay.rate_counts:{tenant}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)
