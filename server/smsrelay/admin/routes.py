"""The admin API, ``/v1/admin/...``: tenants' settings read and changed as revisions, the
audit log with what each revision changed, a revert, and (platform scope) tenants created,
switched off, deleted and their token secrets rotated. The same error shape and languages as
the agent's API; who may do what is in :mod:`.access`."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query, Response
from pydantic import BaseModel, ConfigDict, Field

from ..api.deps import RelayDep
from ..errors import ApiError, error_responses
from ..relay import Relay
from ..service import now_ms
from ..storage.tenants import TenantRevision, TenantState
from .access import PrincipalDep
from .changes import TenantAdmin
from .diff import diff
from .usage_report import as_csv, millis, parse_by, parse_range, report

router = APIRouter(
    prefix="/v1/admin",
    tags=["admin"],
    responses=error_responses(400, 401, 403, 404, 409, 413, 415, 422, 503),
)

TenantPath = Annotated[str, Field(min_length=1, max_length=100)]


class SettingsBody(BaseModel):
    """A tenant's settings (the keys of a ``[tenants.ID]`` table, without token secrets) and
    the revision they were made from."""

    model_config = ConfigDict(extra="forbid")

    revision: int = Field(ge=0)
    settings: dict[str, Any]
    comment: str | None = Field(default=None, max_length=1_000)


class NewTenantBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str = Field(min_length=1, max_length=100)
    settings: dict[str, Any]
    comment: str | None = Field(default=None, max_length=1_000)


class RevertBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    revision: int = Field(ge=1)
    comment: str | None = Field(default=None, max_length=1_000)


class StateBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    state: Literal["active", "disabled", "deleted"]
    comment: str | None = Field(default=None, max_length=1_000)


class RevocationBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    #: The agent's id (the tokens' ``sub``), or ``*`` for every agent.
    agent: str = Field(min_length=1, max_length=200)
    #: Only tokens issued before this Unix time (seconds); absent: every token of the agent.
    issued_before: int | None = Field(default=None, ge=0)
    comment: str | None = Field(default=None, max_length=1_000)


class RotateBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    #: Keep the secrets in use valid, so the CRM switches to the new one without a gap.
    keep_previous: bool = True
    comment: str | None = Field(default=None, max_length=1_000)


def _admin(relay: Relay) -> TenantAdmin:
    return TenantAdmin(relay.store, relay.tenants, now_ms)


def _with_new_secrets(view: dict[str, Any], admin: TenantAdmin) -> dict[str, Any]:
    """A save's answer, with the signing secrets of webhooks it added: shown this once."""
    if admin.new_webhook_secrets:
        view["webhook_secrets"] = dict(admin.new_webhook_secrets)
    return view


def _view(revision: TenantRevision) -> dict[str, Any]:
    return {
        "tenant": revision.tenant,
        "state": str(revision.state),
        "revision": revision.revision,
        "settings": revision.document,
        "author": revision.author,
        "comment": revision.comment,
        "created_at": revision.created_at,
    }


@router.get("/tenants")
def list_tenants(who: PrincipalDep, relay: RelayDep) -> dict[str, Any]:
    """Every tenant (platform), or the administrator's own."""
    tenants = [r for r in _admin(relay).tenants() if who.may_manage(r.tenant)]
    return {"items": [_view(r) for r in tenants]}


@router.post("/tenants", status_code=201)
def create_tenant(body: NewTenantBody, who: PrincipalDep, relay: RelayDep) -> dict[str, Any]:
    """A new tenant (platform scope). Its first token secret is in the answer, this once (and
    its webhooks' signing secrets, ``webhook_secrets``)."""
    admin = _admin(relay)
    saved, kid, secret = admin.create(who, body.id, body.settings, body.comment)
    return _with_new_secrets(
        {**_view(saved), "token_secret": {"kid": kid, "secret": secret}}, admin
    )


@router.get("/tenants/{tenant}")
def get_tenant(tenant: TenantPath, who: PrincipalDep, relay: RelayDep) -> dict[str, Any]:
    who.require(tenant)
    return _view(_admin(relay).current(tenant))


@router.put("/tenants/{tenant}")
def save_settings(
    tenant: TenantPath, body: SettingsBody, who: PrincipalDep, relay: RelayDep
) -> dict[str, Any]:
    """The tenant's next revision. 409 when ``revision`` is not the newest (someone else
    saved meanwhile); 422 naming the setting that is wrong; nothing is saved then. A webhook
    added gets a signing secret, in the answer's ``webhook_secrets`` this once."""
    who.require(tenant)
    admin = _admin(relay)
    current = admin.current(tenant)
    saved = admin.save(
        who,
        tenant,
        base=body.revision,
        document=body.settings,
        comment=body.comment,
        state=current.state,
    )
    return _with_new_secrets(_view(saved), admin)


