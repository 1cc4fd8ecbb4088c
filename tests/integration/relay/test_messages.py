"""Sending through the relay: re-checked, stored before 202, idempotent, then dispatched."""

from __future__ import annotations

import sqlite3

from fastapi.testclient import TestClient

from smsrelay.gateways.sandbox import EXPIRED, FLAKY, REJECTED, SILENT, UNDELIVERED
from smsrelay.settings import RelaySettings
from tests.support.relaykit import MOBILE, auth, send, wait_for_status


def test_a_valid_message_is_stored_before_the_202_and_then_delivered(
    client: TestClient, settings: RelaySettings, token
) -> None:
    response = send(client, token(), text="x" * 200)
    assert response.status_code == 202
    answer = response.json()
    assert answer["status"] == "queued"
    assert (answer["encoding"], answer["segments"], answer["units"]) == ("GSM_7BIT", 2, 200)
    assert answer["cost"] == {"amount": 0.1, "currency": "EUR"}
    database = sqlite3.connect(settings.data_dir / "relay.db")
    stored = database.execute("SELECT text, to_number FROM messages WHERE id = ?", (answer["id"],))
    assert stored.fetchone() == ("x" * 200, MOBILE)
    final = wait_for_status(client, token(), answer["id"], {"delivered"})
    assert final["status"] == "delivered"


def test_the_number_is_stored_in_e164_whatever_the_agent_typed(client: TestClient, token) -> None:
    answer = send(client, token(), to="0151 1234-5678").json()
    assert client.get(f"/v1/messages/{answer['id']}", headers=auth(token())).json()["to"] == MOBILE


def test_the_same_key_and_body_give_the_same_answer_and_one_message(
    client: TestClient, token
) -> None:
    first = send(client, token(), key="same")
    again = send(client, token(), key="same")
    assert again.status_code == 202
    assert again.json() == first.json()
    assert again.headers["Idempotent-Replayed"] == "true"
    history = client.get("/v1/messages", headers=auth(token())).json()["items"]
    assert [m["id"] for m in history] == [first.json()["id"]]


def test_the_same_key_with_another_body_is_a_conflict(client: TestClient, token) -> None:
    send(client, token(), key="same", text="one")
    response = send(client, token(), key="same", text="two", lang="en")
    assert response.status_code == 409
    assert response.json()["code"] == "request.idempotency_conflict"
    assert "different message" in response.json()["message"]


def test_keys_belong_to_one_agent(client: TestClient, token) -> None:
    first = send(client, token("a"), key="shared").json()
    second = send(client, token("b"), key="shared", text="other").json()
    assert first["id"] != second["id"]


def test_the_idempotency_key_is_required(client: TestClient, token) -> None:
    response = client.post(
        "/v1/messages",
        json={"queue_id": "service", "from": "ACME", "to": MOBILE, "text": "x"},
        headers=auth(token()),
    )
    assert response.status_code == 400
    assert response.json()["field"] == "Idempotency-Key"


def test_a_sender_the_agent_may_not_use_is_forbidden(client: TestClient, token) -> None:
    response = send(client, token(), queue_id="sales", **{"from": "+4989123456"})
    assert response.status_code == 403
    assert response.json()["code"] == "compose.sender_not_allowed"


def test_a_queue_outside_the_token_is_forbidden(client: TestClient, token) -> None:
    response = send(client, token(queues=["sales"]), queue_id="service")
    assert response.status_code == 403
    assert response.json()["code"] == "auth.queue_not_allowed"


def test_an_invalid_number_is_refused_in_the_agents_language(client: TestClient, token) -> None:
    german = send(client, token(), to="089 1234567", lang="de")
    english = send(client, token(), to="089 1234567", lang="en", key="k2")
    assert german.status_code == english.status_code == 422
    assert german.json()["code"] == "phone.type_not_allowed"
    assert german.json()["field"] == "to"
    assert "Festnetz" in german.json()["message"]
    assert "landline" in english.json()["message"]


def test_a_country_outside_the_allow_list_is_refused(client: TestClient, token) -> None:
    response = send(client, token(), to="+33612345678")
    assert response.status_code == 422
    assert response.json()["code"] == "phone.country_not_allowed"


def test_too_many_segments_are_refused(client: TestClient, token) -> None:
    response = send(client, token(), text="a" * 500)
    assert response.status_code == 422
    assert response.json()["code"] == "compose.too_many_segments"


def test_an_unfilled_placeholder_is_refused(client: TestClient, token) -> None:
    response = send(client, token(), text="Hallo {{customer.first_name}}")
    assert response.status_code == 422
    assert response.json()["code"] == "template.missing_value"


