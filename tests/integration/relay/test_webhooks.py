"""Webhooks on SQLite and PostgreSQL, to a real receiver process that verifies every request
with the ``standardwebhooks`` package — what a CRM installs — and counts them: every event
arrives, in order per conversation; a receiver answering 500 gets everything once it is back;
"redeliver"; a replayed request is refused by its timestamp; a webhook's address that is not
http(s) is refused by the admin API, translated, and nothing is saved."""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from smsrelay.admin.access import new_platform_key
from smsrelay.app import create_app
from smsrelay.auth import mint_token
from smsrelay.relay import Relay
from smsrelay.settings import RelaySettings, parse_settings
from smsrelay.tenants.webhooks import new_secret
from tests.support.peers.postgres import database_url, postgres_database  # noqa: F401
from tests.support.peers.webhook_receiver import ReceiverClient, run_webhook_receiver
from tests.support.processes import wait_until
from tests.support.relaykit import auth, relay_config, send, wait_for_status

SECRET = new_secret()
PLATFORM_KEY, PLATFORM_HASH = new_platform_key()
NUMBERS = ("+4915112345678", "+4915187654321")


@pytest.fixture(scope="module")
def receiver() -> Iterator[ReceiverClient]:
    with run_webhook_receiver(SECRET) as running:
        yield running


@pytest.fixture
def settings(tmp_path: Path, database_url: str, receiver: ReceiverClient) -> RelaySettings:  # noqa: F811
    receiver.reset()
    webhook = {"id": "crm", "url": receiver.url(), "secret": SECRET, "include": ["number"]}
    config = relay_config(webhooks=[webhook])
    config["relay"].update(
        database_url=database_url,
        platform_key_sha256=[PLATFORM_HASH],
        webhook_retry_base_seconds=0.2,
        webhook_retry_max_seconds=0.5,
        webhook_poll_seconds=0.1,
        webhook_private_networks=True,  # the receiver is on 127.0.0.1
    )
    return parse_settings(config, data_dir=tmp_path)


@pytest.fixture
def client(settings: RelaySettings) -> Iterator[TestClient]:
    with TestClient(create_app(settings)) as test_client:
        yield test_client


def agent(settings: RelaySettings) -> str:
    return mint_token(settings, tenant="acme", agent="agent-1")


def admin(settings: RelaySettings, tenant: str = "acme", lang: str | None = None) -> dict[str, str]:
    return auth(mint_token(settings, tenant=tenant, agent="boss", role="admin"), lang)


def relay_of(client: TestClient) -> Relay:
    relay: Relay = client.app.state.relay  # type: ignore[attr-defined]
    return relay


def events(receiver: ReceiverClient) -> list[dict[str, Any]]:
    return [delivery["event"] for delivery in receiver.received()]


def send_to(client: TestClient, token: str, count: int) -> list[str]:
    """``count`` messages, alternating between two customers (two conversations)."""
    ids = []
    for i in range(count):
        answer = send(client, token, key=f"k-{i}", to=NUMBERS[i % 2], text=f"Nachricht {i}")
        assert answer.status_code == 202, answer.text
        ids.append(answer.json()["id"])
    return ids


def test_every_event_arrives_verified_and_in_order_per_conversation(
    client: TestClient, settings: RelaySettings, receiver: ReceiverClient
) -> None:
    token = agent(settings)
    ids = send_to(client, token, 10)
    for message_id in ids:
        wait_for_status(client, token, message_id, {"delivered"})
    relay_of(client).store.optouts.add("acme", NUMBERS[0], "cli", int(time.time() * 1000))
    expected = 3 * len(ids) + 1  # queued, submitted, delivered; the opt-out
    assert wait_until(lambda: len(receiver.received()) >= expected, 15), receiver.refused()
    got = events(receiver)
    assert receiver.refused() == {"refused": [], "failed": 0}
    assert len(got) == expected and len({e["id"] for e in got}) == expected
    for event in got:
        assert event["tenant"] == "acme" and event["id"].startswith("evt_")
    # Per conversation (customer), in the order the events table has them.
    log = relay_of(client).store.events_since(0, 1000)
    table_order = {(e.event.message_id or e.event.number, e.event.status): e.event.id for e in log}

    def key(event: dict[str, Any]) -> tuple[str, str]:
        data = event["data"]
        if event["type"] == "optout.changed":
            return (data["number"], "opted_out")
        return (data["message_id"], data["status"])

    by_customer: dict[str, list[int]] = defaultdict(list)
    for event in got:
        customer = event["data"].get("to") or event["data"].get("number")
        by_customer[customer].append(table_order[key(event)])
    assert set(by_customer) == set(NUMBERS)
    for arrived in by_customer.values():
        assert arrived == sorted(arrived)
    statuses = [e["data"]["status"] for e in got if e["data"].get("message_id") == ids[0]]
    assert statuses == ["queued", "submitted", "delivered"]
    # No text: the tenant allowed the number only.
    assert not any("text" in e["data"] for e in got)
    # The delivery log says the same.
    log_page = client.get(
        "/v1/admin/tenants/acme/webhooks/deliveries?limit=200", headers=admin(settings)
    )
    assert log_page.status_code == 200
    assert {d["state"] for d in log_page.json()["items"]} == {"delivered"}
    assert len(log_page.json()["items"]) == expected


