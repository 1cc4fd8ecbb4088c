"""What the relay enforces whatever the browser sends, against misuse and SMS pumping (toll
fraud: many messages to expensive or foreign numbers): the queues and senders the token grants,
the tenant's destination countries and number types, and per-agent and per-tenant rates."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from smsrelay.app import create_app
from smsrelay.auth import mint_token
from smsrelay.settings import parse_settings
from tests.support.relaykit import relay_config, send


def test_a_sender_or_queue_the_agent_may_not_use_is_refused_with_403(
    client: TestClient, token
) -> None:
    agent = token("alice", queues=["sales"])
    cases = [
        ({"queue_id": "sales", "from": "+4989123456"}, "compose.sender_not_allowed", "from"),
        ({"queue_id": "sales", "from": "+4930999999"}, "compose.sender_not_allowed", "from"),
        ({"queue_id": "service", "from": "ACME"}, "auth.queue_not_allowed", "queue_id"),
        ({"queue_id": "nope", "from": "ACME"}, "auth.queue_not_allowed", "queue_id"),
    ]
    for i, (body, code, field) in enumerate(cases):
        for lang in ("de", "en"):
            answer = send(client, agent, key=f"k{i}{lang}", lang=lang, **body)
            assert answer.status_code == 403, answer.text
            assert (answer.json()["code"], answer.json()["field"]) == (code, field)
    assert send(client, agent, key="ok", queue_id="sales", **{"from": "ACME"}).status_code == 202


def test_only_allowed_countries_and_mobile_numbers_are_sent_to(client: TestClient, token) -> None:
    agent = token()
    refused = {
        "+33612345678": "phone.country_not_allowed",  # France: not in DE, AT
        "+2250123456789": "phone.country_not_allowed",  # Côte d'Ivoire, a pumping favourite
        "+499001234567": "phone.type_not_allowed",  # German premium rate
        "+498001234567890": "phone.type_not_allowed",  # German toll-free
        "+4930123456": "phone.type_not_allowed",  # German landline
    }
    for number, code in refused.items():
        answer = send(client, agent, key=number, to=number)
        assert answer.status_code == 422, (number, answer.text)
        assert (answer.json()["code"], answer.json()["field"]) == (code, "to")
    assert send(client, agent, key="at", to="+436641234567").status_code == 202


def test_rate_limits_per_agent_and_per_tenant_stop_a_burst(tmp_path: Path) -> None:
    config = relay_config(agent_rate_per_minute=2, tenant_rate_per_minute=3)
    settings = parse_settings(config, data_dir=tmp_path)
    alice, bob, carol = (
        mint_token(settings, tenant="acme", agent=a) for a in ("alice", "bob", "carol")
    )
    outsider = mint_token(settings, tenant="other", agent="dave")
    with TestClient(create_app(settings)) as client:
        assert [send(client, alice, key=f"a{i}").status_code for i in range(2)] == [202, 202]
        limited = send(client, alice, key="a2", lang="de")
        assert limited.status_code == 429
        assert limited.json()["code"] == "rate.limited"
        assert 1 <= int(limited.headers["retry-after"]) <= 60
        assert "erneut" in limited.json()["message"]
        # Bob has his own allowance, until the tenant's is used up for everybody.
        assert send(client, bob, key="b0").status_code == 202
        assert send(client, carol, key="c0", lang="en").status_code == 429
        # Another tenant is not held back by this one.
        assert send(client, outsider, key="d0").status_code == 202
        # A refused send is not a send: nothing was stored for it.
        assert (
            len(
                client.get("/v1/messages", headers={"Authorization": f"Bearer {alice}"}).json()[
                    "items"
                ]
            )
            == 2
        )