@router.get("/tenants/{tenant}/revisions")
def revisions(
    tenant: TenantPath,
    who: PrincipalDep,
    relay: RelayDep,
    author: Annotated[str | None, Query(max_length=200)] = None,
    since: Annotated[int | None, Query(ge=0, description="ms since the epoch")] = None,
    until: Annotated[int | None, Query(ge=0, description="ms since the epoch")] = None,
    before: Annotated[int | None, Query(ge=1)] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> dict[str, Any]:
    """The audit log, newest first: each revision with who, when, why and what it changed.
    Pass ``next`` as ``before`` for the next page."""
    who.require(tenant)
    admin = _admin(relay)
    admin.current(tenant)
    found = relay.store.tenant_revisions(
        tenant, author=author, since=since, until=until, before=before, limit=limit + 1
    )
    page = found[:limit]
    items = []
    for revision in page:
        previous = (
            admin.revision(tenant, revision.revision - 1).document if revision.revision > 1 else {}
        )
        items.append(
            {
                **_view(revision),
                "changes": [c.to_dict() for c in diff(previous, revision.document)],
            }
        )
    return {"items": items, "next": page[-1].id if len(found) > limit else None}


@router.post("/tenants/{tenant}/revert")
def revert(
    tenant: TenantPath, body: RevertBody, who: PrincipalDep, relay: RelayDep
) -> dict[str, Any]:
    """The settings of an earlier revision, saved as the next one."""
    who.require(tenant)
    admin = _admin(relay)
    return _with_new_secrets(_view(admin.revert(who, tenant, body.revision, body.comment)), admin)


@router.post("/tenants/{tenant}/state")
def set_state(
    tenant: TenantPath, body: StateBody, who: PrincipalDep, relay: RelayDep
) -> dict[str, Any]:
    """Switch a tenant off (its tokens stop working on every relay), on again, or delete it
    (platform scope; its history is kept)."""
    return _view(_admin(relay).set_state(who, tenant, TenantState(body.state), body.comment))


@router.post("/tenants/{tenant}/secrets")
def rotate_secret(
    tenant: TenantPath, body: RotateBody, who: PrincipalDep, relay: RelayDep
) -> dict[str, Any]:
    """A new token secret (platform scope), in the answer this once."""
    saved, kid, secret = _admin(relay).rotate_secret(
        who, tenant, keep_previous=body.keep_previous, comment=body.comment
    )
    return {**_view(saved), "token_secret": {"kid": kid, "secret": secret}}


@router.post("/tenants/{tenant}/revocations")
def revoke(
    tenant: TenantPath, body: RevocationBody, who: PrincipalDep, relay: RelayDep
) -> dict[str, Any]:
    """Block an agent (or ``*``: all agents' tokens issued before a time) on every relay,
    for the rest of their tokens' lifetime too."""
    saved = _admin(relay).revoke(
        who, tenant, body.agent, issued_before=body.issued_before, comment=body.comment
    )
    return _view(saved)


@router.delete("/tenants/{tenant}/revocations/{agent}")
def unrevoke(
    tenant: TenantPath,
    agent: Annotated[str, Path(min_length=1, max_length=200)],
    who: PrincipalDep,
    relay: RelayDep,
) -> dict[str, Any]:
    """Let a blocked agent sign in again."""
    return _view(_admin(relay).unrevoke(who, tenant, agent))


@router.get("/tenants/{tenant}/usage", response_model=None)
def usage(
    tenant: TenantPath,
    who: PrincipalDep,
    relay: RelayDep,
    start: Annotated[str, Query(alias="from", description="first day, YYYY-MM-DD (UTC)")],
    end: Annotated[str, Query(alias="to", description="last day, YYYY-MM-DD (UTC), included")],
    by: Annotated[str, Query(max_length=40, description="day, queue, agent, status")] = "day",
    format: Annotated[Literal["json", "csv"], Query()] = "json",
) -> dict[str, Any] | Response:
    """Messages, billed segments (those the gateways accepted) and their cost, grouped by
    ``by`` (comma-separated), as JSON or CSV."""
    who.require(tenant)
    _admin(relay).current(tenant)
    first, last = parse_range(start, end)
    groups = parse_by(by)
    rows = relay.store.usage(
        tenant, since=millis(first), until=millis(last + timedelta(days=1)), by=groups
    )
    settings = relay.settings.tenants.get(tenant)
    if settings is None:
        raise ApiError(404, "admin.tenant_not_found", "tenant")
    answer = report(settings, rows, groups, first, last)
    if format == "csv":
        name = f"usage-{tenant}-{first}-{last}.csv"
        return Response(
            as_csv(answer),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="{name}"'},
        )
    return answer
