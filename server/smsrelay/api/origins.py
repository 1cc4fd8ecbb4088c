"""Which web pages may call the relay (CORS): the origins the tenants allow now."""

from __future__ import annotations

from typing import Any

from fastapi.middleware.cors import CORSMiddleware
from starlette.types import ASGIApp

from ..tenants.directory import TenantDirectory

#: What a CRM page may send and read, besides the simple requests and headers.
CORS_OPTIONS: dict[str, Any] = {
    "allow_methods": ["GET", "POST", "PUT", "DELETE"],
    "allow_headers": ["Authorization", "Content-Type", "Idempotency-Key", "Accept-Language"],
    "expose_headers": ["Retry-After", "Idempotent-Replayed"],
    "max_age": 600,
}


class TenantOrigins(CORSMiddleware):
    """CORS for the origins the tenants allow now: an administrator's change to a tenant's
    ``cors_origins`` is in force without a restart, like every other tenant setting."""

    def __init__(self, app: ASGIApp, /, *, tenants: TenantDirectory, **options: Any) -> None:
        super().__init__(app, **options)
        self.tenants = tenants

    def is_allowed_origin(self, origin: str) -> bool:
        return origin in self.tenants.origins
