"""``create_app``: the relay's HTTP API — routes, middleware and error answers — around a relay
built by :mod:`smsrelay.bootstrap`."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Mapping
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.gzip import GZipMiddleware
from fastapi.responses import JSONResponse
from sqlalchemy.exc import InterfaceError, OperationalError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Receive, Scope, Send

from .admin import console as admin_console
from .admin import routes as admin_routes
from .admin import webhooks as admin_webhooks
from .api import conversations, docs, drafts, messages, ops, optouts, pyscript, widget
from .api.error_answers import api_error_answer, database_down_answer
from .api.origins import CORS_OPTIONS, TenantOrigins
from .api.send_lane import SendLane
from .bad_input import unreadable_body, validation_error
from .bootstrap import bootstrap, running
from .errors import ApiError, pick_language
from .gateways.base import Gateway
from .gateways.kannel import routes as kannel_routes
from .gateways.twilio import routes as twilio_routes
from .headers import SecurityHeaders
from .relay import Relay
from .service import now_ms
from .settings import RelaySettings
from .storage.ports import Store

MAX_BODY_BYTES = 64 * 1024


def create_app(
    settings: RelaySettings,
    *,
    store: Store | None = None,
    gateways: Mapping[str, Gateway] | None = None,
    clock: Callable[[], int] = now_ms,
    dispatch: bool = True,
    demo: bool = False,
    send_lane: bool = True,
) -> FastAPI:
    """The relay as an ASGI app; ``store``, ``gateways`` and ``clock`` replace the configured
    ones (tests), ``dispatch=False`` leaves accepted messages unsent."""
    relay = bootstrap(settings, store=store, gateways=gateways, clock=clock, demo=demo)
    return app_for(relay, dispatch=dispatch, send_lane=send_lane)


def app_for(relay: Relay, *, dispatch: bool = True, send_lane: bool = True) -> FastAPI:
    """The HTTP API of a relay built by :func:`~smsrelay.bootstrap.bootstrap`, which it
    starts and stops with the server. ``send_lane=False`` sends every message through the
    documented route (tests compare the two)."""

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        async with running(relay, dispatch=dispatch):
            yield

    app = RelayApp(
        title="sms-panel relay",
        version="1",
        summary="Agent configuration, a durable idempotent send path and SMS gateways",
        lifespan=lifespan,
        # /docs is served by the relay itself (api/docs.py); ReDoc would need a CDN.
        docs_url=None,
        redoc_url=None,
        swagger_ui_oauth2_redirect_url=None,
    )
    app.state.relay = relay
    app.add_middleware(TenantOrigins, tenants=relay.tenants.directory, **CORS_OPTIONS)
    # Compresses the widget's assets and API answers; event streams are left alone.
    app.add_middleware(GZipMiddleware, minimum_size=1024)
    app.add_middleware(BodyLimit, limit=MAX_BODY_BYTES)
    app.add_middleware(SecurityHeaders)
    if send_lane:
        app.lane = SendLane(app.behind_lane, relay=relay, limit=MAX_BODY_BYTES)
    _error_handlers(app)

    api = (ops, messages, conversations, drafts, optouts)
    # The gateways' callbacks (receipts, customers' replies) come with their gateways.
    gateway_callbacks = (kannel_routes, twilio_routes)
    admin = (admin_routes, admin_webhooks)
    for module in (*api, *admin, *gateway_callbacks, widget, admin_console, pyscript, docs):
        app.include_router(module.router)
    return app


class RelayApp(FastAPI):
    """FastAPI with the send lane (api/send_lane.py) in front of everything, FastAPI's own
    layers included. Added as a middleware the lane sat inside Starlette's error middleware
    and FastAPI's body-limit and telemetry wrappers, which took about 8 % of the accepting
    process's time for requests they had no part in. (An error the lane does not expect is
    answered by uvicorn: the same bare 500 the error middleware would give.)"""

    lane: ASGIApp | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self.lane is None:
            await super().__call__(scope, receive, send)
        else:
            await self.lane(scope, receive, send)

    async def behind_lane(self, scope: Scope, receive: Receive, send: Send) -> None:
        """What the lane hands on: the app as it would be without it."""
        await super().__call__(scope, receive, send)


def _lang(request: Request) -> str:
    return pick_language(
        request.headers.get("accept-language"), request.query_params.get("lang"), "en"
    )


def _error_handlers(app: FastAPI) -> None:
    def lang_of(request: Request) -> str:
        return getattr(request.state, "lang", None) or _lang(request)

    @app.exception_handler(ApiError)
    async def api_error(request: Request, error: ApiError) -> JSONResponse:
        return api_error_answer(request.app.state.relay, error, lang_of(request))

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, error: RequestValidationError) -> JSONResponse:
        return await api_error(request, validation_error(error.errors()))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, error: StarletteHTTPException) -> JSONResponse:
        if error.status_code == 400 and isinstance(error.__cause__, Exception):
            # FastAPI's "There was an error parsing the body", with the reason as the cause.
            return await api_error(request, unreadable_body(error.__cause__))
        code = {404: "request.not_found", 405: "request.method_not_allowed"}.get(
            error.status_code, "request.invalid"
        )
        params = {"detail": str(error.detail)} if code == "request.invalid" else {}
        # 405 keeps its Allow header (RFC 9110).
        answer = ApiError(error.status_code, code, params=params, headers=error.headers)
        return await api_error(request, answer)

    async def database_down(request: Request, error: Exception) -> JSONResponse:
        return database_down_answer(request.app.state.relay, error, lang_of(request))

    # A connection refused or dropped (OperationalError), or one already closed under us.
    app.add_exception_handler(OperationalError, database_down)
    app.add_exception_handler(InterfaceError, database_down)


class BodyLimit:
    """Refuses oversized bodies (413 in the one error shape): at once when Content-Length
    says so, and as soon as a body sent without one (chunked) passes the limit — then the
    route's own answer to the cut-off body is dropped and the 413 sent instead."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or ()).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.limit):
            await self._refuse(scope, receive, send)
            return
        seen = 0
        exceeded = False
        started = False

        async def limited() -> Any:
            nonlocal seen, exceeded
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit:
                    exceeded = True
                    raise ApiError(413, "request.too_large", params={"max": self.limit})
            return message

        async def unless_exceeded(message: Any) -> None:
            nonlocal started
            if exceeded and not started:
                return
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, limited, unless_exceeded)
        except Exception:
            if not exceeded or started:
                raise
        if exceeded and not started:
            await self._refuse(scope, receive, send)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        request = Request(scope, receive)
        error = ApiError(413, "request.too_large", params={"max": self.limit})
        response = JSONResponse(error.body(_lang(request)), status_code=413)
        await response(scope, receive, send)