def test_a_receiver_answering_500_gets_every_event_once_it_is_back(
    client: TestClient, settings: RelaySettings, receiver: ReceiverClient
) -> None:
    down_until = time.time() + 6
    receiver.configure(fail_status=500, fail_until=down_until)
    token = agent(settings)
    ids = send_to(client, token, 4)
    # Each conversation's first event is tried (and refused), the others wait behind it.
    assert wait_until(lambda: receiver.refused()["failed"] >= 4, 5), receiver.refused()
    assert receiver.received() == [] and time.time() < down_until
    log = client.get("/v1/admin/tenants/acme/webhooks/deliveries", headers=admin(settings)).json()
    waiting = [d for d in log["items"] if d["state"] == "pending" and d["attempts"]]
    assert waiting and waiting[0]["last_status"] == 500 and waiting[0]["last_error"] == "HTTP 500"
    for message_id in ids:
        wait_for_status(client, token, message_id, {"delivered"})
    assert wait_until(lambda: len(receiver.received()) >= 12, 15), receiver.refused()
    assert min(d["arrived"] for d in receiver.received()) >= down_until
    got = events(receiver)
    assert sorted(e["data"]["message_id"] for e in got) == sorted(ids * 3)
    for message_id in ids:  # the retries kept each message's order
        assert [e["data"]["status"] for e in got if e["data"]["message_id"] == message_id] == [
            "queued",
            "submitted",
            "delivered",
        ]


def test_redeliver_sends_the_same_event_again_and_the_log_shows_every_attempt(
    client: TestClient, settings: RelaySettings, receiver: ReceiverClient
) -> None:
    token = agent(settings)
    (message_id,) = send_to(client, token, 1)
    assert wait_until(lambda: len(receiver.received()) >= 1, 10)
    log = client.get(
        f"/v1/admin/tenants/acme/webhooks/deliveries?message_id={message_id}&type=message.accepted",
        headers=admin(settings),
    ).json()["items"]
    (first,) = log
    assert first["state"] == "delivered" and first["attempts"] == 1
    again = client.post(
        f"/v1/admin/tenants/acme/webhooks/deliveries/{first['id']}/redeliver",
        headers=admin(settings),
    )
    assert again.status_code == 202, again.text
    assert (
        again.json()["redelivery_of"] == first["id"]
        and again.json()["event_id"] == first["event_id"]
    )

    def twice() -> list[dict[str, Any]]:
        return [d for d in receiver.received() if d["headers"]["webhook-id"] == first["event_id"]]

    assert wait_until(lambda: len(twice()) == 2, 10)
    one, two = twice()
    assert one["body"] == two["body"]  # the CRM drops the second by its webhook-id
    assert one["headers"]["webhook-timestamp"] <= two["headers"]["webhook-timestamp"]
    detail = client.get(
        f"/v1/admin/tenants/acme/webhooks/deliveries/{first['id']}", headers=admin(settings)
    ).json()
    assert detail["payload"]["data"]["message_id"] == message_id
    assert [a["status"] for a in detail["attempts_log"]] == [204]
    # Another tenant's administrator sees none of it; an unknown delivery is a 404.
    other = client.get(
        f"/v1/admin/tenants/acme/webhooks/deliveries/{first['id']}",
        headers=admin(settings, "other"),
    )
    assert other.status_code == 403 and other.json()["code"] == "admin.other_tenant"
    missing = client.post(
        "/v1/admin/tenants/acme/webhooks/deliveries/999999/redeliver",
        headers=admin(settings, lang="de"),
    )
    assert missing.status_code == 404
    assert missing.json()["message"] == "Diese Webhook-Zustellung gibt es nicht."


