"""Tenants live in the database: a revision saved through one relay is served by another relay
on the same database within a second, without a restart — templates, CORS origins, a tenant
switched off."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from smsrelay.app import create_app
from smsrelay.auth import mint_token
from smsrelay.settings import parse_settings
from smsrelay.storage.tenants import NewRevision, TenantRevision, TenantState
from tests.support.relaykit import auth, relay_config


def wait_for(condition: Callable[[], bool], timeout: float = 5.0) -> float:
    """Seconds until ``condition`` held; fails after ``timeout``."""
    started = time.monotonic()
    while not condition():
        assert time.monotonic() - started < timeout, "not within the timeout"
        time.sleep(0.02)
    return time.monotonic() - started


def save(client: TestClient, tenant: str, change: Callable[[dict[str, Any]], None]) -> int:
    """A new revision of ``tenant`` through the relay behind ``client``'s store."""
    store = client.app.state.relay.store  # type: ignore[attr-defined]
    current = {r.tenant: r for r in store.current_tenants()}[tenant]
    document = dict(current.document)
    change(document)
    saved = store.save_revision(
        NewRevision(tenant, current.revision, TenantState.ACTIVE, document, "alice", None, 0)
    )
    assert isinstance(saved, TenantRevision)
    return saved.revision


def templates(client: TestClient, token: str) -> list[str]:
    config = client.get("/v1/compose-config", headers=auth(token)).json()
    return [t["text"] for t in config["templates"]]


def test_a_template_saved_through_one_relay_is_served_by_the_other_within_a_second(
    tmp_path: Path,
) -> None:
    settings = parse_settings(relay_config(), data_dir=tmp_path)
    with TestClient(create_app(settings)) as one, TestClient(create_app(settings)) as two:
        token = mint_token(settings, tenant="acme", agent="a")
        assert templates(two, token)[0] == "Hallo {{customer.first_name|Kunde}}"

        def friendlier(document: dict[str, Any]) -> None:
            document["templates"] = [{"id": "hi", "name": "Hi", "text": "Guten Tag!"}]

        save(one, "acme", friendlier)
        seconds = wait_for(lambda: templates(two, token) == ["Guten Tag!"])
        assert seconds < 1.0, f"{seconds:.2f} s"
        # The relay re-checks with the new revision too: a send of the new text is accepted.
        sent = two.post(
            "/v1/messages",
            json={"queue_id": "service", "from": "ACME", "to": "+4915112345678", "text": "Hi"},
            headers={**auth(token), "Idempotency-Key": "k"},
        )
        assert sent.status_code == 202


def test_an_origin_allowed_later_is_allowed_without_a_restart(tmp_path: Path) -> None:
    settings = parse_settings(relay_config(), data_dir=tmp_path)
    with TestClient(create_app(settings)) as one, TestClient(create_app(settings)) as two:
        preflight = {
            "Origin": "https://crm.new.example",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "authorization,content-type",
        }

        def allowed() -> bool:
            answer = two.options("/v1/messages", headers=preflight)
            return answer.headers.get("access-control-allow-origin") == "https://crm.new.example"

        assert not allowed()

        def new_origin(document: dict[str, Any]) -> None:
            document["cors_origins"] = [*document["cors_origins"], "https://crm.new.example"]

        save(one, "acme", new_origin)
        wait_for(allowed, timeout=2.0)


def test_a_disabled_tenants_tokens_stop_working_everywhere(tmp_path: Path) -> None:
    settings = parse_settings(relay_config(), data_dir=tmp_path)
    with TestClient(create_app(settings)) as one, TestClient(create_app(settings)) as two:
        token = mint_token(settings, tenant="acme", agent="a")
        assert two.get("/v1/compose-config", headers=auth(token)).status_code == 200
        store = one.app.state.relay.store  # type: ignore[attr-defined]
        current = {r.tenant: r for r in store.current_tenants()}["acme"]
        store.save_revision(
            NewRevision(
                "acme", current.revision, TenantState.DISABLED, current.document, "ops", None, 0
            )
        )
        wait_for(
            lambda: two.get("/v1/compose-config", headers=auth(token)).status_code == 401,
            timeout=2.0,
        )
        other = mint_token(settings, tenant="other", agent="b")
        assert two.get("/v1/compose-config", headers=auth(other)).status_code == 200
