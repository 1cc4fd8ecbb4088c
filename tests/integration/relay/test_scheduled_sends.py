"""Scheduled sends and quiet hours over HTTP, on SQLite and on PostgreSQL, with an injected
clock that the relay's service and its dispatcher both read: a message goes out when the clock
reaches its time and once; quiet hours hold or refuse by the tenant's choice; bad send-at
times are translated 422s with nothing stored; a cancel racing the dispatchers of two relays
on one database ends each message either sent or cancelled, never both.

(The relay as a process surviving a restart with a scheduled message:
tests/e2e/faults/test_scheduled_restart.py.)"""

from __future__ import annotations

import asyncio
import threading
import time
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from smsrelay.app import create_app
from smsrelay.auth import mint_token
from smsrelay.gateways.base import OutboundSms, ReceiptSink, SubmitResult
from smsrelay.settings import RelaySettings, parse_settings
from tests.support.peers.postgres import database_url, postgres_database  # noqa: F401
from tests.support.processes import wait_until
from tests.support.relaykit import auth, relay_config, send

#: Saturday 2 May 2026, 21:30 in Berlin; Monday 08:00 there is 06:00 UTC.
SATURDAY_NIGHT = 1_777_750_200_000
HOUR = 3_600_000


class Clock:
    """The relay's time, moved by the test."""

    def __init__(self, now: int) -> None:
        self.now = now
        self._lock = threading.Lock()

    def __call__(self) -> int:
        with self._lock:
            return self.now

    def set(self, now: int) -> None:
        with self._lock:
            self.now = now


class CountingGateway:
    """Takes every message, a little slowly (a claim and a cancel then overlap), and counts."""

    def __init__(self, sent: Counter[str], lock: threading.Lock) -> None:
        self.name = "sandbox"
        self.sent = sent
        self._lock = lock

    async def start(self, receipts: ReceiptSink, inbound: object = None) -> None:
        pass

    async def submit(self, sms: OutboundSms) -> SubmitResult:
        with self._lock:
            self.sent[sms.message_id] += 1
        await asyncio.sleep(0.01)
        return SubmitResult((f"g-{sms.message_id}",))

    def part_id(self, message_id: str, part: int) -> None:
        return None

    async def close(self) -> None:
        pass


class Relays:
    """Relays in this process on one database, their gateways counting what went out."""

    def __init__(self, settings: RelaySettings, clock: Clock) -> None:
        self.settings = settings
        self.clock = clock
        self.sent: Counter[str] = Counter()
        self._lock = threading.Lock()
        self._stack = ExitStack()
        self.clients: list[TestClient] = []

    def start(self, count: int = 1) -> TestClient:
        for _ in range(count):
            gateway = CountingGateway(self.sent, self._lock)
            app = create_app(self.settings, gateways={"sandbox": gateway}, clock=self.clock)
            client = self._stack.enter_context(TestClient(app))
            # FastAPI builds an app's routes at its first request that passes them (a 404 passes
            # them all). Two apps in one process building them at once, each on its own event
            # loop thread, race in pydantic over the models they share (a warning, an error) —
            # in a fresh process, about one time in four. A relay process has one app.
            assert client.get("/no-such-route").status_code == 404
            self.clients.append(client)
        return self.clients[0]

    def token(self, agent: str = "agent-1") -> str:
        return mint_token(self.settings, tenant="acme", agent=agent)

    def close(self) -> None:
        self._stack.close()


@pytest.fixture
def relays(tmp_path: Path, database_url: str) -> Iterator[Relays]:  # noqa: F811
    yield from _relays(tmp_path, database_url)


@pytest.fixture
def quiet_relays(
    tmp_path: Path,
    database_url: str,  # noqa: F811
    request: pytest.FixtureRequest,
) -> Iterator[Relays]:
    yield from _relays(tmp_path, database_url, quiet_hours=request.param)


