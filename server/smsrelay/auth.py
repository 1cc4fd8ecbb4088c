"""Agent tokens: short-lived HS256 JWTs that the host CRM signs for the agent it embeds us for.

The token says who the agent is (``sub``), for which tenant (``tenant``), which SMS queues they
may use (``queues``; absent means all of the tenant's) and until when (``exp``); ``role:
admin`` makes it the company administrator's, for the tenant's admin routes. The ``kid``
header picks the tenant's secret, so a CRM can rotate keys without a gap. Nothing else the
browser sends is trusted.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import jwt

from .errors import ApiError
from .settings import RelaySettings

ALGORITHM = "HS256"
#: Tokens valid for longer than this are refused: they are meant to be short-lived.
MAX_LIFETIME_SECONDS = 12 * 3600
LEEWAY_SECONDS = 30
ADMIN_ROLE = "admin"


@dataclass(frozen=True)
class Agent:
    tenant: str
    id: str
    #: Queue ids the agent may use; ``None`` for all of the tenant's queues.
    queues: tuple[str, ...] | None
    expires_at: int
    #: ``"admin"`` for the tenant's company administrator; None for an agent.
    role: str | None = None
    issued_at: int = 0

    @property
    def is_admin(self) -> bool:
        return self.role == ADMIN_ROLE

    def may_use_queue(self, queue_id: str) -> bool:
        return self.queues is None or queue_id in self.queues


def mint_token(
    settings: RelaySettings,
    *,
    tenant: str,
    agent: str,
    queues: Iterable[str] | None = None,
    ttl_seconds: int = 3600,
    kid: str | None = None,
    role: str | None = None,
    now: float | None = None,
) -> str:
    """A token as a CRM would sign it (for demos, tests and the CLI)."""
    secrets = settings.tenants[tenant].token_secrets
    kid = kid or next(iter(secrets))
    issued = int(now if now is not None else time.time())
    claims: dict[str, object] = {
        "tenant": tenant,
        "sub": agent,
        "iat": issued,
        "exp": issued + ttl_seconds,
    }
    if queues is not None:
        claims["queues"] = list(queues)
    if role is not None:
        claims["role"] = role
    return jwt.encode(claims, secrets[kid], algorithm=ALGORITHM, headers={"kid": kid})


class TokenCache:
    """Verified tokens of one running relay. An agent sends the same token with every request
    until it expires, so its signature is checked once and its expiry on every use — as long
    as its tenant's settings are the ones it was verified with: a tenant that was changed
    (its secrets rotated, it was disabled) has every token verified again."""

    def __init__(self, size: int = 10_000) -> None:
        self.size = size
        self._agents: dict[str, tuple[Agent, object]] = {}

    def get(self, token: str, tenants: Mapping[str, object]) -> Agent | None:
        entry = self._agents.get(token)
        if entry is None:
            return None
        agent, verified_with = entry
        return agent if tenants.get(agent.tenant) is verified_with else None

    def put(self, token: str, agent: Agent, tenants: Mapping[str, object]) -> None:
        if len(self._agents) >= self.size:
            self._agents.clear()  # bounded; evicted tokens are simply verified again
        self._agents[token] = (agent, tenants.get(agent.tenant))


def verify_token(
    settings: RelaySettings,
    token: str,
    now: float | None = None,
    cache: TokenCache | None = None,
) -> Agent:
    """The agent a token names, or ``ApiError(401)`` for a missing, forged or expired one."""
    moment = now if now is not None else time.time()
    agent = cache.get(token, settings.tenants) if cache is not None else None
    if agent is None:
        agent = _verify(settings, token, moment)
        if cache is not None:
            cache.put(token, agent, settings.tenants)
    if agent.expires_at + LEEWAY_SECONDS < moment:
        raise ApiError(401, "auth.expired")
    return agent


def _verify(settings: RelaySettings, token: str, moment: float) -> Agent:
    try:
        header = jwt.get_unverified_header(token)
        unverified = jwt.decode(token, options={"verify_signature": False})
    except jwt.PyJWTError:
        raise ApiError(401, "auth.invalid") from None
    tenant = settings.tenants.get(str(unverified.get("tenant")))
    secret = tenant.token_secrets.get(str(header.get("kid"))) if tenant else None
    if tenant is None or secret is None or header.get("alg") != ALGORITHM:
        raise ApiError(401, "auth.invalid")
    try:
        claims = jwt.decode(
            token,
            secret,
            algorithms=[ALGORITHM],
            options={"require": ["exp", "iat", "sub", "tenant"], "verify_exp": False},
        )
    except jwt.PyJWTError:
        raise ApiError(401, "auth.invalid") from None
    agent = _agent(claims, moment)
    if tenant.revokes(agent.id, agent.issued_at):
        raise ApiError(401, "auth.revoked")
    return agent


def _agent(claims: Mapping[str, object], now: float) -> Agent:
    expires, issued = claims.get("exp"), claims.get("iat")
    if not isinstance(expires, int) or not isinstance(issued, int):
        raise ApiError(401, "auth.invalid")
    if expires + LEEWAY_SECONDS < now:
        raise ApiError(401, "auth.expired")
    if expires - issued > MAX_LIFETIME_SECONDS or issued - LEEWAY_SECONDS > now:
        raise ApiError(401, "auth.invalid")
    queues = claims.get("queues")
    if queues is not None and (
        not isinstance(queues, list) or not all(isinstance(q, str) for q in queues)
    ):
        raise ApiError(401, "auth.invalid")
    agent = claims.get("sub")
    if not isinstance(agent, str) or not agent or len(agent) > 200:
        raise ApiError(401, "auth.invalid")
    role = claims.get("role")
    if role is not None and not isinstance(role, str):
        raise ApiError(401, "auth.invalid")
    return Agent(
        tenant=str(claims["tenant"]),
        id=agent,
        queues=None if queues is None else tuple(queues),
        expires_at=expires,
        role=role,
        issued_at=issued,
    )
