"""Receipts as real networks send them: duplicated, out of order, early, or about nothing.

The relay runs as a process behind a real Kannel whose SMS center is away, so Kannel reports
nothing by itself; the test then calls the relay's dlr-url exactly as Kannel's smsbox does
(signed, with Kannel's report types: 1 delivered, 2 undelivered, 8 SMSC accepted, 16 SMSC
rejected), in the orders networks produce. The agent follows the event stream meanwhile.
Whatever the order: no crash, the final status is right, and each status is streamed once.
"""

from __future__ import annotations

from pathlib import Path

import httpx

from smsrelay.gateways.kannel.dlr import sign_part
from tests.e2e.faults.test_gateway_down import kannel_gateway
from tests.support.peers.kannel import running_kannel
from tests.support.processes import wait_until
from tests.support.relay_process import (
    CALLBACK_SECRET,
    EventStream,
    RelayProcess,
    message,
    relay_config,
    relay_process,
    send,
)

DELIVERED, UNDELIVERED, ACCEPTED, REJECTED = 1, 2, 8, 16
TWO_PARTS = "Ihre Bestellung ist unterwegs und kommt morgen zwischen zehn und zwölf Uhr. " * 3


def report(relay: RelayProcess, message_id: str, part: int, kind: int, answer: str = "") -> None:
    """One dlr-url callback, as smsbox makes it."""
    params = {
        "message_id": message_id,
        "part": str(part),
        "sig": sign_part(CALLBACK_SECRET, message_id, part),
        "type": str(kind),
        "answer": answer,
        "at": "1700000000",
    }
    answer_ = httpx.get(f"{relay.url}/v1/receipts/kannel/kannel", params=params, timeout=10)
    assert (answer_.status_code, answer_.text) == (200, "OK")


def test_duplicate_early_late_and_unknown_receipts_end_in_the_right_status_once(
    tmp_path: Path,
) -> None:
    with running_kannel(tmp_path / "kannel") as kannel:
        kannel.stop_fakesmsc()  # Kannel queues and reports nothing: the receipts are ours
        config = relay_config({"kannel": kannel_gateway(kannel)})
        with relay_process(tmp_path / "relay", config) as relay:
            token = relay.token()
            with EventStream(relay, token) as stream:

                def submitted(number: int, **body: str) -> str:
                    answer = send(relay, token, number, **body)
                    assert answer.status_code == 202
                    message_id = answer.json()["id"]
                    assert wait_until(lambda: stream.of(message_id)[-1:] == ["submitted"], 10)
                    return message_id

                # Delivered, delivered again, then "rejected" and "accepted" after delivered.
                late = submitted(1)
                for kind in (DELIVERED, DELIVERED, REJECTED, ACCEPTED):
                    report(relay, late, 0, kind)

                # Two parts: the second delivered before the first was even accepted.
                parts = submitted(2, text=TWO_PARTS)
                for part, kind in ((1, DELIVERED), (0, ACCEPTED), (1, DELIVERED), (0, DELIVERED)):
                    report(relay, parts, part, kind)

                # Undelivered, then a late "delivered" for the same part.
                lost = submitted(3)
                report(relay, lost, 0, UNDELIVERED, "id:1 stat:UNDELIV err:001")
                report(relay, lost, 0, DELIVERED)

                # Delivered before Kannel even took it: the receipt waits for the submission.
                kannel.stop_smsbox()
                answer = send(relay, token, 4)
                assert answer.status_code == 202
                early = answer.json()["id"]
                report(relay, early, 0, DELIVERED)
                report(relay, early, 0, DELIVERED)
                assert message(relay, token, early)["status"] == "queued"
                kannel.start_smsbox()

                # A receipt for a message this relay never sent, twice.
                report(relay, "msg_000000000000unknown00000", 0, DELIVERED)
                report(relay, "msg_000000000000unknown00000", 0, DELIVERED)

                expected = {
                    late: ["queued", "submitted", "delivered"],
                    parts: ["queued", "submitted", "delivered"],
                    lost: ["queued", "submitted", "undelivered"],
                    early: ["queued", "submitted", "delivered"],
                }
                assert wait_until(
                    lambda: all(stream.of(i) == statuses for i, statuses in expected.items()),
                    timeout=15,
                ), {i: stream.of(i) for i in expected}
                # Nothing more comes: a duplicate event would show up in this second.
                assert not wait_until(lambda: len(stream.events) > 12, timeout=1.0)
                assert stream.error is None

            final = {i: message(relay, token, i) for i in expected}
            forged = httpx.get(
                f"{relay.url}/v1/receipts/kannel/kannel",
                params={"message_id": late, "part": "0", "sig": "0" * 64, "type": "2"},
            )
            receipts = relay.metrics()
            alive = httpx.get(f"{relay.url}/readyz").status_code

    assert {i: m["status"] for i, m in final.items()} == {
        late: "delivered",
        parts: "delivered",
        lost: "undelivered",
        early: "delivered",
    }
    assert final[lost]["reason"] == "id:1 stat:UNDELIV err:001"
    assert forged.status_code == 403
    assert set(forged.json()) == {"code", "message", "field"}
    assert receipts['smsrelay_receipts_total{gateway="kannel",known="false"}'] >= 2
    assert alive == 200