def _relays(tmp_path: Path, url: str, **tenant: Any) -> Iterator[Relays]:
    config = relay_config(**tenant)
    config["relay"]["database_url"] = url
    relays = Relays(parse_settings(config, data_dir=tmp_path), Clock(SATURDAY_NIGHT))
    try:
        yield relays
    finally:
        relays.close()


def message(client: TestClient, token: str, message_id: str) -> dict[str, Any]:
    return client.get(f"/v1/messages/{message_id}", headers=auth(token)).json()


def test_a_scheduled_message_goes_out_when_the_clock_reaches_it_and_once(
    relays: Relays,
) -> None:
    client = relays.start()
    token = relays.token()
    answer = send(client, token, send_at="2026-05-04T09:30:00+02:00")
    assert answer.status_code == 202, answer.text
    body = answer.json()
    assert (body["status"], body["send_at"], body["held"]) == (
        "scheduled",
        "2026-05-04T07:30:00Z",
        False,
    )
    due = 1_777_879_800_000
    relays.clock.set(due - 1000)
    time.sleep(1.2)  # more than two of the dispatcher's idle polls
    assert message(client, token, body["id"])["status"] == "scheduled"
    assert relays.sent == Counter()
    relays.clock.set(due)
    assert wait_until(lambda: message(client, token, body["id"])["status"] == "submitted", 10)
    time.sleep(1.2)
    assert relays.sent == Counter({body["id"]: 1})
    listed = client.get("/v1/messages", params={"status": "scheduled"}, headers=auth(token))
    assert listed.json()["items"] == []


@pytest.mark.parametrize(
    "quiet_relays", [{"from": "20:00", "until": "08:00", "days": ["sun"]}], indirect=True
)
def test_quiet_hours_that_hold_keep_it_until_monday_morning(quiet_relays: Relays) -> None:
    client = quiet_relays.start()
    token = quiet_relays.token()
    body = send(client, token).json()
    assert (body["status"], body["send_at"], body["held"]) == (
        "scheduled",
        "2026-05-04T06:00:00Z",
        True,
    )
    listed = client.get("/v1/messages", params={"status": "scheduled"}, headers=auth(token)).json()
    assert [(m["id"], m["held"]) for m in listed["items"]] == [(body["id"], True)]
    quiet_relays.clock.set(1_777_874_400_000)
    assert wait_until(lambda: message(client, token, body["id"])["status"] == "submitted", 10)
    assert quiet_relays.sent == Counter({body["id"]: 1})


@pytest.mark.parametrize(
    "quiet_relays", [{"from": "20:00", "until": "08:00", "mode": "refuse"}], indirect=True
)
def test_quiet_hours_that_refuse_answer_a_translated_422_and_store_nothing(
    quiet_relays: Relays,
) -> None:
    client = quiet_relays.start()
    token = quiet_relays.token()
    de = send(client, token, lang="de")
    assert de.status_code == 422
    assert (de.json()["code"], de.json()["field"]) == ("quiet_hours.refused", "send_at")
    assert de.json()["message"] == (
        "Ruhezeit beim Kunden (20:00–08:00 Uhr): Ihr Unternehmen sendet dann keine SMS. "
        "Frühestens möglich: So., 3. Mai, 08:00 (Europe/Berlin)."
    )
    en = send(client, token, lang="en").json()["message"]
    assert en.startswith("Quiet hours at the customer's (20:00–08:00): your company sends no SMS")
    assert client.get("/v1/messages", headers=auth(token)).json()["items"] == []
    later = send(client, token, send_at="2026-05-03T08:00:00+02:00")
    assert later.status_code == 202 and later.json()["status"] == "scheduled"


