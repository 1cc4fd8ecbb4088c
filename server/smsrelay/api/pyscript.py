"""The PyScript recipe: ``/pyscript/config.json`` and the page ``/pyscript-demo``.

For host pages that already use PyScript: they load ``@pyscript/core`` from the relay
(``/widget/pyscript/core.js``, built by scripts/build-pyscript.mjs) and point a
``<script type="py">`` at this config, which names the relay's own Pyodide as the interpreter
and unpacks the ``smscompose`` and ``phonenumberslite`` wheels into site-packages — nothing
from a CDN, no micropip. PyScript resolves a main-thread ``interpreter`` against the host page,
not against the config, so the URLs are absolute: on the relay's ``public_url`` when it names
the host the browser asked for the config (its scheme: https behind a proxy that ends TLS,
as the relay reads no ``X-Forwarded-*`` headers), else on the URL the browser asked.
"""

from __future__ import annotations

import json
from importlib import resources
from urllib.parse import urlsplit

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse

from .deps import RelayDep
from .widget import _find_asset as find_asset

router = APIRouter(include_in_schema=False)

_DEMO = resources.files("smsrelay") / "demo"

# What PyScript needs on the main thread: 'wasm-unsafe-eval' for Pyodide, as the panel, and
# also 'unsafe-eval': @pyscript/core builds its worker hooks with Function(…) while it sets up
# any <script type="py">, in a worker or not (the panel itself never needs it).
_DEMO_CSP = (
    "default-src 'self'; script-src 'self' 'unsafe-eval' 'wasm-unsafe-eval'; "
    "style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; connect-src 'self'; worker-src 'self'; frame-ancestors 'self'; "
    "base-uri 'none'; form-action 'self'; object-src 'none'"
)


def relay_base(request: Request, relay: RelayDep) -> str:
    """The relay's URL as the browser reaches it, without a trailing slash."""
    public = relay.settings.public_url
    if urlsplit(public).netloc == request.url.netloc:
        return public
    return str(request.base_url).rstrip("/")


def pyscript_config(relay: RelayDep, base: str) -> dict[str, object]:
    """PyScript's config for the relay at ``base``: its Pyodide and its wheels."""
    manifest = json.loads(find_asset(relay, "manifest.json").read_text("utf-8"))
    lock = json.loads(find_asset(relay, f"{manifest['pyodide']}pyodide-lock.json").read_text())
    major, minor = lock["info"]["python"].split(".")[:2]
    site_packages = f"/lib/python{major}.{minor}/site-packages"
    return {
        "interpreter": f"{base}/widget/{manifest['pyodide']}pyodide.mjs",
        # A target ending in /* unpacks the archive there (Pyodide's unpackArchive).
        "files": {f"{base}/widget/{wheel}": f"{site_packages}/*" for wheel in manifest["wheels"]},
    }


@router.get("/pyscript/config.json")
def config(request: Request, relay: RelayDep) -> JSONResponse:
    config = pyscript_config(relay, relay_base(request, relay))
    return JSONResponse(config, headers={"Cache-Control": "no-cache"})


@router.get("/pyscript-demo")
def demo_page() -> HTMLResponse:
    return HTMLResponse(
        (_DEMO / "pyscript.html").read_text("utf-8"),
        headers={
            "Cache-Control": "no-cache",
            "Content-Security-Policy": _DEMO_CSP,
            "X-Content-Type-Options": "nosniff",
            "Referrer-Policy": "no-referrer",
        },
    )
