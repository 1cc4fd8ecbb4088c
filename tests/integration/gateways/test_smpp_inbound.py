"""Customers' messages over SMPP, from the SMSC simulator to the relay's conversations: GSM
7-bit and UCS-2 texts, a concatenated message of three parts in any order (and over two
relays' binds), the SMSC's retries stored once, STOP opting out as it does over HTTP, and
deliver_sm that cannot be read refused with ESME_RX_R_APPN while the relay keeps going."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from smscompose import get_alphabet
from smsrelay.app import create_app
from smsrelay.auth import mint_token
from smsrelay.settings import RelaySettings, parse_settings
from tests.support.peers.smsc import Smsc, smsc_fixture, smsc_server_fixture  # noqa: F401
from tests.support.relaykit import auth, relay_config, send

CUSTOMER = "4915112345678"
OUR_NUMBER = "4989123456"
ESME_ROK, ESME_RX_R_APPN = 0x00, 0x65
UDHI = 0x40


def settings_for(smsc: Smsc, data_dir: Path) -> RelaySettings:
    config = relay_config(
        senders=[{"address": "+" + OUR_NUMBER, "gateway": "smsc1"}],
        queues=[{"id": "service", "name": "Service", "senders": ["+" + OUR_NUMBER]}],
    )
    config["gateways"]["smsc1"] = {"type": "smpp", "host": smsc.host, "port": smsc.port,
                                   "system_id": smsc.system_id, "password": smsc.password,
                                   "reconnect_initial": 0.05}  # fmt: skip
    return parse_settings(config, data_dir=data_dir)


@pytest.fixture
def settings(smsc: Smsc, tmp_path: Path) -> RelaySettings:
    return settings_for(smsc, tmp_path)


def bound(smsc: Smsc, count: int) -> list[int]:
    """Until ``count`` binds are up: their connections."""
    deadline = time.monotonic() + 10
    while True:
        up = [b["connection"] for b in smsc.binds() if b["ok"] and not b["unbound"]]
        if len(up) >= count or time.monotonic() > deadline:
            return up
        time.sleep(0.02)


@pytest.fixture
def relay(settings: RelaySettings, smsc: Smsc) -> Iterator[TestClient]:
    with TestClient(create_app(settings)) as client:
        assert bound(smsc, 1)
        yield client


def thread(client: TestClient, settings: RelaySettings) -> list[dict[str, Any]]:
    agent = mint_token(settings, tenant="acme", agent="alice")
    answer = client.get(f"/v1/conversations/+{CUSTOMER}", params={"from": "+" + OUR_NUMBER},
                        headers=auth(agent))  # fmt: skip
    assert answer.status_code == 200, answer.text
    return list(reversed(answer.json()["items"]))


def gsm(text: str) -> bytes:
    return get_alphabet().encode(text)


def concat(ref: int, total: int, seq: int) -> bytes:
    return bytes((5, 0x00, 3, ref, total, seq))


def test_gsm_and_ucs2_replies_are_stored_once(relay: TestClient, settings: RelaySettings,
                                              smsc: Smsc) -> None:  # fmt: skip
    assert smsc.deliver(CUSTOMER, OUR_NUMBER, gsm("Danke, 10€ passt! {ok}")) == ESME_ROK
    # The SMSC did not hear our answer and sends it again: stored once.
    assert smsc.deliver(CUSTOMER, OUR_NUMBER, gsm("Danke, 10€ passt! {ok}")) == ESME_ROK
    ucs2 = "Привет 👋 Grüße".encode("utf-16-be")
    assert smsc.deliver(CUSTOMER, OUR_NUMBER, ucs2, data_coding=8) == ESME_ROK
    assert [i["text"] for i in thread(relay, settings)] == [
        "Danke, 10€ passt! {ok}", "Привет 👋 Grüße"
    ]  # fmt: skip


def test_a_three_part_reply_is_reassembled_in_any_order_and_once(
    relay: TestClient,
    settings: RelaySettings,
    smsc: Smsc,
) -> None:
    parts = ["Erster Teil, ", "zweiter Teil, ", "dritter Teil."]
    for seq in (3, 1, 3, 2, 2):  # out of order, with the SMSC's retries
        body = concat(0x42, 3, seq) + gsm(parts[seq - 1])
        assert smsc.deliver(CUSTOMER, OUR_NUMBER, body, esm_class=UDHI) == ESME_ROK
        if seq != 2:
            assert thread(relay, settings) == []  # not whole yet
    assert [i["text"] for i in thread(relay, settings)] == ["".join(parts)]


def test_parts_over_two_relays_binds_make_one_message(
    settings: RelaySettings,
    smsc: Smsc,
) -> None:
    with ExitStack() as stack:
        relays = [stack.enter_context(TestClient(create_app(settings))) for _ in range(2)]
        first, second = bound(smsc, 2)[:2]
        ucs2 = ["Ünterwegs ", "über 🚲 ", "zwei Relays"]
        for seq, connection in ((1, first), (2, second), (3, first)):
            body = concat(7, 3, seq) + ucs2[seq - 1].encode("utf-16-be")
            status = smsc.deliver(CUSTOMER, OUR_NUMBER, body, data_coding=8, esm_class=UDHI,
                                  connection=connection)  # fmt: skip
            assert status == ESME_ROK
        for client in relays:
            assert [i["text"] for i in thread(client, settings)] == ["".join(ucs2)]


def test_stop_over_smpp_opts_out_and_the_reply_is_kept(
    relay: TestClient,
    settings: RelaySettings,
    smsc: Smsc,
) -> None:
    assert smsc.deliver(CUSTOMER, OUR_NUMBER, gsm("Stop")) == ESME_ROK
    agent = mint_token(settings, tenant="acme", agent="alice")
    refused = send(relay, agent, key="after", **{"from": "+" + OUR_NUMBER})
    assert (refused.status_code, refused.json()["code"]) == (422, "recipient.opted_out")
    assert [i["text"] for i in thread(relay, settings)] == ["Stop"]


def test_unreadable_messages_are_refused_for_good_and_nothing_is_lost(
    relay: TestClient,
    settings: RelaySettings,
    smsc: Smsc,
) -> None:
    odd = "Hallo".encode("utf-16-be")[:-1]
    assert smsc.deliver(CUSTOMER, OUR_NUMBER, odd, data_coding=8) == ESME_RX_R_APPN
    lone_surrogate = b"\xd8\x3d\x00\x41"
    assert smsc.deliver(CUSTOMER, OUR_NUMBER, lone_surrogate, data_coding=8) == ESME_RX_R_APPN
    not_utf8 = b"Gr\xfc\xdfe \xc3"
    assert smsc.deliver(CUSTOMER, OUR_NUMBER, not_utf8) == ESME_RX_R_APPN
    broken_udh = bytes((9, 0x00, 3, 1))
    assert smsc.deliver(CUSTOMER, OUR_NUMBER, broken_udh, esm_class=UDHI) == ESME_RX_R_APPN
    assert thread(relay, settings) == []
    # A good message after them is stored; UTF-8 with data_coding 0 (some SMSCs) is read.
    assert smsc.deliver(CUSTOMER, OUR_NUMBER, "Grüße".encode()) == ESME_ROK
    assert [i["text"] for i in thread(relay, settings)] == ["Grüße"]
