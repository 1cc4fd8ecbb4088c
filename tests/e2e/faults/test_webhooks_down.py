"""The CRM's webhook receiver answers 500 for fifteen seconds while agents keep sending (the
relay as its own process, the receiver a process that verifies with ``standardwebhooks`` and
counts). The relay keeps every event, retries with its backoff, and once the receiver is back
delivers each exactly where it belongs: every event, in order per conversation, none lost, none
failed.
"""

from __future__ import annotations

import time
from collections import defaultdict
from pathlib import Path

import httpx

from smsrelay.tenants.webhooks import new_secret
from tests.support.peers.webhook_receiver import run_webhook_receiver
from tests.support.processes import wait_until
from tests.support.relay_process import headers, history, relay_config, relay_process, send

SECRET = new_secret()
#: Long enough for the first event's backoff (1, 2, 4, 4 s, each less up to half) to fail it
#: five times before the receiver is back; the messages are sent in its first half.
DOWN_SECONDS = 15
SENDING_SECONDS = 7
MESSAGES = 30
NUMBERS = ("+4915112345678", "+4915187654321", "+4917612345678")
PLATFORM = "smsp_down-test-0123456789abcdefghijklmnopqrstuvwxyz"


def test_a_receiver_down_for_fifteen_seconds_gets_every_event_in_order_once_it_is_back(
    tmp_path: Path,
) -> None:
    from smsrelay.admin.access import key_hash

    with run_webhook_receiver(SECRET) as receiver:
        config = relay_config(
            {"sandbox": {"type": "sandbox", "delivery_delay_ms": 100}},
            relay={
                "platform_key_sha256": [key_hash(PLATFORM)],
                "webhook_retry_base_seconds": 1.0,
                "webhook_retry_max_seconds": 4.0,
                "webhook_poll_seconds": 0.2,
                "webhook_private_networks": True,
            },
            webhooks=[
                {"id": "crm", "url": receiver.url(), "secret": SECRET, "include": ["number"]}
            ],
        )
        with relay_process(tmp_path / "relay", config) as relay:
            back_at = time.time() + DOWN_SECONDS
            receiver.configure(fail_status=500, fail_until=back_at)
            token = relay.token()
            for n in range(MESSAGES):
                assert send(relay, token, n, to=NUMBERS[n % len(NUMBERS)]).status_code == 202
                time.sleep(SENDING_SECONDS / MESSAGES)  # spread over the outage
            assert receiver.received() == []
            tries = receiver.refused()["failed"]
            assert tries >= 3 * len(NUMBERS)  # retried all along, each conversation's first event
            expected = 3 * MESSAGES
            assert wait_until(lambda: len(receiver.received()) >= expected, 60), (
                f"{len(receiver.received())} of {expected}\n{relay.tail()}"
            )
            received = receiver.received()
            caught_up = max(d["arrived"] for d in received) - back_at
            assert min(d["arrived"] for d in received) >= back_at
            events = [d["event"] for d in received]
            assert len({e["id"] for e in events}) == expected == len(events)
            final = history(relay, token)
            by_customer: dict[str, list[str]] = defaultdict(list)
            for event in events:
                by_customer[event["data"]["to"]].append(event["timestamp"])
            for stamps in by_customer.values():  # in the order they happened, per conversation
                assert stamps == sorted(stamps)
            for message_id, message in final.items():
                statuses = [
                    e["data"]["status"] for e in events if e["data"]["message_id"] == message_id
                ]
                assert statuses == ["queued", "submitted", message["status"]]
            log = httpx.get(
                f"{relay.url}/v1/admin/tenants/acme/webhooks/deliveries?limit=200",
                headers=headers(PLATFORM),
                timeout=10,
            ).json()["items"]
            assert {d["state"] for d in log} == {"delivered"}
            assert max(d["attempts"] for d in log) >= 5
            print(
                f"\n{tries} refused attempts during the {DOWN_SECONDS} s outage; all {expected} "
                f"events at the receiver {caught_up:.1f} s after it was back"
            )
