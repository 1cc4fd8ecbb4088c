"""Parked SMS, per agent, stored on the relay so a draft survives a reload and shows in the
inbox. The body is the compose core's versioned draft JSON, checked by the core."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from fastapi import APIRouter, Response
from pydantic import BaseModel, ConfigDict, Field, field_validator

from smscompose import Draft, DraftError

from ..errors import ApiError, error_responses
from ..service import now_ms
from ..storage import DraftRow
from .deps import AgentDep, JsonBody, RelayDep
from .plaintext import plain_tree

router = APIRouter(
    prefix="/v1/drafts",
    tags=["drafts"],
    responses=error_responses(400, 401, 404, 409, 413, 415, 422, 503),
)


class DraftBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    #: The compose core's draft (``Draft.to_dict()``), ``"version": 1``.
    draft: dict[str, Any]
    #: For PUT: the version the client last saw; a newer one on the server gives 409.
    version: int | None = Field(default=None, ge=1)

    @field_validator("draft")
    @classmethod
    def _plain_text(cls, value: dict[str, Any]) -> dict[str, Any]:
        checked: dict[str, Any] = plain_tree(value)
        return checked


def _checked(body: DraftBody, draft_id: str | None) -> str:
    try:
        draft = Draft.from_dict(body.draft)
    except DraftError as error:
        raise ApiError.from_problems(422, (error.problem,)) from None
    return replace(draft, id=draft_id).to_json()


def _view(row: DraftRow) -> dict[str, Any]:
    draft = Draft.from_json(row.body)
    return {
        "id": row.id,
        "version": row.version,
        "created_at": row.created_at,
        "updated_at": row.updated_at,
        "draft": replace(draft, id=row.id).to_dict(),
    }


@router.post("", status_code=201, dependencies=[JsonBody])
def park(body: DraftBody, agent: AgentDep, relay: RelayDep) -> dict[str, Any]:
    row = relay.store.create_draft(agent.tenant, agent.id, _checked(body, None), now_ms())
    return _view(row)


@router.get("")
def inbox(agent: AgentDep, relay: RelayDep) -> dict[str, Any]:
    """The agent's parked drafts, most recently changed first."""
    return {"items": [_view(r) for r in relay.store.list_drafts(agent.tenant, agent.id)]}


@router.get("/{draft_id}")
def get_draft(draft_id: str, agent: AgentDep, relay: RelayDep) -> dict[str, Any]:
    row = relay.store.get_draft(agent.tenant, agent.id, draft_id)
    if row is None:
        raise ApiError(404, "draft.not_found", "id")
    return _view(row)


@router.put("/{draft_id}", dependencies=[JsonBody])
def update_draft(
    draft_id: str, body: DraftBody, agent: AgentDep, relay: RelayDep
) -> dict[str, Any]:
    result = relay.store.update_draft(
        agent.tenant, agent.id, draft_id, _checked(body, draft_id), body.version, now_ms()
    )
    if result is None:
        raise ApiError(404, "draft.not_found", "id")
    if not isinstance(result, DraftRow):  # False: another version was saved meanwhile
        raise ApiError(409, "draft.version_conflict", "version")
    return _view(result)


@router.delete("/{draft_id}", status_code=204)
def delete_draft(draft_id: str, agent: AgentDep, relay: RelayDep) -> Response:
    if not relay.store.delete_draft(agent.tenant, agent.id, draft_id):
        raise ApiError(404, "draft.not_found", "id")
    return Response(status_code=204)
