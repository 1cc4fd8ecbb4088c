"""What a browser is told: security headers on every answer, a CSP on the relay's own pages,
CORS only for the tenants' CRM origins, and API docs that load nothing from elsewhere."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from tests.support.relaykit import auth


def directives(policy: str) -> dict[str, list[str]]:
    parsed = {}
    for part in policy.split(";"):
        name, *values = part.split()
        parsed[name] = values
    return parsed


def test_every_kind_of_answer_carries_nosniff_and_no_referrer(client: TestClient, token) -> None:
    answers = [
        client.get("/healthz"),
        client.get("/v1/compose-config", headers=auth(token())),
        client.get("/v1/compose-config"),  # 401
        client.get("/nowhere"),  # 404
        client.get("/openapi.json"),
        client.get("/docs"),
        client.get("/docs/assets/swagger-ui.css"),
        client.get("/demo"),
        client.get("/metrics"),
    ]
    for answer in answers:
        assert answer.headers["x-content-type-options"] == "nosniff", answer.url
        assert answer.headers["referrer-policy"] == "no-referrer", answer.url


def test_the_demo_page_has_a_csp_that_allows_only_the_relay_itself(client: TestClient) -> None:
    page = client.get("/demo")
    policy = directives(page.headers["content-security-policy"])
    assert policy["default-src"] == ["'self'"]
    assert "'unsafe-inline'" not in policy["script-src"]
    assert "'unsafe-eval'" not in policy["script-src"]
    assert policy["frame-ancestors"] == ["'self'"]
    assert policy["base-uri"] == ["'none'"]


def test_the_api_docs_are_served_by_the_relay_under_a_csp_without_inline_scripts(
    client: TestClient,
) -> None:
    page = client.get("/docs")
    assert page.status_code == 200
    policy = directives(page.headers["content-security-policy"])
    assert policy["script-src"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
    html = page.text
    # Every script and stylesheet is a file on the relay, and it is there.
    urls = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert urls, html
    for url in urls:
        assert url.startswith("/"), url
        assert client.get(url).status_code == 200, url
    assert re.search(r"<script>[^<]", html) is None  # no inline script
    assert "cdn" not in html.lower()
    bundle = client.get("/docs/assets/swagger-ui-bundle.js")
    assert "SwaggerUIBundle" in bundle.text
    assert client.get("/docs/assets/../app.py").status_code == 404
    assert client.get("/redoc").status_code == 404  # ReDoc would need a CDN


def test_the_widgets_assets_carry_no_csp_that_would_stop_its_worker(tmp_path) -> None:
    from smsrelay.app import create_app
    from smsrelay.settings import parse_settings
    from tests.support.relaykit import relay_config

    (tmp_path / "worker.mjs").write_text("export {}")
    settings = parse_settings(relay_config(), data_dir=tmp_path / "data")
    settings = type(settings)(**{**settings.__dict__, "widget_dir": tmp_path})
    with TestClient(create_app(settings)) as client:
        worker = client.get("/widget/worker.mjs")
    assert worker.status_code == 200
    assert "content-security-policy" not in worker.headers
    assert worker.headers["x-content-type-options"] == "nosniff"


def test_cors_headers_go_only_to_a_configured_crm_origin(client: TestClient, token) -> None:
    allowed = client.get(
        "/v1/compose-config", headers={**auth(token()), "Origin": "https://crm.example"}
    )
    assert allowed.status_code == 200
    assert allowed.headers["access-control-allow-origin"] == "https://crm.example"
    assert "Retry-After" in allowed.headers["access-control-expose-headers"]
    for origin in ("https://evil.example", "https://crm.example.evil.example", "null"):
        other = client.get("/v1/compose-config", headers={**auth(token()), "Origin": origin})
        assert "access-control-allow-origin" not in other.headers, origin
        preflight = client.options(
            "/v1/messages",
            headers={
                "Origin": origin,
                "Access-Control-Request-Method": "POST",
                "Access-Control-Request-Headers": "authorization,content-type",
            },
        )
        assert preflight.status_code == 400, origin
        assert "access-control-allow-origin" not in preflight.headers, origin
    # Credentials (cookies) are never part of the deal: the token travels in a header.
    assert "access-control-allow-credentials" not in allowed.headers
