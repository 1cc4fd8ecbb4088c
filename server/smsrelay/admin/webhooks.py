"""The admin API's webhook routes, ``/v1/admin/tenants/{id}/webhooks/…``: the delivery log with
each attempt, "redeliver", and a new signing secret for an endpoint. The endpoints themselves
are settings (``webhooks`` in ``PUT /v1/admin/tenants/{id}``); who may do what is as for the
other admin routes — the platform, or the tenant's own administrator."""

from __future__ import annotations

import json
from typing import Annotated, Any, Literal

from anyio import to_thread
from fastapi import APIRouter, Path, Query
from pydantic import BaseModel, ConfigDict

from ..api.deps import RelayDep
from ..attempts import written
from ..errors import ApiError, error_responses
from ..service import now_ms
from ..storage.webhook_rows import PENDING, AttemptRow, DeliveryRow
from .access import PrincipalDep
from .changes import TenantAdmin
from .routes import TenantPath, _view

router = APIRouter(
    prefix="/v1/admin/tenants/{tenant}/webhooks",
    tags=["admin"],
    responses=error_responses(400, 401, 403, 404, 409, 413, 415, 422, 503),
)

EventType = Literal["message.accepted", "message.status", "message.received", "optout.changed"]
DeliveryId = Annotated[int, Path(ge=1, le=2**62)]
EndpointPath = Annotated[str, Path(min_length=1, max_length=50)]


class RotateWebhookBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    #: Sign with the old secrets too until the next rotation, so the CRM switches without a
    #: gap (every signature is in ``webhook-signature``).
    keep_previous: bool = True


def delivery_view(row: DeliveryRow) -> dict[str, Any]:
    return {
        "id": row.id,
        "endpoint": row.endpoint,
        "event_id": row.event_id,
        "type": row.event_type,
        "state": row.state,
        "attempts": row.attempts,
        "message_id": row.message_id,
        "interaction_id": row.interaction_id,
        "created_at": row.created_at,
        "next_attempt_at": row.next_attempt_at if row.state == PENDING else None,
        "last_attempt_at": row.last_attempt_at,
        "last_status": row.last_status,
        "last_error": row.last_error,
        "delivered_at": row.delivered_at,
        "redelivery_of": row.redelivery_of,
    }


def _attempt_view(row: AttemptRow) -> dict[str, Any]:
    return {"at": row.at, "status": row.status, "error": row.error, "duration_ms": row.duration_ms}


def _tenant(relay: RelayDep, who: PrincipalDep, tenant: str) -> None:
    who.require(tenant)
    TenantAdmin(relay.store, relay.tenants, now_ms).current(tenant)  # 404 for no such tenant


@router.get("/deliveries")
def deliveries(
    tenant: TenantPath,
    who: PrincipalDep,
    relay: RelayDep,
    endpoint: Annotated[str | None, Query(max_length=50)] = None,
    state: Annotated[Literal["pending", "delivered", "failed"] | None, Query()] = None,
    type: Annotated[EventType | None, Query()] = None,
    message_id: Annotated[str | None, Query(max_length=40)] = None,
    before: Annotated[int | None, Query(ge=1, le=2**62)] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> dict[str, Any]:
    """The delivery log, newest first: each event sent (or still to be sent) to an endpoint,
    its state, attempts and the last answer. Pass ``next`` as ``before`` for the next page."""
    _tenant(relay, who, tenant)
    found = relay.store.webhooks.deliveries(
        tenant,
        endpoint=endpoint,
        state=state,
        event_type=type,
        message_id=message_id,
        before=before,
        limit=limit + 1,
    )
    page = found[:limit]
    return {
        "items": [delivery_view(row) for row in page],
        "next": page[-1].id if len(found) > limit else None,
    }


@router.get("/deliveries/{delivery}")
def delivery(
    tenant: TenantPath, delivery: DeliveryId, who: PrincipalDep, relay: RelayDep
) -> dict[str, Any]:
    """One delivery with every attempt and the event as it is sent (``payload``)."""
    _tenant(relay, who, tenant)
    row = relay.store.webhooks.delivery(tenant, delivery)
    if row is None:
        raise ApiError(404, "admin.delivery_not_found", "delivery")
    attempts = relay.store.webhooks.delivery_attempts(row.id)
    return {
        **delivery_view(row),
        "payload": json.loads(row.payload),
        "attempts_log": [_attempt_view(a) for a in attempts],
    }


@router.post("/deliveries/{delivery}/redeliver", status_code=202)
async def redeliver(
    tenant: TenantPath, delivery: DeliveryId, who: PrincipalDep, relay: RelayDep
) -> dict[str, Any]:
    """Send a delivery's event again — the same ``webhook-id`` and body, so a CRM that has it
    already drops it — as a new delivery after the conversation's others, retried for a new
    window. The original stays in the log as it ended."""
    await to_thread.run_sync(_tenant, relay, who, tenant)
    row = await written(relay.store.webhooks.submit_redeliver(tenant, delivery, now_ms()))
    if row is None:
        raise ApiError(404, "admin.delivery_not_found", "delivery")
    relay.webhooks.deliverer.wake()
    return delivery_view(row)


@router.post("/{endpoint}/secret")
def rotate(
    tenant: TenantPath,
    endpoint: EndpointPath,
    body: RotateWebhookBody,
    who: PrincipalDep,
    relay: RelayDep,
) -> dict[str, Any]:
    """A new signing secret for the webhook, in the answer this once."""
    admin = TenantAdmin(relay.store, relay.tenants, now_ms)
    saved, secret = admin.rotate_webhook_secret(
        who, tenant, endpoint, keep_previous=body.keep_previous
    )
    return {**_view(saved), "webhook": endpoint, "secret": secret}
