"""Conversations with customers: the agent's list (unread first), a thread (both directions,
paginated) and marking one read. Customers' messages come in through the gateways' routes;
new ones reach the agent's event stream as ``received`` events (``api/messages.py``)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Response

from ..errors import error_responses
from .deps import AgentDep, RelayDep

router = APIRouter(
    prefix="/v1/conversations",
    tags=["conversations"],
    responses=error_responses(401, 404, 422, 503),
)

Number = Annotated[str, Path(min_length=1, max_length=40)]
#: The tenant's sender address the conversation is with, as the compose configuration has it.
Address = Annotated[str, Query(alias="from", min_length=1, max_length=40)]


@router.get("")
async def list_conversations(
    agent: AgentDep, relay: RelayDep, limit: Annotated[int, Query(ge=1, le=200)] = 50
) -> dict[str, Any]:
    """The conversations of the agent's queues (and those routed to the agent): unread ones
    first, then the latest reply first. ``unread`` counts the replies nobody has read."""
    items = await relay.conversations.list(agent, limit=limit)
    return {"items": items, "unread": sum(1 for item in items if item["unread"])}


@router.get("/{number}")
async def read_thread(
    number: Number,
    address: Address,
    agent: AgentDep,
    relay: RelayDep,
    limit: Annotated[int, Query(ge=1, le=100)] = 30,
    before: Annotated[str | None, Query(max_length=80)] = None,
) -> dict[str, Any]:
    """The thread with ``number`` (as typed, URL-encoded) on the sender address ``from``:
    customers' messages (``direction`` ``in``) and ours (``out``, with ``status`` and
    ``reason_code``), newest first; pass ``next`` as ``before`` for older ones."""
    return await relay.conversations.thread(agent, number, address, limit=limit, before=before)


@router.post("/{number}/read", status_code=204)
async def mark_read(number: Number, address: Address, agent: AgentDep, relay: RelayDep) -> Response:
    """No unread replies left in the conversation, for everybody of its queue."""
    await relay.conversations.mark_read(agent, number, address)
    return Response(status_code=204)
