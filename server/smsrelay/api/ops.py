"""Liveness, readiness and Prometheus metrics."""

from __future__ import annotations

from anyio import to_thread
from fastapi import APIRouter, Response
from fastapi.responses import PlainTextResponse
from prometheus_client import CONTENT_TYPE_LATEST

from ..errors import ApiError, error_responses
from .deps import RelayDep

router = APIRouter(tags=["operations"], responses=error_responses(404, 503))


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


@router.get("/metrics", response_class=PlainTextResponse)
def metrics(relay: RelayDep) -> Response:
    """Prometheus metrics (text exposition format); under a supervisor (``serve --workers``)
    the sum over its workers, whichever of them answers."""
    return Response(relay.metrics.exposition(), media_type=CONTENT_TYPE_LATEST)
