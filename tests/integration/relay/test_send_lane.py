"""``POST /v1/messages`` answers a valid request in the send lane, in front of the middleware
stack and FastAPI's routing, and leaves everything else to the documented route. Both must
answer every request alike: here each request goes to a relay with the lane and to one without
it (fresh databases, no dispatcher), and the answers are compared — status, every header but
the date, body (but the message id, which is random)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from smsrelay.api.send_lane import SendLane
from smsrelay.app import create_app
from smsrelay.auth import mint_token
from smsrelay.settings import parse_settings
from tests.support.relaykit import MOBILE, relay_config

VALID = {"queue_id": "service", "from": "ACME", "to": MOBILE, "text": "Hallo {Welt}"}


def raw(body: Any) -> bytes:
    return json.dumps(body, ensure_ascii=False).encode()


#: (name, headers besides the token, body bytes): valid ones, and each check failing alone.
CASES: list[tuple[str, dict[str, str], bytes]] = [
    ("valid", {}, raw(VALID)),
    ("valid, charset", {"Content-Type": "application/json; charset=utf-8"}, raw(VALID)),
    ("valid, +json", {"Content-Type": "application/vnd.acme+json"}, raw(VALID)),
    (
        "valid, field by its name",
        {},
        raw({**{k: v for k, v in VALID.items() if k != "from"}, "sender": "ACME"}),
    ),
    ("valid, interaction", {}, raw({**VALID, "interaction_id": "c-1", "interaction_type": "call"})),
    ("valid, BOM", {}, b"\xef\xbb\xbf" + raw(VALID)),
    ("valid, key of 200", {"Idempotency-Key": "k" * 200}, raw(VALID)),
    ("valid, key with inner space", {"Idempotency-Key": "a b"}, raw(VALID)),
    ("key of 201", {"Idempotency-Key": "k" * 201}, raw(VALID)),
    ("key of spaces", {"Idempotency-Key": "   "}, raw(VALID)),
    ("key with a leading space", {"Idempotency-Key": " k"}, raw(VALID)),
    ("no key", {"Idempotency-Key": ""}, raw(VALID)),
    ("no content type", {"Content-Type": ""}, raw(VALID)),
    ("text/plain", {"Content-Type": "text/plain"}, raw(VALID)),
    ("form", {"Content-Type": "application/x-www-form-urlencoded"}, b"queue_id=service"),
    ("no token", {"Authorization": ""}, raw(VALID)),
    ("bad token", {"Authorization": "Bearer nope"}, raw(VALID)),
    ("bad token, bad JSON", {"Authorization": "Bearer nope"}, b"{"),
    ("empty body", {}, b""),
    ("not JSON", {}, b"{queue_id"),
    ("not UTF-8", {}, b'{"text": "\xff"}'),
    ("null", {}, b"null"),
    ("a list", {}, raw([VALID])),
    ("unknown field", {}, raw({**VALID, "priority": 1})),
    ("missing field", {}, raw({k: v for k, v in VALID.items() if k != "to"})),
    ("wrong type", {}, raw({**VALID, "text": 5})),
    ("too long", {}, raw({**VALID, "text": "x" * 10_001})),
    ("control character", {}, raw({**VALID, "text": "a\x01b"})),
    (
        "lone surrogate",
        {},
        b'{"queue_id": "service", "from": "ACME", "to": "x", "text": "\\ud800"}',
    ),
    ("NaN", {}, b'{"queue_id": "service", "from": "ACME", "to": "x", "text": NaN}'),
    ("bad interaction type", {}, raw({**VALID, "interaction_type": "email"})),
    ("valid, allowed origin", {"Origin": "https://crm.example"}, raw(VALID)),
    ("valid, another origin", {"Origin": "https://evil.example"}, raw(VALID)),
    ("valid, English", {"Accept-Language": "en-GB,en;q=0.8"}, raw(VALID)),
    ("bad number, allowed origin", {"Origin": "https://crm.example"}, raw({**VALID, "to": "1"})),
    ("two tokens", {"Authorization": "Bearer a, Bearer b"}, raw(VALID)),
    ("basic auth", {"Authorization": "Basic YTpi"}, raw(VALID)),
    ("length over the limit", {"Content-Length": "70000"}, raw(VALID)),
    ("body over the limit", {}, raw({**VALID, "text": "x" * 70_000})),
    ("queue not granted", {}, raw({**VALID, "queue_id": "nope"})),
    ("bad number", {}, raw({**VALID, "to": "12"})),
    ("sender not allowed", {}, raw({**VALID, "from": "+4930999999"})),
]


@pytest.fixture
def relays(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[..., Any]]:
    """``send(lane, name, headers, body)`` against the relay with or without the send lane;
    ``send.taken`` has the Idempotency-Keys of the requests the lane answered itself."""
    apps = {}
    for lane in (True, False):
        settings = parse_settings(relay_config(), data_dir=tmp_path / str(lane))
        apps[lane] = (create_app(settings, dispatch=False, send_lane=lane), settings)
    taken: list[str] = []
    answer = SendLane._answer

    async def noting(self: SendLane, fields: Any, body: bytes) -> Any:
        answered = await answer(self, fields, body)
        if answered is not None:
            taken.append(fields.key)
        return answered

    monkeypatch.setattr(SendLane, "_answer", noting)
    with TestClient(apps[True][0]) as lane_client, TestClient(apps[False][0]) as stack_client:
        clients = {True: lane_client, False: stack_client}

        def send(lane: bool, name: str, headers: dict[str, str], body: bytes) -> Any:
            settings = apps[lane][1]
            token = mint_token(settings, tenant="acme", agent="agent-1")
            sent = {
                "Authorization": f"Bearer {token}",
                "Content-Type": "application/json",
                "Idempotency-Key": f"key-{name}",
                "Accept-Language": "de",
                "X-Case": name,
                **headers,
            }
            sent = {k: v for k, v in sent.items() if v != ""}
            return clients[lane].post("/v1/messages", content=body, headers=sent)

        send.taken = taken  # type: ignore[attr-defined]
        yield send


def comparable(answer: Any) -> tuple[int, list[tuple[str, str]], Any]:
    try:
        body = answer.json()
    except ValueError:
        body = answer.text
    if answer.status_code == 202:
        body.pop("id")
    headers = sorted((k, v) for k, v in answer.headers.multi_items() if k != "date")
    return answer.status_code, headers, body


def test_the_send_lane_answers_every_request_as_the_documented_route_does(
    relays: Callable[..., Any],
) -> None:
    for name, headers, body in CASES:
        lane = relays(True, name, headers, body)
        documented = relays(False, name, headers, body)
        assert comparable(lane) == comparable(documented), name
    # Valid requests, and those the compose core or the agent's rights refuse, are the lane's.
    refused = ("bad number", "queue not granted", "sender not allowed")
    assert relays.taken == [  # type: ignore[attr-defined]
        headers.get("Idempotency-Key", f"key-{name}")
        for name, headers, _ in CASES
        if name.startswith(("valid", *refused))
    ]


def test_a_replay_and_a_conflict_are_answered_alike(relays: Callable[..., Any]) -> None:
    for fast in (True, False):
        first = relays(fast, "same", {}, raw(VALID))
        again = relays(fast, "same", {}, raw(VALID))
        other = relays(fast, "same", {}, raw({**VALID, "text": "Tschüss"}))
        assert (first.status_code, again.status_code, other.status_code) == (202, 202, 409)
        assert again.json() == first.json() and again.headers["idempotent-replayed"] == "true"
        assert other.json()["code"] == "request.idempotency_conflict"
