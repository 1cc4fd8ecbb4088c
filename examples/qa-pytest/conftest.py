"""The suite's stand-in for its own agent desktop: the CRM pages in ./crm, served by a small HTTP
server on http://localhost:<port> — another origin than the relay's http://127.0.0.1:<port>,
as in production. The relay, tokens, Chromium and ``sms_panel`` come from the sms-panel
pytest plugin (``pip install sms-panel-testing``)."""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from string import Template
from typing import Any

import pytest

CRM_FILES = Path(__file__).parent / "crm"


class CrmServer:
    """Serves pages registered by the tests (HTML with their headers) and the CRM's files."""

    def __init__(self) -> None:
        self.pages: dict[str, tuple[str, dict[str, str]]] = {}
        pages = self.pages

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                path = self.path.split("?")[0]
                if path in pages:
                    html, headers = pages[path]
                    self.answer(html.encode(), "text/html; charset=utf-8", headers)
                elif path == "/crm.css":
                    self.answer((CRM_FILES / "crm.css").read_bytes(), "text/css", {})
                else:
                    self.send_error(404)

            def answer(self, body: bytes, kind: str, headers: dict[str, str]) -> None:
                self.send_response(200)
                self.send_header("Content-Type", kind)
                self.send_header("Cache-Control", "no-store")
                for name, value in headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: Any) -> None:
                pass  # quiet

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.origin = f"http://localhost:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def page(
        self, path: str, template: str, headers: dict[str, str] | None = None, **values: str
    ) -> str:
        """Registers ``crm/<template>`` filled with ``values`` at ``path``; returns its URL."""
        html = Template((CRM_FILES / template).read_text("utf-8")).substitute(values)
        self.pages[path] = (html, headers or {})
        return f"{self.origin}{path}"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(scope="session")
def crm_server() -> Iterator[CrmServer]:
    server = CrmServer()
    yield server
    server.close()


@pytest.fixture(scope="session")
def sms_allowed_origins(crm_server: CrmServer) -> Sequence[str]:
    """The plugin adds these to the tenant's cors_origins: our CRM may embed the panel."""
    return [crm_server.origin]


class Crm:
    """Opens the CRM's pages as the signed-in agent: the CRM signs the agent's token."""

    def __init__(self, server: CrmServer, page: Any, relay_url: str, token: str, name: str) -> None:
        self.server, self.page, self.relay_url, self.token, self.name = (
            server,
            page,
            relay_url,
            token,
            name,
        )

    def open_contact(self, token: str | None = None) -> None:
        url = self.server.page(
            f"/contact/{self.name}",
            "contact.html",
            relay_url=self.relay_url,
            token=token or self.token,
        )
        self.page.goto(url)

    def open_strict_chat(self) -> None:
        """A chat page under a strict CSP (no WebAssembly, no inline anything): the iframe mode."""
        relay = self.relay_url
        csp = f"default-src 'none'; script-src {relay}; frame-src {relay}; img-src data:"
        url = self.server.page(
            f"/chat/{self.name}",
            "strict.html",
            {"Content-Security-Policy": csp},
            relay_url=self.relay_url,
            token=self.token,
        )
        self.page.goto(url)


@pytest.fixture
def crm(
    crm_server: CrmServer, page: Any, sms_relay: Any, sms_agent_token: str, sms_agent: str
) -> Crm:
    return Crm(crm_server, page, sms_relay.url, sms_agent_token, sms_agent)


@pytest.fixture
def console_errors(page: Any) -> Iterator[list[str]]:
    """Fails a test whose page logged an error."""
    errors: list[str] = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield errors
    assert errors == []
