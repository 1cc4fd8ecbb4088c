"""What routes share: the relay, the agent behind the token, the agent's language."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from ..auth import Agent, verify_token
from ..errors import ApiError, pick_language
from ..relay import Relay

# The dependencies are coroutines although nothing in them waits: FastAPI runs a plain
# function dependency in the thread pool, a thread hop per request that queues behind the
# database reads.


async def relay(request: Request) -> Relay:
    built: Relay = request.app.state.relay
    return built


#: Documents the token in the OpenAPI spec (and lets /docs send one); the checking is ours.
bearer = HTTPBearer(
    auto_error=False,
    bearerFormat="JWT",
    description="The agent token the host CRM signs (HS256, `kid` header)",
)


async def current_agent(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> Agent:
    """The agent from ``Authorization: Bearer …`` (or ``?access_token=`` where a browser API
    cannot set headers, as with EventSource). A token is verified once and then cached, so
    this is quick enough for the event loop."""
    token = credentials.credentials if credentials is not None else ""
    if not token:
        token = request.query_params.get("access_token", "")
    if not token:
        raise ApiError(401, "auth.missing", headers={"WWW-Authenticate": "Bearer"})
    return signed_in(request, token.strip())


def signed_in(request: Request, token: str) -> Agent:
    """The agent (or tenant administrator) a tenant token names, verified against the tenant
    in force; the answer's language is picked from the request and the tenant from now on."""
    relay = request.app.state.relay
    settings = relay.settings
    agent = verify_token(settings, token, cache=relay.tokens)
    tenant = settings.tenants.get(agent.tenant)
    if tenant is None:  # switched off since the token was verified
        raise ApiError(401, "auth.invalid")
    request.state.lang = pick_language(
        request.headers.get("accept-language"), request.query_params.get("lang"), tenant.language
    )
    return agent


async def json_body(request: Request, _agent: Annotated[Agent, Depends(current_agent)]) -> None:
    """Routes that take a JSON body refuse any other kind with 415, instead of failing to
    find an object in, say, a form. (After the token: a stranger hears 401 first, an agent
    hears it in the tenant's language.) A coroutine, like the two above, to stay off the
    thread pool."""
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media != "application/json" and not media.endswith("+json"):
        raise ApiError(415, "request.unsupported_media_type", params={"type": media or "–"})


JsonBody = Depends(json_body)
RelayDep = Annotated[Relay, Depends(relay)]
AgentDep = Annotated[Agent, Depends(current_agent)]
