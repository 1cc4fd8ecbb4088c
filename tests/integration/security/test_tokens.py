"""Tokens an attacker could bring: expired, signed with the wrong key, ``alg: none``,
tampered after signing, or signed by one tenant's key for another tenant. Each is refused
with 401 on every route an agent uses, in the agent's language."""

from __future__ import annotations

import base64
import json
import time

import jwt
import pytest
from fastapi.testclient import TestClient

from smsrelay.auth import mint_token
from smsrelay.settings import RelaySettings
from tests.support.relaykit import SECRET, auth

ROUTES = [
    ("GET", "/v1/compose-config"),
    ("GET", "/v1/messages"),
    ("POST", "/v1/messages"),
    ("GET", "/v1/drafts"),
    ("POST", "/v1/drafts"),
    ("GET", "/v1/events"),
    ("GET", "/v1/opt-outs/+4915112345678"),
]


def b64(data: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


def tampered(token: str, **changes: object) -> str:
    """The token with its claims changed and the original signature kept."""
    header, payload, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    return ".".join((header, b64({**claims, **changes}), signature))


def forgeries(settings: RelaySettings) -> dict[str, str]:
    now = int(time.time())
    claims = {"tenant": "acme", "sub": "alice", "iat": now, "exp": now + 600}
    good = mint_token(settings, tenant="acme", agent="alice")
    return {
        "expired": mint_token(settings, tenant="acme", agent="alice", ttl_seconds=60, now=now - 7200),
        "wrong-key": jwt.encode(claims, "a-different-secret-of-enough-length!!", headers={"kid": "k1"}),
        "alg-none": jwt.encode(claims, None, algorithm="none", headers={"kid": "k1"}),
        "alg-none-unsigned": f"{b64({'alg': 'none', 'kid': 'k1'})}.{b64(claims)}.",
        "tampered-agent": tampered(good, sub="bob"),
        "tampered-tenant": tampered(good, tenant="other"),
        "tampered-expiry": tampered(good, exp=now + 7200),
        "kid-of-another-tenant": jwt.encode({**claims, "tenant": "other"}, SECRET, headers={"kid": "k1"}),
        "acme-key-for-other-tenant": jwt.encode({**claims, "tenant": "other"}, SECRET, headers={"kid": "o1"}),
        "other-algorithm": jwt.encode(claims, SECRET * 2, algorithm="HS384", headers={"kid": "k1"}),
        "empty": "",
    }  # fmt: skip


@pytest.mark.parametrize(("method", "path"), ROUTES)
def test_forged_and_expired_tokens_are_refused_everywhere(
    client: TestClient, settings: RelaySettings, method: str, path: str
) -> None:
    for name, token in forgeries(settings).items():
        for lang in ("de", "en"):
            headers = {**auth(token, lang), "Idempotency-Key": "k"} if token else {}
            headers["Accept-Language"] = lang
            answer = client.request(method, path, headers=headers, json={})
            assert answer.status_code == 401, (name, answer.text)
            error = answer.json()
            expected = {"expired": "auth.expired", "empty": "auth.missing"}.get(
                name, "auth.invalid"
            )
            assert error["code"] == expected, name
            assert error["message"]
            if lang == "de":
                assert any(w in error["message"] for w in ("Token", "Anmeldung")), error
    # Nothing any of them sent was stored.
    alice = mint_token(settings, tenant="acme", agent="alice")
    assert client.get("/v1/messages", headers=auth(alice)).json()["items"] == []


def test_a_token_may_not_live_longer_than_twelve_hours(
    client: TestClient, settings: RelaySettings
) -> None:
    long_lived = mint_token(settings, tenant="acme", agent="alice", ttl_seconds=13 * 3600)
    assert client.get("/v1/compose-config", headers=auth(long_lived)).status_code == 401
