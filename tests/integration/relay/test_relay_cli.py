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


def test_token_mints_a_token_the_relay_accepts(tmp_path: Path) -> None:
    data = str(tmp_path / "data")
    result = run(
        "token", "--tenant", "demo", "--agent", "alice", "--queue", "service", "--data-dir", data
    )
    assert result.returncode == 0
    agent = verify_token(load_settings(), result.stdout.strip())
    assert (agent.tenant, agent.id, agent.queues) == ("demo", "alice", ("service",))


def test_token_admin_mints_the_tenant_administrators_token(tmp_path: Path) -> None:
    data = ("--data-dir", str(tmp_path / "data"))
    admin = run("token", "--tenant", "demo", "--agent", "boss", "--admin", *data)
    agent = run("token", "--tenant", "demo", "--agent", "alice", *data)
    assert admin.returncode == 0 and agent.returncode == 0
    settings = load_settings()
    assert verify_token(settings, admin.stdout.strip()).is_admin
    assert not verify_token(settings, agent.stdout.strip()).is_admin


def test_token_refuses_unknown_tenants_and_queues(tmp_path: Path) -> None:
    data = ("--data-dir", str(tmp_path / "data"))
    assert run("token", "--tenant", "nope", "--agent", "a", *data).returncode == 2
    unknown_queue = run("token", "--tenant", "demo", "--agent", "a", "--queue", "nope", *data)
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


def write_config(tmp_path: Path) -> Path:
    config = tmp_path / "relay.toml"
    config.write_text(
        "[tenants.acme]\nmax_segments = 3\n"
        '[[tenants.acme.senders]]\naddress = "ACME"\n'
        '[[tenants.acme.queues]]\nid = "service"\nsenders = ["ACME"]\n'
        '[[tenants.acme.templates]]\nid = "hi"\ntext = "Hallo"\n'
        '[tenants.acme.token_secrets]\nk1 = "0123456789abcdef0123456789abcdef"\n'
    )
    return config


def test_tenants_are_exported_imported_and_listed_through_the_database(tmp_path: Path) -> None:
    config = write_config(tmp_path)
    where = ("--config", str(config), "--data-dir", str(tmp_path / "data"))
    exported = run("tenants", "export", *where)
    assert exported.returncode == 0, exported.stderr
    assert "[tenants.acme]" in exported.stdout and "0123456789abcdef" not in exported.stdout
    edited = tmp_path / "tenants.toml"
    edited.write_text(exported.stdout.replace('text = "Hallo"', 'text = "Guten Tag"'))
    imported = run("tenants", "import", str(edited), "--comment", "friendlier", *where)
    assert imported.returncode == 0, imported.stderr
    assert imported.stdout.strip() == "acme: revision 2"
    again = run("tenants", "import", str(edited), *where)
    assert again.stdout.strip() == "acme: unchanged"
    listed = run("tenants", "list", *where)
    assert listed.stdout.startswith("acme\tactive\trevision 2\tcli\t")
    # The database is in force now: the relay.toml's old template is not.
    assert 'text = "Guten Tag"' in run("tenants", "export", *where).stdout


def test_a_broken_import_names_the_key_and_changes_nothing(tmp_path: Path) -> None:
    config = write_config(tmp_path)
    where = ("--config", str(config), "--data-dir", str(tmp_path / "data"))
    broken = tmp_path / "tenants.toml"
    broken.write_text('[tenants.acme]\nmax_segments = "ten"\n')
    result = run("tenants", "import", str(broken), *where)
    assert result.returncode == 2
    assert "tenants.acme.max_segments" in result.stderr and "Traceback" not in result.stderr
    assert "revision 1" in run("tenants", "list", *where).stdout
