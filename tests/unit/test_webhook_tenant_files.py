"""Webhooks' signing secrets on the way in and out of the database: seeded from the configuration
file (or made), loaded with the tenants, never exported, kept, replaced or made by an import."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from smsrelay.settings import parse_settings
from smsrelay.storage.memory import MemoryStore
from smsrelay.tenants.directory import TenantDirectory
from smsrelay.tenants.files import export_toml, import_toml
from smsrelay.tenants.sync import TenantSync
from smsrelay.tenants.webhooks import new_secret
from tests.support.relay_process import toml_text
from tests.support.relaykit import relay_config

NOW = 1_700_000_000_000
GIVEN = new_secret()


def started(config: dict[str, Any], store: MemoryStore, tmp_path: Path) -> TenantSync:
    settings = parse_settings(config, data_dir=tmp_path, source="relay.toml")
    sync = TenantSync(
        store,
        TenantDirectory(settings.gateways),
        documents=settings.tenant_documents,
        source=settings.source,
        clock=lambda: NOW,
    )
    sync.start()
    return sync


def test_a_configuration_files_secret_seeds_the_database_and_the_relay_signs_with_it(
    tmp_path: Path,
) -> None:
    config = relay_config(
        webhooks=[
            {"id": "crm", "url": "https://crm.example/", "secret": GIVEN},
            {"id": "erp", "url": "https://erp.example/"},
        ]
    )
    store = MemoryStore()
    sync = started(config, store, tmp_path)
    secrets = sync.directory.webhook_secrets["acme"]
    assert secrets["crm"] == (GIVEN,)
    assert secrets["erp"][0].startswith("whsec_") and secrets["erp"][0] != GIVEN
    assert [e.id for e in sync.directory["acme"].webhooks] == ["crm", "erp"]
    exported = export_toml(store.current_tenants())
    assert "whsec_" not in exported and "[[tenants.acme.webhooks]]" in exported


def test_an_import_keeps_replaces_or_makes_secrets_and_says_which_it_made(tmp_path: Path) -> None:
    config = relay_config(webhooks=[{"id": "crm", "url": "https://crm.example/", "secret": GIVEN}])
    store = MemoryStore()
    sync = started(config, store, tmp_path)
    tenant = dict(config["tenants"]["acme"])
    without = {**tenant, "webhooks": [{"id": "crm", "url": "https://crm.example/"}]}
    same = import_toml(
        toml_text({"tenants": {"acme": without}}),
        store,
        sync.directory,
        author="t",
        comment=None,
        now=NOW,
    )
    assert [(i.tenant, i.revision) for i in same] == [("acme", None)]  # kept: nothing to save
    added = {
        **tenant,
        "webhooks": [
            {"id": "crm", "url": "https://crm.example/"},
            {"id": "erp", "url": "https://erp.example/"},
        ],
    }
    (saved,) = import_toml(
        toml_text({"tenants": {"acme": added}}),
        store,
        sync.directory,
        author="t",
        comment=None,
        now=NOW,
    )
    assert saved.revision == 2 and list(saved.new_webhook_secrets) == ["erp"]
    assert store.webhook_secrets()["acme"]["crm"] == (GIVEN,)
    other = new_secret()
    replaced = {
        **added,
        "webhooks": [{"id": "crm", "url": "https://crm.example/", "secret": other}],
    }
    (saved,) = import_toml(
        toml_text({"tenants": {"acme": replaced}}),
        store,
        sync.directory,
        author="t",
        comment=None,
        now=NOW,
    )
    assert saved.new_webhook_secrets == {}
    assert store.webhook_secrets()["acme"] == {"crm": (other,)}  # erp's went with its webhook
