"""Keeps a relay's :class:`TenantDirectory` in step with the database, where every relay
sharing it saves tenants' revisions.

At start-up, a database without tenants is seeded from the configuration file's
``[tenants.*]`` tables (revision 1 of each); from then on the database is the source of truth,
and a configuration file that disagrees with it is reported, not applied
(``smsrelay tenants import`` makes the file's tables the next revisions). While the relay
runs it looks for a newer revision every ``interval`` seconds — one ``max(id)`` query — and
loads all tenants again when there is one, so a change is in force on every relay within
about that interval.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Callable, Mapping
from typing import Any

from anyio import to_thread

from ..storage.ports import TenantStore
from ..storage.tenants import NewRevision, TenantState
from .directory import TenantDirectory
from .webhooks import plan_secrets, webhook_secrets_of, without_webhook_secrets

log = logging.getLogger("smsrelay.tenants")

#: How often a relay looks for tenants' changes saved by any relay.
POLL_SECONDS = 0.25


def split_secrets(document: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    """A ``[tenants.ID]`` table as stored: the document without its token secrets (and
    without its webhooks' signing secrets, see ``webhook_secrets_of``), and the token secrets."""
    stored = {key: value for key, value in document.items() if key != "token_secrets"}
    secrets = {str(k): str(v) for k, v in dict(document.get("token_secrets") or {}).items()}
    return without_webhook_secrets(stored), secrets


class TenantSync:
    def __init__(
        self,
        store: TenantStore,
        directory: TenantDirectory,
        *,
        documents: Mapping[str, Mapping[str, Any]],
        source: str,
        clock: Callable[[], int],
        interval: float = POLL_SECONDS,
    ) -> None:
        self.store = store
        self.directory = directory
        self.documents = documents
        self.source = source
        self.clock = clock
        self.interval = interval

    def start(self) -> None:
        """Seed an empty database from the configuration, or report where the configuration
        and the database disagree; then load the database's tenants."""
        now = self.clock()
        first = []
        for tenant, table in self.documents.items():
            document, secrets = split_secrets(table)
            first.append(
                NewRevision(
                    tenant=tenant,
                    base=0,
                    state=TenantState.ACTIVE,
                    document=document,
                    author=f"config:{self.source}",
                    comment="the configuration file's tenants seed a new database",
                    now=now,
                    secrets=secrets,
                    # Webhooks without a secret in the file get one (an administrator sees
                    # a new one by rotating it).
                    webhook_secrets=plan_secrets(document, webhook_secrets_of(table), {}).secrets,
                )
            )
        if self.store.seed_tenants(first):
            log.info("tenants %s seeded from %s", ", ".join(self.documents), self.source)
        else:
            self._report_differences()
        self.refresh(force=True)

    def refresh(self, *, force: bool = False) -> bool:
        """Load the tenants again if a revision was saved since the last load."""
        change = self.store.last_tenant_change()
        if change == self.directory.change and not force:
            return False
        # Read after the change id: a save between the two is loaded now or on the next look.
        revisions = self.store.current_tenants()
        self.directory.load(
            revisions, self.store.tenant_secrets(), change, self.store.webhook_secrets()
        )
        return True

    async def run(self, stopping: Callable[[], bool]) -> None:
        while not stopping():
            await asyncio.sleep(self.interval)
            try:
                if await to_thread.run_sync(self.refresh):
                    log.info("tenants reloaded (change %d)", self.directory.change)
            except Exception as error:  # the database may be away: keep serving what we have
                log.warning("looking for tenants' changes failed: %s", error)

    def _report_differences(self) -> None:
        stored = {r.tenant: r for r in self.store.current_tenants()}
        secrets = self.store.tenant_secrets()
        signing = self.store.webhook_secrets()
        for tenant, table in self.documents.items():
            document, keys = split_secrets(table)
            given = webhook_secrets_of(table)
            in_force = signing.get(tenant, {})
            current = stored.get(tenant)
            if current is None:
                log.warning(
                    "%s names tenant %s, which the database does not have; the database is the "
                    "source of truth: `smsrelay tenants import` adds it",
                    self.source,
                    tenant,
                )
            elif (
                canonical(current.document) != canonical(document)
                or keys != secrets.get(tenant, {})
                or any(in_force.get(e, ())[:1] != (s,) for e, s in given.items())
            ):
                log.warning(
                    "%s disagrees with the database about tenant %s, which serves revision %d "
                    "(by %s); the database is the source of truth: `smsrelay tenants import` "
                    "makes the file's table the next revision",
                    self.source,
                    tenant,
                    current.revision,
                    current.author,
                )


def canonical(document: Mapping[str, Any]) -> str:
    """A document as text that is equal for equal settings, whatever their keys' order."""
    return json.dumps(document, sort_keys=True, ensure_ascii=False)
