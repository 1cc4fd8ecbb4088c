"""Parked drafts on the relay: per agent, versioned, checked by the compose core."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.support.relaykit import auth

DRAFT = {
    "version": 1,
    "queue_id": "service",
    "to": "0151 1234",
    "text": "Halb fertig…",
    "from": "ACME",
}


def test_park_list_resume_update_and_delete(client: TestClient, token) -> None:
    created = client.post("/v1/drafts", json={"draft": DRAFT}, headers=auth(token()))
    assert created.status_code == 201
    draft = created.json()
    assert draft["draft"]["text"] == "Halb fertig…"
    assert draft["draft"]["id"] == draft["id"] and draft["version"] == 1
    listed = client.get("/v1/drafts", headers=auth(token())).json()["items"]
    assert [d["id"] for d in listed] == [draft["id"]]
    changed = {**DRAFT, "text": "Fertig"}
    updated = client.put(
        f"/v1/drafts/{draft['id']}", json={"draft": changed, "version": 1}, headers=auth(token())
    )
    assert updated.status_code == 200 and updated.json()["version"] == 2
    assert (
        client.get(f"/v1/drafts/{draft['id']}", headers=auth(token())).json()["draft"]["text"]
        == "Fertig"
    )
    assert client.delete(f"/v1/drafts/{draft['id']}", headers=auth(token())).status_code == 204
    assert client.get("/v1/drafts", headers=auth(token())).json()["items"] == []


def test_a_stale_update_is_a_conflict_not_a_silent_overwrite(client: TestClient, token) -> None:
    draft_id = client.post("/v1/drafts", json={"draft": DRAFT}, headers=auth(token())).json()["id"]
    client.put(f"/v1/drafts/{draft_id}", json={"draft": DRAFT, "version": 1}, headers=auth(token()))
    stale = client.put(
        f"/v1/drafts/{draft_id}", json={"draft": DRAFT, "version": 1}, headers=auth(token())
    )
    assert (stale.status_code, stale.json()["code"]) == (409, "draft.version_conflict")


def test_a_damaged_or_future_draft_is_refused_with_the_cores_reason(
    client: TestClient, token
) -> None:
    future = client.post(
        "/v1/drafts", json={"draft": {**DRAFT, "version": 9}}, headers=auth(token("a"), lang="en")
    )
    assert (future.status_code, future.json()["code"]) == (422, "draft.unsupported_version")
    damaged = client.post("/v1/drafts", json={"draft": {**DRAFT, "text": 5}}, headers=auth(token()))
    assert (damaged.status_code, damaged.json()["code"]) == (422, "draft.invalid")


def test_an_agent_can_neither_read_nor_change_another_agents_drafts(
    client: TestClient, token
) -> None:
    draft_id = client.post("/v1/drafts", json={"draft": DRAFT}, headers=auth(token("a"))).json()[
        "id"
    ]
    other = auth(token("b"))
    assert client.get(f"/v1/drafts/{draft_id}", headers=other).status_code == 404
    assert (
        client.put(f"/v1/drafts/{draft_id}", json={"draft": DRAFT}, headers=other).status_code
        == 404
    )
    assert client.delete(f"/v1/drafts/{draft_id}", headers=other).status_code == 404
    assert client.get("/v1/drafts", headers=other).json()["items"] == []
    assert client.get(f"/v1/drafts/{draft_id}", headers=auth(token("a"))).status_code == 200
