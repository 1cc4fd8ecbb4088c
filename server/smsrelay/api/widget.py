"""The widget's assets under /widget/ and the demo agent desktop at /demo.

Versioned files (a content hash in the name) are cached for a year; everything else is
revalidated. ``.wasm`` is served as ``application/wasm`` and ``.mjs`` as JavaScript, which
browsers insist on for streaming compilation and module workers.
"""

from __future__ import annotations

import mimetypes
import re
from importlib import resources
from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse

from ..auth import mint_token
from ..errors import ApiError
from ..headers import DEMO_PAGE_POLICY
from .deps import RelayDep

router = APIRouter(include_in_schema=False)

mimetypes.add_type("application/wasm", ".wasm")
mimetypes.add_type("text/javascript", ".mjs")
mimetypes.add_type("text/javascript", ".js")

_VERSIONED = re.compile(r"[.-][0-9a-f]{8,}\.[a-z0-9]+$")
_DEMO = resources.files("smsrelay") / "demo"


def _widget_root(relay: RelayDep) -> Path:
    if relay.settings.widget_dir is not None:
        return relay.settings.widget_dir
    return Path(__file__).resolve().parents[3] / "widget" / "static"


@router.get("/widget/{path:path}")
def widget_asset(path: str, relay: RelayDep) -> FileResponse:
    root = _widget_root(relay).resolve()
    target = (root / path).resolve()
    if not target.is_relative_to(root) or not target.is_file():
        raise ApiError(404, "request.not_found")
    cache = "public, max-age=31536000, immutable" if _VERSIONED.search(target.name) else "no-cache"
    return FileResponse(target, headers={"Cache-Control": cache})


@router.get("/demo")
def demo_page() -> HTMLResponse:
    return HTMLResponse(
        (_DEMO / "index.html").read_text("utf-8"),
        headers={
            "Cache-Control": "no-cache",
            "Content-Security-Policy": DEMO_PAGE_POLICY,
        },
    )


@router.post("/demo/token")
def demo_token(relay: RelayDep) -> JSONResponse:
    """Plays the CRM for the demo: mints a short-lived token for the demo agent. Only with the
    embedded demo configuration; a real deployment's CRM signs its own tokens."""
    if not relay.demo:
        raise ApiError(404, "request.not_found")
    tenant = next(iter(relay.settings.tenants))
    token = mint_token(relay.settings, tenant=tenant, agent="demo-agent", ttl_seconds=3600)
    return JSONResponse({"token": token, "tenant": tenant, "agent": "demo-agent"})
