"""Bad input on every route that takes a body: each gets a clear 4xx in the one error shape,
worded in German and in English, nothing of it is stored, and the relay goes on working."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from smsrelay.errors import RELAY_CATALOG
from tests.support.relaykit import auth, message

TEN_MB = 10 * 1024 * 1024
DRAFT = {"version": 1, "to": "0151 12345678", "text": "Hallo"}


def chunks(total: int, size: int = 256 * 1024) -> Iterator[bytes]:
    """A body sent without Content-Length (chunked), as a streaming client would."""
    sent = 0
    while sent < total:
        yield b"x" * min(size, total - sent)
        sent += size


def json_bytes(value: Any) -> bytes:
    return json.dumps(value).encode()


#: (name, request, status, code): the request as keyword arguments for the test client, with
#: "{body}" standing for the route's well-formed body wherever a case changes one thing.
CASES = [
    ("oversize", {"content": b'{"x": "' + b"y" * 70_000 + b'"}'}, 413, "request.too_large"),
    ("ten-megabyte-text", {"content": b'{"text": "' + b"y" * TEN_MB + b'"}'}, 413, "request.too_large"),
    ("ten-megabytes-chunked", {"content": "chunked"}, 413, "request.too_large"),
    ("invalid-utf8", {"content": b'{"text": "\xc3\x28"}'}, 400, "request.not_utf8"),
    ("not-json", {"content": b"{'text': 1"}, 400, "request.invalid_json"),
    ("json-array", {"content": b"[1, 2]"}, 422, "request.not_an_object"),
    ("lone-surrogate", {"replace": ("Hallo", "Hallo \\ud800")}, 422, "request.character_not_allowed"),
    ("nul-character", {"replace": ("Hallo", "Hal\\u0000lo")}, 422, "request.character_not_allowed"),
    ("escape-character", {"replace": ("Hallo", "\\u001b[31mHallo")}, 422, "request.character_not_allowed"),
    ("unknown-field", {"extra": {"admin": True}}, 422, "request.unknown_field"),
    ("wrong-content-type", {"content_type": "text/plain"}, 415, "request.unsupported_media_type"),
    ("form-instead-of-json", {"content_type": "application/x-www-form-urlencoded"}, 415, "request.unsupported_media_type"),
    ("no-content-type", {"content_type": None}, 415, "request.unsupported_media_type"),
]  # fmt: skip

ROUTES = {
    "send": ("POST", "/v1/messages", message()),
    "park-draft": ("POST", "/v1/drafts", {"draft": DRAFT}),
    "update-draft": ("PUT", "/v1/drafts/{draft_id}", {"draft": DRAFT}),
}


def worded(code: str, lang: str, text: str) -> bool:
    """Whether ``text`` is the catalog's wording of ``code`` in ``lang`` (any parameters)."""
    template = RELAY_CATALOG[code][lang]
    pattern = "".join(
        ".+" if part.startswith("{") else re.escape(part)
        for part in re.split(r"(\{[a-z_]+\})", template)
    )
    return re.fullmatch(pattern, text, re.DOTALL) is not None


def build(case: dict[str, Any], body: dict[str, Any]) -> dict[str, Any]:
    content: Any = json_bytes({**body, **case.get("extra", {})})
    if "replace" in case:
        old, new = case["replace"]
        content = content.replace(old.encode(), new.encode())
    if "content" in case:
        content = chunks(TEN_MB) if case["content"] == "chunked" else case["content"]
    content_type = case.get("content_type", "application/json")
    headers = {"Content-Type": content_type} if content_type else {}
    return {"content": content, "headers": headers}


@pytest.mark.parametrize("route", ROUTES)
@pytest.mark.parametrize(("name", "case", "status", "code"), CASES, ids=[c[0] for c in CASES])
def test_bad_input_gets_a_clear_translated_4xx_and_nothing_is_stored(
    client: TestClient, token, route: str, name: str, case: dict, status: int, code: str
) -> None:
    method, path, body = ROUTES[route]
    agent = token()
    if "{draft_id}" in path:
        parked = client.post("/v1/drafts", json={"draft": DRAFT}, headers=auth(agent))
        path = path.format(draft_id=parked.json()["id"])
    words = {}
    for lang in ("de", "en"):
        request = build(case, body)
        headers = {**auth(agent, lang), "Idempotency-Key": f"key-{name}", **request["headers"]}
        if "Content-Type" not in request["headers"]:
            headers.pop("Content-Type", None)
        answer = client.request(method, path, content=request["content"], headers=headers)
        assert answer.status_code == status, answer.text
        error = answer.json()
        assert {"code", "message", "field"} <= error.keys()
        assert error["code"] == code
        assert worded(code, lang, error["message"]), error["message"]
        assert "Traceback" not in answer.text
        words[lang] = error["message"]
    assert words["de"] != words["en"]
    # Nothing of it was kept: no message, and the draft (if any) is as it was parked.
    assert client.get("/v1/messages", headers=auth(agent)).json()["items"] == []
    for draft in client.get("/v1/drafts", headers=auth(agent)).json()["items"]:
        assert draft["draft"]["text"] == "Hallo"
    # And the relay goes on taking good input.
    good = client.post(
        "/v1/messages", json=message(), headers={**auth(agent), "Idempotency-Key": "good"}
    )
    assert good.status_code == 202, good.text


def test_the_field_at_fault_is_named(client: TestClient, token) -> None:
    headers = {**auth(token(), "en"), "Idempotency-Key": "k"}
    answer = client.post("/v1/messages", json=message(to="0151\x07"), headers=headers)
    assert (answer.json()["code"], answer.json()["field"]) == (
        "request.character_not_allowed",
        "to",
    )
    assert answer.json()["message"] == "to contains a character that is not allowed (U+0007)."
    answer = client.post("/v1/messages", json=message(text="x" * 10_001), headers=headers)
    assert (answer.json()["code"], answer.json()["field"]) == ("request.too_long", "text")
    assert "10000" in answer.json()["message"]
    answer = client.post("/v1/messages", json={**message(), "priority": 1}, headers=headers)
    assert (answer.json()["code"], answer.json()["field"]) == ("request.unknown_field", "priority")
