"""The agent's status stream: server-sent events as messages move to delivered."""

from __future__ import annotations

import json

from fastapi.testclient import TestClient

from smsrelay.gateways.sandbox import UNDELIVERED
from tests.support.relaykit import auth, send


def read_statuses(client: TestClient, token: str, message_id: str, until: str) -> list[str]:
    return [event["status"] for event in read_events(client, token, message_id, until)]


def read_events(
    client: TestClient, token: str, message_id: str, until: str
) -> list[dict[str, object]]:
    events: list[dict[str, object]] = []
    with client.stream(
        "GET", "/v1/events?last_event_id=0", headers={**auth(token), "Last-Event-ID": "0"}
    ) as stream:
        assert stream.headers["content-type"].startswith("text/event-stream")
        for line in stream.iter_lines():
            if line.startswith("data: "):
                event = json.loads(line[6:])
                if event["id"] == message_id:
                    events.append(event)
                    if event["status"] == until:
                        break
    return events


def test_the_stream_reports_queued_submitted_and_delivered(client: TestClient, token) -> None:
    message_id = send(client, token()).json()["id"]
    assert read_statuses(client, token(), message_id, "delivered") == [
        "queued",
        "submitted",
        "delivered",
    ]


def test_the_stream_shows_only_the_agents_own_messages(client: TestClient, token) -> None:
    send(client, token("someone-else"), key="x")
    mine = send(client, token("me"), key="y").json()["id"]
    seen: set[str] = set()
    with client.stream(
        "GET", "/v1/events", headers={**auth(token("me")), "Last-Event-ID": "0"}
    ) as stream:
        for line in stream.iter_lines():
            if line.startswith("data: "):
                event = json.loads(line[6:])
                seen.add(event["id"])
                if event["status"] == "delivered":
                    break
    assert seen == {mine}


def test_the_stream_says_why_in_a_code_and_keeps_the_gateways_words(
    client: TestClient, token
) -> None:
    message_id = send(client, token(), to=UNDELIVERED).json()["id"]
    events = read_events(client, token(), message_id, "undelivered")
    assert [(e["status"], e["reason_code"]) for e in events] == [
        ("queued", None),
        ("submitted", None),
        ("undelivered", "absent_subscriber"),
    ]
    assert events[-1]["reason"] == "absent subscriber (test number)"
