"""Changing tenants: what the admin API does, independent of HTTP.

Every change is checked completely before anything is saved — as the configuration file is,
against the operator's gateways, and for templates that could never be sent within the
tenant's maximum of segments — and then saved as one new revision, or refused whole: nothing
is ever half-applied. The relay that saved it serves it at once; the others within their next
look (``tenants/sync.py``).
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any

from smscompose import InvalidConfig, SenderAddress, segment
from smscompose.sender import InvalidSenderAddress
from smscompose.template import bare_text

from ..errors import ApiError
from ..storage.ports import TenantStore
from ..storage.tenants import NewRevision, TenantRevision, TenantState
from ..tenants.sync import TenantSync
from ..tenants.webhooks import MAX_SECRETS, new_secret, plan_secrets, url_problem
from .access import Principal

_TENANT_ID = re.compile(r"^[a-z0-9_-]{1,100}$")
#: The longest template an administrator may save, in characters.
MAX_TEMPLATE_CHARACTERS = 5_000


class TenantAdmin:
    def __init__(self, store: TenantStore, sync: TenantSync, clock: Callable[[], int]) -> None:
        self.store = store
        self.sync = sync
        self.clock = clock
        #: Webhooks' signing secrets the last save made (endpoint id → secret): the answer
        #: shows them this once.
        self.new_webhook_secrets: dict[str, str] = {}

    # -- reading ----------------------------------------------------------------------------

    def tenants(self) -> list[TenantRevision]:
        return [r for r in self.store.current_tenants() if r.state is not TenantState.DELETED]

    def current(self, tenant: str) -> TenantRevision:
        found = {r.tenant: r for r in self.store.current_tenants()}.get(tenant)
        if found is None or found.state is TenantState.DELETED:
            raise ApiError(404, "admin.tenant_not_found", "tenant")
        return found

    def revision(self, tenant: str, number: int) -> TenantRevision:
        found = self.store.tenant_revision(tenant, number)
        if found is None:
            raise ApiError(404, "admin.revision_not_found", "revision")
        return found

    # -- changing ---------------------------------------------------------------------------

    def save(
        self,
        who: Principal,
        tenant: str,
        *,
        base: int,
        document: Mapping[str, Any],
        comment: str | None,
        state: TenantState = TenantState.ACTIVE,
        new_secrets: Mapping[str, str] | None = None,
        webhook_secrets: Mapping[str, tuple[str, ...]] | None = None,
    ) -> TenantRevision:
        """``document`` as ``tenant``'s next revision, made from revision ``base``. A new
        webhook gets a signing secret (in ``new_webhook_secrets``), a removed one loses its
        own; ``webhook_secrets`` replaces them all (a rotation)."""
        if "token_secrets" in document:
            raise ApiError(422, "admin.secrets_in_document", "token_secrets")
        _check_webhooks(document)
        keys = new_secrets if new_secrets is not None else self.store.tenant_secrets().get(tenant)
        self.check(tenant, document, keys or {})
        if webhook_secrets is None:
            existing = self.store.webhook_secrets().get(tenant, {})
            plan = plan_secrets(document, {}, existing)
            webhook_secrets, self.new_webhook_secrets = plan.secrets, plan.created
        saved = self.store.save_revision(
            NewRevision(
                tenant=tenant,
                base=base,
                state=state,
                document=dict(document),
                author=who.name,
                comment=comment,
                now=self.clock(),
                secrets=new_secrets,
                webhook_secrets=webhook_secrets,
            )
        )
        if not isinstance(saved, TenantRevision):
            self.new_webhook_secrets = {}
            newest = {r.tenant: r.revision for r in self.store.current_tenants()}.get(tenant, 0)
            raise ApiError(409, "admin.revision_conflict", "revision", {"revision": newest})
        self.sync.refresh()  # in force here at once, on the other relays at their next look
        return saved

    def create(
        self, who: Principal, tenant: str, document: Mapping[str, Any], comment: str | None
    ) -> tuple[TenantRevision, str, str]:
        """A new tenant with its first token secret: (revision, key id, secret). The secret is
        shown this once; the relay keeps it to verify tokens but never shows it again."""
        who.require_platform()
        if not _TENANT_ID.match(tenant):
            raise ApiError(422, "admin.invalid_tenant_id", "id")
        before = {r.tenant: r for r in self.store.current_tenants()}.get(tenant)
        if before is not None and before.state is not TenantState.DELETED:
            raise ApiError(409, "admin.tenant_exists", "id", {"tenant": tenant})
        kid, secret = _new_secret(self.clock())
        # A tenant made again after a deletion starts afresh: no signing secret of the old one.
        plan = plan_secrets(document, {}, {})
        saved = self.save(
            who,
            tenant,
            base=before.revision if before is not None else 0,
            document=document,
            comment=comment,
            new_secrets={kid: secret},
            webhook_secrets=plan.secrets or {},
        )
        self.new_webhook_secrets = plan.created
        return saved, kid, secret

    def set_state(
        self, who: Principal, tenant: str, state: TenantState, comment: str | None
    ) -> TenantRevision:
        who.require_platform()
        current = self.current(tenant)
        return self.save(
            who,
            tenant,
            base=current.revision,
            document=current.document,
            comment=comment,
            state=state,
        )

    def rotate_secret(
        self, who: Principal, tenant: str, *, keep_previous: bool, comment: str | None
    ) -> tuple[TenantRevision, str, str]:
        """A new token secret (shown once); the previous ones stay valid if ``keep_previous``,
        so the CRM can switch without a gap, and are retired by the next rotation without."""
        who.require_platform()
        current = self.current(tenant)
        kid, secret = _new_secret(self.clock())
        kept = self.store.tenant_secrets().get(tenant, {}) if keep_previous else {}
        saved = self.save(
            who,
            tenant,
            base=current.revision,
            document=current.document,
            comment=comment or f"token secret {kid} added",
            state=current.state,
            new_secrets={**kept, kid: secret},
        )
        return saved, kid, secret

    def rotate_webhook_secret(
        self, who: Principal, tenant: str, endpoint: str, *, keep_previous: bool
    ) -> tuple[TenantRevision, str]:
        """A new signing secret for one webhook (shown once). With ``keep_previous`` the
        webhook signs with the old ones too (every signature in the header, as Standard
        Webhooks allows), so the CRM switches without a gap; the next rotation without it
        retires them."""
        who.require(tenant)
        current = self.current(tenant)
        webhooks = current.document.get("webhooks") or []
        if not any(isinstance(w, Mapping) and w.get("id") == endpoint for w in webhooks):
            raise ApiError(404, "admin.webhook_not_found", "endpoint")
        signing = dict(self.store.webhook_secrets().get(tenant, {}))
        secret = new_secret()
        kept = signing.get(endpoint, ()) if keep_previous else ()
        signing[endpoint] = (secret, *kept)[:MAX_SECRETS]
        saved = self.save(
            who,
            tenant,
            base=current.revision,
            document=current.document,
            comment=f"new signing secret for webhook {endpoint}",
            state=current.state,
            webhook_secrets=signing,
        )
        return saved, secret

    def revert(self, who: Principal, tenant: str, to: int, comment: str | None) -> TenantRevision:
        """The settings of revision ``to`` as the next revision (the log keeps everything)."""
        current = self.current(tenant)
        earlier = self.revision(tenant, to)
        return self.save(
            who,
            tenant,
            base=current.revision,
            document=earlier.document,
            comment=comment or f"back to revision {to}",
            state=current.state,
        )

    def revoke(
        self,
        who: Principal,
        tenant: str,
        agent: str,
        *,
        issued_before: int | None,
        comment: str | None,
    ) -> TenantRevision:
        """Block ``agent`` (``*``: every agent): its tokens (issued before ``issued_before``,
        else all) stop working on every relay, for the rest of their lifetime too."""
        who.require(tenant)
        current = self.current(tenant)
        entry: dict[str, Any] = {"agent": agent}
        if issued_before is not None:
            entry["issued_before"] = issued_before
        kept = [r for r in current.document.get("revoked", []) if r.get("agent") != agent]
        return self.save(
            who,
            tenant,
            base=current.revision,
            document={**current.document, "revoked": [*kept, entry]},
            comment=comment or f"revoked {agent}",
            state=current.state,
        )

    def unrevoke(self, who: Principal, tenant: str, agent: str) -> TenantRevision:
        who.require(tenant)
        current = self.current(tenant)
        revoked = list(current.document.get("revoked", []))
        kept = [r for r in revoked if r.get("agent") != agent]
        if len(kept) == len(revoked):
            raise ApiError(404, "admin.revocation_not_found", "agent")
        document = {**current.document, "revoked": kept}
        if not kept:
            del document["revoked"]
        return self.save(
            who,
            tenant,
            base=current.revision,
            document=document,
            comment=f"{agent} may sign in again",
            state=current.state,
        )

    # -- checking ---------------------------------------------------------------------------

    def check(self, tenant: str, document: Mapping[str, Any], keys: Mapping[str, str]) -> None:
        """Raises a 422 ``ApiError`` naming the setting that is wrong."""
        _check_sender_addresses(document)
        try:
            settings = self.sync.directory.read(tenant, document, keys)
        except InvalidConfig as error:
            field = error.key.removeprefix(f"tenants.{tenant}.").removeprefix(f"tenants.{tenant}")
            raise ApiError(
                422,
                "admin.invalid_setting",
                field or None,
                {"field": field or tenant, "detail": error.detail},
            ) from None
        for i, template in enumerate(settings.templates):
            if len(template.text) > MAX_TEMPLATE_CHARACTERS:
                raise ApiError(
                    422,
                    "request.too_long",
                    f"templates[{i}].text",
                    {"name": f"templates[{i}].text", "max": MAX_TEMPLATE_CHARACTERS},
                )
            segments = segment(bare_text(template.text)).segments
            if segments > settings.max_segments:
                raise ApiError(
                    422,
                    "admin.template_too_long",
                    f"templates[{i}].text",
                    {"template": template.id, "segments": segments, "max": settings.max_segments},
                )


def _check_sender_addresses(document: Mapping[str, Any]) -> None:
    """A sender address the compose core refuses, with the core's own reason in the
    administrator's language (the rest of the settings' checks word their detail in English)."""
    senders = document.get("senders")
    if not isinstance(senders, list):
        return
    for i, sender in enumerate(senders):
        address = sender.get("address") if isinstance(sender, Mapping) else None
        if not isinstance(address, str):
            continue
        try:
            SenderAddress.parse(address)
        except InvalidSenderAddress as error:
            problem = error.problem
            raise ApiError(422, problem.code, f"senders[{i}].address", problem.params) from None


def _check_webhooks(document: Mapping[str, Any]) -> None:
    """A webhook's address that is not http(s), in the administrator's language; and no
    signing secret in the settings (they are made by the relay and kept apart)."""
    webhooks = document.get("webhooks")
    if not isinstance(webhooks, list):
        return
    for i, webhook in enumerate(webhooks):
        if not isinstance(webhook, Mapping):
            continue
        if "secret" in webhook:
            raise ApiError(422, "admin.secrets_in_document", f"webhooks[{i}].secret")
        url = webhook.get("url")
        if isinstance(url, str) and url_problem(url) is not None:
            raise ApiError(
                422,
                "admin.webhook_url_invalid",
                f"webhooks[{i}].url",
                {"field": f"webhooks[{i}].url"},
            )


def _new_secret(now: int) -> tuple[str, str]:
    kid = f"k-{datetime.fromtimestamp(now / 1000, UTC):%Y%m%d-%H%M%S}-{secrets.token_hex(2)}"
    return kid, secrets.token_urlsafe(32)
