"""The one error shape as an HTTP answer: what the app's exception handlers and the send lane
both send, so an error reads the same whichever path met it."""

from __future__ import annotations

import logging

from fastapi.responses import JSONResponse

from ..errors import ApiError
from ..relay import Relay

log = logging.getLogger("smsrelay")


def api_error_answer(relay: Relay, error: ApiError, lang: str) -> JSONResponse:
    if error.status in (403, 409, 422, 429):
        relay.metrics.refused.labels(error.code).inc()
    return JSONResponse(error.body(lang), status_code=error.status, headers=error.headers)


def database_down_answer(relay: Relay, error: Exception, lang: str) -> JSONResponse:
    # Nothing was stored that the client is told about: it retries with the same
    # Idempotency-Key, which replays the message if the commit did land after all.
    log.error("database unavailable: %s", str(error).strip().splitlines()[0:1])
    unavailable = ApiError(503, "service.unavailable", headers={"Retry-After": "5"})
    return api_error_answer(relay, unavailable, lang)
