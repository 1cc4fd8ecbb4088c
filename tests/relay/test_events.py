"""The agent's status stream: server-sent events as messages move to delivered."""

from __future__ import annotations

import json

from fastapi.testclient import TestClient

from tests.relay.relaykit import auth, send


def read_statuses(client: TestClient, token: str, message_id: str, until: str) -> list[str]:
    statuses: list[str] = []
    with client.stream(
        "GET", "/v1/events?last_event_id=0", headers={**auth(token), "Last-Event-ID": "0"}
    ) as stream:
        assert stream.headers["content-type"].startswith("text/event-stream")
        for line in stream.iter_lines():
            if line.startswith("data: "):
                event = json.loads(line[6:])
                if event["id"] == message_id:
                    statuses.append(event["status"])
                    if event["status"] == until:
                        break
    return statuses


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
