"""Reading the agent's configuration as the relay sends it."""

from __future__ import annotations

import json
from typing import Any

import pytest

from smscompose import ComposeConfig, InvalidConfig


def relay_answer() -> dict[str, Any]:
    return {
        "sms_enabled": True,
        "language": "de",
        "default_region": "DE",
        "max_segments": 5,
        "allowed_countries": ["DE", "AT"],
        "queues": [
            {
                "id": "support",
                "name": "Support",
                "senders": [{"address": "+49 89 123456", "label": "Hotline"}, {"address": "ACME"}],
            },
        ],
        "templates": [{"id": "hi", "name": "Hi", "text": "Hello", "language": "en"}],
        "shift_tables": {"+49 89 123456": {"locking": ["tr"], "single": ["tr", "es"]}},
    }


def test_a_relay_answer_becomes_a_config_and_back() -> None:
    config = ComposeConfig.from_dict(relay_answer())
    assert config.queues[0].senders[0].value == "+4989123456"
    assert config.tables_for("+4989123456").single == ("tr", "es")
    assert config.allowed_countries == frozenset({"DE", "AT"})
    again = ComposeConfig.from_dict(json.loads(json.dumps(config.to_dict())))
    assert again == config


def test_defaults_for_what_is_left_out() -> None:
    config = ComposeConfig.from_dict({})
    assert (config.sms_enabled, config.max_segments, config.default_region) == (True, 10, "DE")
    assert config.allowed_countries is None


def set_key(data: dict[str, Any], path: list[Any], value: Any) -> dict[str, Any]:
    target: Any = data
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return data


@pytest.mark.parametrize(
    ("path", "value", "key"),
    [
        (["max_segments"], "ten", "max_segments"),
        (["max_segments"], 0, "max_segments"),
        (["max_segments"], True, "max_segments"),
        (["queues"], {"id": "x"}, "queues"),
        (["queues", 0, "id"], None, "queues[0].id"),
        (["queues", 0, "senders", 1, "address"], "Way Too Long Sender", "queues[0].senders[1]"),
        (["templates", 0, "text"], 42, "templates[0].text"),
        (["allowed_countries"], ["DE", 49], "allowed_countries[1]"),
        # A key that is not a bare TOML key is quoted, so the path stays readable.
        (
            ["shift_tables", "+49 89 123456", "locking"],
            ["es"],
            'shift_tables."+49 89 123456".locking[0]',
        ),
        (["allowed_number_types"], ["mobile", "landline"], "allowed_number_types[1]"),
    ],
)
def test_a_broken_config_names_the_bad_key(path: list[Any], value: Any, key: str) -> None:
    with pytest.raises(InvalidConfig) as error:
        ComposeConfig.from_dict(set_key(relay_answer(), path, value))
    assert error.value.key.startswith(key)


def test_duplicate_ids_are_refused() -> None:
    data = relay_answer()
    data["templates"].append({"id": "hi", "text": "again"})
    with pytest.raises(InvalidConfig) as error:
        ComposeConfig.from_dict(data)
    assert error.value.key == "templates[1].id"
