"""Customers' replies through a real Kannel: a phone's message comes in at Kannel's fake SMS
center, bearerbox hands it to smsbox, whose sms-service calls the URL ``smsrelay inbound-url``
prints, and the relay (a real HTTP server on SQLite and on PostgreSQL) stores it in the
conversation of the agent who wrote. The text arrives as the customer wrote it: runs of spaces
kept, UCS-2 with umlauts, emoji, line breaks and characters whose UTF-16 octets look like
spaces (``Č`` is 01 0C), a concatenated message as bearerbox joins it; STOP opts out."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from smsrelay.app import create_app
from smsrelay.auth import mint_token
from smsrelay.gateways.kannel.urls import sms_service_url
from smsrelay.settings import RelaySettings, parse_settings
from tests.support.peers.kannel import Kannel, running_kannel
from tests.support.peers.postgres import database_url, postgres_database  # noqa: F401
from tests.support.processes import free_port
from tests.support.relaykit import auth, relay_config, serving

CUSTOMER = "+4915112345678"
OUR_NUMBER = "+4989123456"
GATEWAY = "kannel1"


@pytest.fixture(scope="module")
def relay_port() -> int:
    return free_port()


@pytest.fixture(scope="module")
def kannel(tmp_path_factory: pytest.TempPathFactory, relay_port: int) -> Iterator[Kannel]:
    """One Kannel for the module, its sms-service calling the relay each test starts on
    ``relay_port``."""
    secret = relay_config()["relay"]["callback_secret"]
    url = sms_service_url(f"http://127.0.0.1:{relay_port}", secret, GATEWAY)
    with running_kannel(tmp_path_factory.mktemp("kannel"), sms_service_url=url) as running:
        yield running


def settings_for(kannel: Kannel, port: int, database: str, data_dir: Path) -> RelaySettings:
    config = relay_config(
        senders=[{"address": OUR_NUMBER, "gateway": GATEWAY}],
        queues=[{"id": "service", "name": "Service", "senders": [OUR_NUMBER]}],
        reply_window_hours=1,
    )
    config["relay"].update(public_url=f"http://127.0.0.1:{port}", database_url=database)
    config["gateways"][GATEWAY] = {"type": "kannel", "sendsms_url": kannel.sendsms_url,
                                   "username": kannel.username, "password": kannel.password}  # fmt: skip
    return parse_settings(config, data_dir=data_dir)


def replies(base: str, token: str, count: int) -> list[dict[str, Any]]:
    """The customer's messages in the thread, oldest first, once ``count`` are there."""
    deadline = time.monotonic() + 10
    while True:
        answer = httpx.get(f"{base}/v1/conversations/{CUSTOMER}", params={"from": OUR_NUMBER},
                           headers=auth(token))  # fmt: skip
        assert answer.status_code == 200, answer.text
        found = [i for i in reversed(answer.json()["items"]) if i["direction"] == "in"]
        if len(found) >= count or time.monotonic() > deadline:
            return found
        time.sleep(0.05)


def test_replies_reach_the_agent_who_wrote_as_the_customer_wrote_them(
    kannel: Kannel,
    relay_port: int,
    database_url: str,  # noqa: F811
    tmp_path: Path,
) -> None:
    settings = settings_for(kannel, relay_port, database_url, tmp_path)
    with serving(create_app(settings), relay_port) as base:
        alice = mint_token(settings, tenant="acme", agent="alice", queues=["service"])
        body = {"queue_id": "service", "from": OUR_NUMBER, "to": CUSTOMER, "text": "Paket kommt."}
        sent = httpx.post(f"{base}/v1/messages", json=body,
                          headers={**auth(alice), "Idempotency-Key": "k"})  # fmt: skip
        assert sent.status_code == 202, sent.text
        before = len(kannel.wait_for_messages(CUSTOMER, 1))

        # One after another: smsbox passes messages on in parallel, so two sent at once may
        # reach the relay in either order.
        kannel.send_mo("004915112345678", "4989123456", "Danke,  gern! 10€ {ok}")
        assert len(replies(base, alice, 1)) == 1
        ucs2 = "Grüße aus Köln 👋 Čau\nbis bald"
        kannel.send_mo(CUSTOMER, OUR_NUMBER, ucs2, ucs2=True)
        assert len(replies(base, alice, 2)) == 2
        for seq, part in ((1, "Erster Teil, "), (2, "zweiter Teil.")):
            kannel.send_mo(CUSTOMER, "4989123456", part, udh=bytes((5, 0, 3, 9, 2, seq)))

        texts = [i["text"] for i in replies(base, alice, 3)]
        assert texts == ["Danke,  gern! 10€ {ok}", ucs2, "Erster Teil, zweiter Teil."]
        listed = httpx.get(f"{base}/v1/conversations", headers=auth(alice)).json()
        (conversation,) = listed["items"]
        assert (conversation["agent"], conversation["unread"]) == ("alice", 3)
        # Kannel sent the customer nothing back (max-messages = 0).
        assert len(kannel.received(CUSTOMER)) == before


def test_stop_through_kannel_opts_the_customer_out(
    kannel: Kannel,
    relay_port: int,
    database_url: str,  # noqa: F811
    tmp_path: Path,
) -> None:
    settings = settings_for(kannel, relay_port, database_url, tmp_path)
    with serving(create_app(settings), relay_port) as base:
        alice = mint_token(settings, tenant="acme", agent="alice")
        kannel.send_mo("004915112345678", "4989123456", "STOP")
        assert [i["text"] for i in replies(base, alice, 1)] == ["STOP"]
        found = httpx.get(f"{base}/v1/opt-outs/{CUSTOMER}", headers=auth(alice)).json()
        assert found["opted_out"] is True
