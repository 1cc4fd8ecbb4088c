"""A tenant's quiet hours: read and checked with the rest of the tenant's settings (the compose
core's rules, tests/unit/core/test_quiet_hours_rules.py), every error naming its key, and
handed to the panel in the agent's compose configuration."""

from __future__ import annotations

from datetime import time
from pathlib import Path
from typing import Any

import pytest

from smscompose import InvalidConfig
from smscompose.quiet_hours import QuietMode
from smsrelay.settings import parse_settings
from tests.support.relaykit import relay_config


def quiet(tmp_path: Path, hours: Any) -> Any:
    return parse_settings(relay_config(quiet_hours=hours), data_dir=tmp_path).tenants["acme"]


def test_quiet_hours_are_read_with_the_tenant_and_reach_the_compose_configuration(
    tmp_path: Path,
) -> None:
    tenant = quiet(tmp_path, {"from": "21:00", "until": "08:00", "days": ["sun"], "mode": "refuse"})
    hours = tenant.quiet_hours
    assert (hours.start, hours.end, hours.days, hours.mode) == (
        time(21),
        time(8),
        frozenset({6}),
        QuietMode.REFUSE,
    )
    assert tenant.compose_config().to_dict()["quiet_hours"] == {
        "from": "21:00",
        "until": "08:00",
        "days": ["sun"],
        "mode": "refuse",
    }


def test_no_quiet_hours_by_default(tmp_path: Path) -> None:
    tenant = parse_settings(relay_config(), data_dir=tmp_path).tenants["acme"]
    assert tenant.quiet_hours is None and tenant.compose_config().quiet_hours is None


@pytest.mark.parametrize(
    ("hours", "key"),
    [
        ({"from": "25:00", "until": "08:00"}, "tenants.acme.quiet_hours.from"),
        ({"from": "21:00"}, "tenants.acme.quiet_hours.until"),
        ({"from": "21:00", "until": "08:00", "zone": "x"}, "tenants.acme.quiet_hours.zone"),
        ({"days": ["sunday"]}, "tenants.acme.quiet_hours.days[0]"),
        ({"days": ["sun"], "mode": "later"}, "tenants.acme.quiet_hours.mode"),
        ("21-8", "tenants.acme.quiet_hours"),
    ],
)
def test_wrong_quiet_hours_name_their_key(tmp_path: Path, hours: Any, key: str) -> None:
    with pytest.raises(InvalidConfig) as error:
        quiet(tmp_path, hours)
    assert error.value.key == key
