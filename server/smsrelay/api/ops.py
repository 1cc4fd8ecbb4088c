"""Liveness, readiness and Prometheus metrics."""

from __future__ import annotations

from anyio import to_thread
from fastapi import APIRouter, Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from ..errors import ApiError
from .deps import RelayDep

router = APIRouter(tags=["operations"])


@router.get("/healthz")
def healthz() -> dict[str, str]:
    """The process is up."""
    return {"status": "ok"}


@router.get("/readyz")
async def readyz(relay: RelayDep) -> dict[str, str]:
    """The process can take messages: its database answers."""
    try:
        await to_thread.run_sync(relay.store.ping)
    except Exception:
        raise ApiError(503, "service.unavailable", headers={"Retry-After": "5"}) from None
    return {"status": "ready"}


@router.get("/metrics")
def metrics(relay: RelayDep) -> Response:
    return Response(generate_latest(relay.metrics.registry), media_type=CONTENT_TYPE_LATEST)
