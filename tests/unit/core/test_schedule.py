"""smscompose.schedule: when a message goes out — at once, at the agent's time, held until the
customer's quiet hours end, or refused — from the number's time zones, with a fixed clock."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from smscompose.quiet_hours import QuietHours
from smscompose.schedule import MAX_AHEAD_DAYS, Verdict, decide, quiet_end, timing_for
from smscompose.zones import number_zones

GERMAN = "+4915112345678"
NEW_YORK = "+12125551234"
RUSSIAN = "+79123456789"
#: Saturday 2 May 2026, 21:30 in Berlin (CEST, UTC+2).
SATURDAY_NIGHT = datetime(2026, 5, 2, 19, 30, tzinfo=UTC)
#: Monday 4 May 2026, 10:00 in Berlin.
MONDAY_MORNING = datetime(2026, 5, 4, 8, 0, tzinfo=UTC)
NIGHTS_AND_SUNDAYS = QuietHours.from_settings(
    {"from": "20:00", "until": "08:00", "days": ["sun"]}, "quiet_hours"
)
REFUSING = QuietHours.from_settings(
    {"from": "20:00", "until": "08:00", "mode": "refuse"}, "quiet_hours"
)


def timing(
    now: datetime,
    quiet: QuietHours | None,
    send_at: str = "",
    number: str | None = GERMAN,
    zone: str | None = "Europe/Berlin",
):  # type: ignore[no-untyped-def]
    return timing_for(now=now, send_at=send_at, time_zone=zone, number=number, quiet=quiet)


def test_a_number_s_zones_come_from_its_prefix_or_its_country() -> None:
    assert number_zones(GERMAN) == ("Europe/Berlin",)
    assert number_zones(NEW_YORK) == ("America/New_York",)
    russian = number_zones(RUSSIAN)
    assert russian is not None and {"Europe/Moscow", "Asia/Kamchatka"} <= set(russian)
    # A number no zone belongs to (international freephone): quiet hours then apply in UTC.
    assert number_zones("+80012345678") == ("UTC",)


def test_outside_quiet_hours_it_goes_out_at_once_and_says_so() -> None:
    found = timing(MONDAY_MORNING, NIGHTS_AND_SUNDAYS)
    assert found is not None and found.verdict is Verdict.NOW and found.send_at is None
    words = found.to_dict("de", "Europe/Berlin")
    assert words["text"] == (
        "Außerhalb der Ruhezeiten des Kunden (20:00–08:00 Uhr und sonntags): "
        "Die SMS geht sofort hinaus."
    )
    assert timing(MONDAY_MORNING, None) is None  # no quiet hours, no time: nothing to say


def test_in_the_quiet_hours_it_is_held_past_a_sunday_until_monday_morning() -> None:
    found = timing(SATURDAY_NIGHT, NIGHTS_AND_SUNDAYS)
    assert found is not None and found.verdict is Verdict.HELD and found.held
    assert found.send_at == datetime(2026, 5, 4, 6, 0, tzinfo=UTC)  # Monday 08:00 in Berlin
    assert found.problem is None
    de = found.to_dict("de", "Europe/Berlin")
    assert de["text"] == (
        "Ruhezeit beim Kunden (20:00–08:00 Uhr und sonntags): Die SMS wird zurückgehalten "
        "und geht am Mo., 4. Mai, 08:00 hinaus (Ihre Zeit)."
    )
    assert de["customer_time"] == "Ortszeit des Kunden: Mo., 4. Mai, 08:00 (Europe/Berlin)"
    en = found.to_dict("en", "America/New_York")
    assert en["agent_time"] == "Your time: Mon 4 May, 02:00"
    assert en["customer_time"] == "Customer's local time: Mon 4 May, 08:00 (Europe/Berlin)"
    assert en["send_at"] == "2026-05-04T06:00:00Z" and en["tone"] == "warning"


def test_a_tenant_that_refuses_says_when_it_could_go_instead() -> None:
    found = timing(SATURDAY_NIGHT, REFUSING)
    assert found is not None and found.verdict is Verdict.REFUSED and found.send_at is None
    assert found.earliest == datetime(2026, 5, 3, 6, 0, tzinfo=UTC)
    assert found.problem is not None and found.problem.field == "send_at"
    assert found.problem.code == "quiet_hours.refused"
    assert found.problem.message("de") == (
        "Ruhezeit beim Kunden (20:00–08:00 Uhr): Ihr Unternehmen sendet dann keine SMS. "
        "Frühestens möglich: So., 3. Mai, 08:00 (Europe/Berlin)."
    )
    assert found.problem.message("en").endswith(
        "The earliest possible: Sun 3 May, 08:00 (Europe/Berlin)."
    )


def test_a_time_the_agent_chose_is_checked_against_the_quiet_hours_too() -> None:
    at_nine = timing(SATURDAY_NIGHT, REFUSING, send_at="2026-05-04T09:30")
    assert at_nine is not None and at_nine.verdict is Verdict.SCHEDULED
    assert at_nine.send_at == datetime(2026, 5, 4, 7, 30, tzinfo=UTC)
    assert at_nine.to_dict("en", "Europe/Berlin")["text"] == (
        "Scheduled: the SMS goes out on Mon 4 May, 09:30 (your time)."
    )
    at_night = timing(SATURDAY_NIGHT, NIGHTS_AND_SUNDAYS, send_at="2026-05-04T22:00")
    assert at_night is not None and at_night.verdict is Verdict.HELD
    assert at_night.send_at == datetime(2026, 5, 5, 6, 0, tzinfo=UTC)
    refused = timing(SATURDAY_NIGHT, REFUSING, send_at="2026-05-04T22:00")
    assert refused is not None and refused.verdict is Verdict.REFUSED


def test_a_time_with_an_offset_is_taken_as_it_is_whatever_the_agent_s_zone() -> None:
    found = timing(SATURDAY_NIGHT, None, send_at="2026-05-04T09:30:00+02:00", zone=None)
    assert found is not None and found.send_at == datetime(2026, 5, 4, 7, 30, tzinfo=UTC)
    zulu = timing(SATURDAY_NIGHT, None, send_at="2026-05-04T07:30:00Z", zone="Asia/Tokyo")
    assert zulu is not None and zulu.send_at == found.send_at
    # Without an offset and without a zone (the relay's API) it cannot be read.
    bare = timing(SATURDAY_NIGHT, None, send_at="2026-05-04T09:30", zone=None)
    assert bare is not None and bare.problem is not None and bare.problem.code == "schedule.invalid"


@pytest.mark.parametrize(
    ("send_at", "code"),
    [
        ("tomorrow", "schedule.invalid"),
        ("2026-05-04", "schedule.invalid"),
        ("2026-13-04T09:30+02:00", "schedule.invalid"),
        ("2026-05-02T21:29+02:00", "schedule.in_past"),
        ("2026-05-02T21:30+02:00", "schedule.in_past"),
        ("2026-06-01T21:31+02:00", "schedule.too_far"),
    ],
)
def test_an_unusable_time_disables_send_with_its_reason(send_at: str, code: str) -> None:
    found = timing(SATURDAY_NIGHT, None, send_at=send_at)
    assert found is not None and found.verdict is Verdict.INVALID
    assert found.problem is not None and (found.problem.code, found.problem.field) == (
        code,
        "send_at",
    )
    words = found.to_dict("de", "Europe/Berlin")
    assert words["text"] == found.problem.message("de") and words["agent_time"] is None


def test_the_limit_is_thirty_days_ahead() -> None:
    limit = SATURDAY_NIGHT + timedelta(days=MAX_AHEAD_DAYS)
    found = timing(SATURDAY_NIGHT, None, send_at=limit.isoformat())
    assert found is not None and found.verdict is Verdict.SCHEDULED
    assert timing(SATURDAY_NIGHT, None, send_at="2026-06-01T21:31+02:00").problem.params == {  # type: ignore[union-attr]
        "days": 30
    }
    assert "höchstens 30 Tage" in timing(  # type: ignore[union-attr]
        SATURDAY_NIGHT, None, send_at="2026-06-01T21:31+02:00"
    ).problem.message("de")


def test_a_number_in_several_zones_is_quiet_while_any_of_them_is() -> None:
    # Monday 10:00 in Berlin is 11:00 in Moscow but 20:00 in Kamchatka: quiet there.
    found = timing(MONDAY_MORNING, NIGHTS_AND_SUNDAYS, number=RUSSIAN)
    assert found is not None and found.verdict is Verdict.HELD
    assert found.send_at == datetime(2026, 5, 5, 5, 0, tzinfo=UTC)  # 08:00 in Bucharest's zone
    words = found.to_dict("de", "Europe/Berlin")
    assert words["customer_time"].startswith("Ortszeit des Kunden: Di., 5. Mai, 08:00 bis 17:00 (")
    zones = number_zones(RUSSIAN)
    assert zones is not None
    for name in zones:
        assert not NIGHTS_AND_SUNDAYS.covers(found.send_at.astimezone(_zone(name)))


def test_zones_whose_quiet_hours_leave_no_moment_refuse_with_their_reason() -> None:
    # Twelve hours apart, so 20:00–08:00 is night in one of them all the time.
    zones = ("UTC", "Asia/Kamchatka")
    assert quiet_end(SATURDAY_NIGHT, zones, NIGHTS_AND_SUNDAYS) is None
    found = decide(now=SATURDAY_NIGHT, requested=None, zones=zones, quiet=NIGHTS_AND_SUNDAYS)
    assert found.verdict is Verdict.REFUSED and found.problem is not None
    assert found.problem.code == "quiet_hours.no_window"
    assert "immer Ruhezeit (20:00–08:00 Uhr und sonntags)" in found.problem.message("de")


def test_quiet_hours_that_end_inside_the_spring_gap_end_at_the_first_moment_after_it() -> None:
    # 29 March 2026: Berlin's clocks go from 02:00 to 03:00; 02:30 does not exist that night.
    hours = QuietHours.from_settings({"from": "22:00", "until": "02:30"}, "quiet_hours")
    ends = quiet_end(datetime(2026, 3, 28, 22, 0, tzinfo=UTC), ("Europe/Berlin",), hours)
    assert ends == datetime(2026, 3, 29, 1, 30, tzinfo=UTC)  # 03:30 CEST
    assert not hours.covers(ends.astimezone(_zone("Europe/Berlin")))


def test_without_a_number_yet_only_the_agent_s_time_is_shown() -> None:
    found = timing(SATURDAY_NIGHT, NIGHTS_AND_SUNDAYS, send_at="2026-05-04T09:30", number=None)
    assert found is not None and found.verdict is Verdict.SCHEDULED
    words = found.to_dict("de", "Europe/Berlin")
    assert words["agent_time"] == "Ihre Zeit: Mo., 4. Mai, 09:30" and words["customer_time"] is None
    assert timing(SATURDAY_NIGHT, NIGHTS_AND_SUNDAYS, number=None) is None


def _zone(name: str):  # type: ignore[no-untyped-def]
    from zoneinfo import ZoneInfo

    return ZoneInfo(name)
