"""Compose configuration, sending, history and the status event stream."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Header, Query
from fastapi.responses import JSONResponse, StreamingResponse
from pydantic import BaseModel, ConfigDict, Field, field_validator

from smscompose.status import MessageStatus

from ..auth import Agent
from ..errors import ApiError, error_responses
from ..relay import Relay
from ..service import SendRequest, message_view
from .deps import AgentDep, JsonBody, RelayDep
from .plaintext import plain_text

router = APIRouter(
    prefix="/v1",
    tags=["messages"],
    responses=error_responses(400, 401, 403, 404, 409, 413, 415, 422, 429, 503),
)

HEARTBEAT_SECONDS = 15.0


class SendBody(BaseModel):
    """A finished message, as the panel's Send button posts it."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    queue_id: str = Field(min_length=1, max_length=100)
    sender: str = Field(alias="from", min_length=1, max_length=40)
    to: str = Field(min_length=1, max_length=40)
    text: str = Field(min_length=1, max_length=10_000)
    interaction_id: str | None = Field(default=None, max_length=200)
    interaction_type: Literal["call", "webchat"] | None = None
    #: Send later: ISO 8601 with an offset (``2026-05-04T09:30:00+02:00`` or ``…Z``), in the
    #: future and at most 30 days ahead. Without it the message goes out at once — unless
    #: the customer's quiet hours hold (or refuse) it.
    send_at: str | None = Field(default=None, min_length=1, max_length=40)

    @field_validator("queue_id", "sender", "to", "text", "interaction_id", "send_at")
    @classmethod
    def _plain_text(cls, value: str | None) -> str | None:
        return None if value is None else plain_text(value)


class Accepted(BaseModel):
    id: str
    #: ``queued`` (goes out at once) or ``scheduled`` (at ``send_at``).
    status: str
    encoding: str
    segments: int
    units: int
    cost: dict[str, Any] | None
    #: When a scheduled message goes out (UTC): the time asked for, or the end of the
    #: customer's quiet hours when they held it (``held``).
    send_at: str | None
    held: bool


@router.get("/compose-config")
def compose_config(agent: AgentDep, relay: RelayDep) -> dict[str, Any]:
    """What the compose core needs for this agent: queues, senders, templates, limits."""
    tenant = relay.settings.tenants[agent.tenant]
    config = tenant.compose_config(agent.queues).to_dict()
    config["agent"] = agent.id
    config["tenant"] = agent.tenant
    config["price_per_segment"] = tenant.price_per_segment
    config["currency"] = tenant.currency
    return config


async def send_message(
    body: SendBody,
    agent: AgentDep,
    relay: RelayDep,
    idempotency_key: Annotated[str, Header(min_length=1, max_length=200, pattern=r"\S")],
) -> JSONResponse:
    """Re-check, store durably and queue a message. The same ``Idempotency-Key`` with the same
    body returns the same answer and sends once; with another body it is a 409."""
    return await accept_message(relay, agent, body, idempotency_key)


router.add_api_route(
    "/messages",
    send_message,
    methods=["POST"],
    status_code=202,
    response_model=Accepted,
    dependencies=[JsonBody],
)


async def accept_message(
    relay: Relay, agent: Agent, body: SendBody, idempotency_key: str
) -> JSONResponse:
    request = SendRequest(
        queue_id=body.queue_id,
        sender=body.sender,
        to=body.to,
        text=body.text,
        interaction_id=body.interaction_id,
        interaction_type=body.interaction_type,
        send_at=body.send_at,
    )
    row, created = await relay.service.accept(agent, request, idempotency_key.strip())
    tenant = relay.settings.tenants[agent.tenant]
    if created:
        relay.metrics.accepted.labels(agent.tenant).inc()
    headers = {} if created else {"Idempotent-Replayed": "true"}
    return JSONResponse(relay.service.answer(row, tenant), status_code=202, headers=headers)


@router.get("/messages/{message_id}")
def get_message(message_id: str, agent: AgentDep, relay: RelayDep) -> dict[str, Any]:
    row = relay.store.get_message(agent.tenant, agent.id, message_id)
    if row is None:
        raise ApiError(404, "message.not_found", "id")
    return message_view(row, relay.settings.tenants[agent.tenant])


@router.post("/messages/{message_id}/cancel")
async def cancel_message(message_id: str, agent: AgentDep, relay: RelayDep) -> dict[str, Any]:
    """Cancel a message before it goes out (a scheduled one, or one held for quiet hours):
    the message as it is now, ``cancelled``. Cancelling again answers the same. ``409
    message.not_cancellable`` once a relay has taken it up to send (or it was sent): a
    message is never both sent and cancelled."""
    row = await relay.service.cancel(agent, message_id)
    return message_view(row, relay.settings.tenants[agent.tenant])


@router.get("/messages")
def list_messages(
    agent: AgentDep,
    relay: RelayDep,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    before: Annotated[str | None, Query(max_length=40)] = None,
    status: Annotated[MessageStatus | None, Query()] = None,
) -> dict[str, Any]:
    """The agent's history, newest first; pass ``next`` as ``before`` for the next page;
    ``status`` lists only messages with it (``scheduled``: what is still to go out)."""
    rows = relay.store.list_messages(
        agent.tenant,
        agent.id,
        limit=limit + 1,
        before=before,
        status=None if status is None else status.value,
    )
    tenant = relay.settings.tenants[agent.tenant]
    page = rows[:limit]
    return {
        "items": [message_view(r, tenant) for r in page],
        "next": page[-1].id if len(rows) > limit else None,
    }


@router.get("/events", response_class=StreamingResponse)
async def events(
    agent: AgentDep,
    relay: RelayDep,
    last_event_id: Annotated[str | None, Header()] = None,
) -> StreamingResponse:
    """Server-sent events: one ``status`` event per status change of the agent's messages,
    and one ``received`` event per customer's message routed to the agent or to one of its
    queues (the message as a thread shows it). Reconnecting with ``Last-Event-ID`` resumes
    where the stream stopped."""
    after = int(last_event_id) if last_event_id and last_event_id.isdigit() else None

    async def stream() -> AsyncIterator[str]:
        # Subscribed here, not before the response starts: the generator's finally is what
        # unsubscribes, and it runs only once the generator has started.
        queues = None if agent.queues is None else frozenset(agent.queues)
        subscription = relay.feed.subscribe(agent.tenant, agent.id, after, queues)
        try:
            yield "retry: 2000\n\n"
            # Ends when the feed does, at shutdown: the browser's EventSource reconnects (to
            # another relay) and resumes from Last-Event-ID. A client that goes away cancels
            # this generator (Starlette listens for the disconnect).
            while (found := await subscription.next(HEARTBEAT_SECONDS)) is not None:
                if not found:  # keeps proxies from closing a quiet stream
                    yield ": keep-alive\n\n"
                for event in found:
                    if event.kind == "received":
                        received = await relay.conversations.received(
                            agent.tenant, event.message_id
                        )
                        if received is not None:
                            payload = json.dumps(received)
                            yield f"id: {event.id}\nevent: received\ndata: {payload}\n\n"
                        continue
                    if event.kind != "status":
                        continue
                    data = {
                        "id": event.message_id,
                        "status": event.status,
                        "reason": event.reason,
                        "reason_code": event.reason_code,
                        "at": event.at,
                    }
                    yield f"id: {event.id}\nevent: status\ndata: {json.dumps(data)}\n\n"
        finally:
            subscription.close()

    return StreamingResponse(
        stream(),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
    )
