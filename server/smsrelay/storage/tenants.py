"""Tenants' configurations as revisions: each save is a new, complete revision (who, when, why),
never an edit in place, so the audit log is the table itself and a revert is one more save.

A save names the revision it was made from; one made from an older revision than the newest is
refused (:data:`REVISION_CONFLICT`), so two administrators never overwrite each other unseen.
Token secrets live apart (``tenant_secrets``), so no revision, export or diff shows one.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from sqlalchemy import Connection, Engine, and_, delete, func, insert, select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from .schema import tenant_revisions, tenant_secrets
from .webhooks import read_webhook_secrets, replace_webhook_secrets
from .writer import WriteQueue


class TenantState(StrEnum):
    ACTIVE = "active"
    #: Kept, but no agent of it may send or open the panel.
    DISABLED = "disabled"
    DELETED = "deleted"


@dataclass(frozen=True)
class TenantRevision:
    #: The change's place in the order of all changes, of every tenant.
    id: int
    tenant: str
    revision: int
    state: TenantState
    #: The tenant's keys as in a ``[tenants.ID]`` table, without ``token_secrets``.
    document: Mapping[str, Any]
    author: str
    comment: str | None
    created_at: int

    @classmethod
    def from_row(cls, row: Mapping[Any, Any]) -> TenantRevision:
        return cls(
            id=row["id"],
            tenant=row["tenant"],
            revision=row["revision"],
            state=TenantState(row["state"]),
            document=json.loads(row["document"]),
            author=row["author"],
            comment=row["comment"],
            created_at=row["created_at"],
        )


class RevisionConflict:
    """What a save gives when the tenant's newest revision is not the one it was made from."""

    def __repr__(self) -> str:
        return "REVISION_CONFLICT"


REVISION_CONFLICT = RevisionConflict()


@dataclass(frozen=True)
class NewRevision:
    tenant: str
    #: The revision the change was made from; 0 for a new tenant.
    base: int
    state: TenantState
    document: Mapping[str, Any]
    author: str
    comment: str | None
    now: int
    #: The tenant's token secrets from now on (key id → secret); None keeps those it has.
    secrets: Mapping[str, str] | None = None
    #: Its webhooks' signing secrets from now on (endpoint id → secrets, newest first); None
    #: keeps those it has.
    webhook_secrets: Mapping[str, Sequence[str]] | None = None


