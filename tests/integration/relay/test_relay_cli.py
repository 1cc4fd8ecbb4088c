"""The relay's command line: minting tokens and refusing a broken configuration."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from smsrelay.auth import verify_token
from smsrelay.settings import load_settings


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "smsrelay", *args],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_token_mints_a_token_the_relay_accepts() -> None:
    result = run("token", "--tenant", "demo", "--agent", "alice", "--queue", "service")
    assert result.returncode == 0
    agent = verify_token(load_settings(), result.stdout.strip())
    assert (agent.tenant, agent.id, agent.queues) == ("demo", "alice", ("service",))


def test_token_refuses_unknown_tenants_and_queues() -> None:
    assert run("token", "--tenant", "nope", "--agent", "a").returncode == 2
    unknown_queue = run("token", "--tenant", "demo", "--agent", "a", "--queue", "nope")
    assert unknown_queue.returncode == 2 and "nope" in unknown_queue.stderr


def test_serve_refuses_a_broken_configuration_naming_the_key(tmp_path: Path) -> None:
    config = tmp_path / "relay.toml"
    config.write_text(
        '[tenants.x]\nmax_segments = "ten"\n'
        '[tenants.x.token_secrets]\nk = "0123456789abcdef0123456789abcdef"\n'
    )
    result = run("serve", "--config", str(config))
    assert result.returncode == 2
    assert "tenants.x.max_segments" in result.stderr
    assert "Traceback" not in result.stderr


def test_serve_refuses_an_unknown_gateway_type_naming_the_key(tmp_path: Path) -> None:
    config = tmp_path / "relay.toml"
    config.write_text(
        '[gateways.loft]\ntype = "carrier-pigeon"\n'
        '[tenants.x.token_secrets]\nk = "0123456789abcdef0123456789abcdef"\n'
    )
    result = run("serve", "--config", str(config), "--data-dir", str(tmp_path / "data"))
    assert result.returncode == 2
    assert result.stderr.startswith("smsrelay: configuration error: gateways.loft.type: ")
    assert "carrier-pigeon" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "data").exists()  # refused before anything was opened
