"""The usage report: messages, billed segments and their cost per day, queue, agent and
status, for a range of days (UTC), as JSON or CSV. The segments are those the gateways accepted,
summed from the same rows the dispatcher writes, so the report equals what was sent."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Any

from ..errors import ApiError
from ..storage.usage import DIMENSIONS, UsageRow
from ..tenants.settings import TenantSettings


def parse_range(start: str, end: str) -> tuple[date, date]:
    """``from`` and ``to`` (both included) as dates; 422 naming the parameter otherwise."""
    days = []
    for name, text in (("from", start), ("to", end)):
        try:
            days.append(date.fromisoformat(text))
        except ValueError:
            raise ApiError(422, "request.wrong_type", name, {"name": name}) from None
    if days[1] < days[0] or (days[1] - days[0]).days > 366:
        raise ApiError(422, "request.wrong_type", "to", {"name": "to"})
    return days[0], days[1]


def parse_by(text: str) -> tuple[str, ...]:
    by = tuple(part.strip() for part in text.split(",") if part.strip())
    if not by or any(name not in DIMENSIONS for name in by) or len(set(by)) != len(by):
        raise ApiError(422, "request.wrong_type", "by", {"name": "by"})
    return by


def millis(day: date) -> int:
    return int(datetime(day.year, day.month, day.day, tzinfo=UTC).timestamp() * 1000)


def report(
    tenant: TenantSettings, rows: Sequence[UsageRow], by: Sequence[str], start: date, end: date
) -> dict[str, Any]:
    price = tenant.price_per_segment
    items = []
    for row in rows:
        item: dict[str, Any] = {}
        for name, value in zip(by, row.key, strict=True):
            item[name] = _day(value) if name == "day" else value
        item.update(messages=row.messages, segments=row.segments, cost=_cost(row.segments, price))
        items.append(item)
    segments = sum(r.segments for r in rows)
    return {
        "tenant": tenant.id,
        "from": start.isoformat(),
        "to": end.isoformat(),
        "by": list(by),
        "currency": tenant.currency,
        "price_per_segment": price,
        "items": items,
        "totals": {
            "messages": sum(r.messages for r in rows),
            "segments": segments,
            "cost": _cost(segments, price),
        },
    }


def as_csv(answer: dict[str, Any]) -> str:
    out = io.StringIO()
    columns = [*answer["by"], "messages", "segments", "cost", "currency"]
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(columns)
    for item in answer["items"]:
        writer.writerow([*(item[name] for name in columns[:-1]), answer["currency"]])
    return out.getvalue()


def _day(number: int) -> str:
    return (date(1970, 1, 1) + timedelta(days=int(number))).isoformat()


def _cost(segments: int, price: float | None) -> float | None:
    return None if price is None else round(segments * price, 4)
