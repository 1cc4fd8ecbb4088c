"""The opt-out list (STOP): a customer who replied STOP to a tenant's number gets no more SMS
from that tenant — whichever agent sends, with a translated refusal on the field "to" — while
other tenants are unaffected. Replies come in over signed gateway callbacks; forged ones
change nothing. Administrators add and remove numbers with ``smsrelay optout``."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from smsrelay.app import create_app
from smsrelay.auth import mint_token
from smsrelay.gateways.kannel.urls import inbound_key
from smsrelay.gateways.twilio.webhooks import twilio_signature
from smsrelay.optouts import keyword
from smsrelay.settings import RelaySettings, load_settings, parse_settings
from tests.support.relaykit import MOBILE, auth, relay_config, send, wait_for_status

CUSTOMER = "+4915112345678"  # the relaykit's MOBILE
ACME_NUMBER = "+4989123456"
OTHER_NUMBER = "+4930999999"
TWILIO_TOKEN = "twilio-auth-token"


@pytest.fixture
def optout_settings(tmp_path: Path) -> RelaySettings:
    config = relay_config()
    config["gateways"]["k1"] = {
        "type": "kannel",
        "sendsms_url": "http://127.0.0.1:9/cgi-bin/sendsms",
        "username": "relay",
        "password": "kannel-password",
    }
    config["gateways"]["tw"] = {"type": "twilio", "account_sid": "AC1", "auth_token": TWILIO_TOKEN}
    # The other tenant sends from its own number, so a STOP to acme's number is acme's alone.
    other: dict[str, Any] = config["tenants"]["other"]
    other["senders"] = [{"address": OTHER_NUMBER}]
    other["queues"] = [{"id": "service", "name": "Service", "senders": [OTHER_NUMBER]}]
    return parse_settings(config, data_dir=tmp_path)


@pytest.fixture
def relay(optout_settings: RelaySettings) -> Iterator[TestClient]:
    with TestClient(create_app(optout_settings)) as client:
        yield client


def kannel_reply(client: TestClient, settings: RelaySettings, text: str, key: str | None = None,
                 sender: str = "004915112345678", to: str = "4989123456") -> Any:  # fmt: skip
    """A reply as Kannel's sms-service passes it on (%p, %P and %a in its get-url)."""
    params = {"key": key or inbound_key(settings.callback_secret, "k1"),
              "from": sender, "to": to, "text": text}  # fmt: skip
    return client.get("/v1/inbound/kannel/k1", params=params)


def twilio_reply(client: TestClient, text: str, token: str = TWILIO_TOKEN) -> Any:
    params = {"From": CUSTOMER, "To": ACME_NUMBER, "Body": text, "MessageSid": "SM1"}
    url = "http://testserver/v1/inbound/twilio/tw"
    signature = twilio_signature(url, params, token)
    return client.post(
        "/v1/inbound/twilio/tw", data=params, headers={"X-Twilio-Signature": signature}
    )


def status(client: TestClient, token: str, number: str) -> dict[str, Any]:
    answer = client.get(f"/v1/opt-outs/{number}", headers=auth(token))
    assert answer.status_code == 200, answer.text
    return answer.json()


def test_a_message_still_waiting_when_the_stop_comes_is_not_sent(
    optout_settings: RelaySettings,
) -> None:
    """Accepted before the STOP but not yet sent (a busy gateway, a retry): the dispatcher
    reads the list again when it takes the message, and fails it with the reason."""
    alice = mint_token(optout_settings, tenant="acme", agent="alice")
    with TestClient(create_app(optout_settings, dispatch=False)) as held:
        waiting = send(held, alice, key="waiting")
        other = send(held, alice, key="other", to="+4915199999999")
        assert waiting.status_code == other.status_code == 202
        assert kannel_reply(held, optout_settings, "STOP").status_code == 200
    with TestClient(create_app(optout_settings)) as relay:
        final = {"delivered", "failed", "undelivered"}
        stopped = wait_for_status(relay, alice, waiting.json()["id"], final)
        sent = wait_for_status(relay, alice, other.json()["id"], final)
    assert stopped["status"] == "failed" and "opted out" in stopped["reason"]
    assert sent["status"] == "delivered"  # another customer's message waiting with it


def test_a_number_that_replied_stop_cannot_be_sent_to(
    relay: TestClient, optout_settings: RelaySettings
) -> None:
    alice = mint_token(optout_settings, tenant="acme", agent="alice")
    bob = mint_token(optout_settings, tenant="acme", agent="bob")
    assert send(relay, alice, key="before").status_code == 202
    assert status(relay, alice, "0151 12345678")["opted_out"] is False

    assert kannel_reply(relay, optout_settings, "Stopp!").status_code == 200

    for agent, lang, words in ((alice, "de", "abbestellt"), (bob, "en", "opted out")):
        refused = send(relay, agent, key=f"after-{lang}", lang=lang, to="0151 12345678")
        assert refused.status_code == 422
        error = refused.json()
        assert (error["code"], error["field"]) == ("recipient.opted_out", "to")
        assert words in error["message"]
    found = status(relay, bob, "+49 151 12345678")
    assert found["number"] == CUSTOMER and found["opted_out"] is True and found["since"] > 0
    # Nothing was stored for the refused sends; the earlier message is still there.
    assert len(relay.get("/v1/messages", headers=auth(alice)).json()["items"]) == 1
    # The same key and body as before the STOP replays the original answer, sends nothing new.
    replay = send(relay, alice, key="before")
    assert replay.status_code == 202 and replay.headers["idempotent-replayed"] == "true"

    # The other tenant's agents are not bound by acme's list.
    carol = mint_token(optout_settings, tenant="other", agent="carol")
    other = send(relay, carol, key="other", **{"from": OTHER_NUMBER})
    assert other.status_code == 202, other.text
    assert status(relay, carol, CUSTOMER)["opted_out"] is False

    # START gives consent back.
    assert kannel_reply(relay, optout_settings, "start").status_code == 200
    assert send(relay, alice, key="again").status_code == 202


