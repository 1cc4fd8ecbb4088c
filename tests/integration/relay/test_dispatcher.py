"""The dispatcher under slow gateways: leases, and never a double send."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

from fastapi.testclient import TestClient

from smsrelay.app import create_app
from smsrelay.auth import mint_token
from smsrelay.gateways.base import OutboundSms, ReceiptSink, SubmitResult
from smsrelay.settings import parse_settings
from tests.support.relaykit import relay_config, send, wait_for_status

SLOW_SECONDS = 1.8
LEASE_SECONDS = 0.6


class SlowGateway:
    """Takes three leases' time to accept, like a gateway under load."""

    def __init__(self, calls: list[str]) -> None:
        self.name = "sandbox"
        self.calls = calls

    async def start(self, receipts: ReceiptSink, inbound: object = None) -> None:
        pass

    async def submit(self, sms: OutboundSms) -> SubmitResult:
        self.calls.append(sms.message_id)
        await asyncio.sleep(SLOW_SECONDS)
        return SubmitResult((f"slow-{len(self.calls)}",))

    def part_id(self, message_id: str, part: int) -> None:
        return None

    async def close(self) -> None:
        pass


def test_a_send_that_outlives_its_lease_is_not_taken_over_by_another_relay(tmp_path: Path) -> None:
    config = relay_config()
    config["relay"]["claim_seconds"] = LEASE_SECONDS
    settings = parse_settings(config, data_dir=tmp_path)
    calls: list[str] = []
    first = create_app(settings, gateways={"sandbox": SlowGateway(calls)})
    second = create_app(settings, gateways={"sandbox": SlowGateway(calls)})
    with TestClient(first) as client, TestClient(second):
        token = mint_token(settings, tenant="acme", agent="a")
        message_id = send(client, token).json()["id"]
        assert wait_for_status(client, token, message_id, {"submitted"})["status"] == "submitted"
        time.sleep(LEASE_SECONDS * 2)  # time for the other relay to look again
    assert calls == [message_id]
