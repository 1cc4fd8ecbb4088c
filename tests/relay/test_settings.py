"""The TOML configuration: the embedded demo works, and every mistake names its key."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from smscompose import InvalidConfig
from smsrelay.gateways.factory import build_gateway
from smsrelay.settings import GatewaySettings, load_settings, parse_settings
from tests.relay.relaykit import relay_config


def test_the_embedded_demo_has_what_the_readme_promises() -> None:
    settings = load_settings()
    demo = settings.tenants["demo"]
    assert len(demo.queues) == 2 and len(demo.templates) == 3
    assert any("{{" in t.text for t in demo.templates)
    kinds = sorted(s.address.kind for s in demo.senders.values())
    assert kinds == ["alphanumeric", "number", "number"]
    assert demo.max_segments == 10
    assert settings.database_url.startswith("sqlite:///")
    assert {g.type for g in settings.gateways.values()} == {"sandbox"}


def broken(path: list[Any], value: Any) -> dict[str, Any]:
    config = copy.deepcopy(relay_config())
    target: Any = config
    for key in path[:-1]:
        target = target[key]
    if value is KeyError:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return config


@pytest.mark.parametrize(
    ("path", "value", "key"),
    [
        (["relay", "public_urll"], "x", "relay.public_urll"),
        (["tenants", "acme", "max_segmnets"], 3, "tenants.acme.max_segmnets"),
        (["tenants", "acme", "max_segments"], 0, "tenants.acme.max_segments"),
        (["tenants", "acme", "queues", 1, "senders"], ["+49111"], "tenants.acme.queues[1].senders[0]"),
        (["tenants", "acme", "senders", 1, "address"], "TOO-LONG-SENDER", "tenants.acme.senders[1].address"),
        (["tenants", "acme", "senders", 0, "gateway"], "ghost", "tenants.acme.senders[0].gateway"),
        (["tenants", "acme", "senders", 2, "locking"], ["xx"], "tenants.acme.senders[2].locking"),
        (["tenants", "acme", "token_secrets"], {"k": "short"}, "tenants.acme.token_secrets"),
        (["tenants", "acme", "token_secrets"], {}, "tenants.acme.token_secrets"),
        (["tenants", "acme", "allowed_number_types"], ["mobile", "fax"], "tenants.acme.allowed_number_types[1]"),
        (["tenants", "acme", "templates", 0, "text"], KeyError, "tenants.acme.templates[0].text"),
        (["gateways", "sandbox", "type"], "carrier-pigeon", "gateways.sandbox.type"),
    ],
)  # fmt: skip
def test_a_mistake_names_its_key(path: list[Any], value: Any, key: str) -> None:
    with pytest.raises(InvalidConfig) as error:
        parse_settings(broken(path, value))
    assert error.value.key.startswith(key)


def test_national_tables_need_a_gateway_that_can_send_them() -> None:
    config = relay_config()
    config["gateways"]["kannel"] = {
        "type": "kannel",
        "sendsms_url": "http://x",
        "username": "u",
        "password": "p",
    }
    config["tenants"]["acme"]["senders"][2]["gateway"] = "kannel"
    with pytest.raises(InvalidConfig) as error:
        parse_settings(config)
    assert error.value.key == "tenants.acme.senders[2].gateway"
    assert "national language" in error.value.detail


def test_an_unknown_gateway_type_is_refused_naming_the_key() -> None:
    with pytest.raises(InvalidConfig) as error:
        parse_settings(broken(["gateways", "sandbox", "type"], "carrier-pigeon"))
    assert error.value.key == "gateways.sandbox.type"
    assert "carrier-pigeon" in error.value.detail


def test_building_a_gateway_of_an_unknown_type_is_refused_naming_the_key() -> None:
    """Settings made in code skip the reader's check: the factory must not pick some gateway
    for a type it does not know (it used to build an SMPP client)."""
    settings = parse_settings(relay_config())
    smpp_like = {"host": "127.0.0.1", "port": 2775, "system_id": "relay", "password": "pw"}
    pigeon = GatewaySettings(name="loft", type="carrier-pigeon", options=smpp_like)
    with pytest.raises(InvalidConfig) as error:
        build_gateway(pigeon, settings)
    assert error.value.key == "gateways.loft.type"
    assert "carrier-pigeon" in error.value.detail
