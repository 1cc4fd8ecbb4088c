"""Whether a number opted out, so the panel can warn before Send (the relay refuses the send
either way, with ``recipient.opted_out`` on the field ``to``)."""

from __future__ import annotations

from typing import Annotated

from anyio import to_thread
from fastapi import APIRouter, Path
from pydantic import BaseModel

from smscompose import check_number
from smscompose.phone import NUMBER_TYPES

from ..errors import ApiError, error_responses
from .deps import AgentDep, RelayDep

router = APIRouter(
    prefix="/v1/opt-outs", tags=["opt-outs"], responses=error_responses(401, 404, 422, 503)
)


class OptOutStatus(BaseModel):
    #: The number in E.164, as the relay reads what was typed.
    number: str
    opted_out: bool
    #: When it opted out (ms since the epoch), or null.
    since: int | None


@router.get("/{number}", response_model=OptOutStatus)
async def opt_out_status(
    number: Annotated[str, Path(min_length=1, max_length=40)], agent: AgentDep, relay: RelayDep
) -> OptOutStatus:
    """Whether ``number`` (as the agent typed it, URL-encoded) opted out of the agent's
    tenant's SMS. Only the agent's own tenant is consulted."""
    tenant = relay.settings.tenants[agent.tenant]
    check = check_number(
        number, default_region=tenant.default_region, allowed_types=frozenset(NUMBER_TYPES)
    )
    if check.e164 is None:
        problem = check.problem
        raise ApiError(
            422,
            problem.code if problem else "phone.invalid",
            "to",
            problem.params if problem else {},
        )
    found = await to_thread.run_sync(relay.service.optouts.get, agent.tenant, check.e164)
    return OptOutStatus(
        number=check.e164, opted_out=found is not None, since=found.created_at if found else None
    )
