"""A tenant's quiet hours: when its customers are not to be texted, in their own local time.

A daily window (``from`` 20:00 ``until`` 08:00, across midnight when ``until`` is earlier) and
whole days (``days = ["sun"]``), either or both; and what happens to a message that would go
out inside them: ``hold`` it until they end, or ``refuse`` it. The relay reads them from the
tenant's settings and hands them to the panel in the compose configuration, so the panel and
the relay decide with the same rules (:mod:`smscompose.schedule`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, time
from enum import StrEnum
from typing import Any

from .config import ConfigReader, InvalidConfig
from .messages import translate

#: Day names as the settings write them, Monday first (``datetime.weekday()`` order).
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


class QuietMode(StrEnum):
    #: The message waits and goes out when the quiet hours end.
    HOLD = "hold"
    #: The message is not accepted; the agent may schedule it for later.
    REFUSE = "refuse"


@dataclass(frozen=True)
class QuietHours:
    #: The daily window, both or neither: quiet from ``start`` until ``end``.
    start: time | None = None
    end: time | None = None
    #: Whole days that are quiet, as ``datetime.weekday()`` numbers (0 Monday … 6 Sunday).
    days: frozenset[int] = field(default_factory=frozenset)
    mode: QuietMode = QuietMode.HOLD

    def covers(self, local: datetime) -> bool:
        """Whether a local wall-clock moment (the customer's) is inside the quiet hours."""
        return local.weekday() in self.days or self.window_covers(local.time())

    def window_covers(self, moment: time) -> bool:
        if self.start is None or self.end is None:
            return False
        moment = moment.replace(tzinfo=None)
        if self.start <= self.end:
            return self.start <= moment < self.end
        return moment >= self.start or moment < self.end

    def describe(self, lang: str) -> str:
        """``20:00–08:00 und sonntags`` / ``20:00–08:00 and on Sundays``."""
        window = (
            None
            if self.start is None or self.end is None
            else translate(
                "quiet.window",
                lang,
                start=self.start.strftime("%H:%M"),
                end=self.end.strftime("%H:%M"),
            )
        )
        days = ", ".join(translate(f"quiet.on_{WEEKDAYS[d]}", lang) for d in sorted(self.days))
        if window and days:
            return translate("quiet.window_and_days", lang, window=window, days=days)
        return window or translate("quiet.days", lang, days=days)

    def to_dict(self) -> dict[str, Any]:
        """The settings' form: what ``from_settings`` reads back."""
        data: dict[str, Any] = {}
        if self.start is not None and self.end is not None:
            data["from"] = self.start.strftime("%H:%M")
            data["until"] = self.end.strftime("%H:%M")
        if self.days:
            data["days"] = [WEEKDAYS[d] for d in sorted(self.days)]
        data["mode"] = self.mode.value
        return data

    @classmethod
    def from_settings(cls, data: object, path: str) -> QuietHours:
        """Read and check ``quiet_hours`` of a tenant's settings (or of the compose
        configuration); every error names its key under ``path``."""
        if not isinstance(data, Mapping):
            raise InvalidConfig(path, 'must be a table such as { from = "20:00", until = "08:00" }')
        reader = ConfigReader(data, path)
        reader.reject_unknown({"from", "until", "days", "mode"})
        given = [name for name in ("from", "until") if reader.data.get(name) is not None]
        if len(given) == 1:
            missing = "until" if given == ["from"] else "from"
            raise InvalidConfig(reader.key(missing), "is required with " + repr(given[0]))
        start, end = (_clock_time(reader, n) for n in ("from", "until")) if given else (None, None)
        if start is not None and start == end:
            raise InvalidConfig(reader.key("until"), "must differ from 'from'")
        days = _days(reader)
        if start is None and not days:
            raise InvalidConfig(path, "needs 'from' and 'until', or 'days', or both")
        mode = reader.optional("mode", str, QuietMode.HOLD.value)
        if mode not in {m.value for m in QuietMode}:
            raise InvalidConfig(reader.key("mode"), "must be 'hold' or 'refuse'")
        return cls(start, end, days, QuietMode(mode))


def _clock_time(reader: ConfigReader, name: str) -> time:
    text = reader.required(name, str)
    try:
        parsed = time.fromisoformat(text)
    except ValueError:
        raise InvalidConfig(reader.key(name), "must be a time of day such as 21:00") from None
    if len(text) != 5 or parsed.second or parsed.tzinfo is not None:
        raise InvalidConfig(reader.key(name), "must be a time of day such as 21:00")
    return parsed


def _days(reader: ConfigReader) -> frozenset[int]:
    names = reader.strings("days")
    days: set[int] = set()
    for i, name in enumerate(names):
        if name not in WEEKDAYS:
            raise InvalidConfig(
                f"{reader.key('days')}[{i}]", f"must be one of {', '.join(WEEKDAYS)}"
            )
        if WEEKDAYS.index(name) in days:
            raise InvalidConfig(f"{reader.key('days')}[{i}]", f"{name!r} is listed twice")
        days.add(WEEKDAYS.index(name))
    if len(days) == len(WEEKDAYS):
        # No moment would ever be allowed: every message would wait (or be refused) for ever.
        raise InvalidConfig(reader.key("days"), "cannot make every day of the week quiet")
    return frozenset(days)
