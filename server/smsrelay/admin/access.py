"""Who may use the admin API, and for which tenant.

Two scopes. The **platform** (the CRM vendor or operator who runs the relay for many
companies) sends a platform key (``Authorization: Bearer smsp_…``); the relay's configuration
holds only its SHA-256 (``[relay] platform_key_sha256``). It may do everything for every
tenant. A company's **administrator** sends a token the CRM signs with the tenant's secret and
the claim ``role: admin``; it may change only its own tenant. An agent's token gets 403 on
every admin route.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from ..api.deps import signed_in
from ..errors import ApiError, pick_language

PLATFORM_KEY_PREFIX = "smsp_"

bearer = HTTPBearer(auto_error=False)


@dataclass(frozen=True)
class Principal:
    """Who is asking: the platform, or one tenant's administrator."""

    #: The tenant an administrator belongs to; None for the platform.
    tenant: str | None
    #: Who, for the audit log: ``platform`` or ``admin:<sub>``.
    name: str

    @property
    def is_platform(self) -> bool:
        return self.tenant is None

    def may_manage(self, tenant: str) -> bool:
        return self.tenant is None or self.tenant == tenant

    def require(self, tenant: str) -> None:
        if not self.may_manage(tenant):
            raise ApiError(403, "admin.other_tenant", params={"tenant": tenant})

    def require_platform(self) -> None:
        if not self.is_platform:
            raise ApiError(403, "admin.platform_only")


def new_platform_key() -> tuple[str, str]:
    """A new platform key and the SHA-256 (hex) the configuration holds instead of it."""
    key = PLATFORM_KEY_PREFIX + secrets.token_urlsafe(32)
    return key, key_hash(key)


def key_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


async def admin_principal(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> Principal:
    token = credentials.credentials.strip() if credentials is not None else ""
    if not token:
        raise ApiError(401, "auth.missing", headers={"WWW-Authenticate": "Bearer"})
    if token.startswith(PLATFORM_KEY_PREFIX):
        digest = key_hash(token)
        known_keys = request.app.state.relay.settings.platform_key_hashes
        if not any(hmac.compare_digest(digest, known) for known in known_keys):
            raise ApiError(401, "auth.invalid")
        request.state.lang = pick_language(
            request.headers.get("accept-language"), request.query_params.get("lang"), "en"
        )
        return Principal(None, "platform")
    agent = signed_in(request, token)
    if not agent.is_admin:
        raise ApiError(403, "admin.not_admin")
    return Principal(agent.tenant, f"admin:{agent.id}")


PrincipalDep = Annotated[Principal, Depends(admin_principal)]
