"""The QA kit's relay (smspanel_testing.relay, behind the pytest plugin's sms_relay fixture):
a real relay process on a free port with its own data folder, the suite's host page allowed,
tokens the relay accepts, a reset that forgets what was stored, and a clear error instead of a
hang when the relay cannot start."""

from __future__ import annotations

import json
import os
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from smspanel_testing.relay import RelayError, RelayProcess

HOST = "http://localhost:48123"
DRAFT = {"version": 1, "queue_id": "service", "to": "0151 1234", "text": "Geparkt", "from": "ACME"}


def call(url: str, token: str, *, method: str = "GET", body: object = None) -> tuple[int, dict]:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, method=method, data=data)
    request.add_header("Authorization", f"Bearer {token}")
    request.add_header("Content-Type", "application/json")
    request.add_header("Origin", HOST)
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            return answer.status, {
                **json.load(answer),
                "cors": answer.headers.get("access-control-allow-origin"),
            }
    except urllib.error.HTTPError as error:
        return error.code, json.load(error)


@pytest.fixture(scope="module")
def relay(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RelayProcess]:
    process = RelayProcess(tmp_path_factory.mktemp("relay"), allowed_origins=[HOST]).start()
    yield process
    process.stop()


def test_the_demo_relay_runs_on_its_own_port_and_allows_the_suites_host(
    relay: RelayProcess,
) -> None:
    status, inbox = call(f"{relay.url}/v1/drafts", relay.token("alice"))
    assert (status, inbox["items"], inbox["cors"]) == (200, [], HOST)
    assert relay.tenants == ["demo"]
    assert f'public_url = "{relay.url}"' in relay.config_path.read_text("utf-8")


def test_admin_tokens_reach_the_admin_api_and_agent_tokens_do_not(relay: RelayProcess) -> None:
    tenant = f"{relay.url}/v1/admin/tenants/demo"
    assert call(tenant, relay.admin_token())[0] == 200
    status, error = call(tenant, relay.token("alice"))
    assert (status, error["code"]) == (403, "admin.not_admin")


def test_reset_forgets_what_was_stored_and_keeps_the_url(relay: RelayProcess) -> None:
    url, pid = relay.url, relay.pid
    assert (
        call(f"{relay.url}/v1/drafts", relay.token("bob"), method="POST", body={"draft": DRAFT})[0]
        == 201
    )
    relay.reset()
    assert relay.url == url and relay.pid != pid
    assert call(f"{relay.url}/v1/drafts", relay.token("bob"))[1]["items"] == []


def test_stop_ends_the_process_by_its_pid(tmp_path: Path) -> None:
    process = RelayProcess(tmp_path).start()
    pid = process.pid
    assert pid is not None
    process.stop()
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)


def test_a_broken_configuration_is_named_not_waited_for(tmp_path: Path) -> None:
    config = tmp_path / "relay.toml"
    config.write_text(
        '[tenants.x]\nmax_segments = "ten"\n[tenants.x.token_secrets]\nk = "0123456789abcdef0123456789abcdef"\n'
    )
    process = RelayProcess(tmp_path / "data", config=config, startup_timeout=30)
    with pytest.raises(RelayError) as error:
        process.start()
    message = str(error.value)
    assert "exited with code 2 before it was ready" in message
    assert "tenants.x.max_segments" in message and "Traceback" not in message
    assert process.pid is None


def test_a_missing_configuration_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(RelayError, match=r"cannot read the relay configuration .*nope\.toml"):
        RelayProcess(tmp_path, config=tmp_path / "nope.toml").start()


def test_tokens_for_an_unknown_tenant_are_refused_by_name(relay: RelayProcess) -> None:
    with pytest.raises(RelayError, match="no tenant 'acme'"):
        relay.token("alice", tenant="acme")