def test_a_replayed_request_is_refused_by_its_timestamp_and_a_forged_one_by_its_signature(
    client: TestClient, settings: RelaySettings, receiver: ReceiverClient
) -> None:
    send_to(client, agent(settings), 1)
    assert wait_until(lambda: len(receiver.received()) >= 1, 10)
    captured = receiver.received()[0]
    # Sent again at once it verifies (the CRM drops it by its webhook-id); six minutes later
    # the library refuses it — the timestamp is part of what is signed, so it cannot be moved.
    assert receiver.replay(captured).status_code == 204
    receiver.configure(clock_offset=6 * 60)
    try:
        late = receiver.replay(captured)
        assert late.status_code == 400 and "too old" in late.json()["error"]
        fresh = str(int(time.time()) + 6 * 60)
        forged = receiver.replay(captured, **{"webhook-timestamp": fresh})
        assert forged.status_code == 400 and "No matching signature" in forged.json()["error"]
    finally:
        receiver.configure(clock_offset=0)


def save_webhooks(
    client: TestClient, headers: dict[str, str], webhooks: list[dict[str, Any]]
) -> httpx.Response:
    current = client.get("/v1/admin/tenants/acme", headers=headers).json()
    settings = {**current["settings"], "webhooks": webhooks}
    return client.put(
        "/v1/admin/tenants/acme",
        json={"revision": current["revision"], "settings": settings},
        headers=headers,
    )


@pytest.mark.parametrize(
    ("lang", "message"),
    [
        (
            "de",
            "Die Adresse des Webhooks (webhooks[0].url) muss mit http:// oder https:// beginnen",
        ),
        ("en", "The webhook's address (webhooks[0].url) must start with http:// or https://"),
    ],
)
def test_a_webhook_address_that_is_not_http_is_refused_translated_and_nothing_is_saved(
    client: TestClient, settings: RelaySettings, lang: str, message: str
) -> None:
    headers = admin(settings, lang=lang)
    before = client.get("/v1/admin/tenants/acme", headers=headers).json()
    for url in ("ftp://crm.example/hooks", "crm.example/hooks", "https://user:pw@crm.example/"):
        answer = save_webhooks(client, headers, [{"id": "crm", "url": url}])
        assert answer.status_code == 422, answer.text
        body = answer.json()
        assert (body["code"], body["field"]) == ("admin.webhook_url_invalid", "webhooks[0].url")
        assert body["message"].startswith(message)
    secret = save_webhooks(client, headers, [{"id": "crm", "url": "https://x/", "secret": SECRET}])
    assert secret.status_code == 422 and secret.json()["field"] == "webhooks[0].secret"
    wrong = save_webhooks(
        client, headers, [{"id": "crm", "url": "https://x/", "include": ["email"]}]
    )
    assert wrong.status_code == 422 and wrong.json()["field"] == "webhooks[0].include[0]"
    after = client.get("/v1/admin/tenants/acme", headers=headers).json()
    assert after["revision"] == before["revision"]


def test_a_new_webhooks_secret_is_shown_once_and_a_rotation_signs_with_both_for_a_while(
    client: TestClient, settings: RelaySettings, receiver: ReceiverClient
) -> None:
    headers = admin(settings)
    webhooks = [
        {"id": "crm", "url": receiver.url()},
        {"id": "erp", "url": receiver.url("erp"), "events": ["message.accepted"]},
    ]
    saved = save_webhooks(client, headers, webhooks)
    assert saved.status_code == 200, saved.text
    assert list(saved.json()["webhook_secrets"]) == ["erp"]  # crm keeps its own
    erp_secret = saved.json()["webhook_secrets"]["erp"]
    assert erp_secret.startswith("whsec_")
    shown = client.get("/v1/admin/tenants/acme", headers=headers).text
    revisions = client.get("/v1/admin/tenants/acme/revisions", headers=headers).text
    assert "whsec_" not in shown and "whsec_" not in revisions
    # The receiver knows crm's secret only: erp's webhooks are refused, crm's verified.
    send_to(client, agent(settings), 1)
    assert wait_until(lambda: receiver.refused()["refused"], 10)
    assert {d["hook"] for d in receiver.received()} <= {"crm"}
    rotated = client.post("/v1/admin/tenants/acme/webhooks/crm/secret", json={}, headers=headers)
    assert rotated.status_code == 200, rotated.text
    new = rotated.json()["secret"]
    assert new.startswith("whsec_") and new != SECRET
    receiver.reset()
    token = agent(settings)
    answer = send(client, token, key="after-rotation")
    assert answer.status_code == 202
    crm = [d for d in _wait_for_hook(receiver, "crm")]
    signatures = crm[0]["headers"]["webhook-signature"].split(" ")
    assert len(signatures) == 2  # the new secret and the old one, until the next rotation
    retire = client.post(
        "/v1/admin/tenants/acme/webhooks/crm/secret", json={"keep_previous": False}, headers=headers
    )
    assert retire.status_code == 200
    unknown = client.post("/v1/admin/tenants/acme/webhooks/nope/secret", json={}, headers=headers)
    assert unknown.status_code == 404 and unknown.json()["code"] == "admin.webhook_not_found"


