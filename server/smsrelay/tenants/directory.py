"""The tenants a relay serves now: each one's newest revision in the database, read again as
soon as any relay saves a new one.

The directory is a read-only mapping, tenant id → :class:`TenantSettings`, swapped whole when
revisions change: a request looks its tenant up once and keeps that immutable snapshot, so a
message accepted under revision N is checked against revision N, never half of N and half of
N + 1. Only active tenants are in it; a disabled or deleted tenant's tokens no longer verify.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Mapping
from typing import Any

from smscompose import InvalidConfig
from smscompose.config import ConfigReader, key_name

from ..gateways.options import GatewaySettings
from ..storage.tenants import TenantRevision, TenantState
from .settings import TenantSettings, parse_tenant
from .webhooks import WebhookEndpoint

log = logging.getLogger("smsrelay.tenants")


class TenantDirectory(Mapping[str, TenantSettings]):
    def __init__(
        self,
        gateways: Mapping[str, GatewaySettings],
        initial: Mapping[str, TenantSettings] | None = None,
    ) -> None:
        self._gateways = gateways
        self._tenants: dict[str, TenantSettings] = {}
        #: Every origin some tenant allows (CORS, the iframe mode), derived at each swap: it is
        #: asked on every request from a browser.
        self.origins: frozenset[str] = frozenset()
        #: Whether any tenant has a webhook, also derived at each swap: the webhook pump asks
        #: on every pass, and does next to nothing while none has.
        self.has_webhooks = False
        #: The webhooks' signing secrets: tenant → endpoint → secrets, newest first.
        self.webhook_secrets: Mapping[str, Mapping[str, tuple[str, ...]]] = {}
        self._serve(dict(initial or {}))
        self._revisions: dict[str, int] = {}
        #: The id of the newest revision loaded (``TenantStore.last_tenant_change``).
        self.change = 0

    def __getitem__(self, tenant: str) -> TenantSettings:
        return self._tenants[tenant]

    def __iter__(self) -> Iterator[str]:
        return iter(self._tenants)

    def __len__(self) -> int:
        return len(self._tenants)

    def revision(self, tenant: str) -> int:
        """The revision of ``tenant`` in force here (0: from the configuration file)."""
        return self._revisions.get(tenant, 0)

    def endpoint(self, tenant: str, endpoint: str) -> WebhookEndpoint | None:
        """A webhook of a tenant in force (None: the tenant or the webhook is gone)."""
        settings = self._tenants.get(tenant)
        found = (e for e in settings.webhooks if e.id == endpoint) if settings else ()
        return next(iter(found), None)

    def load(
        self,
        revisions: list[TenantRevision],
        secrets: Mapping[str, Mapping[str, str]],
        change: int,
        webhook_secrets: Mapping[str, Mapping[str, tuple[str, ...]]] | None = None,
    ) -> None:
        """Serve these revisions from now on. A revision that no longer reads (it names a
        gateway the operator has since removed) is logged, and the tenant keeps the settings
        it had: a relay never drops a working tenant because of a later mistake."""
        tenants: dict[str, TenantSettings] = {}
        numbers: dict[str, int] = {}
        for revision in revisions:
            if revision.state is not TenantState.ACTIVE:
                continue
            try:
                tenants[revision.tenant] = self.read(
                    revision.tenant, revision.document, secrets.get(revision.tenant, {})
                )
                numbers[revision.tenant] = revision.revision
            except InvalidConfig as error:
                log.error(
                    "tenant %s revision %d cannot be served (%s); keeping revision %d",
                    revision.tenant,
                    revision.revision,
                    error,
                    self.revision(revision.tenant),
                )
                if revision.tenant in self._tenants:
                    tenants[revision.tenant] = self._tenants[revision.tenant]
                    numbers[revision.tenant] = self.revision(revision.tenant)
        self._serve(tenants)
        self.webhook_secrets = dict(webhook_secrets or {})
        self._revisions, self.change = numbers, change

    def _serve(self, tenants: dict[str, TenantSettings]) -> None:
        self.origins = frozenset(o for tenant in tenants.values() for o in tenant.cors_origins)
        self.has_webhooks = any(tenant.webhooks for tenant in tenants.values())
        self._tenants = tenants

    def read(
        self, tenant: str, document: Mapping[str, Any], secrets: Mapping[str, str]
    ) -> TenantSettings:
        """A tenant's settings from its document and secrets, checked as a ``[tenants.ID]``
        table is; raises :class:`InvalidConfig` naming the key."""
        data = {**document, "token_secrets": dict(secrets)}
        return parse_tenant(
            tenant, ConfigReader(data, f"tenants.{key_name(tenant)}"), self._gateways
        )
