"""What routes share: the relay, the agent behind the token, the agent's language."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from ..app import Relay
from ..auth import Agent, verify_token
from ..errors import ApiError, pick_language

# Both are coroutines although nothing in them waits: FastAPI runs a plain function dependency
# in the thread pool, two thread hops per request that queue behind the database reads.


async def relay(request: Request) -> Relay:
    return request.app.state.relay


async def current_agent(request: Request) -> Agent:
    """The agent from ``Authorization: Bearer …`` (or ``?access_token=`` where a browser API
    cannot set headers, as with EventSource). A token is verified once and then cached, so
    this is quick enough for the event loop."""
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token:
        token = request.query_params.get("access_token", "")
    if not token:
        raise ApiError(401, "auth.missing", headers={"WWW-Authenticate": "Bearer"})
    relay = request.app.state.relay
    settings = relay.settings
    agent = verify_token(settings, token.strip(), cache=relay.tokens)
    request.state.lang = pick_language(
        request.headers.get("accept-language"),
        request.query_params.get("lang"),
        settings.tenants[agent.tenant].language,
    )
    return agent


RelayDep = Annotated[Relay, Depends(relay)]
AgentDep = Annotated[Agent, Depends(current_agent)]