def test_twilio_replies_opt_out_and_forged_ones_change_nothing(
    relay: TestClient, optout_settings: RelaySettings
) -> None:
    agent = mint_token(optout_settings, tenant="acme", agent="alice")
    forged = twilio_reply(relay, "UNSUBSCRIBE", token="not-the-token")
    assert (forged.status_code, forged.json()["code"]) == (403, "inbound.invalid")
    bad_key = kannel_reply(relay, optout_settings, "STOP", key="0" * 64)
    assert (bad_key.status_code, bad_key.json()["code"]) == (403, "inbound.invalid")
    unsigned = relay.get("/v1/inbound/kannel/k1", params={"from": CUSTOMER, "to": ACME_NUMBER,
                                                         "text": "STOP"})  # fmt: skip
    assert unsigned.status_code == 403
    assert status(relay, agent, CUSTOMER)["opted_out"] is False

    answer = twilio_reply(relay, "ABMELDEN")
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/xml")
    assert "<Response>" in answer.text
    assert status(relay, agent, CUSTOMER)["opted_out"] is True
    # Any other reply changes nothing, and a reply to a number no tenant has neither.
    assert twilio_reply(relay, "Start please, I mean stop").status_code == 200
    assert status(relay, agent, CUSTOMER)["opted_out"] is True
    kannel_reply(relay, optout_settings, "START", to="4940111111")
    assert status(relay, agent, CUSTOMER)["opted_out"] is True


def test_the_opt_out_lookup_names_a_bad_number_and_needs_a_token(
    relay: TestClient, optout_settings: RelaySettings
) -> None:
    agent = mint_token(optout_settings, tenant="acme", agent="alice")
    bad = relay.get("/v1/opt-outs/12ab", headers=auth(agent, "de"))
    assert bad.status_code == 422
    assert (bad.json()["code"], bad.json()["field"]) == ("phone.invalid_characters", "to")
    assert relay.get(f"/v1/opt-outs/{CUSTOMER}").status_code == 401


@pytest.mark.parametrize(
    ("reply", "meaning"),
    [("STOP", "stop"), ("Stop.", "stop"), (" stopp! ", "stop"), ("Abmelden", "stop"),
     ("unsubscribe", "stop"), ("„STOP“", "stop"), ("START", "start"), ("anmelden", "start"),
     ("please stop", None), ("stop it", None), ("", None), ("Stoppuhr", None)],
)  # fmt: skip
def test_keywords_are_the_whole_reply_in_any_case(reply: str, meaning: str | None) -> None:
    assert keyword(reply) == meaning


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "smsrelay", *args], capture_output=True,
                          text=True, timeout=60, check=False)  # fmt: skip


def test_administrators_add_list_and_remove_numbers_from_the_command_line(tmp_path: Path) -> None:
    data = ["--tenant", "demo", "--data-dir", str(tmp_path)]
    added = run_cli("optout", "add", "0151 12345678", *data)
    assert added.returncode == 0, added.stderr
    assert CUSTOMER in added.stdout
    listed = run_cli("optout", "list", *data)
    assert listed.stdout.split("\t")[:2] == [CUSTOMER, "cli"]

    settings = load_settings(data_dir=tmp_path)
    agent = mint_token(settings, tenant="demo", agent="alice")
    with TestClient(create_app(settings)) as client:
        refused = send(client, agent, key="k", **{"from": "ACME"})
        assert refused.json()["code"] == "recipient.opted_out"
        assert run_cli("optout", "remove", MOBILE, *data).returncode == 0
        assert send(client, agent, key="k2", **{"from": "ACME"}).status_code == 202
    assert run_cli("optout", "list", *data).stdout == ""
    wrong = run_cli("optout", "add", "not a number", *data)
    assert wrong.returncode == 2 and "Traceback" not in wrong.stderr


def test_inbound_url_prints_the_signed_kannel_sms_service_url(tmp_path: Path) -> None:
    config = tmp_path / "relay.toml"
    config.write_text(
        '[relay]\npublic_url = "https://sms.example.com"\n'
        'callback_secret = "callback-secret-0123456789-0123456789"\n'
        '[gateways.k1]\ntype = "kannel"\nsendsms_url = "http://127.0.0.1:13013/cgi-bin/sendsms"\n'
        'username = "relay"\npassword = "pw"\n'
        '[tenants.x.token_secrets]\nk = "0123456789abcdef0123456789abcdef"\n'
    )
    result = run_cli("inbound-url", "--gateway", "k1", "--config", str(config))
    assert result.returncode == 0, result.stderr
    key = inbound_key("callback-secret-0123456789-0123456789", "k1")
    assert result.stdout.strip() == (
        f"https://sms.example.com/v1/inbound/kannel/k1?key={key}&from=%p&to=%P&text=%a&id=%I&ts=%T"
    )
