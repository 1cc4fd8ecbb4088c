"""One agent's messages and drafts are theirs: another agent of the same tenant, or an agent
of another tenant, can neither read nor change them, nor see them in the event stream."""

from __future__ import annotations

import json

from fastapi.testclient import TestClient

from tests.support.relaykit import auth, send

DRAFT = {"draft": {"version": 1, "to": "0151 12345678", "text": "Entwurf von Alice"}}


def stream_ids(client: TestClient, token: str, until_id: str) -> set[str]:
    """The message ids in the agent's event stream from the start until ``until_id`` is
    delivered (the agent's own message ends the otherwise endless stream)."""
    seen: set[str] = set()
    with client.stream("GET", "/v1/events", headers={**auth(token), "Last-Event-ID": "0"}) as s:
        for line in s.iter_lines():
            if line.startswith("data: "):
                event = json.loads(line[6:])
                seen.add(event["id"])
                if event["id"] == until_id and event["status"] == "delivered":
                    break
    return seen


def test_agents_cannot_read_change_or_watch_each_others_messages_and_drafts(
    client: TestClient, token
) -> None:
    alice = token("alice")
    message_id = send(client, alice, key="a").json()["id"]
    draft = client.post("/v1/drafts", json=DRAFT, headers=auth(alice)).json()
    draft_url = f"/v1/drafts/{draft['id']}"

    for intruder in (token("bob"), token("alice", tenant="other")):
        assert client.get(f"/v1/messages/{message_id}", headers=auth(intruder)).status_code == 404
        assert client.get("/v1/messages", headers=auth(intruder)).json()["items"] == []
        assert client.get(draft_url, headers=auth(intruder)).status_code == 404
        assert client.get("/v1/drafts", headers=auth(intruder)).json()["items"] == []
        changed = {"draft": {**DRAFT["draft"], "text": "überschrieben"}}
        assert client.put(draft_url, json=changed, headers=auth(intruder)).status_code == 404
        assert client.delete(draft_url, headers=auth(intruder)).status_code == 404
        # The same idempotency key is the intruder's own: it never replays alice's message.
        own = send(client, intruder, key="a")
        assert own.status_code == 202 and own.json()["id"] != message_id
        assert message_id not in stream_ids(client, intruder, own.json()["id"])

    # Alice's draft and message are untouched and still hers.
    assert client.get(draft_url, headers=auth(alice)).json()["draft"]["text"] == "Entwurf von Alice"
    assert client.get(f"/v1/messages/{message_id}", headers=auth(alice)).status_code == 200
    assert stream_ids(client, alice, message_id) == {message_id}
