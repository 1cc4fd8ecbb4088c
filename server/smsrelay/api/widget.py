"""The widget's assets under /widget/ and the demo agent desktop at /demo.

Versioned files (a content hash in the name) are cached for a year; everything else is
revalidated. ``.wasm`` is served as ``application/wasm`` and ``.mjs`` as JavaScript, which
browsers insist on for streaming compilation and module workers. A file the build compressed
ahead of time (a ``.zst``, ``.br`` or ``.gz`` sibling) is sent as is to a browser that accepts it.
"""

from __future__ import annotations

import mimetypes
import re
from html import escape as html_escape
from importlib import resources
from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, Response

from ..auth import mint_token
from ..errors import ApiError
from ..headers import panel_page_policy
from .deps import RelayDep

router = APIRouter(include_in_schema=False)

mimetypes.add_type("application/wasm", ".wasm")
mimetypes.add_type("text/javascript", ".mjs")
mimetypes.add_type("text/javascript", ".js")

_VERSIONED = re.compile(r"[./-][0-9a-f]{8,}[./]")
_DEMO = resources.files("smsrelay") / "demo"


_REPO = Path(__file__).resolve().parents[3]
# What scripts/build-dist.sh copies into the wheel: widget/static and build/widget in one folder.
_PACKAGED = Path(__file__).resolve().parents[1] / "panel-assets"


def _widget_roots(relay: RelayDep) -> tuple[Path, ...]:
    """The panel's own source, then what scripts/build-widget.sh assembled (Pyodide, wheels,
    emoji data); an installed relay has both in its package (``panel-assets``), and a
    deployment can point ``widget_dir`` at one folder holding both."""
    if relay.settings.widget_dir is not None:
        return (relay.settings.widget_dir.resolve(),)
    if _PACKAGED.is_dir():
        return (_PACKAGED,)
    return ((_REPO / "widget" / "static").resolve(), (_REPO / "build" / "widget").resolve())


def _find_asset(relay: RelayDep, path: str) -> Path:
    for root in _widget_roots(relay):
        target = (root / path).resolve()
        if target.is_relative_to(root) and target.is_file():
            return target
    raise ApiError(404, "request.not_found")


# Best first (zstd decodes fastest, brotli is smallest of the rest). The build writes these next
# to its large assets (Pyodide's wasm, the memory snapshot): gzip level 9 on the fly costs
# seconds per cold load for 10-30 MB files.
_PRECOMPRESSED = (("zstd", ".zst"), ("br", ".br"), ("gzip", ".gz"))


def _accepted_codings(header: str) -> set[str]:
    """The content codings an Accept-Encoding header allows (``q=0`` refuses one)."""
    codings = set()
    for item in header.lower().split(","):
        name, *params = (part.strip() for part in item.split(";"))
        q = 1.0
        for param in params:
            key, _, value = param.partition("=")
            if key.strip() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        if name and q > 0:
            codings.add(name)
    return codings


@router.get("/widget/{path:path}")
def widget_asset(path: str, relay: RelayDep, request: Request) -> FileResponse:
    target = _find_asset(relay, path)
    # Built assets live under content-hashed names or folders: they never change in place.
    cache = "public, max-age=31536000, immutable" if _VERSIONED.search(path) else "no-cache"
    headers = {"Cache-Control": cache}
    accepted = _accepted_codings(request.headers.get("accept-encoding", ""))
    for coding, suffix in _PRECOMPRESSED:
        encoded = target.with_name(target.name + suffix)
        if encoded.is_file():
            headers["Vary"] = "Accept-Encoding"
            if coding in accepted:
                # Sent as is: GZipMiddleware leaves a response with a Content-Encoding alone.
                media_type = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
                headers["Content-Encoding"] = coding
                return FileResponse(encoded, media_type=media_type, headers=headers)
    return FileResponse(target, headers=headers)


_DEMO_FILES = {"desktop.js": "text/javascript", "desktop.css": "text/css"}


def _page(html: str, ancestors: str) -> HTMLResponse:
    return HTMLResponse(
        html,
        headers={
            "Cache-Control": "no-cache",
            "Content-Security-Policy": panel_page_policy(ancestors),
        },
    )


@router.get("/demo")
def demo_page() -> HTMLResponse:
    return _page((_DEMO / "index.html").read_text("utf-8"), "'self'")


@router.get("/demo/{name}")
def demo_asset(name: str) -> Response:
    if name not in _DEMO_FILES:
        raise ApiError(404, "request.not_found")
    return Response(
        (_DEMO / name).read_bytes(),
        media_type=_DEMO_FILES[name],
        headers={"Cache-Control": "no-cache"},
    )


@router.get("/embed")
def embed_page(relay: RelayDep, origin: str = "") -> HTMLResponse:
    """The iframe mode, for hosts whose CSP cannot allow WebAssembly: the panel runs in this
    page on the relay's origin and talks to the host only through postMessage, only with the
    host ``origin`` named here, which must be one a tenant allows (``cors_origins``)."""
    if origin not in relay.tenants.directory.origins:
        raise ApiError(400, "embed.origin_not_allowed", "origin")
    html = (_DEMO / "embed.html").read_text("utf-8").replace("{{origin}}", html_escape(origin))
    return _page(html, origin)


@router.post("/demo/token")
def demo_token(relay: RelayDep) -> JSONResponse:
    """Plays the CRM for the demo: mints a short-lived token for the demo agent. Only with the
    embedded demo configuration; a real deployment's CRM signs its own tokens."""
    if not relay.demo:
        raise ApiError(404, "request.not_found")
    tenant = next(iter(relay.settings.tenants))
    token = mint_token(relay.settings, tenant=tenant, agent="demo-agent", ttl_seconds=3600)
    return JSONResponse({"token": token, "tenant": tenant, "agent": "demo-agent"})


@router.post("/demo/admin-token")
def demo_admin_token(relay: RelayDep) -> JSONResponse:
    """Plays the CRM for the demo's admin console (``/admin``): a short-lived token for the
    demo tenant's administrator. Only with the embedded demo configuration."""
    if not relay.demo:
        raise ApiError(404, "request.not_found")
    tenant = next(iter(relay.settings.tenants))
    token = mint_token(
        relay.settings, tenant=tenant, agent="demo-admin", role="admin", ttl_seconds=3600
    )
    return JSONResponse({"token": token, "tenant": tenant, "agent": "demo-admin"})
