"""Customers' replies through the Twilio-compatible fake: a customer texts the number an agent
wrote from, the fake posts Twilio's signed incoming-message webhook to the relay (a real HTTP
server, on SQLite and on PostgreSQL), and the reply lands in that agent's conversation as the
customer wrote it — once, also when Twilio sends it again; a webhook signed with another
account's token stores nothing."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import httpx

from smsrelay.app import create_app
from smsrelay.auth import mint_token
from smsrelay.settings import RelaySettings, parse_settings
from tests.support.peers.postgres import database_url, postgres_database  # noqa: F401
from tests.support.peers.twilio import TwilioFakeClient, run_twilio_fake, twilio_fake  # noqa: F401
from tests.support.processes import free_port
from tests.support.relaykit import auth, relay_config, serving

CUSTOMER = "+4915112345678"
SERVICE_NUMBER = "+4989123456"
SALES_NUMBER = "+4930123456"


def settings_for(fake: TwilioFakeClient, port: int, database: str, folder: Path) -> RelaySettings:
    config = relay_config(
        senders=[{"address": SERVICE_NUMBER, "gateway": "tw"},
                 {"address": SALES_NUMBER, "gateway": "tw"}],
        queues=[{"id": "service", "name": "Service", "senders": [SERVICE_NUMBER]},
                {"id": "sales", "name": "Sales", "senders": [SALES_NUMBER]}],
        reply_window_hours=1,
    )  # fmt: skip
    config["relay"].update(public_url=f"http://127.0.0.1:{port}", database_url=database)
    config["gateways"]["tw"] = {"type": "twilio", "account_sid": fake.sid,
                                "auth_token": fake.token, "base_url": fake.base_url}  # fmt: skip
    return parse_settings(config, data_dir=folder)


def thread(base: str, token: str, address: str, count: int) -> list[dict[str, Any]]:
    """The conversation with the customer on ``address``, oldest first, once it holds
    ``count`` messages (or after 10 s)."""
    deadline = time.monotonic() + 10
    while True:
        answer = httpx.get(f"{base}/v1/conversations/{CUSTOMER}", params={"from": address},
                           headers=auth(token))  # fmt: skip
        items = list(reversed(answer.json().get("items", []))) if answer.status_code == 200 else []
        if len(items) >= count or time.monotonic() > deadline:
            return items
        time.sleep(0.05)


def test_a_reply_through_twilio_reaches_the_agent_who_wrote_once(
    twilio_fake: TwilioFakeClient,  # noqa: F811
    database_url: str,  # noqa: F811
    tmp_path: Path,
) -> None:
    twilio_fake.reset()
    port = free_port()
    settings = settings_for(twilio_fake, port, database_url, tmp_path)
    with serving(create_app(settings), port) as base:
        carol = mint_token(settings, tenant="acme", agent="carol", queues=["sales"])
        body = {"queue_id": "sales", "from": SALES_NUMBER, "to": CUSTOMER, "text": "Angebot?"}
        sent = httpx.post(f"{base}/v1/messages", json=body,
                          headers={**auth(carol), "Idempotency-Key": "offer"})  # fmt: skip
        assert sent.status_code == 202, sent.text

        webhook = f"{base}/v1/inbound/twilio/tw"
        text = "Grüße 👋 – ja, gern!\nBis morgen"
        first = twilio_fake.send_incoming(webhook, CUSTOMER, SALES_NUMBER, text)
        assert (first["status"], first["response"]) == (
            200, '<?xml version="1.0" encoding="UTF-8"?><Response></Response>'
        )  # fmt: skip
        # Twilio sends the same message again (same MessageSid): stored once.
        again = twilio_fake.send_incoming(webhook, CUSTOMER, SALES_NUMBER, text, sid=first["sid"])
        assert again["status"] == 200

        items = thread(base, carol, SALES_NUMBER, 2)
        assert [(i["direction"], i["text"]) for i in items] == [("out", "Angebot?"), ("in", text)]
        (conversation,) = httpx.get(f"{base}/v1/conversations", headers=auth(carol)).json()["items"]
        assert (conversation["agent"], conversation["unread"]) == ("carol", 1)
        # The service queue's agents do not see the sales conversation.
        alice = mint_token(settings, tenant="acme", agent="alice", queues=["service"])
        assert httpx.get(f"{base}/v1/conversations", headers=auth(alice)).json()["items"] == []

        # Signed with another account's Auth Token: refused, nothing stored.
        with run_twilio_fake(auth_token="another-accounts-token-0123456789") as other:
            forged = other.send_incoming(webhook, CUSTOMER, SALES_NUMBER, "Fremd")
        assert forged["status"] == 403
        assert [i["text"] for i in thread(base, carol, SALES_NUMBER, 2)] == ["Angebot?", text]
