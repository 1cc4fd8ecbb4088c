"""A tenant's quiet hours: when customers are not to be texted (scheduled sends wait them out).
Read and checked with the rest of the tenant's settings, every error naming its key."""

from __future__ import annotations

from datetime import time
from pathlib import Path
from typing import Any

import pytest

from smscompose import InvalidConfig
from smsrelay.settings import parse_settings
from tests.support.relaykit import relay_config


def quiet(tmp_path: Path, hours: Any) -> Any:
    return parse_settings(relay_config(quiet_hours=hours), data_dir=tmp_path).tenants["acme"]


def test_quiet_hours_across_midnight(tmp_path: Path) -> None:
    hours = quiet(tmp_path, {"from": "21:00", "until": "08:00"}).quiet_hours
    assert (hours.start, hours.end) == (time(21), time(8))
    assert hours.covers(time(23, 30)) and hours.covers(time(7, 59))
    assert not hours.covers(time(8)) and not hours.covers(time(12))


def test_quiet_hours_within_a_day_and_none_by_default(tmp_path: Path) -> None:
    lunch = quiet(tmp_path, {"from": "12:00", "until": "13:30"}).quiet_hours
    assert lunch.covers(time(12, 15)) and not lunch.covers(time(13, 30))
    assert parse_settings(relay_config(), data_dir=tmp_path).tenants["acme"].quiet_hours is None


@pytest.mark.parametrize(
    ("hours", "key"),
    [
        ({"from": "25:00", "until": "08:00"}, "tenants.acme.quiet_hours.from"),
        ({"from": "21:00"}, "tenants.acme.quiet_hours.until"),
        ({"from": "21:00", "until": "21:00"}, "tenants.acme.quiet_hours.until"),
        ({"from": "9pm", "until": "08:00"}, "tenants.acme.quiet_hours.from"),
        ({"from": "21:00", "until": "08:00", "zone": "x"}, "tenants.acme.quiet_hours.zone"),
        ("21-8", "tenants.acme.quiet_hours"),
    ],
)
def test_wrong_quiet_hours_name_their_key(tmp_path: Path, hours: Any, key: str) -> None:
    with pytest.raises(InvalidConfig) as error:
        quiet(tmp_path, hours)
    assert error.value.key == key
