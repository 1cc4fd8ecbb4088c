"""Helpers for the relay tests: a configuration, tokens, and requests as the panel makes them."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import uvicorn
from fastapi.testclient import TestClient

from tests.support.processes import wait_until

SECRET = "test-secret-0123456789-0123456789-abcdef"
MOBILE = "+4915112345678"


def relay_config(**tenant_overrides: Any) -> dict[str, Any]:
    tenant: dict[str, Any] = {
        "language": "de",
        "default_region": "DE",
        "max_segments": 3,
        "allowed_countries": ["DE", "AT"],
        "price_per_segment": 0.05,
        "token_secrets": {"k1": SECRET, "k2": SECRET[::-1]},
        "cors_origins": ["https://crm.example"],
        "agent_rate_per_minute": 1000,
        "tenant_rate_per_minute": 5000,
        "senders": [
            {"address": "+4989123456", "label": "Hotline"},
            {"address": "ACME"},
            {"address": "+4930123456", "locking": ["tr"], "single": ["tr"]},
        ],
        "queues": [
            {"id": "service", "name": "Service", "senders": ["+4989123456", "ACME", "+4930123456"]},
            {"id": "sales", "name": "Sales", "senders": ["ACME"]},
        ],
        "templates": [
            {"id": "hi", "name": "Hi", "text": "Hallo {{customer.first_name|Kunde}}"},
            {"id": "bye", "name": "Bye", "text": "Tschüss"},
        ],
    }
    tenant.update(tenant_overrides)
    return {
        "relay": {
            "public_url": "http://testserver",
            "callback_secret": "callback-secret-0123456789-0123456789",
            "retry_base_seconds": 0.05,
            "max_attempts": 4,
        },
        "gateways": {"sandbox": {"type": "sandbox", "delivery_delay_ms": 50}},
        "tenants": {"acme": tenant, "other": {**tenant, "token_secrets": {"o1": SECRET * 2}}},
    }


def auth(token: str, lang: str | None = None) -> dict[str, str]:
    headers = {"Authorization": f"Bearer {token}"}
    if lang:
        headers["Accept-Language"] = lang
    return headers


def message(**overrides: Any) -> dict[str, Any]:
    body = {"queue_id": "service", "from": "ACME", "to": MOBILE, "text": "Hallo {Welt}"}
    body.update(overrides)
    return body


def send(
    client: TestClient, token: str, key: str = "key-1", lang: str | None = None, **overrides: Any
) -> Any:
    return client.post(
        "/v1/messages",
        json=message(**overrides),
        headers={**auth(token, lang), "Idempotency-Key": key},
    )


def wait_for_status(
    client: TestClient, token: str, message_id: str, wanted: set[str], timeout: float = 10.0
) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while True:
        body = client.get(f"/v1/messages/{message_id}", headers=auth(token)).json()
        if body["status"] in wanted or time.monotonic() > deadline:
            return body
        time.sleep(0.05)


@contextmanager
def serving(app: Any, port: int) -> Iterator[str]:
    """The relay on a real socket, in this process, for peers that call it over HTTP (Kannel's
    dlr-url and sms-service, Twilio's webhooks): its base URL."""
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    wait_until(lambda: server.started or not thread.is_alive(), timeout=10, interval=0.02)
    if not server.started:
        raise AssertionError("the relay did not start")
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)
