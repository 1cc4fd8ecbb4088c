"""Conversations over HTTP: customers' replies through Kannel's sms-service and Twilio's
webhook, stored once (a gateway's retry is recognised), routed to the agent who last wrote or
to the queue, listed unread first, read as a thread with both directions, marked read, and
streamed to the right agents as ``received`` events. Opt-out keywords still act, and a reply
from a number that opted out is still stored."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from smsrelay.app import create_app
from smsrelay.auth import mint_token
from smsrelay.gateways.kannel.urls import inbound_key
from smsrelay.gateways.twilio.webhooks import twilio_signature
from smsrelay.settings import RelaySettings, parse_settings
from tests.support.relaykit import auth, relay_config, send, wait_for_status

CUSTOMER = "+4915112345678"
SERVICE_NUMBER = "+4989123456"
SALES_NUMBER = "+4930123456"
TWILIO_TOKEN = "twilio-auth-token"


@pytest.fixture
def settings(tmp_path: Path) -> RelaySettings:
    config = relay_config(
        senders=[{"address": SERVICE_NUMBER}, {"address": SALES_NUMBER}, {"address": "ACME"}],
        queues=[
            {"id": "service", "name": "Service", "senders": [SERVICE_NUMBER, "ACME"]},
            {"id": "sales", "name": "Sales", "senders": [SALES_NUMBER]},
        ],
        reply_window_hours=24,
    )
    config["gateways"]["k1"] = {"type": "kannel", "username": "relay", "password": "pw",
                                "sendsms_url": "http://127.0.0.1:9/cgi-bin/sendsms"}  # fmt: skip
    config["gateways"]["tw"] = {"type": "twilio", "account_sid": "AC1", "auth_token": TWILIO_TOKEN}
    return parse_settings(config, data_dir=tmp_path)


@pytest.fixture
def relay(settings: RelaySettings) -> Iterator[TestClient]:
    with TestClient(create_app(settings)) as client:
        yield client


def token(settings: RelaySettings, agent: str, queues: list[str] | None = None) -> str:
    return mint_token(settings, tenant="acme", agent=agent, queues=queues)


def kannel_reply(client: TestClient, settings: RelaySettings, text: str, *, to: str = "4989123456",
                 message_id: str | None = "kannel-id-1", **extra: str) -> Any:  # fmt: skip
    params = {"key": inbound_key(settings.callback_secret, "k1"), "from": "004915112345678",
              "to": to, "text": text, **extra}  # fmt: skip
    if message_id:
        params["id"] = message_id
    return client.get("/v1/inbound/kannel/k1", params=params)


def twilio_reply(client: TestClient, text: str, sid: str, to: str = SALES_NUMBER) -> Any:
    params = {"From": CUSTOMER, "To": to, "Body": text, "MessageSid": sid}
    signature = twilio_signature("http://testserver/v1/inbound/twilio/tw", params, TWILIO_TOKEN)
    return client.post("/v1/inbound/twilio/tw", data=params,
                       headers={"X-Twilio-Signature": signature})  # fmt: skip


def conversations(client: TestClient, agent_token: str) -> dict[str, Any]:
    answer = client.get("/v1/conversations", headers=auth(agent_token))
    assert answer.status_code == 200, answer.text
    return answer.json()


def thread(client: TestClient, agent_token: str, address: str, **params: Any) -> Any:
    return client.get(f"/v1/conversations/{CUSTOMER}", params={"from": address, **params},
                      headers=auth(agent_token))  # fmt: skip


def test_a_reply_is_stored_once_and_reaches_the_queue(
    relay: TestClient, settings: RelaySettings
) -> None:
    alice = token(settings, "alice", ["service"])
    bob = token(settings, "bob", ["sales"])
    assert kannel_reply(relay, settings, "Hallo, ist mein Paket da?").status_code == 200
    # Kannel retries the get-url with the same message id: stored once.
    assert kannel_reply(relay, settings, "Hallo, ist mein Paket da?").status_code == 200
    listed = conversations(relay, alice)
    assert listed["unread"] == 1
    (item,) = listed["items"]
    assert (item["number"], item["from"], item["queue_id"], item["agent"], item["unread"]) == (
        CUSTOMER, SERVICE_NUMBER, "service", None, 1
    )  # fmt: skip
    assert conversations(relay, bob)["items"] == []
    # Another queue's thread is not the agent's to read.
    hidden = thread(relay, bob, SERVICE_NUMBER, lang="en")
    assert (hidden.status_code, hidden.json()["code"]) == (404, "conversation.not_found")
    items = thread(relay, alice, SERVICE_NUMBER).json()["items"]
    assert [(i["direction"], i["text"]) for i in items] == [("in", "Hallo, ist mein Paket da?")]
    assert relay.post(f"/v1/conversations/{CUSTOMER}/read", params={"from": SERVICE_NUMBER},
                      headers=auth(alice)).status_code == 204  # fmt: skip
    assert conversations(relay, alice)["unread"] == 0


def test_a_reply_goes_to_the_agent_who_wrote_and_the_thread_shows_both_ways(
    relay: TestClient, settings: RelaySettings
) -> None:
    carol = token(settings, "carol", ["sales"])
    sent = send(relay, carol, key="offer", queue_id="sales", text="Unser Angebot steht.",
                **{"from": SALES_NUMBER})  # fmt: skip
    assert sent.status_code == 202, sent.text
    wait_for_status(relay, carol, sent.json()["id"], {"delivered"})
    assert twilio_reply(relay, "Klingt gut!", sid="SM1").status_code == 200
    assert twilio_reply(relay, "Klingt gut!", sid="SM1").status_code == 200  # Twilio's retry
    assert twilio_reply(relay, "Wann?", sid="SM2").status_code == 200
    (item,) = conversations(relay, carol)["items"]
    assert (item["agent"], item["unread"], item["last_text"]) == ("carol", 2, "Wann?")
    page = thread(relay, carol, SALES_NUMBER, limit=2).json()
    assert [(i["direction"], i["text"]) for i in page["items"]] == [
        ("in", "Wann?"), ("in", "Klingt gut!")
    ]  # fmt: skip
    older = thread(relay, carol, SALES_NUMBER, limit=2, before=page["next"]).json()
    (ours,) = older["items"]
    assert (ours["direction"], ours["status"], ours["agent"]) == ("out", "delivered", "carol")
    assert older["next"] is None


def test_stop_still_opts_out_and_later_replies_are_still_stored(
    relay: TestClient, settings: RelaySettings
) -> None:
    alice = token(settings, "alice", ["service"])
    assert kannel_reply(relay, settings, "STOP", message_id="m1").status_code == 200
    refused = send(relay, alice, key="after-stop", **{"from": SERVICE_NUMBER})
    assert refused.json()["code"] == "recipient.opted_out"
    assert kannel_reply(relay, settings, "Warum bekomme ich nichts mehr?",
                        message_id="m2").status_code == 200  # fmt: skip
    texts = [i["text"] for i in thread(relay, alice, SERVICE_NUMBER).json()["items"]]
    assert texts == ["Warum bekomme ich nichts mehr?", "STOP"]


def test_bad_inbound_is_refused_clearly_and_nothing_is_stored(
    relay: TestClient, settings: RelaySettings
) -> None:
    alice = token(settings, "alice", ["service"])
    forged = kannel_reply(relay, settings, "Hallo", key="0" * 64)
    assert (forged.status_code, forged.json()["code"]) == (403, "inbound.invalid")
    params = {"From": CUSTOMER, "To": SERVICE_NUMBER, "Body": "Hallo", "MessageSid": "SMx"}
    unsigned = relay.post("/v1/inbound/twilio/tw", data=params,
                          headers={"X-Twilio-Signature": "forged", "Accept-Language": "de"})  # fmt: skip
    assert unsigned.status_code == 403
    assert (
        unsigned.json()["message"] == "Die eingehende Nachricht ist ungültig oder nicht signiert."
    )
    long = kannel_reply(relay, settings, "x" * 40_001, message_id="big")
    assert (long.status_code, long.json()["code"]) == (413, "inbound.too_long")
    key = inbound_key(settings.callback_secret, "k1")
    not_utf8 = relay.get(f"/v1/inbound/kannel/k1?key={key}&from=4915112345678&to=4989123456"
                         "&text=%C3%28&id=bad")  # fmt: skip
    assert (not_utf8.status_code, not_utf8.json()["code"]) == (400, "request.not_utf8")
    assert conversations(relay, alice)["items"] == []
    # The relay goes on taking good ones.
    assert kannel_reply(relay, settings, "Hallo", message_id="good").status_code == 200
    assert len(conversations(relay, alice)["items"]) == 1


def read_received(client: TestClient, agent_token: str, count: int) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    headers = {**auth(agent_token), "Last-Event-ID": "0"}
    with client.stream("GET", "/v1/events", headers=headers) as stream:
        event = None
        for line in stream.iter_lines():
            if line.startswith("event: "):
                event = line[7:]
            elif line.startswith("data: ") and event == "received":
                found.append(json.loads(line[6:]))
                if len(found) == count:
                    break
    return found


def test_received_events_reach_the_routed_agent_or_the_queues_agents(
    relay: TestClient, settings: RelaySettings
) -> None:
    carol = token(settings, "carol", ["sales"])
    sent = send(relay, carol, key="k", queue_id="sales", **{"from": SALES_NUMBER})
    assert sent.status_code == 202
    assert twilio_reply(relay, "Für Carol", sid="SMc").status_code == 200
    assert kannel_reply(relay, settings, "Für den Service", message_id="q1").status_code == 200
    (mine,) = read_received(relay, carol, 1)
    assert (mine["text"], mine["from"], mine["to"], mine["agent"]) == (
        "Für Carol", CUSTOMER, SALES_NUMBER, "carol"
    )  # fmt: skip
    (queued,) = read_received(relay, token(settings, "alice", ["service"]), 1)
    assert (queued["text"], queued["agent"], queued["queue_id"]) == (
        "Für den Service",
        None,
        "service",
    )
    everything = read_received(relay, token(settings, "boss"), 1)
    assert [e["text"] for e in everything] == ["Für den Service"]
