"""The TOML configuration: the embedded demo works, and every mistake names its key."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from smscompose import InvalidConfig
from smsrelay.bootstrap import build_gateways
from smsrelay.gateways.options import RelayEndpoint
from smsrelay.gateways.registry import build_gateway
from smsrelay.gateways.smpp.options import SmppOptions
from smsrelay.settings import load_settings, parse_settings
from tests.support.relaykit import relay_config


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
    """Settings made in code skip the reader's check: the bootstrap must not pick some gateway
    for a type it does not know (it used to build an SMPP client)."""
    relay = RelayEndpoint("http://relay.test", "callback-secret-0123456789-0123456789")
    smpp_like = SmppOptions(host="127.0.0.1", port=2775, system_id="relay", password="pw")
    with pytest.raises(InvalidConfig) as error:
        build_gateway("loft", "carrier-pigeon", smpp_like, relay)
    assert error.value.key == "gateways.loft.type"
    assert "carrier-pigeon" in error.value.detail


KANNEL = {"type": "kannel", "sendsms_url": "http://x", "username": "u", "password": "p"}
SMPP = {"type": "smpp", "host": "smsc", "port": 2775, "system_id": "relay", "password": "pw"}
TWILIO = {"type": "twilio", "account_sid": "AC1", "auth_token": "token"}


@pytest.mark.parametrize(
    ("section", "key"),
    [
        ({**KANNEL, "sendsms_url": None}, "gateways.g.sendsms_url"),
        ({**KANNEL, "password": 1234}, "gateways.g.password"),
        ({**KANNEL, "passwrod": "p"}, "gateways.g.passwrod"),
        ({**KANNEL, "timeout": "10"}, "gateways.g.timeout"),
        ({**KANNEL, "dlr_url": "http://elsewhere"}, "gateways.g.dlr_url"),
        ({**SMPP, "port": "2775"}, "gateways.g.port"),
        ({**SMPP, "host": None}, "gateways.g.host"),
        ({**SMPP, "system_id": "a-system-id-that-is-too-long"}, "gateways.g.system_id"),
        ({**SMPP, "password": "ninechars"}, "gateways.g.password"),
        ({**SMPP, "submit_timeout": 0}, "gateways.g.submit_timeout"),
        ({**SMPP, "max_in_flight": True}, "gateways.g.max_in_flight"),
        ({**SMPP, "short_code_ton_npi": [3]}, "gateways.g.short_code_ton_npi"),
        ({**SMPP, "transient_statuses": [88, "x"]}, "gateways.g.transient_statuses[1]"),
        ({**TWILIO, "auth_token": ""}, "gateways.g.auth_token"),
        ({**TWILIO, "base_url": "ftp://api.twilio.com"}, "gateways.g.base_url"),
        ({**TWILIO, "timeout": -1}, "gateways.g.timeout"),
        ({"type": "sandbox", "delivery_delay_ms": 1.5}, "gateways.g.delivery_delay_ms"),
    ],
)  # fmt: skip
def test_a_gateway_option_mistake_names_its_key(section: dict[str, Any], key: str) -> None:
    config = relay_config()
    config["gateways"]["g"] = {k: v for k, v in section.items() if v is not None}
    with pytest.raises(InvalidConfig) as error:
        parse_settings(config)
    assert error.value.key == key


def test_gateway_options_are_typed_with_their_defaults() -> None:
    config = relay_config()
    config["gateways"].update(
        {"k": {**KANNEL, "smsc": "a"}, "s": {**SMPP, "transient_statuses": [88]}, "t": TWILIO}
    )
    gateways = parse_settings(config).gateways
    kannel, smpp, twilio = gateways["k"].options, gateways["s"].options, gateways["t"].options
    assert (kannel.sendsms_url, kannel.smsc, kannel.timeout) == ("http://x", "a", 10.0)
    assert (smpp.port, smpp.short_code_ton_npi, smpp.transient_statuses) == (2775, (3, 0), (88,))
    assert (twilio.base_url, twilio.timeout) == ("https://api.twilio.com", 10.0)
    assert "token" not in repr(twilio) and "pw" not in repr(smpp)


@pytest.mark.parametrize(
    ("relay", "key"),
    [
        ({"callback_secret": "short"}, "relay.callback_secret"),
        ({"public_url": "https://relay_host.example.com"}, "relay.public_url"),
    ],
)
def test_relay_settings_a_gateway_needs_are_named_when_it_is_built(
    relay: dict[str, str], key: str
) -> None:
    config = relay_config()
    config["relay"].update(relay)
    config["gateways"].update({"k": KANNEL, "t": TWILIO})
    settings = parse_settings(config)
    with pytest.raises(InvalidConfig) as error:
        build_gateways(settings)
    assert error.value.key == key
