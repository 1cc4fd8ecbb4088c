"""smscompose.quiet_hours: a tenant's quiet hours read and checked (every error naming its key),
and which local moments they cover."""

from __future__ import annotations

from datetime import datetime, time
from typing import Any

import pytest

from smscompose import ComposeConfig, InvalidConfig
from smscompose.quiet_hours import QuietHours, QuietMode

SATURDAY = datetime(2026, 5, 2)


def read(data: Any) -> QuietHours:
    return QuietHours.from_settings(data, "tenants.acme.quiet_hours")


def test_a_window_across_midnight_and_sundays() -> None:
    hours = read({"from": "20:00", "until": "08:00", "days": ["sun"]})
    assert (hours.start, hours.end, hours.days, hours.mode) == (
        time(20),
        time(8),
        frozenset({6}),
        QuietMode.HOLD,
    )
    assert hours.covers(SATURDAY.replace(hour=23, minute=30))
    assert hours.covers(SATURDAY.replace(day=4, hour=7, minute=59))  # Monday morning
    assert hours.covers(SATURDAY.replace(day=3, hour=12))  # Sunday noon
    assert not hours.covers(SATURDAY.replace(hour=8))
    assert not hours.covers(SATURDAY.replace(hour=19, minute=59))


def test_a_window_within_a_day_days_alone_and_the_tenants_choice() -> None:
    lunch = read({"from": "12:00", "until": "13:30", "mode": "refuse"})
    assert lunch.covers(SATURDAY.replace(hour=12, minute=15)) and lunch.mode is QuietMode.REFUSE
    assert not lunch.covers(SATURDAY.replace(hour=13, minute=30))
    weekend = read({"days": ["sat", "sun"]})
    assert weekend.covers(SATURDAY.replace(hour=10)) and not weekend.covers(SATURDAY.replace(day=4))


def test_they_are_worded_for_the_agent_in_german_and_english() -> None:
    hours = read({"from": "20:00", "until": "08:00", "days": ["sat", "sun"]})
    assert hours.describe("de") == "20:00–08:00 Uhr und samstags, sonntags"
    assert hours.describe("en") == "20:00–08:00 and on Saturdays, Sundays"
    assert read({"days": ["sun"]}).describe("en") == "on Sundays"


def test_they_travel_in_the_compose_configuration_unchanged() -> None:
    hours = read({"from": "21:00", "until": "07:30", "days": ["sun"], "mode": "refuse"})
    assert hours.to_dict() == {"from": "21:00", "until": "07:30", "days": ["sun"], "mode": "refuse"}
    config = ComposeConfig(quiet_hours=hours)
    assert ComposeConfig.from_dict(config.to_dict()).quiet_hours == hours
    assert ComposeConfig.from_dict(ComposeConfig().to_dict()).quiet_hours is None


@pytest.mark.parametrize(
    ("hours", "key"),
    [
        ({"from": "25:00", "until": "08:00"}, "tenants.acme.quiet_hours.from"),
        ({"from": "21:00"}, "tenants.acme.quiet_hours.until"),
        ({"until": "08:00"}, "tenants.acme.quiet_hours.from"),
        ({"from": "21:00", "until": "21:00"}, "tenants.acme.quiet_hours.until"),
        ({"from": "9pm", "until": "08:00"}, "tenants.acme.quiet_hours.from"),
        ({"from": "21:00", "until": "08:00", "zone": "x"}, "tenants.acme.quiet_hours.zone"),
        ({"days": ["sun", "Sunday"]}, "tenants.acme.quiet_hours.days[1]"),
        ({"days": ["sun", "sun"]}, "tenants.acme.quiet_hours.days[1]"),
        ({"days": "sun"}, "tenants.acme.quiet_hours.days"),
        (
            {"days": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]},
            "tenants.acme.quiet_hours.days",
        ),
        ({"days": ["sun"], "mode": "drop"}, "tenants.acme.quiet_hours.mode"),
        ({"mode": "hold"}, "tenants.acme.quiet_hours"),
        ("21-8", "tenants.acme.quiet_hours"),
    ],
)
def test_wrong_quiet_hours_name_their_key(hours: Any, key: str) -> None:
    with pytest.raises(InvalidConfig) as error:
        read(hours)
    assert error.value.key == key


def test_a_compose_configuration_with_bad_quiet_hours_names_the_key() -> None:
    with pytest.raises(InvalidConfig) as error:
        ComposeConfig.from_dict({"quiet_hours": {"from": "20:00", "until": "8"}})
    assert error.value.key == "quiet_hours.until"
