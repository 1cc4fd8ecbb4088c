"""Tenants' revisions and secrets in memory: the ``TenantStore`` port as ``SqlTenants`` keeps
it, for fast tests."""

from __future__ import annotations

import json
import threading
from typing import Any

from .tenants import REVISION_CONFLICT, NewRevision, RevisionConflict, TenantRevision


class MemoryTenants:
    def __init__(self, lock: threading.RLock) -> None:
        self._lock = lock
        self._revisions: list[TenantRevision] = []
        self._secrets: dict[str, dict[str, str]] = {}
        self._webhook_secrets: dict[str, dict[str, tuple[str, ...]]] = {}

    def last_tenant_change(self) -> int:
        with self._lock:
            return len(self._revisions)

    def current_tenants(self) -> list[TenantRevision]:
        with self._lock:
            newest: dict[str, TenantRevision] = {}
            for revision in self._revisions:
                newest[revision.tenant] = revision
            return [newest[tenant] for tenant in sorted(newest)]

    def tenant_secrets(self) -> dict[str, dict[str, str]]:
        with self._lock:
            return {tenant: dict(secrets) for tenant, secrets in self._secrets.items()}

    def webhook_secrets(self) -> dict[str, dict[str, tuple[str, ...]]]:
        with self._lock:
            return {tenant: dict(found) for tenant, found in self._webhook_secrets.items() if found}

    def save_revision(self, new: NewRevision) -> TenantRevision | RevisionConflict:
        with self._lock:
            if self._newest(new.tenant) != new.base:
                return REVISION_CONFLICT
            return self._append(new)

    def seed_tenants(self, revisions: list[NewRevision]) -> bool:
        with self._lock:
            if self._revisions:
                return False
            for new in revisions:
                self._append(new)
            return True

    def tenant_revision(self, tenant: str, revision: int) -> TenantRevision | None:
        with self._lock:
            found = (r for r in self._revisions if (r.tenant, r.revision) == (tenant, revision))
            return next(found, None)

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
        with self._lock:
            found = [
                r
                for r in reversed(self._revisions)
                if (tenant is None or r.tenant == tenant)
                and (author is None or r.author == author)
                and (since is None or r.created_at >= since)
                and (until is None or r.created_at < until)
                and (before is None or r.id < before)
            ]
            return found[:limit]

    def _newest(self, tenant: str) -> int:
        return max((r.revision for r in self._revisions if r.tenant == tenant), default=0)

    def _append(self, new: NewRevision) -> TenantRevision:
        # Stored as the SQL store stores it: JSON, read back, so both hand out equal documents.
        document: dict[str, Any] = json.loads(json.dumps(new.document, sort_keys=True))
        revision = TenantRevision(
            id=len(self._revisions) + 1,
            tenant=new.tenant,
            revision=new.base + 1,
            state=new.state,
            document=document,
            author=new.author,
            comment=new.comment,
            created_at=new.now,
        )
        self._revisions.append(revision)
        if new.secrets is not None:
            self._secrets[new.tenant] = dict(new.secrets)
        if new.webhook_secrets is not None:
            self._webhook_secrets[new.tenant] = {
                endpoint: tuple(values) for endpoint, values in new.webhook_secrets.items()
            }
        return revision
