"""The relay with real gateway peers: what the agent was shown is what goes over the wire.

The relay accepts over HTTP, its dispatcher submits through the real SMPP simulator, and the
simulator's delivery receipts come back over the bind and make the message ``delivered``.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import httpx
from fastapi.testclient import TestClient

from smscompose import get_alphabet, segment
from smsrelay.app import create_app
from smsrelay.auth import mint_token
from smsrelay.settings import parse_settings
from tests.support.peers.kannel import Kannel, kannel_fixture  # noqa: F401
from tests.support.peers.smsc import Smsc, smsc_fixture, smsc_server_fixture  # noqa: F401
from tests.support.processes import free_port, wait_until
from tests.support.relaykit import relay_config, send, serving, wait_for_status

TURKISH = "Sayın Kâzım Bey, siparişiniz yola çıktı. Teslimat yarın hâlâ mümkün. " * 3


def smpp_relay(smsc: Smsc, tmp_path: Path) -> Any:
    config = relay_config(
        senders=[
            {"address": "ACME", "gateway": "smsc"},
            {"address": "+4930123456", "gateway": "smsc", "locking": ["tr"], "single": ["pt"]},
        ],
        queues=[{"id": "service", "senders": ["ACME", "+4930123456"]}],
        max_segments=10,
    )
    config["gateways"] = {
        "smsc": {
            "type": "smpp",
            "host": smsc.host,
            "port": smsc.port,
            "system_id": smsc.system_id,
            "password": smsc.password,
        }
    }
    return parse_settings(config, data_dir=tmp_path)


def wait_for_submits(smsc: Smsc, count: int, timeout: float = 10.0) -> list[dict[str, Any]]:
    wait_until(lambda: len(smsc.submits()) >= count, timeout, interval=0.05)
    return smsc.submits()


def user_data(submit: dict[str, Any]) -> tuple[bytes, bytes]:
    """(UDH, payload) of a recorded submit_sm."""
    raw = bytes.fromhex(submit["short_message"])
    if submit["esm_class"] & 0x40:
        return raw[: raw[0] + 1], raw[raw[0] + 1 :]
    return b"", raw


def test_a_long_message_goes_out_as_the_parts_the_agent_saw_and_is_delivered(
    smsc: Smsc, tmp_path: Path
) -> None:
    settings = smpp_relay(smsc, tmp_path)
    text = "Ihre Bestellung {A-17} ist unterwegs. " * 12
    expected = segment(text)
    with TestClient(create_app(settings)) as client:
        token = mint_token(settings, tenant="acme", agent="a")
        answer = send(client, token, text=text).json()
        assert answer["segments"] == expected.segments == 4
        submits = wait_for_submits(smsc, expected.segments)
        assert len(submits) == expected.segments
        septets = get_alphabet()
        assert [septets.decode(user_data(s)[1]) for s in submits] == [
            p.text for p in expected.parts
        ]
        assert {s["data_coding"] for s in submits} == {0}
        assert wait_for_status(client, token, answer["id"], {"delivered"})["status"] == "delivered"


def test_national_language_tables_reach_the_smsc(smsc: Smsc, tmp_path: Path) -> None:
    settings = smpp_relay(smsc, tmp_path)
    expected = segment(TURKISH, locking=["tr"], single=["pt"])
    with TestClient(create_app(settings)) as client:
        token = mint_token(settings, tenant="acme", agent="a")
        answer = send(client, token, text=TURKISH, **{"from": "+4930123456"}).json()
        assert answer["encoding"] == "GSM_7BIT"
        submits = wait_for_submits(smsc, expected.segments)
        alphabet = get_alphabet(expected.locking, expected.single)
        for submit, part in zip(submits, expected.parts, strict=True):
            udh, payload = user_data(submit)
            assert bytes([0x25, 0x01, 0x01]) in udh  # locking shift: Turkish
            assert alphabet.decode(payload) == part.text
        assert wait_for_status(client, token, answer["id"], {"delivered"})["status"] == "delivered"


def test_an_undeliverable_number_ends_undelivered_with_the_reason(
    smsc: Smsc, tmp_path: Path
) -> None:
    smsc.mode(fail_numbers={"4915100000009": "UNDELIV"}, reject={"4915100000008": 11})
    settings = smpp_relay(smsc, tmp_path)
    with TestClient(create_app(settings)) as client:
        token = mint_token(settings, tenant="acme", agent="a")
        undelivered = send(client, token, key="u", to="+4915100000009").json()["id"]
        rejected = send(client, token, key="r", to="+4915100000008").json()["id"]
        assert (
            wait_for_status(client, token, undelivered, {"undelivered"})["status"] == "undelivered"
        )
        failed = wait_for_status(client, token, rejected, {"failed"})
        assert failed["status"] == "failed" and failed["reason"]


# -- Kannel: the relay as a real HTTP server, because Kannel calls its dlr-url -----------------


def test_through_kannel_the_parts_match_and_receipts_make_it_delivered(
    kannel: Kannel, tmp_path: Path
) -> None:
    port = free_port()
    config = relay_config(
        senders=[{"address": "ACME", "gateway": "kannel"}],
        queues=[{"id": "service", "senders": ["ACME"]}],
        max_segments=10,
    )
    config["relay"]["public_url"] = f"http://127.0.0.1:{port}"
    config["gateways"] = {
        "kannel": {
            "type": "kannel",
            "sendsms_url": kannel.sendsms_url,
            "username": kannel.username,
            "password": kannel.password,
        }
    }
    settings = parse_settings(config, data_dir=tmp_path)
    text = "Ihr Termin am Montag [10:00] ist bestätigt – bis dann! " * 6
    expected = segment(text)
    with serving(create_app(settings), port) as base:
        token = mint_token(settings, tenant="acme", agent="a")
        headers = {"Authorization": f"Bearer {token}", "Idempotency-Key": "k"}
        body = {"queue_id": "service", "from": "ACME", "to": "+4915112345678", "text": text}
        answer = httpx.post(f"{base}/v1/messages", json=body, headers=headers).json()
        assert (answer["encoding"], answer["segments"]) == (
            "UCS2",
            expected.segments,
        )  # the en dash
        assert expected.segments > 1
        received = kannel.wait_for_messages("+4915112345678", expected.segments)
        assert len(received) == expected.segments
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            status = httpx.get(f"{base}/v1/messages/{answer['id']}", headers=headers).json()
            if status["status"] == "delivered":
                break
            time.sleep(0.05)
        assert status["status"] == "delivered"
