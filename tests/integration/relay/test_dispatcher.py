"""The dispatcher under slow and fast gateways: leases, never a double send, and every status
change counted."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

from fastapi.testclient import TestClient

from smsrelay.app import create_app
from smsrelay.auth import mint_token
from smsrelay.gateways.base import (
    DeliveryReceipt,
    OutboundSms,
    ReceiptSink,
    ReceiptStatus,
    SubmitResult,
)
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


class FastReceiptGateway:
    """Delivers its receipt before it answers the submission, as a fast SMSC's receipt can
    reach the relay before the relay has recorded what the SMSC answered."""

    def __init__(self) -> None:
        self.name = "sandbox"
        self.receipts: ReceiptSink | None = None

    async def start(self, receipts: ReceiptSink, inbound: object = None) -> None:
        self.receipts = receipts

    async def submit(self, sms: OutboundSms) -> SubmitResult:
        assert self.receipts is not None
        gateway_id = f"fast-{sms.message_id}"
        await self.receipts(DeliveryReceipt("sandbox", gateway_id, ReceiptStatus.DELIVERED))
        return SubmitResult((gateway_id,))

    def part_id(self, message_id: str, part: int) -> None:
        return None

    async def close(self) -> None:
        pass


def test_a_receipt_that_outruns_the_submission_counts_as_delivered_in_the_metrics(
    tmp_path: Path,
) -> None:
    settings = parse_settings(relay_config(), data_dir=tmp_path)
    app = create_app(settings, gateways={"sandbox": FastReceiptGateway()})
    with TestClient(app) as client:
        token = mint_token(settings, tenant="acme", agent="a")
        ids = [send(client, token, key=f"k-{n}").json()["id"] for n in range(3)]
        for message_id in ids:
            assert wait_for_status(client, token, message_id, {"delivered"})["status"] == (
                "delivered"
            )
        metrics = client.get("/metrics").text
    # What the administrator's dashboard counts is what the agents saw: three delivered.
    assert 'smsrelay_status_changes_total{status="submitted"} 3.0' in metrics
    assert 'smsrelay_status_changes_total{status="delivered"} 3.0' in metrics
    assert 'smsrelay_receipts_total{gateway="sandbox",known="false"} 3.0' in metrics
