"""The API docs at /docs: Swagger UI served by the relay itself.

FastAPI's own docs page loads Swagger UI from a CDN and starts it with an inline script; a relay
that agents reach from locked-down networks serves every byte itself, under a CSP that allows
no inline script. Swagger UI's files come from the ``fastapi-offline`` distribution.
"""

from __future__ import annotations

from html import escape
from importlib import resources

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, HTMLResponse

from ..errors import ApiError
from ..headers import DOCS_PAGE_POLICY

router = APIRouter(include_in_schema=False)

_ASSETS = {
    "swagger-ui-bundle.js": resources.files("fastapi_offline") / "static" / "swagger-ui-bundle.js",
    "swagger-ui.css": resources.files("fastapi_offline") / "static" / "swagger-ui.css",
    "favicon.png": resources.files("fastapi_offline") / "static" / "favicon.png",
    "swagger-init.js": resources.files("smsrelay") / "docs" / "swagger-init.js",
}

_PAGE = """<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>{title} – API</title>
  <link rel="icon" href="{root}/docs/assets/favicon.png">
  <link rel="stylesheet" href="{root}/docs/assets/swagger-ui.css">
</head>
<body>
  <div id="swagger-ui" data-openapi="{root}{openapi}"></div>
  <script src="{root}/docs/assets/swagger-ui-bundle.js"></script>
  <script src="{root}/docs/assets/swagger-init.js"></script>
</body>
</html>
"""


@router.get("/docs")
def docs_page(request: Request) -> HTMLResponse:
    root = escape(request.scope.get("root_path", ""))
    page = _PAGE.format(
        title=escape(request.app.title), root=root, openapi=escape(request.app.openapi_url or "")
    )
    return HTMLResponse(
        page, headers={"Cache-Control": "no-cache", "Content-Security-Policy": DOCS_PAGE_POLICY}
    )


@router.get("/docs/assets/{name}")
def docs_asset(name: str) -> FileResponse:
    asset = _ASSETS.get(name)
    if asset is None:
        raise ApiError(404, "request.not_found")
    with resources.as_file(asset) as path:
        return FileResponse(path, headers={"Cache-Control": "public, max-age=86400"})