def test_every_problem_is_listed(client: TestClient, token) -> None:
    response = send(client, token(), to="12", text="{{x}}" + "a" * 500)
    codes = [p["code"] for p in response.json()["problems"]]
    assert "template.missing_value" in codes and "compose.too_many_segments" in codes


def test_the_senders_national_tables_are_used(client: TestClient, token) -> None:
    answer = send(client, token(), text="Günaydın, iyi şanslar!", **{"from": "+4930123456"}).json()
    assert answer["encoding"] == "GSM_7BIT"
    plain = send(client, token(), key="k2", text="Günaydın, iyi şanslar!").json()
    assert plain["encoding"] == "UCS2"


def test_sandbox_test_numbers_show_every_outcome(client: TestClient, token) -> None:
    undelivered = send(client, token(), key="u", to=UNDELIVERED).json()["id"]
    rejected = send(client, token(), key="r", to=REJECTED).json()["id"]
    flaky = send(client, token(), key="f", to=FLAKY).json()["id"]
    expired = send(client, token(), key="e", to=EXPIRED).json()["id"]
    absent = wait_for_status(client, token(), undelivered, {"undelivered"})
    assert (absent["status"], absent["reason_code"]) == ("undelivered", "absent_subscriber")
    failed = wait_for_status(client, token(), rejected, {"failed"})
    assert failed["status"] == "failed" and "rejected" in failed["reason"]
    assert failed["reason_code"] == "rejected"
    late = wait_for_status(client, token(), expired, {"expired"})
    assert (late["status"], late["reason_code"]) == ("expired", "expired")
    retried = wait_for_status(client, token(), flaky, {"delivered"})
    assert (retried["status"], retried["reason_code"]) == ("delivered", None)


def test_a_message_the_network_never_reports_on_ends_unknown_not_submitted(tmp_path) -> None:
    from smsrelay.app import create_app
    from smsrelay.auth import mint_token
    from smsrelay.settings import parse_settings
    from tests.support.relaykit import relay_config

    config = relay_config()
    config["relay"].update(
        receipt_wait_seconds=1, receipt_grace_seconds=0, receipt_sweep_seconds=0.1
    )
    settings = parse_settings(config, data_dir=tmp_path)
    with TestClient(create_app(settings)) as client:
        agent = mint_token(settings, tenant="acme", agent="a")
        silent = send(client, agent, to=SILENT).json()["id"]
        assert wait_for_status(client, agent, silent, {"submitted"})["status"] == "submitted"
        resolved = wait_for_status(client, agent, silent, {"unknown"})
        assert (resolved["status"], resolved["reason_code"]) == ("unknown", "no_receipt")


def test_history_is_paginated_newest_first(client: TestClient, token) -> None:
    ids = [send(client, token(), key=f"k{i}", text=f"m{i}").json()["id"] for i in range(5)]
    first = client.get("/v1/messages?limit=2", headers=auth(token())).json()
    assert [m["id"] for m in first["items"]] == ids[::-1][:2]
    second = client.get(f"/v1/messages?limit=2&before={first['next']}", headers=auth(token()))
    assert [m["id"] for m in second.json()["items"]] == ids[::-1][2:4]


def test_an_agent_cannot_read_another_agents_messages(client: TestClient, token) -> None:
    message_id = send(client, token("a")).json()["id"]
    assert client.get(f"/v1/messages/{message_id}", headers=auth(token("b"))).status_code == 404
    assert client.get("/v1/messages", headers=auth(token("b"))).json()["items"] == []
    other_tenant = token("a", tenant="other")
    assert client.get(f"/v1/messages/{message_id}", headers=auth(other_tenant)).status_code == 404


def test_an_agent_over_the_rate_limit_is_told_when_to_retry(tmp_path) -> None:
    from smsrelay.app import create_app
    from smsrelay.auth import mint_token
    from smsrelay.settings import parse_settings
    from tests.support.relaykit import relay_config

    settings = parse_settings(relay_config(agent_rate_per_minute=3), data_dir=tmp_path)
    with TestClient(create_app(settings)) as client:
        agent = mint_token(settings, tenant="acme", agent="busy")
        answers = [send(client, agent, key=f"k{i}").status_code for i in range(4)]
        assert answers == [202, 202, 202, 429]
        limited = send(client, agent, key="k9", lang="en")
        assert 0 < int(limited.headers["Retry-After"]) <= 60
        assert limited.json()["code"] == "rate.limited"
        # A replay of an accepted message is not a new message: it still gets its answer.
        assert send(client, agent, key="k0").status_code == 202
        other = mint_token(settings, tenant="acme", agent="calm")
        assert send(client, other, key="k0").status_code == 202
