"""Tenants' revisions and secrets through the ``TenantStore`` port, on ``SqlStore`` (SQLite) and
``MemoryStore`` alike: every save a new revision, a stale save refused, secrets apart."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from smsrelay.storage import SqlStore
from smsrelay.storage.memory import MemoryStore
from smsrelay.storage.ports import Store
from smsrelay.storage.tenants import (
    REVISION_CONFLICT,
    NewRevision,
    TenantRevision,
    TenantState,
)

NOW = 1_700_000_000_000
SECRET = "s" * 32


@pytest.fixture(params=["sqlite", "memory"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    if request.param == "memory":
        yield MemoryStore()
        return
    sql = SqlStore(f"sqlite:///{tmp_path / 'relay.db'}")
    sql.create_schema()
    yield sql
    sql.close()


def revision(
    tenant: str = "acme",
    base: int = 0,
    *,
    state: TenantState = TenantState.ACTIVE,
    author: str = "ops",
    now: int = NOW,
    secrets: dict[str, str] | None = None,
    **document: Any,
) -> NewRevision:
    return NewRevision(
        tenant=tenant,
        base=base,
        state=state,
        document={"language": "de", **document},
        author=author,
        comment=None,
        now=now,
        secrets=secrets,
    )


def saved(store: Store, new: NewRevision) -> TenantRevision:
    result = store.save_revision(new)
    assert isinstance(result, TenantRevision), result
    return result


def test_a_new_database_is_seeded_once(store: Store) -> None:
    assert store.last_tenant_change() == 0
    assert store.seed_tenants([revision(secrets={"k1": SECRET}), revision("other")])
    assert not store.seed_tenants([revision("third")])
    assert [r.tenant for r in store.current_tenants()] == ["acme", "other"]
    assert {r.revision for r in store.current_tenants()} == {1}
    assert store.tenant_secrets() == {"acme": {"k1": SECRET}}
    assert store.last_tenant_change() == 2


def test_each_save_is_the_next_revision_and_a_stale_one_is_refused(store: Store) -> None:
    first = saved(store, revision(max_segments=3))
    second = saved(store, revision(base=1, max_segments=5))
    assert (first.revision, second.revision) == (1, 2)
    assert second.document == {"language": "de", "max_segments": 5}
    # Made from revision 1, which is no longer the newest: nothing is written.
    assert store.save_revision(revision(base=1, max_segments=9)) is REVISION_CONFLICT
    assert store.save_revision(revision(base=0)) is REVISION_CONFLICT
    (current,) = store.current_tenants()
    assert (current.revision, current.document["max_segments"]) == (2, 5)
    assert store.last_tenant_change() == second.id
    assert store.tenant_revision("acme", 1) == first
    assert store.tenant_revision("acme", 3) is None
    assert store.tenant_revision("other", 1) is None


def test_secrets_are_replaced_when_given_and_kept_when_not(store: Store) -> None:
    saved(store, revision(secrets={"k1": SECRET}))
    saved(store, revision(base=1, max_segments=4))
    assert store.tenant_secrets()["acme"] == {"k1": SECRET}
    saved(store, revision(base=2, secrets={"k2": "t" * 32}))
    assert store.tenant_secrets()["acme"] == {"k2": "t" * 32}
    saved(store, revision(base=3, secrets={"k2": "t" * 32, "k3": "u" * 32}))  # a rotation
    assert store.tenant_secrets()["acme"] == {"k2": "t" * 32, "k3": "u" * 32}
    # No revision or document shows a secret.
    for found in store.tenant_revisions("acme"):
        assert "token_secrets" not in found.document


def test_the_audit_log_is_newest_first_and_filters_by_tenant_author_and_time(
    store: Store,
) -> None:
    saved(store, revision(author="alice", now=NOW))
    saved(store, revision("other", author="bob", now=NOW + 10))
    saved(store, revision(base=1, author="bob", now=NOW + 20, max_segments=2))
    every = store.tenant_revisions()
    assert [(r.tenant, r.revision) for r in every] == [("acme", 2), ("other", 1), ("acme", 1)]
    assert [r.revision for r in store.tenant_revisions("acme")] == [2, 1]
    assert [r.tenant for r in store.tenant_revisions(author="bob")] == ["acme", "other"]
    window = store.tenant_revisions(since=NOW + 5, until=NOW + 20)
    assert [r.tenant for r in window] == ["other"]
    page = store.tenant_revisions(limit=1)
    assert [r.id for r in store.tenant_revisions(before=page[0].id, limit=1)] == [every[1].id]


def test_a_disabled_or_deleted_tenant_is_still_listed_with_its_state(store: Store) -> None:
    saved(store, revision())
    saved(store, revision(base=1, state=TenantState.DISABLED))
    saved(store, revision("gone"))
    saved(store, revision("gone", base=1, state=TenantState.DELETED))
    states = {r.tenant: r.state for r in store.current_tenants()}
    assert states == {"acme": TenantState.DISABLED, "gone": TenantState.DELETED}
