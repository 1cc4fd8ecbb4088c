"""When a message goes out: at once, at the time the agent chose, held until the customer's
quiet hours end, or refused because they have not — one answer, decided here for the panel
before Send and for the relay when it accepts the message.

The customer's time comes from the number (:func:`~smscompose.zones.number_zones`). For a
number that may be in several zones the most restrictive reading wins: a moment is quiet when
it is quiet in any of them, and quiet hours end when they have ended in all of them. Moments
are UTC; the agent chooses and reads them in the agent's own zone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from enum import StrEnum
from typing import Any

from .languages import LANGUAGES
from .messages import Problem, translate
from .moments import iso_utc, local_text, moment_text, parse_moment
from .quiet_hours import QuietHours, QuietMode
from .zones import data_loaded, number_zones, zone

#: How far ahead a message may be scheduled: beyond a month a text is more likely forgotten
#: than wanted, and a relay keeps nothing longer waiting.
MAX_AHEAD_DAYS = 30
#: How far past quiet hours the search for their end looks before it calls them endless
#: (zones more than a day's quiet hours apart leave no moment at all).
_SEARCH = timedelta(days=8)


class Verdict(StrEnum):
    NOW = "now"
    SCHEDULED = "scheduled"
    #: In quiet hours: held, goes out when they end.
    HELD = "held"
    #: In quiet hours, and the tenant refuses such messages.
    REFUSED = "refused"
    #: The send-at time cannot be used (unreadable, past, too far ahead).
    INVALID = "invalid"
    #: The panel has not loaded the time-zone data yet (never on the relay).
    PENDING = "pending"


_TONES = {
    Verdict.NOW: "ok",
    Verdict.SCHEDULED: "ok",
    Verdict.HELD: "warning",
    Verdict.REFUSED: "problem",
    Verdict.INVALID: "problem",
    Verdict.PENDING: "pending",
}


@dataclass(frozen=True)
class Timing:
    verdict: Verdict
    #: What the agent asked for; None: at once.
    requested: datetime | None = None
    #: When the message goes out (UTC): the agent's time, or the end of the quiet hours.
    send_at: datetime | None = None
    #: For a refused message: the earliest moment it may go out.
    earliest: datetime | None = None
    #: The customer's zones; None while unknown (no valid number yet, or no data loaded).
    zones: tuple[str, ...] | None = None
    quiet: QuietHours | None = None
    #: Why Send is disabled, naming the field ``send_at``.
    problem: Problem | None = None
    #: The customer's zones are needed but the data is not loaded yet (only in the browser).
    zones_wanted: bool = False

    @property
    def held(self) -> bool:
        return self.verdict is Verdict.HELD

    def to_dict(self, lang: str, time_zone: str | None) -> dict[str, Any]:
        """What the panel shows above Send, in the agent's zone ``time_zone``."""
        moment = self.send_at or self.earliest or self.requested
        quiet = self.quiet.describe(lang) if self.quiet is not None else ""
        words = {
            Verdict.NOW: lambda: translate("schedule.now", lang, quiet=quiet),
            Verdict.PENDING: lambda: translate("schedule.pending", lang),
        }
        if self.problem is not None:
            text = self.problem.message(lang)
        elif self.verdict in words:
            text = words[self.verdict]()
        else:
            assert moment is not None
            text = translate(
                f"schedule.{self.verdict}",
                lang,
                quiet=quiet,
                moment=moment_text(moment, time_zone, lang),
            )
        shown = moment if self.verdict is not Verdict.INVALID else None
        return {
            "verdict": self.verdict.value,
            "tone": _TONES[self.verdict],
            "text": text,
            "agent_time": None
            if shown is None
            else translate("schedule.your_time", lang, moment=moment_text(shown, time_zone, lang)),
            "customer_time": None
            if shown is None or not self.zones
            else translate(
                "schedule.customer_time", lang, moment=local_text(shown, self.zones, lang)
            ),
            "send_at": None if self.send_at is None else iso_utc(self.send_at),
            "zones_needed": self.zones_wanted,
        }


