"""What the dispatcher records when a send does not end "delivered": the status and the reason
code the agent reads, on the in-memory store with a clock the test moves.

Honest outcomes: a send that may have gone out is ``unknown``, never ``failed``; a message the
network never reported on is not left ``submitted`` forever.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from smscompose.status import MessageStatus, Reason
from smsrelay.dispatcher import Dispatcher
from smsrelay.gateways.base import GatewayError, OutboundSms, ReceiptSink, SubmitResult
from smsrelay.settings import RelaySettings, parse_settings
from smsrelay.storage import MessageRow
from smsrelay.storage.memory import MemoryStore
from tests.support.relaykit import relay_config
from tests.support.storekit import LEASE, NOW, claim, create, events_of, new_message, receipt

GRACE_S = 60
WAIT_S = 3600


@dataclass
class ScriptedGateway:
    """Answers each submit with the next scripted outcome: an error to raise, or ids."""

    outcomes: list[GatewayError | tuple[str, ...]]
    name: str = "smsc"
    calls: list[OutboundSms] = field(default_factory=list)

    async def start(self, receipts: ReceiptSink, inbound: object = None) -> None:
        pass

    async def submit(self, sms: OutboundSms) -> SubmitResult:
        self.calls.append(sms)
        outcome = self.outcomes.pop(0)
        if isinstance(outcome, GatewayError):
            raise outcome
        return SubmitResult(outcome)

    def part_id(self, message_id: str, part: int) -> None:
        return None

    async def close(self) -> None:
        pass


class Clock:
    def __init__(self) -> None:
        self.now = NOW

    def __call__(self) -> int:
        return self.now


@pytest.fixture
def settings(tmp_path: Path) -> RelaySettings:
    config: dict[str, Any] = relay_config()
    config["relay"].update(
        max_attempts=2,
        retry_base_seconds=0.01,
        retry_max_seconds=0.01,
        receipt_wait_seconds=WAIT_S,
        receipt_grace_seconds=GRACE_S,
        unconfirmed_grace_seconds=120,
    )
    return parse_settings(config, data_dir=tmp_path)


class Harness:
    def __init__(self, settings: RelaySettings, gateway: ScriptedGateway) -> None:
        self.store = MemoryStore()
        self.clock = Clock()
        self.gateway = gateway
        self.told: list[MessageRow] = []
        self.dispatcher = Dispatcher(
            settings,
            self.store,
            {"smsc": gateway},
            clock=self.clock,
            on_status=self.told.append,
            idle_poll_seconds=0.01,
        )

    def message(self, key: str = "k", **fields: Any) -> MessageRow:
        row, _ = create(self.store, new_message(key, **fields))
        return row

    def row(self, message: MessageRow) -> MessageRow:
        found = self.store.get_message(message.tenant, message.agent, message.id)
        assert found is not None
        return found

    def dispatch_until(self, message: MessageRow, *statuses: str) -> MessageRow:
        """Run the dispatcher until ``message`` has one of ``statuses``."""

        async def run() -> MessageRow:
            task = asyncio.create_task(self.dispatcher.run())
            try:
                async with asyncio.timeout(10):
                    while (row := self.row(message)).status not in statuses:
                        # Retries wait for their time: let it come.
                        self.clock.now += 1_000
                        self.dispatcher.wake()
                        await asyncio.sleep(0.01)
                return row
            finally:
                await self.dispatcher.stop()
                await task

        return asyncio.run(run())


def test_a_refused_message_is_not_sent_with_the_gateways_reason_code(
    settings: RelaySettings,
) -> None:
    refusal = GatewayError("HTTP 400: invalid number", permanent=True, code=Reason.REJECTED)
    relay = Harness(settings, ScriptedGateway([refusal]))
    row = relay.dispatch_until(relay.message(), "failed")
    assert (row.reason, row.reason_code) == ("HTTP 400: invalid number", "rejected")
    assert events_of(relay.store, row)[-1] == ("failed", "rejected")
    assert relay.told[-1].reason_code == "rejected"


def test_a_gateway_that_stays_away_ends_in_a_network_error_after_the_last_attempt(
    settings: RelaySettings,
) -> None:
    away = GatewayError("unreachable", permanent=False, code=Reason.NETWORK_ERROR)
    relay = Harness(settings, ScriptedGateway([away, away]))
    row = relay.dispatch_until(relay.message(), "failed")
    assert row.reason_code == "network_error" and row.reason is not None
    assert row.reason.startswith("gave up after 2 attempts")
    assert len(relay.gateway.calls) == 2


def test_a_send_the_gateway_may_have_taken_is_unknown_not_failed(settings: RelaySettings) -> None:
    lost = GatewayError("unconfirmed: no answer", permanent=True, code=Reason.UNCONFIRMED)
    relay = Harness(settings, ScriptedGateway([lost]))
    row = relay.dispatch_until(relay.message(), "unknown", "failed")
    assert (row.status, row.reason_code) == ("unknown", "unconfirmed")
    assert len(relay.gateway.calls) == 1  # never sent again


def test_a_send_whose_relay_died_is_settled_as_unknown_when_no_receipt_proves_it(
    settings: RelaySettings,
) -> None:
    relay = Harness(settings, ScriptedGateway([]))
    message = relay.message()
    claim(relay.store, worker="died")  # claimed, then the relay holding it was killed
    relay.clock.now = NOW + LEASE + 1
    row = relay.dispatch_until(message, "unknown", "failed", "submitted")
    assert (row.status, row.reason_code) == ("unknown", "unconfirmed")
    assert relay.gateway.calls == []  # SMPP and Twilio cannot tell: nothing sent blindly


def test_an_opted_out_number_is_not_sent_and_says_why(settings: RelaySettings) -> None:
    relay = Harness(settings, ScriptedGateway([]))
    message = relay.message()
    relay.store.optouts.add("acme", message.to_number, "cli", NOW)
    row = relay.dispatch_until(message, "failed")
    assert row.reason_code == "opted_out" and relay.gateway.calls == []


def test_validity_passed_before_sending_is_expired(settings: RelaySettings) -> None:
    relay = Harness(settings, ScriptedGateway([]))
    message = relay.message(expires_at=NOW + 500)
    row = relay.dispatch_until(message, "expired")
    assert row.reason_code == "expired" and relay.gateway.calls == []


def resolve(relay: Harness, at: int) -> list[str]:
    relay.clock.now = at
    return [row.id for row in asyncio.run(relay.dispatcher.resolve_unreported())]


def test_a_message_never_reported_on_is_unknown_after_its_validity_and_the_grace(
    settings: RelaySettings,
) -> None:
    relay = Harness(settings, ScriptedGateway([("g-1",)]))
    validity_ms = 600_000
    message = relay.message(expires_at=NOW + validity_ms)
    submitted = relay.dispatch_until(message, "submitted")
    deadline = submitted.updated_at + validity_ms + GRACE_S * 1000
    assert resolve(relay, deadline - 1) == []
    assert resolve(relay, deadline) == [message.id]
    row = relay.row(message)
    assert (row.status, row.reason_code) == (MessageStatus.UNKNOWN, Reason.NO_RECEIPT)
    assert relay.told[-1].status == "unknown"
    # The report that comes late still settles it.
    assert receipt(relay.store, "g-1", "delivered").status == "delivered"


def test_without_a_validity_the_relays_receipt_wait_applies(settings: RelaySettings) -> None:
    relay = Harness(settings, ScriptedGateway([("g-1",)]))
    message = relay.message()
    submitted = relay.dispatch_until(message, "submitted")
    deadline = submitted.updated_at + (WAIT_S + GRACE_S) * 1000
    assert resolve(relay, deadline - 1) == []
    assert resolve(relay, deadline) == [message.id]
    assert events_of(relay.store, message)[-1] == ("unknown", "no_receipt")


def test_a_reported_message_is_never_resolved(settings: RelaySettings) -> None:
    relay = Harness(settings, ScriptedGateway([("g-1",)]))
    message = relay.message()
    relay.dispatch_until(message, "submitted")
    receipt(relay.store, "g-1", "delivered")
    assert resolve(relay, NOW + 10**12) == []
    assert relay.row(message).status == "delivered"


@pytest.mark.parametrize(
    ("key", "value", "error"),
    [
        ("receipt_wait_seconds", 0, "at least 1"),
        ("receipt_grace_seconds", -1, "at least 0"),
        ("receipt_sweep_seconds", "soon", "must be a number"),
    ],
)
def test_the_receipt_wait_settings_are_checked(
    tmp_path: Path, key: str, value: object, error: str
) -> None:
    config = relay_config()
    config["relay"][key] = value
    with pytest.raises(Exception, match=error):
        parse_settings(config, data_dir=tmp_path)
