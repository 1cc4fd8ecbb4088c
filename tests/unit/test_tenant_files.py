"""Tenants to and from TOML (``smsrelay tenants export|import``) and the directory a relay serves
them from, on the in-memory store: seeded once from the configuration file, then the
database's revisions in force; an import is checked whole before anything is saved."""

from __future__ import annotations

import logging
import tomllib
from pathlib import Path

import pytest

from smscompose import InvalidConfig
from smsrelay.settings import RelaySettings, parse_settings
from smsrelay.storage.memory import MemoryStore
from smsrelay.storage.tenants import NewRevision, TenantState
from smsrelay.tenants.directory import TenantDirectory
from smsrelay.tenants.files import export_toml, import_toml
from smsrelay.tenants.sync import TenantSync
from tests.support.relaykit import SECRET, relay_config

NOW = 1_700_000_000_000


@pytest.fixture
def settings(tmp_path: Path) -> RelaySettings:
    return parse_settings(relay_config(), data_dir=tmp_path, source="relay.toml")


def started(settings: RelaySettings, store: MemoryStore) -> TenantSync:
    sync = TenantSync(
        store,
        TenantDirectory(settings.gateways),
        documents=settings.tenant_documents,
        source=settings.source,
        clock=lambda: NOW,
    )
    sync.start()
    return sync


def test_the_configuration_seeds_a_new_database_and_the_database_wins_after(
    settings: RelaySettings, caplog: pytest.LogCaptureFixture
) -> None:
    store = MemoryStore()
    sync = started(settings, store)
    assert sorted(sync.directory) == ["acme", "other"]
    assert sync.directory["acme"].token_secrets == settings.tenants["acme"].token_secrets
    assert {r.author for r in store.current_tenants()} == {"config:relay.toml"}
    # An administrator changes a template; a relay started later with the old file serves it.
    acme = store.current_tenants()[0]
    templates = [{"id": "hi", "name": "Hi", "text": "Guten Tag"}]
    store.save_revision(
        NewRevision(
            "acme",
            acme.revision,
            TenantState.ACTIVE,
            {**acme.document, "templates": templates},
            "alice",
            "friendlier",
            NOW,
        )
    )
    with caplog.at_level(logging.WARNING, "smsrelay.tenants"):
        later = started(settings, store)
    assert later.directory["acme"].templates[0].text == "Guten Tag"
    assert "disagrees with the database about tenant acme" in caplog.text
    assert "revision 2 (by alice)" in caplog.text


def test_a_change_is_picked_up_by_the_next_look_and_only_then(settings: RelaySettings) -> None:
    store = MemoryStore()
    sync = started(settings, store)
    assert not sync.refresh()
    acme = store.current_tenants()[0]
    store.save_revision(
        NewRevision("acme", 1, TenantState.DISABLED, acme.document, "ops", None, NOW)
    )
    assert sync.refresh()
    assert "acme" not in sync.directory and "other" in sync.directory


def test_an_export_reads_back_as_the_same_tables_without_secrets(settings: RelaySettings) -> None:
    store = MemoryStore()
    started(settings, store)
    text = export_toml(store.current_tenants(), header="exported for a test")
    assert text.startswith("# exported for a test\n")
    assert SECRET not in text and "token_secrets" not in text
    tables = tomllib.loads(text)["tenants"]
    for tenant, table in settings.tenant_documents.items():
        expected = {k: v for k, v in table.items() if k != "token_secrets"}
        assert tables[tenant] == expected


def test_importing_the_export_changes_nothing_and_an_edit_is_the_next_revision(
    settings: RelaySettings,
) -> None:
    store = MemoryStore()
    sync = started(settings, store)
    text = export_toml(store.current_tenants())
    done = import_toml(text, store, sync.directory, author="git", comment=None, now=NOW)
    assert {(d.tenant, d.revision) for d in done} == {("acme", None), ("other", None)}
    edited = text.replace('text = "Tschüss"', 'text = "Auf Wiedersehen"')
    assert edited != text
    done = import_toml(edited, store, sync.directory, author="git", comment="ci", now=NOW)
    assert ("acme", 2) in {(d.tenant, d.revision) for d in done}
    sync.refresh()
    assert [t.text for t in sync.directory["acme"].templates][1] == "Auf Wiedersehen"
    assert sync.directory["acme"].token_secrets == settings.tenants["acme"].token_secrets
    (newest, *_) = store.tenant_revisions("acme")
    assert (newest.author, newest.comment) == ("git", "ci")


def test_a_wrong_table_is_named_and_nothing_is_imported(settings: RelaySettings) -> None:
    store = MemoryStore()
    sync = started(settings, store)
    text = export_toml(store.current_tenants())
    broken = text.replace('senders = ["ACME"]', 'senders = ["+49111"]')
    assert broken != text
    edited_too = broken.replace('text = "Tschüss"', 'text = "Ciao"')
    with pytest.raises(InvalidConfig, match=r"tenants\.\w+\.queues\[1\]\.senders\[0\]"):
        import_toml(edited_too, store, sync.directory, author="git", comment=None, now=NOW)
    assert {r.revision for r in store.current_tenants()} == {1}


def test_a_new_tenant_needs_its_token_secrets(settings: RelaySettings) -> None:
    store = MemoryStore()
    sync = started(settings, store)
    text = '[tenants.newco]\nlanguage = "en"\n'
    with pytest.raises(InvalidConfig, match="token_secrets"):
        import_toml(text, store, sync.directory, author="ops", comment=None, now=NOW)
    with_secret = text + f'[tenants.newco.token_secrets]\nk1 = "{SECRET}"\n'
    done = import_toml(with_secret, store, sync.directory, author="ops", comment=None, now=NOW)
    assert [(d.tenant, d.revision) for d in done] == [("newco", 1)]
    sync.refresh()
    assert sync.directory["newco"].language == "en"
