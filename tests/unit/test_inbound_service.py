"""Customers' messages taken by the relay, on the in-memory store: a STOP whose message was
stored but whose opt-out was not (the relay stopped in between) still opts the number out when
the gateway sends it again."""

from __future__ import annotations

from pathlib import Path

import pytest

from smsrelay.inbound import InboundService, Reply
from smsrelay.settings import parse_settings
from smsrelay.storage.memory import MemoryStore
from tests.support.relaykit import relay_config

CUSTOMER = "+4915112345678"


class RelayStopped(Exception):
    pass


def test_a_stop_retried_after_the_relay_stopped_before_the_opt_out_still_opts_out(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = parse_settings(relay_config(), data_dir=tmp_path)
    store = MemoryStore()
    service = InboundService(settings, store, store.optouts, clock=lambda: 1_000_000)
    stop = Reply(CUSTOMER, "+4989123456", "STOP", "kannel:kannel1", key="kannel-id-1")
    add = store.optouts.add

    def stopped(*args: object) -> bool:
        raise RelayStopped

    monkeypatch.setattr(store.optouts, "add", stopped)
    with pytest.raises(RelayStopped):
        service.take_reply(stop)
    assert store.optouts.get("acme", CUSTOMER) is None
    monkeypatch.setattr(store.optouts, "add", add)

    # The message itself is stored once.
    assert [row.tenant for row in service.take_reply(stop)] == ["other"]
    assert store.optouts.get("acme", CUSTOMER) is not None
