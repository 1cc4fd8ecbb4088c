"""Moments in time as the agent gives and reads them: a send-at time parsed (with an offset, or
in the agent's own zone), and a moment worded in one zone or across several, in the catalog's
words (``Mo., 4. Mai, 09:30`` / ``Mon 4 May, 09:30``). Moments are kept in UTC; only the words
are local."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import UTC, datetime

from .messages import translate
from .zones import zone

# A date and a time of day at least: a bare date would be midnight, which nobody means.
_MOMENT = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")


def parse_moment(text: str, time_zone: str | None) -> datetime | None:
    """``text`` as a moment in UTC: ISO 8601 with an offset (``2026-05-04T09:30+02:00``,
    ``…Z``), or without one read in ``time_zone`` (what a browser's date-time field gives in
    the agent's zone). None when it is no such moment, or has no offset and no zone is given."""
    text = text.strip()
    if len(text) > 40 or not _MOMENT.match(text):
        return None
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return None
    if parsed.tzinfo is None:
        local = zone(time_zone) if time_zone else None
        if local is None:
            return None
        parsed = parsed.replace(tzinfo=local)
    return parsed.astimezone(UTC)


def iso_utc(moment: datetime) -> str:
    """``2026-05-04T07:30:00Z``: how the API writes a moment."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def moment_text(moment: datetime, time_zone: str | None, lang: str) -> str:
    """The moment's local date and time in ``time_zone``; in UTC, and saying so, when there is
    no zone or its data is not loaded yet."""
    place = zone(time_zone) if time_zone else None
    local = moment.astimezone(place or UTC)
    words = translate(
        "moment",
        lang,
        weekday=translate(f"weekday.{local.weekday()}", lang),
        day=local.day,
        month=translate(f"month.{local.month}", lang),
        time=local.strftime("%H:%M"),
    )
    return words if place is not None else translate("moment.utc", lang, moment=words)


def local_text(moment: datetime, zones: Sequence[str], lang: str) -> str:
    """The moment where the customer is: in its zone (``… (Europe/Berlin)``), or across the
    zones of a number that does not tell which, from the earliest to the latest local time."""
    if len(zones) == 1:
        return translate(
            "moment.in_zone", lang, moment=moment_text(moment, zones[0], lang), zone=zones[0]
        )
    locals_ = sorted(
        {moment.astimezone(zone(z) or UTC).replace(tzinfo=None): z for z in zones}.items()
    )
    (first, first_zone), (last, last_zone) = locals_[0], locals_[-1]
    if first == last:
        return translate(
            "moment.in_zones", lang, moment=moment_text(moment, first_zone, lang), count=len(zones)
        )
    last_words = (
        last.strftime("%H:%M")
        if first.date() == last.date()
        else moment_text(moment, last_zone, lang)
    )
    return translate(
        "moment.across_zones",
        lang,
        first=moment_text(moment, first_zone, lang),
        last=last_words,
        count=len(zones),
    )