class SqlTenants:
    def __init__(self, engine: Engine, writes: WriteQueue) -> None:
        self.engine = engine
        self._writes = writes
        upsert = sqlite_insert if engine.dialect.name == "sqlite" else postgresql_insert
        self._insert_revision = upsert(tenant_revisions).on_conflict_do_nothing(
            index_elements=["tenant", "revision"]
        )

    def last_tenant_change(self) -> int:
        """The id of the newest revision of any tenant (0 without any): what relays poll."""
        with self.engine.connect() as conn:
            return int(conn.execute(select(func.max(tenant_revisions.c.id))).scalar() or 0)

    def current_tenants(self) -> list[TenantRevision]:
        """Every tenant's newest revision (deleted ones included), by tenant id."""
        newest = (
            select(tenant_revisions.c.tenant, func.max(tenant_revisions.c.revision).label("rev"))
            .group_by(tenant_revisions.c.tenant)
            .subquery()
        )
        query = (
            select(tenant_revisions)
            .join(
                newest,
                and_(
                    tenant_revisions.c.tenant == newest.c.tenant,
                    tenant_revisions.c.revision == newest.c.rev,
                ),
            )
            .order_by(tenant_revisions.c.tenant)
        )
        with self.engine.connect() as conn:
            return [TenantRevision.from_row(r) for r in conn.execute(query).mappings()]

    def tenant_secrets(self) -> dict[str, dict[str, str]]:
        """Every tenant's token secrets: tenant → key id → secret."""
        found: dict[str, dict[str, str]] = {}
        with self.engine.connect() as conn:
            for tenant, kid, secret in conn.execute(
                select(tenant_secrets.c.tenant, tenant_secrets.c.kid, tenant_secrets.c.secret)
            ):
                found.setdefault(tenant, {})[kid] = secret
        return found

    def webhook_secrets(self) -> dict[str, dict[str, tuple[str, ...]]]:
        """Every tenant's webhook signing secrets: tenant → endpoint → secrets, newest first."""
        with self.engine.connect() as conn:
            return read_webhook_secrets(conn)

    def save_revision(self, new: NewRevision) -> TenantRevision | RevisionConflict:
        """Save ``new`` as revision ``base + 1`` with its secrets, in one transaction, unless
        the tenant's newest revision is not ``base`` (then nothing is written)."""

        def save(conn: Connection) -> TenantRevision | RevisionConflict:
            newest = conn.execute(
                select(func.max(tenant_revisions.c.revision)).where(
                    tenant_revisions.c.tenant == new.tenant
                )
            ).scalar()
            if (newest or 0) != new.base:
                return REVISION_CONFLICT
            # Another relay may have saved the same revision since the look above.
            if not conn.execute(self._insert_revision, _row_values(new)).rowcount:
                return REVISION_CONFLICT
            _replace_all_secrets(conn, new)
            row = (
                conn.execute(
                    select(tenant_revisions).where(
                        tenant_revisions.c.tenant == new.tenant,
                        tenant_revisions.c.revision == new.base + 1,
                    )
                )
                .mappings()
                .one()
            )
            return TenantRevision.from_row(row)

        return self._writes.run(save)

    def seed_tenants(self, revisions: list[NewRevision]) -> bool:
        """Save these first revisions if no tenant has any revision yet (a new database);
        False when the database already has tenants (nothing is written)."""

        def seed(conn: Connection) -> bool:
            if conn.execute(select(func.count()).select_from(tenant_revisions)).scalar():
                return False
            for new in revisions:
                conn.execute(insert(tenant_revisions), _row_values(new))
                _replace_all_secrets(conn, new)
            return True

        return self._writes.run(seed)

    def tenant_revision(self, tenant: str, revision: int) -> TenantRevision | None:
        query = select(tenant_revisions).where(
            tenant_revisions.c.tenant == tenant, tenant_revisions.c.revision == revision
        )
        with self.engine.connect() as conn:
            row = conn.execute(query).mappings().first()
        return None if row is None else TenantRevision.from_row(row)

    def tenant_revisions(
        self,
        tenant: str | None = None,
        *,
        author: str | None = None,
        since: int | None = None,
        until: int | None = None,
        before: int | None = None,
        limit: int = 50,
    ) -> list[TenantRevision]:
        """Revisions newest first, filtered by tenant, author and time (``before``: an id, for
        the next page)."""
        query = select(tenant_revisions).order_by(tenant_revisions.c.id.desc()).limit(limit)
        if tenant is not None:
            query = query.where(tenant_revisions.c.tenant == tenant)
        if author is not None:
            query = query.where(tenant_revisions.c.author == author)
        if since is not None:
            query = query.where(tenant_revisions.c.created_at >= since)
        if until is not None:
            query = query.where(tenant_revisions.c.created_at < until)
        if before is not None:
            query = query.where(tenant_revisions.c.id < before)
        with self.engine.connect() as conn:
            return [TenantRevision.from_row(r) for r in conn.execute(query).mappings()]


def _row_values(new: NewRevision) -> dict[str, Any]:
    """The row of ``new``: revision ``base + 1``."""
    return {
        "tenant": new.tenant,
        "revision": new.base + 1,
        "state": str(new.state),
        "document": json.dumps(new.document, ensure_ascii=False, sort_keys=True),
        "author": new.author,
        "comment": new.comment,
        "created_at": new.now,
    }


def _replace_all_secrets(conn: Connection, new: NewRevision) -> None:
    if new.secrets is not None:
        _replace_secrets(conn, new.tenant, new.secrets, new.now)
    if new.webhook_secrets is not None:
        replace_webhook_secrets(conn, new.tenant, new.webhook_secrets, new.now)


def _replace_secrets(conn: Connection, tenant: str, secrets: Mapping[str, str], now: int) -> None:
    conn.execute(delete(tenant_secrets).where(tenant_secrets.c.tenant == tenant))
    for kid, secret in secrets.items():
        conn.execute(
            insert(tenant_secrets),
            {"tenant": tenant, "kid": kid, "secret": secret, "created_at": now},
        )