def timing_for(
    *,
    now: datetime | None,
    send_at: str,
    time_zone: str | None,
    number: str | None,
    quiet: QuietHours | None,
) -> Timing | None:
    """The timing of a message to ``number`` (E.164; None while there is no valid one) asked
    to go out at ``send_at`` (empty: at once), or None when there is nothing to say (at once,
    and the tenant has no quiet hours) or no clock to say it by (``now`` None)."""
    if now is None:
        return None
    requested = None
    if send_at.strip():
        requested = parse_moment(send_at, time_zone)
        if requested is None and time_zone and not data_loaded():
            # A time in the agent's zone needs the zone data too (the browser loads it now).
            pending = Problem("schedule.pending", "send_at")
            return Timing(Verdict.PENDING, problem=pending, zones_wanted=True)
        problem = _requested_problem(requested, now)
        if problem is not None:
            return Timing(Verdict.INVALID, problem=problem)
    elif quiet is None:
        return None
    zones = number_zones(number) if number is not None else None
    wanted = number is not None and zones is None
    if quiet is None or number is None:
        # Nothing to hold or refuse (yet): the agent's time, and the customer's once known.
        if requested is None:
            return None
        return Timing(Verdict.SCHEDULED, requested, requested, zones=zones, zones_wanted=wanted)
    if zones is None:
        problem = Problem("schedule.pending", "send_at")
        return Timing(Verdict.PENDING, requested, quiet=quiet, problem=problem, zones_wanted=True)
    return decide(now=now, requested=requested, zones=zones, quiet=quiet)


def decide(
    *, now: datetime, requested: datetime | None, zones: tuple[str, ...], quiet: QuietHours
) -> Timing:
    """Held, refused or sent (at once or at ``requested``), by the quiet hours in ``zones``."""
    moment = requested or now
    ends = quiet_end(moment, zones, quiet)
    if ends == moment:
        verdict = Verdict.NOW if requested is None else Verdict.SCHEDULED
        return Timing(verdict, requested, requested, zones=zones, quiet=quiet)
    params: dict[str, Any] = {"quiet": {lang: quiet.describe(lang) for lang in LANGUAGES}}
    if ends is None:
        problem = Problem("quiet_hours.no_window", "send_at", params)
        return Timing(Verdict.REFUSED, requested, zones=zones, quiet=quiet, problem=problem)
    if quiet.mode is QuietMode.HOLD:
        return Timing(Verdict.HELD, requested, ends, zones=zones, quiet=quiet)
    params["earliest"] = {lang: local_text(ends, zones, lang) for lang in LANGUAGES}
    problem = Problem("quiet_hours.refused", "send_at", params)
    return Timing(Verdict.REFUSED, requested, None, ends, zones, quiet, problem)


def quiet_end(moment: datetime, zones: tuple[str, ...], quiet: QuietHours) -> datetime | None:
    """The first moment from ``moment`` on that is quiet in none of ``zones`` (``moment``
    itself when it is not quiet); None when there is none within a week and a day."""
    at = moment
    while at - moment <= _SEARCH:
        later = at
        for name in zones:
            local = at.astimezone(zone(name) or UTC)
            if quiet.covers(local):
                # Never backwards, not even across a clock change: at least a minute on.
                later = max(later, _end_of(local, quiet), at + timedelta(minutes=1))
        if later == at:
            return at
        at = later
    return None


def _end_of(local: datetime, quiet: QuietHours) -> datetime:
    """Where the part of the quiet hours that covers ``local`` ends (in UTC); what follows may
    be quiet again (a Sunday after a Saturday night), which the caller looks at next."""
    place = local.tzinfo
    assert isinstance(place, tzinfo)
    if local.weekday() in quiet.days:
        return _at(local.date() + timedelta(days=1), time(0), place)
    assert quiet.end is not None
    day = local.date() if local.time() < quiet.end else local.date() + timedelta(days=1)
    return _at(day, quiet.end, place)


def _at(day: date, clock: time, place: tzinfo) -> datetime:
    return datetime.combine(day, clock, tzinfo=place).astimezone(UTC)


def _requested_problem(requested: datetime | None, now: datetime) -> Problem | None:
    if requested is None:
        return Problem("schedule.invalid", "send_at")
    if requested <= now:
        return Problem("schedule.in_past", "send_at")
    if requested > now + timedelta(days=MAX_AHEAD_DAYS):
        return Problem("schedule.too_far", "send_at", {"days": MAX_AHEAD_DAYS})
    return None
