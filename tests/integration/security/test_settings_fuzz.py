"""The relay's configuration loader against arbitrary TOML-ish data: it gives a settings object
(whose gateways can be built) or an InvalidConfig that names the key, never another exception.

Most generated documents are a working configuration with one value swapped, added or taken
out somewhere deep, so the fuzzing reaches every section and not just the top-level check."""

from __future__ import annotations

import copy
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from smscompose import InvalidConfig
from smscompose.config import key_name
from smsrelay.bootstrap import build_gateways
from smsrelay.settings import RelaySettings, parse_settings
from tests.support.relaykit import relay_config

KEYS = ["relay", "gateways", "tenants", "type", "address", "senders", "queues", "templates",
        "token_secrets", "max_segments", "allowed_countries", "callback_secret", "public_url",
        "gateway", "locking", "single", "id", "text", "sendsms_url", "password", "port"]  # fmt: skip

# TOML has strings, integers, floats, booleans, dates and times, arrays and tables.
toml_scalars = (
    st.text(max_size=40)
    | st.integers()
    | st.floats()
    | st.booleans()
    | st.datetimes()
    | st.dates()
    | st.times()
)
toml_values = st.recursive(
    toml_scalars,
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(st.sampled_from(KEYS) | st.text(max_size=12), inner, max_size=3)
    ),
    max_leaves=12,
)


def base() -> dict[str, Any]:
    config = relay_config()
    config["gateways"]["kannel1"] = {
        "type": "kannel",
        "sendsms_url": "http://127.0.0.1:13013/cgi-bin/sendsms",
        "username": "relay",
        "password": "secret",
    }
    config["gateways"]["tw"] = {"type": "twilio", "account_sid": "AC1", "auth_token": "tok"}
    config["gateways"]["smsc"] = {"type": "smpp", "host": "127.0.0.1", "port": 2775,
                                  "system_id": "relay", "password": "pw"}  # fmt: skip
    return config


def paths(value: Any, prefix: tuple = ()) -> list[tuple]:
    found = [prefix]
    if isinstance(value, dict):
        for key, item in value.items():
            found += paths(item, (*prefix, key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            found += paths(item, (*prefix, i))
    return found


@st.composite
def mutated(draw: st.DrawFn) -> dict[str, Any]:
    config = base()
    for _ in range(draw(st.integers(1, 3))):
        path = draw(st.sampled_from(paths(config)[1:]))
        parent = config
        for step in path[:-1]:
            parent = parent[step]
        action = draw(st.sampled_from(["replace", "delete", "add"]))
        if action == "replace":
            parent[path[-1]] = draw(toml_values)
        elif action == "delete":
            del parent[path[-1]]
        elif isinstance(parent, dict):
            parent[draw(st.sampled_from(KEYS) | st.text(max_size=12))] = draw(toml_values)
        if not paths(config)[1:]:
            break
    return config


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(mutated() | st.dictionaries(st.sampled_from(KEYS) | st.text(max_size=10), toml_values))
def test_any_configuration_is_read_or_refused_naming_the_key(data: dict[str, Any]) -> None:
    original = copy.deepcopy(data)
    try:
        relay = parse_settings(data, source="fuzz", data_dir=Path("/nonexistent"))
        assert isinstance(relay, RelaySettings)
        build_gateways(relay)
    except InvalidConfig as error:
        assert error.key, error
        assert error.detail, error
        sections = {key_name(k) for k in data} | {"relay", "gateways", "tenants"}
        assert any(error.key.startswith(s) for s in sections), error
        # The message an administrator reads starts with the key.
        assert str(error).startswith(f"{error.key}: ")
    assert data == original  # reading never changes what it was given


def test_the_unmutated_base_configuration_is_valid() -> None:
    relay = parse_settings(base(), data_dir=Path("/nonexistent"))
    assert set(build_gateways(relay)) == {"sandbox", "kannel1", "tw", "smsc"}


@settings(max_examples=200, deadline=None)
@given(
    st.text(max_size=200) | st.sampled_from(["[relay]\npublic_url = 1", '"" = 1', "[[tenants]]"])
)
def test_any_file_is_read_or_refused_with_a_reason(text: str) -> None:
    from smsrelay.settings import load_settings

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "relay.toml"
        path.write_text(text, "utf-8", errors="surrogatepass")
        try:
            load_settings(path)
        except InvalidConfig as error:
            assert error.key and error.detail
