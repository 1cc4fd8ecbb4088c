"""The admin API on SQLite and PostgreSQL: who may do what, settings saved as revisions and in
force at once, bad input refused whole and named, the audit log with what changed, a revert,
and the platform's tenants with their token secrets."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from smsrelay.admin.access import new_platform_key
from smsrelay.app import create_app
from smsrelay.auth import mint_token
from smsrelay.settings import RelaySettings, parse_settings
from tests.support.peers.postgres import database_url, postgres_database  # noqa: F401
from tests.support.relaykit import auth, relay_config

PLATFORM_KEY, PLATFORM_HASH = new_platform_key()


@pytest.fixture
def settings(tmp_path: Path, database_url: str) -> RelaySettings:  # noqa: F811
    config = relay_config()
    config["relay"].update(database_url=database_url, platform_key_sha256=[PLATFORM_HASH])
    return parse_settings(config, data_dir=tmp_path)


@pytest.fixture
def client(settings: RelaySettings) -> Iterator[TestClient]:
    with TestClient(create_app(settings)) as test_client:
        yield test_client


@pytest.fixture
def admin(settings: RelaySettings) -> Callable[..., dict[str, str]]:
    def headers(tenant: str = "acme", lang: str | None = None) -> dict[str, str]:
        token = mint_token(settings, tenant=tenant, agent="boss", role="admin")
        return auth(token, lang)

    return headers


def platform(lang: str | None = None) -> dict[str, str]:
    return auth(PLATFORM_KEY, lang)


def current(client: TestClient, headers: dict[str, str], tenant: str = "acme") -> dict[str, Any]:
    answer = client.get(f"/v1/admin/tenants/{tenant}", headers=headers)
    assert answer.status_code == 200, answer.text
    return answer.json()


def save(
    client: TestClient,
    headers: dict[str, str],
    change: Callable[[dict[str, Any]], None],
    *,
    tenant: str = "acme",
    revision: int | None = None,
    comment: str | None = None,
) -> Any:
    now = current(client, headers, tenant)
    settings = now["settings"]
    change(settings)
    body = {"revision": now["revision"] if revision is None else revision, "settings": settings}
    if comment:
        body["comment"] = comment
    return client.put(f"/v1/admin/tenants/{tenant}", json=body, headers=headers)


def rename_template(text: str) -> Callable[[dict[str, Any]], None]:
    def change(settings: dict[str, Any]) -> None:
        settings["templates"][0]["text"] = text

    return change


# -- who may do what ------------------------------------------------------------------------


def test_agents_get_403_and_strangers_401_on_every_admin_route(
    client: TestClient, settings: RelaySettings
) -> None:
    agent = auth(mint_token(settings, tenant="acme", agent="a"))
    routes = [
        ("GET", "/v1/admin/tenants", None),
        ("POST", "/v1/admin/tenants", {"id": "x", "settings": {}}),
        ("GET", "/v1/admin/tenants/acme", None),
        ("PUT", "/v1/admin/tenants/acme", {"revision": 1, "settings": {}}),
        ("GET", "/v1/admin/tenants/acme/revisions", None),
        ("POST", "/v1/admin/tenants/acme/revert", {"revision": 1}),
        ("POST", "/v1/admin/tenants/acme/state", {"state": "disabled"}),
        ("POST", "/v1/admin/tenants/acme/secrets", {}),
    ]
    for method, path, body in routes:
        answer = client.request(method, path, json=body, headers=agent)
        assert (answer.status_code, answer.json()["code"]) == (403, "admin.not_admin"), path
        stranger = client.request(method, path, json=body)
        assert stranger.status_code == 401, path
        forged = client.request(method, path, json=body, headers=auth("smsp_not-a-key"))
        assert forged.status_code == 401, path


def test_an_administrator_manages_only_their_own_tenant(
    client: TestClient, admin: Callable[..., dict[str, str]]
) -> None:
    mine = client.get("/v1/admin/tenants", headers=admin())
    assert [t["tenant"] for t in mine.json()["items"]] == ["acme"]
    other = client.get("/v1/admin/tenants/other", headers=admin(lang="de"))
    assert other.status_code == 403
    assert other.json()["message"] == (
        "Sie dürfen nur Ihr eigenes Unternehmen verwalten, nicht other."
    )
    for path, body in [
        ("/v1/admin/tenants", {"id": "newco", "settings": {}}),
        ("/v1/admin/tenants/acme/state", {"state": "disabled"}),
        ("/v1/admin/tenants/acme/secrets", {}),
    ]:
        answer = client.post(path, json=body, headers=admin())
        assert (answer.status_code, answer.json()["code"]) == (403, "admin.platform_only"), path


def test_the_platform_sees_and_manages_every_tenant(client: TestClient) -> None:
    listed = client.get("/v1/admin/tenants", headers=platform()).json()["items"]
    assert [t["tenant"] for t in listed] == ["acme", "other"]
    assert "token_secrets" not in listed[0]["settings"]
    assert current(client, platform(), "other")["revision"] == 1


# -- settings as revisions ------------------------------------------------------------------


def test_a_saved_template_is_what_agents_get_at_once(
    client: TestClient, settings: RelaySettings, admin: Callable[..., dict[str, str]]
) -> None:
    saved = save(client, admin(), rename_template("Guten Tag!"), comment="friendlier")
    assert saved.status_code == 200, saved.text
    assert (saved.json()["revision"], saved.json()["author"]) == (2, "admin:boss")
    agent = auth(mint_token(settings, tenant="acme", agent="a"))
    config = client.get("/v1/compose-config", headers=agent).json()
    assert config["templates"][0]["text"] == "Guten Tag!"


def test_a_save_from_an_older_revision_is_refused_and_changes_nothing(
    client: TestClient, admin: Callable[..., dict[str, str]]
) -> None:
    assert save(client, admin(), rename_template("first")).status_code == 200
    stale = save(client, admin(lang="de"), rename_template("second"), revision=1)
    assert stale.status_code == 409
    assert stale.json()["field"] == "revision"
    assert "jetzt Stand 2" in stale.json()["message"]
    assert current(client, admin())["settings"]["templates"][0]["text"] == "first"


@pytest.mark.parametrize(
    ("change", "code", "field"),
    [
        (lambda s: s["senders"][1].update(gateway="nowhere"), "admin.invalid_setting",
         "senders[1].gateway"),
        (lambda s: s["templates"].append(dict(s["templates"][0])), "admin.invalid_setting",
         "templates[2].id"),
        (lambda s: s["templates"][0].update(text="x" * 600), "admin.template_too_long",
         "templates[0].text"),
        (lambda s: s["templates"][0].update(text="Hallo {{name}} " + "x" * 6_000),
         "request.too_long", "templates[0].text"),
        (lambda s: s["senders"][2].update(locking=["xx"]), "admin.invalid_setting",
         "senders[2].locking"),
        (lambda s: s.update(max_segments="ten"), "admin.invalid_setting", "max_segments"),
        (lambda s: s.update(token_secrets={"k": "x" * 40}), "admin.secrets_in_document",
         "token_secrets"),
        (lambda s: s.update(colour="blue"), "admin.invalid_setting", "colour"),
        (lambda s: s.update(quiet_hours={"from": "20:00", "until": "8"}), "admin.invalid_setting",
         "quiet_hours.until"),
        (lambda s: s.update(quiet_hours={"days": ["sun", "sunday"]}), "admin.invalid_setting",
         "quiet_hours.days[1]"),
        (lambda s: s.update(quiet_hours={"days": ["sun"], "mode": "later"}),
         "admin.invalid_setting", "quiet_hours.mode"),
    ],
)  # fmt: skip
def test_bad_settings_are_named_translated_and_nothing_is_saved(
    client: TestClient,
    admin: Callable[..., dict[str, str]],
    change: Callable[[dict[str, Any]], None],
    code: str,
    field: str,
) -> None:
    before = current(client, admin())
    for lang in ("de", "en"):
        answer = save(client, admin(lang=lang), change)
        assert answer.status_code == 422, answer.text
        body = answer.json()
        assert (body["code"], body["field"]) == (code, field)
        assert body["message"] and "Traceback" not in body["message"]
    assert current(client, admin()) == before


@pytest.mark.parametrize(
    ("address", "code", "messages"),
    [
        ("ACME-GmbH-Kundenservice", "sender.alphanumeric_too_long", {
            "de": "Ein Absendername darf höchstens 11 Zeichen lang sein, dieser hat 23.",
            "en": "A sender name may have at most 11 characters, this one has 23.",
        }),
        ("0891234567", "sender.number_needs_country_code", {
            "de": "Bitte geben Sie die Absendernummer mit + und Ländervorwahl ein.",
            "en": "Please enter the sender number with + and the country code.",
        }),
    ],
)  # fmt: skip
def test_a_sender_address_the_core_refuses_is_named_with_its_reason_in_the_admin_s_language(
    client: TestClient,
    admin: Callable[..., dict[str, str]],
    address: str,
    code: str,
    messages: dict[str, str],
) -> None:
    before = current(client, admin())
    for lang, message in messages.items():
        answer = save(client, admin(lang=lang), lambda s: s["senders"][1].update(address=address))
        assert answer.status_code == 422
        assert answer.json() == {"code": code, "message": message, "field": "senders[1].address"}
    assert current(client, admin()) == before


def test_the_audit_log_says_who_changed_what_and_why_and_a_revert_is_a_new_revision(
    client: TestClient, admin: Callable[..., dict[str, str]]
) -> None:
    original = current(client, admin())["settings"]["templates"][0]["text"]
    save(client, admin(), rename_template("Guten Tag!"), comment="friendlier")
    log = client.get("/v1/admin/tenants/acme/revisions", headers=admin()).json()["items"]
    assert [r["revision"] for r in log] == [2, 1]
    newest = log[0]
    assert (newest["author"], newest["comment"]) == ("admin:boss", "friendlier")
    assert newest["changes"] == [
        {"path": "templates[hi].text", "before": original, "after": "Guten Tag!"}
    ]
    by_config = client.get(
        "/v1/admin/tenants/acme/revisions?author=admin:boss", headers=admin()
    ).json()["items"]
    assert [r["revision"] for r in by_config] == [2]
    reverted = client.post(
        "/v1/admin/tenants/acme/revert", json={"revision": 1}, headers=admin()
    ).json()
    assert (reverted["revision"], reverted["comment"]) == (3, "back to revision 1")
    assert reverted["settings"]["templates"][0]["text"] == original
    missing = client.post("/v1/admin/tenants/acme/revert", json={"revision": 9}, headers=admin())
    assert (missing.status_code, missing.json()["code"]) == (404, "admin.revision_not_found")


# -- the platform's tenants -----------------------------------------------------------------


def test_a_new_tenants_secret_is_shown_once_and_signs_its_agents_tokens(
    client: TestClient, settings: RelaySettings
) -> None:
    acme = current(client, platform())["settings"]
    created = client.post(
        "/v1/admin/tenants", json={"id": "newco", "settings": acme}, headers=platform()
    )
    assert created.status_code == 201, created.text
    secret = created.json()["token_secret"]
    assert len(secret["secret"]) >= 32
    assert "token_secret" not in current(client, platform(), "newco")
    config = relay_config()
    config["tenants"]["newco"] = {**acme, "token_secrets": {secret["kid"]: secret["secret"]}}
    signer = parse_settings(config, data_dir=settings.data_dir)
    token = mint_token(signer, tenant="newco", agent="n")
    assert client.get("/v1/compose-config", headers=auth(token)).status_code == 200
    again = client.post(
        "/v1/admin/tenants", json={"id": "newco", "settings": acme}, headers=platform()
    )
    assert (again.status_code, again.json()["code"]) == (409, "admin.tenant_exists")
    bad_id = client.post("/v1/admin/tenants", json={"id": "New Co", "settings": acme},
                         headers=platform())  # fmt: skip
    assert (bad_id.status_code, bad_id.json()["field"]) == (422, "id")


def test_a_switched_off_tenants_tokens_stop_and_come_back(
    client: TestClient, settings: RelaySettings
) -> None:
    agent = auth(mint_token(settings, tenant="acme", agent="a"))
    assert client.get("/v1/compose-config", headers=agent).status_code == 200
    off = client.post("/v1/admin/tenants/acme/state", json={"state": "disabled"},
                      headers=platform())  # fmt: skip
    assert off.json()["state"] == "disabled"
    assert client.get("/v1/compose-config", headers=agent).status_code == 401
    client.post("/v1/admin/tenants/acme/state", json={"state": "active"}, headers=platform())
    assert client.get("/v1/compose-config", headers=agent).status_code == 200


def test_a_rotation_without_the_previous_secret_ends_its_tokens(
    client: TestClient, settings: RelaySettings
) -> None:
    old = auth(mint_token(settings, tenant="acme", agent="a"))
    kept = client.post("/v1/admin/tenants/acme/secrets", json={}, headers=platform())
    assert kept.status_code == 200
    assert client.get("/v1/compose-config", headers=old).status_code == 200
    retired = client.post(
        "/v1/admin/tenants/acme/secrets", json={"keep_previous": False}, headers=platform()
    )
    assert client.get("/v1/compose-config", headers=old).status_code == 401
    fresh = retired.json()["token_secret"]
    config = relay_config()
    config["tenants"]["acme"]["token_secrets"] = {fresh["kid"]: fresh["secret"]}
    signer = parse_settings(config, data_dir=settings.data_dir)
    token = mint_token(signer, tenant="acme", agent="a")
    assert client.get("/v1/compose-config", headers=auth(token)).status_code == 200


# -- revoking agents ------------------------------------------------------------------------


def test_a_revoked_agent_is_locked_out_at_once_for_the_rest_of_the_tokens_life(
    client: TestClient, settings: RelaySettings, admin: Callable[..., dict[str, str]]
) -> None:
    dismissed = auth(mint_token(settings, tenant="acme", agent="dismissed"), "de")
    colleague = auth(mint_token(settings, tenant="acme", agent="colleague"))
    assert client.get("/v1/compose-config", headers=dismissed).status_code == 200
    revoked = client.post(
        "/v1/admin/tenants/acme/revocations", json={"agent": "dismissed"}, headers=admin()
    )
    assert revoked.status_code == 200, revoked.text
    refused = client.get("/v1/compose-config", headers=dismissed)
    assert (refused.status_code, refused.json()["code"]) == (401, "auth.revoked")
    assert refused.json()["message"].startswith("Dieser Zugang wurde gesperrt.")
    assert client.get("/v1/compose-config", headers=colleague).status_code == 200
    log = client.get("/v1/admin/tenants/acme/revisions?limit=1", headers=admin()).json()
    assert log["items"][0]["comment"] == "revoked dismissed"
    assert log["items"][0]["author"] == "admin:boss"
    back = client.delete("/v1/admin/tenants/acme/revocations/dismissed", headers=admin())
    assert back.status_code == 200
    assert client.get("/v1/compose-config", headers=dismissed).status_code == 200
    again = client.delete("/v1/admin/tenants/acme/revocations/dismissed", headers=admin())
    assert (again.status_code, again.json()["code"]) == (404, "admin.revocation_not_found")


def test_every_token_issued_before_a_time_can_be_revoked(
    client: TestClient, settings: RelaySettings, admin: Callable[..., dict[str, str]]
) -> None:
    import time

    now = int(time.time())
    leaked = auth(mint_token(settings, tenant="acme", agent="a", now=now - 600))
    fresh = auth(mint_token(settings, tenant="acme", agent="a", now=now))
    answer = client.post(
        "/v1/admin/tenants/acme/revocations",
        json={"agent": "*", "issued_before": now - 60},
        headers=admin(),
    )
    assert answer.status_code == 200, answer.text
    assert client.get("/v1/compose-config", headers=leaked).status_code == 401
    assert client.get("/v1/compose-config", headers=fresh).status_code == 200


# -- usage ----------------------------------------------------------------------------------


def test_usage_sums_equal_what_the_gateway_was_sent(
    client: TestClient, settings: RelaySettings, admin: Callable[..., dict[str, str]]
) -> None:
    import csv
    import io
    from datetime import UTC, datetime

    from smsrelay.gateways.sandbox import REJECTED
    from tests.support.relaykit import send, wait_for_status

    alice = mint_token(settings, tenant="acme", agent="alice")
    bob = mint_token(settings, tenant="acme", agent="bob")
    sent = [
        send(client, alice, key="a1").json()["id"],
        send(client, alice, key="a2", text="x" * 200).json()["id"],  # two segments
        send(client, bob, key="b1", queue_id="sales").json()["id"],
        send(client, bob, key="b2", to=REJECTED).json()["id"],  # refused: nothing billed
    ]
    for token, message_id in zip([alice, alice, bob, bob], sent, strict=True):
        wait_for_status(client, token, message_id, {"delivered", "failed"})
    today = datetime.now(UTC).date().isoformat()
    path = f"/v1/admin/tenants/acme/usage?from={today}&to={today}"
    by_agent = client.get(path + "&by=agent,status", headers=admin()).json()
    gateway = client.app.state.relay.gateways["sandbox"]  # type: ignore[attr-defined]
    assert by_agent["totals"]["segments"] == len(gateway.sent) == 4
    assert by_agent["totals"]["messages"] == 4
    assert by_agent["totals"]["cost"] == round(4 * 0.05, 4)
    assert {(i["agent"], i["status"]): i["segments"] for i in by_agent["items"]} == {
        ("alice", "delivered"): 3,
        ("bob", "delivered"): 1,
        ("bob", "failed"): 0,
    }
    by_day = client.get(path + "&by=day,queue&format=csv", headers=admin())
    assert by_day.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(by_day.text)))
    assert [(r["day"], r["queue"], r["messages"], r["segments"]) for r in rows] == [
        (today, "sales", "1", "1"),
        (today, "service", "3", "3"),
    ]
    other = client.get(f"/v1/admin/tenants/other/usage?from={today}&to={today}", headers=admin())
    assert other.status_code == 403
    wrong = client.get(f"/v1/admin/tenants/acme/usage?from={today}&to=soon", headers=admin())
    assert (wrong.status_code, wrong.json()["field"]) == (422, "to")
