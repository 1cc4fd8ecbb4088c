"""The admin console at ``/admin``: a page for a company's administrator, served by the relay.

The page and its modules are package data (``smsrelay/console/``); its words come from
:mod:`.console_texts` as ``/admin/texts.js``. It talks to the admin API (``/v1/admin/…``) with
the administrator's token, and to the compose core through the panel's own worker
(``/widget/core-client.js``) for the template preview, so it counts exactly as agents' panels
and the relay do. Served under :data:`~smsrelay.headers.ADMIN_CONSOLE_POLICY`: no inline script
or style, never framed.
"""

from __future__ import annotations

from importlib import resources

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, Response

from ..errors import ApiError
from ..headers import ADMIN_CONSOLE_POLICY
from .console_texts import texts_module

router = APIRouter(include_in_schema=False)

_CONSOLE = resources.files("smsrelay") / "console"
_TYPES = {".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8"}
_NO_CACHE = {"Cache-Control": "no-cache"}


@router.get("/admin")
def console_page() -> HTMLResponse:
    return HTMLResponse(
        (_CONSOLE / "index.html").read_text("utf-8"),
        headers={**_NO_CACHE, "Content-Security-Policy": ADMIN_CONSOLE_POLICY},
    )


@router.get("/admin/texts.js")
def console_texts() -> Response:
    return Response(texts_module(), media_type=_TYPES[".js"], headers=_NO_CACHE)


@router.get("/admin/{name}")
def console_asset(name: str) -> Response:
    suffix = name[name.rfind(".") :] if "." in name else ""
    asset = _CONSOLE / name
    if suffix not in _TYPES or "/" in name or name.startswith(".") or not asset.is_file():
        raise ApiError(404, "request.not_found")
    return Response(asset.read_bytes(), media_type=_TYPES[suffix], headers=_NO_CACHE)
