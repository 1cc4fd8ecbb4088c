"""A Twilio-compatible fake of the Messages API, run as its own process like a real peer.

What it does, as Twilio documents it:

- ``POST /2010-04-01/Accounts/{AccountSid}/Messages.json``, form-encoded, HTTP Basic auth with
  the Account SID and Auth Token; anything else is ``401`` with error 20003 "Authenticate".
- Errors are JSON ``{"code", "message", "more_info", "status"}``. ``To`` must be E.164 (21211);
  Twilio's magic test numbers answer their documented errors: To ``+15005550001`` 21211,
  ``+15005550002`` 21612, ``+15005550003`` 21408, ``+15005550004`` 21610 (blocked: the
  recipient sent STOP), ``+15005550009`` 21614; From ``+15005550001`` 21212, ``+15005550008``
  21611 (queue full). ValidityPeriod outside 1–36,000 is 21624, a Body over 1,600 characters
  21617.
- ``201`` with the Message JSON: ``sid`` ``SM`` + 32 hex digits, ``status`` ``queued``,
  ``num_segments`` (a string, as Twilio sends it) counted by ``smscompose``.
- StatusCallbacks (``sent``, then ``delivered``) POSTed form-encoded to the StatusCallback URL,
  signed in ``X-Twilio-Signature`` with the Auth Token (HMAC-SHA1 over the URL plus the sorted
  parameters, base64). The signing here is written independently of ``smsrelay`` on purpose.

- A customer's message to one of the account's numbers: Twilio POSTs its incoming-message
  webhook, form-encoded and signed the same way, to the URL set for the number (``From``,
  ``To``, ``Body``, ``MessageSid``/``SmsSid``/``SmsMessageSid`` ``SM…``, ``AccountSid``,
  ``NumMedia``, ``NumSegments``, ``SmsStatus`` ``received``, ``ApiVersion`` and the numbers'
  countries) and expects TwiML. ``POST /_fake/incoming`` makes the fake do so: ``{"url",
  "from", "to", "body"}``, and ``"sid"`` to send the same message again (as a retry does).

The fake's own conventions (Twilio's test credentials send no status callbacks at all, so there
is no documented number for them): To :data:`UNREACHABLE_TO` ends ``undelivered`` with
ErrorCode 30003 (unreachable destination handset). ``POST /_fake/settings`` sets a response
delay (the message is still created and its callbacks still sent: an answer that comes too
late) and HTTP statuses to answer the next create requests with (429, 503, …).

Run it with the ``twilio_fake`` fixture of :mod:`tests.support.peers.twilio` (which starts it as
a process and stops it by PID), or by hand: ``python tests/support/peers/twilio_fake.py --port
8765``.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import hashlib
import hmac
import os
import re
import socket
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from email.utils import format_datetime
from typing import Any
from urllib.parse import parse_qsl

import httpx
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from smscompose import check_number, segment

ACCOUNT_SID = "AC" + "fa4e" * 8
AUTH_TOKEN = "fake-auth-token-0123456789abcdef"
API_VERSION = "2010-04-01"
#: The fake's own convention: messages to this number end ``undelivered`` with ErrorCode 30003.
UNREACHABLE_TO = "+15005553003"

_E164 = re.compile(r"\+[1-9][0-9]{1,14}")
_MAGIC_TO = {
    "+15005550001": (21211, "The 'To' number {to} is not a valid phone number."),
    "+15005550002": (21612, "The 'To' phone number: {to}, is not currently reachable."),
    "+15005550003": (
        21408,
        "Permission to send an SMS has not been enabled for the region indicated by the 'To'"
        " number: {to}.",
    ),
    "+15005550004": (21610, "Attempt to send to unsubscribed recipient"),
    "+15005550009": (21614, "'To' number {to} is not a valid mobile number"),
}
_MAGIC_FROM = {
    "+15005550001": (21212, "The 'From' number {sender} is not a valid phone number."),
    "+15005550008": (
        21611,
        "This 'From' number has exceeded the maximum number of queued messages",
    ),
}
_HTTP_ERRORS = {
    429: (20429, "Too Many Requests"),
    500: (20500, "Internal Server Error"),
    502: (20502, "Bad Gateway"),
    503: (20503, "Service Unavailable"),
    504: (20504, "Gateway Timeout"),
}


def sign(url: str, params: dict[str, str], auth_token: str) -> str:
    """X-Twilio-Signature as Twilio computes it (kept apart from the code under test)."""
    data = url + "".join(key + params[key] for key in sorted(params))
    mac = hmac.new(auth_token.encode("utf-8"), data.encode("utf-8"), hashlib.sha1)
    return base64.b64encode(mac.digest()).decode("ascii")


def _error(status: int, code: int, message: str) -> JSONResponse:
    return JSONResponse(
        {
            "code": code,
            "message": message,
            "more_info": f"https://www.twilio.com/docs/errors/{code}",
            "status": status,
        },
        status_code=status,
    )


class FakeTwilio:
    """State and routes of the fake; one instance per process."""

    def __init__(self, account_sid: str, auth_token: str) -> None:
        self.account_sid = account_sid
        self.auth_token = auth_token
        self.requests: list[dict[str, Any]] = []
        self.callbacks: list[dict[str, Any]] = []
        self.incoming: list[dict[str, Any]] = []
        self.delay = 0.0
        self.callback_delay = 0.05
        self.fail_next: list[int] = []
        self._tasks: set[asyncio.Task[None]] = set()
        self._http: httpx.AsyncClient | None = None

    def app(self) -> Starlette:
        return Starlette(
            routes=[
                Route(
                    "/2010-04-01/Accounts/{account_sid}/Messages.json",
                    self.create_message,
                    methods=["POST"],
                ),
                Route("/_fake/health", self.health),
                Route("/_fake/requests", self.list_requests),
                Route("/_fake/callbacks", self.list_callbacks),
                Route("/_fake/incoming", self.send_incoming, methods=["POST"]),
                Route("/_fake/settings", self.settings, methods=["POST"]),
                Route("/_fake/reset", self.reset, methods=["POST"]),
            ],
            lifespan=self.lifespan,
        )

    @asynccontextmanager
    async def lifespan(self, app: Starlette) -> AsyncIterator[None]:
        async with httpx.AsyncClient(timeout=5.0) as http:
            self._http = http
            yield
            for task in list(self._tasks):
                task.cancel()

    async def health(self, request: Request) -> Response:
        return JSONResponse({"ok": True, "pid": os.getpid()})

    async def list_requests(self, request: Request) -> Response:
        return JSONResponse(self.requests)

    async def list_callbacks(self, request: Request) -> Response:
        return JSONResponse(self.callbacks)

    async def settings(self, request: Request) -> Response:
        body = await request.json()
        self.delay = float(body.get("delay", self.delay))
        self.callback_delay = float(body.get("callback_delay", self.callback_delay))
        self.fail_next = [int(status) for status in body.get("fail", self.fail_next)]
        return JSONResponse({"delay": self.delay, "fail": self.fail_next})

    async def reset(self, request: Request) -> Response:
        self.requests.clear()
        self.callbacks.clear()
        self.incoming.clear()
        self.delay, self.callback_delay, self.fail_next = 0.0, 0.05, []
        return JSONResponse({"ok": True})

    def _authorized(self, request: Request) -> tuple[bool, str | None]:
        scheme, _, credentials = request.headers.get("authorization", "").partition(" ")
        if scheme.lower() != "basic":
            return False, None
        try:
            user, _, password = base64.b64decode(credentials).decode("utf-8").partition(":")
        except ValueError:
            return False, None
        ok = hmac.compare_digest(user, self.account_sid) and hmac.compare_digest(
            password, self.auth_token
        )
        return ok, user

    async def create_message(self, request: Request) -> Response:
        form = dict(parse_qsl((await request.body()).decode("utf-8"), keep_blank_values=True))
        authorized, user = self._authorized(request)
        record: dict[str, Any] = {
            "path": request.url.path,
            "content_type": request.headers.get("content-type", ""),
            "user": user,
            "authorized": authorized,
            "form": form,
        }
        self.requests.append(record)
        response = self._answer(request, form, authorized)
        record["status"] = response.status_code
        record["response"] = response.body.decode("utf-8")
        if self.delay:
            await asyncio.sleep(self.delay)
        return response

    def _answer(self, request: Request, form: dict[str, str], authorized: bool) -> Response:
        if not authorized:
            response = _error(401, 20003, "Authenticate")
            response.headers["WWW-Authenticate"] = 'Basic realm="Twilio API"'
            return response
        if request.path_params["account_sid"] != self.account_sid:
            return _error(404, 20404, f"The requested resource {request.url.path} was not found")
        if self.fail_next:
            status = self.fail_next.pop(0)
            code, message = _HTTP_ERRORS.get(status, (20500, "Internal Server Error"))
            return _error(status, code, message)
        if not request.headers.get("content-type", "").startswith(
            "application/x-www-form-urlencoded"
        ):
            return _error(400, 20001, "Content-Type must be application/x-www-form-urlencoded")
        to, sender, body = form.get("To", ""), form.get("From", ""), form.get("Body", "")
        if not to:
            return _error(400, 21604, "A 'To' phone number is required.")
        if not sender:
            return _error(400, 21603, "A 'From' phone number is required.")
        if to in _MAGIC_TO:
            code, message = _MAGIC_TO[to]
            return _error(400, code, message.format(to=to))
        if not _E164.fullmatch(to):
            return _error(400, 21211, f"The 'To' number {to} is not a valid phone number.")
        if sender in _MAGIC_FROM:
            code, message = _MAGIC_FROM[sender]
            return _error(400, code, message.format(sender=sender))
        if not body:
            return _error(400, 21602, "Message body is required.")
        if len(body) > 1600:
            return _error(
                400, 21617, "The concatenated message body exceeds the 1600 character limit."
            )
        validity = form.get("ValidityPeriod")
        if validity is not None and not (validity.isdigit() and 1 <= int(validity) <= 36_000):
            return _error(400, 21624, "Invalid validity period value")

        sid = "SM" + uuid.uuid4().hex
        now = format_datetime(datetime.now(UTC), usegmt=False)
        message = {
            "account_sid": self.account_sid,
            "api_version": API_VERSION,
            "body": body,
            "date_created": now,
            "date_sent": None,
            "date_updated": now,
            "direction": "outbound-api",
            "error_code": None,
            "error_message": None,
            "from": sender,
            "messaging_service_sid": None,
            "num_media": "0",
            "num_segments": str(segment(body).segments),
            "price": None,
            "price_unit": "USD",
            "sid": sid,
            "status": "queued",
            "subresource_uris": {
                "media": f"/{API_VERSION}/Accounts/{self.account_sid}/Messages/{sid}/Media.json"
            },
            "to": to,
            "uri": f"/{API_VERSION}/Accounts/{self.account_sid}/Messages/{sid}.json",
        }
        callback = form.get("StatusCallback")
        if callback:
            # Started now, not after the answer: a late (or lost) answer does not stop Twilio.
            task = asyncio.create_task(self._send_callbacks(callback, message))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)
        return JSONResponse(message, status_code=201)

    async def _send_callbacks(self, url: str, message: dict[str, Any]) -> None:
        final = "undelivered" if message["to"] == UNREACHABLE_TO else "delivered"
        for status in ("sent", final):
            await asyncio.sleep(self.callback_delay)
            params = {
                "AccountSid": self.account_sid,
                "ApiVersion": API_VERSION,
                "From": message["from"],
                "To": message["to"],
                "MessageSid": message["sid"],
                "SmsSid": message["sid"],
                "MessageStatus": status,
                "SmsStatus": status,
            }
            if status == "undelivered":
                params["ErrorCode"] = "30003"
            if status in ("delivered", "undelivered"):
                params["RawDlrDoneDate"] = datetime.now(UTC).strftime("%y%m%d%H%M")
            entry: dict[str, Any] = {"url": url, "params": params}
            self.callbacks.append(entry)
            assert self._http is not None
            try:
                response = await self._http.post(
                    url,
                    data=params,
                    headers={
                        "X-Twilio-Signature": sign(url, params, self.auth_token),
                        "User-Agent": "TwilioProxy/1.1",
                    },
                )
                entry["status"] = response.status_code
            except httpx.HTTPError as exc:
                entry["error"] = f"{type(exc).__name__}: {exc}"

    async def send_incoming(self, request: Request) -> Response:
        """A customer texts ``to``: the signed incoming-message webhook to ``url``; answers
        what the receiver said."""
        order = await request.json()
        sid = order.get("sid") or "SM" + uuid.uuid4().hex
        sender, to, body = order["from"], order["to"], order["body"]
        params = {
            "AccountSid": self.account_sid,
            "ApiVersion": API_VERSION,
            "Body": body,
            "From": sender,
            "FromCountry": _country(sender),
            "MessageSid": sid,
            "NumMedia": "0",
            "NumSegments": str(segment(body).segments),
            "SmsMessageSid": sid,
            "SmsSid": sid,
            "SmsStatus": "received",
            "To": to,
            "ToCountry": _country(to),
        }
        entry: dict[str, Any] = {"url": order["url"], "params": params}
        self.incoming.append(entry)
        assert self._http is not None
        try:
            response = await self._http.post(
                order["url"],
                data=params,
                headers={
                    "X-Twilio-Signature": sign(order["url"], params, self.auth_token),
                    "User-Agent": "TwilioProxy/1.1",
                },
            )
            entry.update(status=response.status_code, response=response.text)
        except httpx.HTTPError as exc:
            entry["error"] = f"{type(exc).__name__}: {exc}"
        return JSONResponse({"sid": sid, **{k: v for k, v in entry.items() if k != "params"}})


def _country(number: str) -> str:
    """The ISO country of an E.164 number, as Twilio names it in FromCountry/ToCountry."""
    return check_number(number, default_region="US").region or ""


def serve(fd: int | None, port: int, account_sid: str, auth_token: str) -> None:
    """Serve the fake on an inherited listening socket ``fd``, or on 127.0.0.1:``port``."""
    import uvicorn

    app = FakeTwilio(account_sid, auth_token).app()
    config = uvicorn.Config(
        app, log_level="warning", ws="none", lifespan="on", timeout_graceful_shutdown=1
    )
    server = uvicorn.Server(config)
    sock = socket.create_server(("127.0.0.1", port)) if fd is None else socket.socket(fileno=fd)
    server.run(sockets=[sock])


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fd", type=int, help="an inherited listening socket")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--account-sid", default=ACCOUNT_SID)
    parser.add_argument("--auth-token", default=AUTH_TOKEN)
    args = parser.parse_args(argv)
    serve(args.fd, args.port, args.account_sid, args.auth_token)


if __name__ == "__main__":
    main()