@pytest.mark.parametrize(
    ("send_at", "code", "english"),
    [
        ("2026-05-02T21:00:00+02:00", "schedule.in_past", "The time to send is in the past."),
        ("next tuesday", "schedule.invalid", "The time to send is not valid"),
        ("2026-05-04T09:30", "schedule.invalid", "with its time zone"),
        ("2026-06-02T09:00:00+02:00", "schedule.too_far", "at most 30 days ahead"),
        ("", "request.empty", "must not be empty"),
        (1777879800, "request.wrong_type", "send_at"),
    ],
)
def test_a_bad_send_at_is_a_translated_422_and_nothing_is_stored(
    relays: Relays, send_at: Any, code: str, english: str
) -> None:
    client = relays.start()
    token = relays.token()
    answers = {lang: send(client, token, lang=lang, send_at=send_at) for lang in ("de", "en")}
    for answer in answers.values():
        assert answer.status_code == 422, answer.text
        assert answer.json()["code"] == code
    assert english in answers["en"].json()["message"]
    assert answers["de"].json()["message"] != answers["en"].json()["message"]
    assert client.get("/v1/messages", headers=auth(token)).json()["items"] == []


def test_a_cancelled_message_never_goes_out_and_a_sent_one_cannot_be_cancelled(
    relays: Relays,
) -> None:
    client = relays.start()
    token = relays.token()
    first = send(client, token, key="a", send_at="2026-05-03T10:00:00+02:00").json()
    second = send(client, token, key="b", send_at="2026-05-03T10:00:00+02:00").json()
    cancelled = client.post(f"/v1/messages/{first['id']}/cancel", headers=auth(token))
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    again = client.post(f"/v1/messages/{first['id']}/cancel", headers=auth(token))
    assert again.status_code == 200 and again.json()["status"] == "cancelled"
    theirs = client.post(f"/v1/messages/{second['id']}/cancel", headers=auth(relays.token("b")))
    assert theirs.status_code == 404
    relays.clock.set(SATURDAY_NIGHT + 24 * HOUR)
    assert wait_until(lambda: message(client, token, second["id"])["status"] == "submitted", 10)
    late = client.post(f"/v1/messages/{second['id']}/cancel", headers=auth(token, "de"))
    assert late.status_code == 409 and late.json()["code"] == "message.not_cancellable"
    assert late.json()["message"].startswith("Diese SMS wird schon gesendet oder ist erledigt")
    assert message(client, token, first["id"])["status"] == "cancelled"
    assert relays.sent == Counter({second["id"]: 1})


def test_cancels_racing_two_relays_dispatchers_end_each_message_sent_or_cancelled(
    relays: Relays,
) -> None:
    relays.start(count=2)
    token = relays.token()
    ids = [
        send(relays.clients[n % 2], token, key=f"k{n}", send_at="2026-05-03T10:00:00+02:00").json()[
            "id"
        ]
        for n in range(60)
    ]
    answers: dict[str, int] = {}

    def cancel(n: int) -> None:
        client = relays.clients[n % 2]
        answers[ids[n]] = client.post(
            f"/v1/messages/{ids[n]}/cancel", headers=auth(token)
        ).status_code

    # Both dispatchers find all sixty due at once while the cancels come in, through both.
    relays.clock.set(SATURDAY_NIGHT + 24 * HOUR)
    with ThreadPoolExecutor(6) as pool:
        list(pool.map(cancel, range(len(ids))))

    def settled() -> bool:
        return all(
            message(relays.clients[0], token, i)["status"] in {"submitted", "cancelled"}
            for i in ids
        )

    assert wait_until(settled, 20)
    time.sleep(1.0)  # a stray second send would show by now
    statuses = {i: message(relays.clients[0], token, i)["status"] for i in ids}
    for message_id in ids:
        if statuses[message_id] == "cancelled":
            assert answers[message_id] == 200 and relays.sent[message_id] == 0, message_id
        else:
            assert answers[message_id] == 409 and relays.sent[message_id] == 1, message_id
    outcomes = Counter(statuses.values())
    assert sum(outcomes.values()) == len(ids) and max(relays.sent.values(), default=1) == 1
