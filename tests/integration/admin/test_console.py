"""The admin console at /admin: served by the relay under its own strict CSP, every module and
word it needs there, and the demo's admin token only with the embedded demo configuration."""

from __future__ import annotations

import json
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from smsrelay.admin.console_texts import CONSOLE_TEXTS, texts_module
from smsrelay.app import create_app
from smsrelay.settings import RelaySettings, load_settings, parse_settings
from tests.support.relaykit import auth, relay_config

ROOT = Path(__file__).resolve().parents[3]
CONSOLE = ROOT / "server" / "smsrelay" / "console"
WIDGET = ROOT / "widget" / "static"


@pytest.fixture
def settings(tmp_path: Path) -> RelaySettings:
    return parse_settings(relay_config(), data_dir=tmp_path / "relay")


@pytest.fixture
def client(settings: RelaySettings) -> Iterator[TestClient]:
    with TestClient(create_app(settings, dispatch=False)) as test_client:
        yield test_client


@pytest.fixture
def demo(tmp_path: Path) -> Iterator[TestClient]:
    app = create_app(load_settings(data_dir=tmp_path / "demo"), demo=True)
    with TestClient(app) as test_client:
        yield test_client


def directives(policy: str) -> dict[str, list[str]]:
    return {name: values for name, *values in (p.split() for p in policy.split(";"))}


def test_the_console_page_allows_only_its_own_files_and_the_compose_worker(
    client: TestClient,
) -> None:
    page = client.get("/admin")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    policy = directives(page.headers["content-security-policy"])
    assert policy["default-src"] == ["'none'"]
    assert policy["script-src"] == ["'self'", "'wasm-unsafe-eval'"]  # Pyodide, no eval
    assert policy["style-src"] == ["'self'"]  # no inline style either
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["form-action"] == ["'none'"]
    html = page.text
    assert re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html) is None  # no inline script
    assert re.search(r"\sstyle=|<style", html) is None
    assert "cdn" not in html.lower()
    for url in re.findall(r'(?:src|href)="(/[^"]+)"', html):
        answer = client.get(url)
        assert answer.status_code == 200, url
        assert answer.headers["cache-control"] == "no-cache", url


def _imports(source: str) -> list[str]:
    return re.findall(r'^import\s[^;]*?from\s+"([^"]+)";', source, re.M | re.S)


def test_every_module_the_console_imports_is_served_as_javascript(client: TestClient) -> None:
    todo = ["/admin/console.js"]
    seen: set[str] = set()
    while todo:
        url = todo.pop()
        if url in seen:
            continue
        seen.add(url)
        answer = client.get(url)
        assert answer.status_code == 200, url
        assert answer.headers["content-type"].startswith("text/javascript"), url
        for target in _imports(answer.text):
            todo.append(target if target.startswith("/") else url.rsplit("/", 1)[0] + target[1:])
    assert {"/admin/texts.js", "/widget/core-client.js", "/widget/dom.js"} <= seen
    assert client.get("/admin/console.css").headers["content-type"].startswith("text/css")
    for missing in ("/admin/nope.js", "/admin/index.html", "/admin/..%2Fdemo.toml", "/admin/.x.js"):
        assert client.get(missing).status_code == 404, missing


def test_every_module_stays_within_the_budget_of_400_lines() -> None:
    for path in CONSOLE.glob("*.js"):
        assert len(path.read_text("utf-8").splitlines()) <= 400, path.name


def test_every_word_the_console_uses_is_there_in_german_and_english() -> None:
    for key, texts in CONSOLE_TEXTS.items():
        assert set(texts) == {"de", "en"} and all(texts.values()), key
    used = set(re.findall(r'data-text="(\w+)"', (CONSOLE / "index.html").read_text("utf-8")))
    for path in CONSOLE.glob("*.js"):
        used |= set(re.findall(r'\bt\(\s*"(\w+)"', path.read_text("utf-8")))
        used |= {f"kind_{k}" for k in ("number", "short_code", "alphanumeric")}
    assert used - set(CONSOLE_TEXTS) == set()


def test_the_texts_module_is_valid_javascript_with_both_languages(tmp_path: Path) -> None:
    module = tmp_path / "texts.mjs"
    module.write_text(texts_module(), encoding="utf-8")
    script = f"import t from {json.dumps(module.as_uri())}; console.log(JSON.stringify(t));"
    result = subprocess.run(
        ["node", "--input-type=module", "-e", script], capture_output=True, text=True, check=True
    )
    texts = json.loads(result.stdout)
    assert texts["languages"] == ["de", "en"]
    assert texts["texts"]["de"]["save"] == "Änderungen speichern"
    assert texts["texts"]["en"]["save"] == "Save changes"


def test_the_demo_mints_an_admin_token_for_its_tenant_only_in_the_demo(
    client: TestClient, demo: TestClient
) -> None:
    assert client.post("/demo/admin-token").status_code == 404
    minted = demo.post("/demo/admin-token")
    assert minted.status_code == 200
    body = minted.json()
    assert (body["tenant"], body["agent"]) == ("demo", "demo-admin")
    tenant = demo.get("/v1/admin/tenants/demo", headers=auth(body["token"]))
    assert tenant.status_code == 200 and tenant.json()["revision"] == 1
    # The agent's demo token is no admin's.
    agent = demo.post("/demo/token").json()["token"]
    refused = demo.get("/v1/admin/tenants/demo", headers=auth(agent))
    assert refused.json()["code"] == "admin.not_admin"
    page = demo.get("/demo").text
    assert 'data-testid="demo-admin-link"' in page and 'href="/admin"' in page
