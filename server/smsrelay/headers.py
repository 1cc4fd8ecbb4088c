"""Security headers on every response the relay sends.

The relay serves three kinds of responses: the JSON API, the widget's assets (scripts, a worker,
WebAssembly) that CRM pages load cross-origin, and its own HTML pages (``/demo``, ``/docs``,
``/admin``).
Every response gets ``nosniff`` (a JSON answer must never be run as a script) and
``Referrer-Policy: no-referrer`` (URLs may carry an ``access_token``). Only HTML gets a
Content-Security-Policy: a worker script takes its CSP from its own response, so a strict
policy on the widget's assets would stop the compose worker from loading Pyodide.
"""

from __future__ import annotations

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

#: For HTML the relay did not mean to serve as a page (none today): nothing may load or frame it.
STRICT_PAGE_POLICY = (
    "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
)


def panel_page_policy(frame_ancestors: str) -> str:
    """Pages that run the panel (``/demo``, ``/embed``): everything from the relay itself;
    Pyodide compiles WebAssembly and runs the compose core in a worker. No inline script: the
    panel styles its shadow root with constructed stylesheets and builds its DOM without markup
    strings; the emoji picker sets style attributes, hence inline styles (never scripts)."""
    return (
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; "
        "style-src 'self' 'unsafe-inline'; connect-src 'self'; worker-src 'self' blob:; "
        f"img-src 'self' data:; frame-ancestors {frame_ancestors}; base-uri 'none'; "
        "form-action 'self'; object-src 'none'"
    )


#: The admin console (``/admin``): its own scripts and styles only — no inline script or style —
#: and the compose worker (Pyodide compiles WebAssembly) for the template preview. Nobody may
#: frame it: a framed admin page invites clickjacking; a CRM opens it in its own tab or window.
ADMIN_CONSOLE_POLICY = (
    "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; "
    "connect-src 'self'; worker-src 'self'; img-src 'self' data:; frame-ancestors 'none'; "
    "base-uri 'none'; form-action 'none'; object-src 'none'"
)

#: The demo agent desktop: only the relay's own pages may frame it.
DEMO_PAGE_POLICY = panel_page_policy("'self'")

#: The API docs (Swagger UI, served by the relay itself): Swagger UI sets inline styles and
#: draws its icons from data: URLs; its start-up script is a file, so no inline script runs.
DOCS_PAGE_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; "
    "form-action 'none'"
)


def add_security_headers(message: Message) -> None:
    """Adds the headers above to an ``http.response.start`` message, unless it has its own."""
    headers = MutableHeaders(scope=message)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "no-referrer")
    if headers.get("content-type", "").startswith("text/html"):
        headers.setdefault("Content-Security-Policy", STRICT_PAGE_POLICY)


class SecurityHeaders:
    """Adds the headers above to every HTTP response (pages set their own CSP)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                add_security_headers(message)
            await send(message)

        await self.app(scope, receive, with_headers)
