"""What the relay writes to its logs while it works: no customer number, no message text, no
token and no secret — not even in the URLs of Kannel's sendsms requests, which carry all of
them. The relay runs a real send through the sandbox and through a Kannel-compatible HTTP
server on 127.0.0.1, a refused send, a forged token and a customer's STOP, with every logger
at DEBUG."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient

from smsrelay.app import create_app
from smsrelay.auth import mint_token
from smsrelay.gateways.kannel.urls import inbound_key
from smsrelay.settings import parse_settings
from tests.support.relaykit import SECRET, auth, relay_config, send, wait_for_status

NUMBER = "+4915112345678"
TEXT = "Ihr Geheimcode lautet 4711-Zebra"
KANNEL_PASSWORD = "kannel-pass-Xy9"
CALLBACK_SECRET = "callback-secret-0123456789-0123456789"


class FakeSendsms(BaseHTTPRequestHandler):
    """Answers like Kannel's smsbox: every sendsms is accepted."""

    requests: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        FakeSendsms.requests.append(self.path)
        body = b"0: Accepted for delivery"
        self.send_response(202)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *_args: object) -> None:  # this server's own log is not the relay's
        pass


@pytest.fixture
def kannel_url() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeSendsms)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/cgi-bin/sendsms"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def secrets_in(text: str, token: str) -> list[str]:
    return [s for s in (token, SECRET, KANNEL_PASSWORD, CALLBACK_SECRET) if s in text]


def customer_data_in(text: str) -> list[str]:
    forms = [NUMBER, NUMBER[1:], "15112345678", TEXT, "Geheimcode", quote(TEXT), "4711-Zebra"]
    return [f for f in forms if f in text]


def test_a_working_relay_logs_no_number_text_token_or_secret(
    tmp_path: Path, kannel_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    config = relay_config()
    config["relay"]["callback_secret"] = CALLBACK_SECRET
    config["gateways"]["k1"] = {"type": "kannel", "sendsms_url": kannel_url,
                                "username": "relay", "password": KANNEL_PASSWORD}  # fmt: skip
    tenant = config["tenants"]["acme"]
    tenant["senders"].append({"address": "+4930555555", "gateway": "k1"})
    tenant["queues"][0]["senders"].append("+4930555555")
    settings = parse_settings(config, data_dir=tmp_path)
    token = mint_token(settings, tenant="acme", agent="alice")
    caplog.set_level(logging.DEBUG)

    with TestClient(create_app(settings)) as client:
        sandbox = send(client, token, key="a", to=NUMBER, text=TEXT).json()["id"]
        kannel = send(client, token, key="b", to=NUMBER, text=TEXT, **{"from": "+4930555555"})
        assert kannel.status_code == 202, kannel.text
        assert wait_for_status(client, token, sandbox, {"delivered"})["status"] == "delivered"
        submitted = wait_for_status(client, token, kannel.json()["id"], {"submitted"})
        assert submitted["status"] == "submitted"
        send(client, token, key="c", to="+4930123", text=TEXT)  # refused: not a mobile
        client.get("/v1/compose-config", headers=auth(token + "x"))  # forged token
        client.get("/v1/events", params={"access_token": token + "x"})
        params = {"key": inbound_key(CALLBACK_SECRET, "k1"), "from": NUMBER,
                  "to": "+4930555555", "text": "STOP"}  # fmt: skip
        assert client.get("/v1/inbound/kannel/k1", params=params).status_code == 200
        assert send(client, token, key="d", to=NUMBER, text=TEXT).status_code == 422

    assert len(FakeSendsms.requests) >= 1  # the Kannel send really went out over HTTP
    assert any(KANNEL_PASSWORD in path for path in FakeSendsms.requests)
    # httpx2 is the test client's own HTTP library (the relay's client is httpx): its lines are
    # the test's requests, not something the relay logged.
    records = [r for r in caplog.records if not r.name.startswith("httpx2")]
    assert any(r.name == "httpx" for r in records), "the Kannel request was logged"
    assert any("accepted" in r.getMessage() for r in records)
    for record in records:
        logged = record.getMessage() + (record.exc_text or "")
        assert not secrets_in(logged, token), (record.name, logged)
        if record.levelno >= logging.INFO:
            assert not customer_data_in(logged), (record.name, logged)
