"""What a tenant sent, summed from the messages themselves: messages, and the segments the
gateways accepted (``parts_sent``) — what the company is billed — per day, queue, agent and
status. Read from the same rows the dispatcher writes, so the report and the gateway agree."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, func, select

from .schema import messages

#: What a report may be grouped by.
DIMENSIONS = ("day", "queue", "agent", "status")
DAY_MS = 86_400_000


@dataclass(frozen=True)
class UsageRow:
    #: The group's values, in the order asked for: the day as days since 1970-01-01 (UTC).
    key: tuple[Any, ...]
    messages: int
    #: Segments the gateways accepted: what is billed.
    segments: int


class SqlUsage:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def usage(self, tenant: str, *, since: int, until: int, by: Sequence[str]) -> list[UsageRow]:
        """Messages created in ``[since, until)`` (ms), grouped by ``by`` (of
        :data:`DIMENSIONS`), in the order of the groups."""
        columns = {
            # Floor division: ``/`` is true division in SQLAlchemy 2, and PostgreSQL rounds
            # the numeric it gives when cast back, which moved afternoons to the next day.
            "day": messages.c.created_at // DAY_MS,
            "queue": messages.c.queue_id,
            "agent": messages.c.agent,
            "status": messages.c.status,
        }
        groups = [columns[name].label(name) for name in by]
        query = (
            select(
                *groups,
                func.count().label("messages"),
                func.coalesce(func.sum(messages.c.parts_sent), 0).label("segments"),
            )
            .where(
                messages.c.tenant == tenant,
                messages.c.created_at >= since,
                messages.c.created_at < until,
            )
            .group_by(*groups)
            .order_by(*groups)
        )
        with self.engine.connect() as conn:
            return [
                UsageRow(tuple(row[: len(by)]), int(row.messages), int(row.segments))
                for row in conn.execute(query)
            ]


def usage_in_memory(
    rows: Iterable[Mapping[str, Any]], *, since: int, until: int, by: Sequence[str]
) -> list[UsageRow]:
    """``SqlUsage.usage`` over message rows held in memory (``MemoryStore``)."""
    key_of = {
        "day": lambda v: v["created_at"] // DAY_MS,
        "queue": lambda v: v["queue_id"],
        "agent": lambda v: v["agent"],
        "status": lambda v: v["status"],
    }
    sums: dict[tuple[Any, ...], list[int]] = {}
    for values in rows:
        if since <= values["created_at"] < until:
            key = tuple(key_of[name](values) for name in by)
            totals = sums.setdefault(key, [0, 0])
            totals[0] += 1
            totals[1] += values["parts_sent"]
    return [UsageRow(key, m, s) for key, (m, s) in sorted(sums.items())]
