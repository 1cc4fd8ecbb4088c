"""Gateways' callbacks reach the relay from the internet: a delivery receipt whose signature
does not check out is refused and changes no message."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from smsrelay.app import create_app
from smsrelay.auth import mint_token
from smsrelay.gateways.kannel.dlr import sign_part
from smsrelay.gateways.twilio.webhooks import twilio_signature
from smsrelay.settings import parse_settings
from tests.support.relaykit import auth, relay_config, send, wait_for_status

CALLBACK_SECRET = "callback-secret-0123456789-0123456789"


def test_forged_receipts_are_refused_and_change_nothing(tmp_path: Path) -> None:
    config = relay_config()
    config["gateways"]["k1"] = {"type": "kannel", "sendsms_url": "http://127.0.0.1:9/sendsms",
                                "username": "u", "password": "p"}  # fmt: skip
    config["gateways"]["tw"] = {"type": "twilio", "account_sid": "AC1", "auth_token": "tok"}
    settings = parse_settings(config, data_dir=tmp_path)
    agent = mint_token(settings, tenant="acme", agent="alice")
    with TestClient(create_app(settings)) as client:
        message_id = send(client, agent).json()["id"]
        before = wait_for_status(client, agent, message_id, {"delivered"})["status"]
        signature = sign_part(CALLBACK_SECRET, message_id, 0)
        forged_kannel = [
            {"message_id": message_id, "part": "0", "type": "2", "sig": "0" * 64},
            {"message_id": message_id, "part": "1", "type": "2", "sig": signature},  # another part
            {"message_id": "msg_other", "part": "0", "type": "2", "sig": signature},
            {"message_id": message_id, "part": "0", "type": "2"},
        ]
        for params in forged_kannel:
            answer = client.get("/v1/receipts/kannel/k1", params=params)
            assert (answer.status_code, answer.json()["code"]) == (403, "receipt.invalid"), params
        form = {"MessageSid": "SM1", "MessageStatus": "undelivered"}
        url = f"http://testserver/v1/receipts/twilio/tw?message_id={message_id}"
        for signature in ("", "bm90IGEgc2lnbmF0dXJl", twilio_signature(url, form, "wrong-token")):
            answer = client.post(f"/v1/receipts/twilio/tw?message_id={message_id}", data=form,
                                 headers={"X-Twilio-Signature": signature})  # fmt: skip
            assert (answer.status_code, answer.json()["code"]) == (403, "receipt.invalid")
        after = client.get(f"/v1/messages/{message_id}", headers=auth(agent)).json()["status"]
        assert before == after == "delivered"