def _wait_for_hook(receiver: ReceiverClient, hook: str) -> list[dict[str, Any]]:
    def found() -> list[dict[str, Any]]:
        return [d for d in receiver.received() if d["hook"] == hook]

    assert wait_until(found, 10), receiver.refused()
    return found()


def test_an_agents_token_may_not_read_the_delivery_log(
    client: TestClient, settings: RelaySettings
) -> None:
    answer = client.get("/v1/admin/tenants/acme/webhooks/deliveries", headers=auth(agent(settings)))
    assert answer.status_code == 403 and answer.json()["code"] == "admin.not_admin"


def test_by_default_a_webhook_does_not_go_to_a_private_address(
    tmp_path: Path, receiver: ReceiverClient
) -> None:
    receiver.reset()
    webhook = {"id": "crm", "url": receiver.url(), "secret": SECRET}
    config = relay_config(webhooks=[webhook])
    config["relay"].update(webhook_poll_seconds=0.1)
    settings = parse_settings(config, data_dir=tmp_path)
    with TestClient(create_app(settings)) as client:
        send_to(client, agent(settings), 1)

        def tried() -> list[dict[str, Any]]:
            log = client.get(
                "/v1/admin/tenants/acme/webhooks/deliveries", headers=admin(settings)
            ).json()
            return [d for d in log["items"] if d["attempts"]]

        assert wait_until(tried, 10)
        error = tried()[0]["last_error"]
        assert "127.0.0.1 is not a public address" in error
        assert "webhook_private_networks" in error and tried()[0]["last_status"] is None
    assert receiver.received() == [] and receiver.refused()["refused"] == []


def test_a_new_tenants_webhooks_get_their_secrets_in_the_answer_that_creates_it(
    client: TestClient, settings: RelaySettings
) -> None:
    current = client.get("/v1/admin/tenants/acme", headers=admin(settings)).json()["settings"]
    document = {**current, "webhooks": [{"id": "crm", "url": "https://crm.example/hooks"}]}
    created = client.post(
        "/v1/admin/tenants",
        json={"id": "neu", "settings": document},
        headers=auth(PLATFORM_KEY),
    )
    assert created.status_code == 201, created.text
    assert created.json()["token_secret"]["secret"]
    assert created.json()["webhook_secrets"]["crm"].startswith("whsec_")
    shown = client.get("/v1/admin/tenants/neu", headers=auth(PLATFORM_KEY)).text
    assert "whsec_" not in shown


def test_a_customers_reply_is_a_message_received_webhook_with_what_the_tenant_allows(
    client: TestClient, settings: RelaySettings, receiver: ReceiverClient
) -> None:
    # The sandbox's +4915100000006 answers "Danke, passt!" after its delivery.
    token = agent(settings)
    answer = send(client, token, key="reply", to="+4915100000006", **{"from": "+4989123456"})
    assert answer.status_code == 202, answer.text

    def received() -> list[dict[str, Any]]:
        return [
            e for e in events(receiver) if e["type"] == "message.received" and e["tenant"] == "acme"
        ]

    assert wait_until(lambda: len(received()) == 1, 15), events(receiver)
    data = received()[0]["data"]
    stored = client.get("/v1/conversations", headers=auth(token)).json()
    assert data["from"] == "+4915100000006" and data["to"] == "+4989123456"
    assert data["message_id"].startswith("in_") and data["received_at"].endswith("Z")
    # The tenant allowed the number, not the text: the CRM reads the reply through the API.
    assert "text" not in data
    assert stored["items"][0]["last_text"] == "Danke, passt!"
