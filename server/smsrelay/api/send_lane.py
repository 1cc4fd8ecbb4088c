"""``POST /v1/messages`` in the fewest steps: the send lane.

Sending is what the relay does most, and under load the middleware stack and FastAPI's routing
took a third of the event loop's time per message. A request that is valid as it stands is
answered here, in front of that stack, by the documented route's own pieces: the token checked
by ``verify_token``, the body by ``SendBody``, the message accepted by ``accept_message``, the
answer given the headers the stack would give it (CORS by the same ``TenantOrigins``, the
security headers by the same function) and every error in the one error shape. Anything
else — another route, a query string, no Content-Length, an odd header, a body over the limit
or not valid, a token that does not verify — goes through the stack untouched, with the body
this lane already read handed on, so every error keeps its shape and its order.
"""

from __future__ import annotations

import json
import time
from collections.abc import Awaitable, Callable
from typing import NamedTuple

from pydantic import ValidationError
from sqlalchemy.exc import InterfaceError, OperationalError
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..auth import Agent, verify_token
from ..errors import ApiError, pick_language
from ..relay import Relay
from .error_answers import api_error_answer, database_down_answer
from .messages import SendBody, accept_message
from .origins import CORS_OPTIONS, TenantOrigins

PATH = "/v1/messages"


class SendLane:
    def __init__(self, app: ASGIApp, *, relay: Relay, limit: int) -> None:
        self.app = app
        self.relay = relay
        #: Only its answer headers are used: the same CORS as the stack's.
        self.origins = TenantOrigins(app, tenants=relay.tenants.directory, **CORS_OPTIONS)
        self.limit = limit
        self._exposed = [
            (name.lower().encode("latin-1"), value.encode("latin-1"))
            for name, value in self.origins.simple_headers.items()
        ]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] != PATH or scope["method"] != "POST":
            await self.app(scope, receive, send)
            return
        # Every send, whichever path answers it, in smsrelay_accept_seconds.
        started = time.perf_counter()
        timed = _timed(send, started, self.relay.metrics.accept_seconds.observe)
        fields = None if scope.get("query_string") else _fields(scope["headers"], self.limit)
        if fields is None:
            await self.app(scope, receive, timed)
            return
        received: list[Message] = []
        while True:
            message = await receive()
            received.append(message)
            if message["type"] != "http.request" or not message.get("more_body"):
                break
        body = b"".join(m.get("body", b"") for m in received)
        answer = None
        if received[-1]["type"] == "http.request" and len(body) <= self.limit:
            answer = await self._answer(fields, body)
        if answer is None:
            await self.app(scope, _replaying(received, receive), timed)
            return
        await self._respond(fields.origin, answer, timed)

    async def _answer(self, fields: _Fields, body: bytes) -> Response | None:
        """The answer, or None where the documented route must answer."""
        settings = self.relay.settings
        try:
            agent: Agent = verify_token(settings, fields.token, cache=self.relay.tokens)
        except ApiError:
            return None
        tenant = settings.tenants.get(agent.tenant)
        if tenant is None:
            return None
        try:
            send_body = SendBody.model_validate(json.loads(body))
        except (ValueError, ValidationError, RecursionError):  # not JSON, or not a message
            return None
        lang = pick_language(fields.accept_language, None, tenant.language)
        try:
            return await accept_message(self.relay, agent, send_body, fields.key)
        except ApiError as error:
            return api_error_answer(self.relay, error, lang)
        except (OperationalError, InterfaceError) as error:
            return database_down_answer(self.relay, error, lang)

    async def _respond(self, origin: str | None, answer: Response, send: Send) -> None:
        # What TenantOrigins.send and add_security_headers add to a JSON answer, without
        # their header objects (a tenth of the lane's time): tests/integration/relay/
        # test_send_lane.py holds every header to the stack's.
        headers = list(answer.raw_headers)
        if origin is not None:
            headers += self._exposed
            if self.origins.is_allowed_origin(origin):
                headers.append((b"access-control-allow-origin", origin.encode("latin-1")))
        headers += _VARY_AND_SECURITY
        await send(
            {"type": "http.response.start", "status": answer.status_code, "headers": headers}
        )
        await send({"type": "http.response.body", "body": answer.body})


#: A JSON answer's Vary (CORS) and security headers (not HTML: no Content-Security-Policy).
_VARY_AND_SECURITY = [
    (b"vary", b"Origin"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
]


class _Fields(NamedTuple):
    """What the lane reads from the request's headers."""

    token: str
    key: str
    accept_language: str | None
    origin: str | None


def _fields(headers: list[tuple[bytes, bytes]], limit: int) -> _Fields | None:
    """The token, the Idempotency-Key and the language, when the headers are as the
    documented route accepts them without a word; else None."""
    keys: list[str] = []
    authorization = media = length = accept_language = origin = None
    for name, value in headers:
        if name == b"idempotency-key":
            keys.append(value.decode("latin-1"))
        elif name == b"authorization":
            if authorization is not None:
                return None
            authorization = value.decode("latin-1")
        elif name == b"content-type":
            media = value.decode("latin-1").split(";")[0].strip().lower()
        elif name == b"content-length":
            length = value
        elif name == b"accept-language":
            accept_language = value.decode("latin-1")
        elif name == b"origin":
            if origin is not None:  # the stack reads the first; rare enough to leave to it
                return None
            origin = value.decode("latin-1")
    # The declared Idempotency-Key: one value of 1–200 characters matching \S (one at the
    # start is enough to be sure).
    if len(keys) != 1 or not 0 < len(keys[0]) <= 200 or keys[0][0].isspace():
        return None
    if media is None or (media != "application/json" and not media.endswith("+json")):
        return None
    # A body sent without a length (chunked) is rare: the stack's limit handles it.
    if length is None or not length.isdigit() or int(length) > limit:
        return None
    scheme, _, credentials = (authorization or "").partition(" ")
    token = credentials.strip()
    if scheme.lower() != "bearer" or not token:
        return None
    return _Fields(token, keys[0], accept_language, origin)


def _timed(send: Send, started: float, observe: Callable[[float], None]) -> Send:
    """``send`` that observes the time from ``started`` to the answer's first message."""

    async def timed(message: Message) -> None:
        if message["type"] == "http.response.start":
            observe(time.perf_counter() - started)
        await send(message)

    return timed


def _replaying(received: list[Message], receive: Receive) -> Callable[[], Awaitable[Message]]:
    """``receive`` for the stack: what the lane read, then whatever comes after."""
    waiting = list(received)

    async def replay() -> Message:
        if waiting:
            return waiting.pop(0)
        return await receive()

    return replay
