"""Tokens: who may call the relay, and what they may do."""

from __future__ import annotations

import time

import jwt
import pytest
from fastapi.testclient import TestClient

from smsrelay.auth import mint_token
from smsrelay.settings import RelaySettings
from tests.support.relaykit import SECRET, auth


def test_a_call_without_a_token_is_refused(client: TestClient) -> None:
    response = client.get("/v1/compose-config", headers={"Accept-Language": "de"})
    assert response.status_code == 401
    assert response.json()["code"] == "auth.missing"
    assert response.json()["message"].startswith("Anmeldung fehlt")


def test_a_valid_token_gives_the_agents_compose_config(client: TestClient, token) -> None:
    config = client.get("/v1/compose-config", headers=auth(token(queues=["sales"]))).json()
    assert [q["id"] for q in config["queues"]] == ["sales"]
    assert [t["id"] for t in config["templates"]] == ["hi", "bye"]
    assert (config["agent"], config["tenant"], config["language"]) == ("agent-1", "acme", "de")
    assert config["max_segments"] == 3


def test_an_expired_token_is_refused(client: TestClient, settings: RelaySettings) -> None:
    old = mint_token(settings, tenant="acme", agent="a", ttl_seconds=60, now=time.time() - 3600)
    response = client.get("/v1/compose-config", headers=auth(old))
    assert (response.status_code, response.json()["code"]) == (401, "auth.expired")


@pytest.mark.parametrize(
    "forge",
    [
        lambda claims: jwt.encode(claims, "x" * 40, algorithm="HS256", headers={"kid": "k1"}),
        lambda claims: jwt.encode(claims, SECRET, algorithm="HS256", headers={"kid": "nope"}),
        lambda claims: jwt.encode(claims, SECRET * 2, algorithm="HS512", headers={"kid": "k1"}),
        lambda claims: jwt.encode(claims, None, algorithm="none", headers={"kid": "k1"}),
        lambda claims: jwt.encode({**claims, "exp": claims["iat"] + 86400}, SECRET, headers={"kid": "k1"}),
        lambda claims: jwt.encode({**claims, "tenant": "ghost"}, SECRET, headers={"kid": "k1"}),
        lambda claims: jwt.encode({k: v for k, v in claims.items() if k != "sub"}, SECRET, headers={"kid": "k1"}),
        lambda claims: jwt.encode({**claims, "queues": "service"}, SECRET, headers={"kid": "k1"}),
        lambda _claims: "not.a.token",
    ],
    ids=["wrong-secret", "unknown-kid", "other-alg", "alg-none", "too-long-lived",
         "unknown-tenant", "no-subject", "queues-not-a-list", "garbage"],
)  # fmt: skip
def test_forged_or_malformed_tokens_are_refused(client: TestClient, forge) -> None:
    now = int(time.time())
    claims = {"tenant": "acme", "sub": "a", "iat": now, "exp": now + 600}
    response = client.get("/v1/compose-config", headers=auth(forge(claims)))
    assert (response.status_code, response.json()["code"]) == (401, "auth.invalid")


def test_a_token_of_one_tenant_cannot_use_another_tenants_secret(
    client: TestClient, settings: RelaySettings
) -> None:
    now = int(time.time())
    claims = {"tenant": "other", "sub": "a", "iat": now, "exp": now + 600}
    forged = jwt.encode(claims, SECRET, algorithm="HS256", headers={"kid": "k1"})
    assert client.get("/v1/compose-config", headers=auth(forged)).status_code == 401


def test_every_key_id_of_the_tenant_works_for_rotation(client: TestClient, token) -> None:
    assert client.get("/v1/compose-config", headers=auth(token(kid="k1"))).status_code == 200
    assert client.get("/v1/compose-config", headers=auth(token(kid="k2"))).status_code == 200


def test_the_token_may_come_as_a_query_parameter_for_event_streams(
    client: TestClient, token
) -> None:
    response = client.get(f"/v1/compose-config?access_token={token()}")
    assert response.status_code == 200


def test_a_remembered_token_still_expires(settings: RelaySettings) -> None:
    from smsrelay.auth import TokenCache, verify_token
    from smsrelay.errors import ApiError

    cache = TokenCache()
    now = time.time()
    token = mint_token(settings, tenant="acme", agent="a", ttl_seconds=120, now=now)
    assert verify_token(settings, token, now=now, cache=cache).id == "a"
    assert cache.get(token, settings.tenants) is not None
    with pytest.raises(ApiError) as error:
        verify_token(settings, token, now=now + 3600, cache=cache)
    assert error.value.code == "auth.expired"


def test_a_remembered_token_is_verified_again_once_its_tenant_changed(
    settings: RelaySettings,
) -> None:
    from dataclasses import replace

    from smsrelay.auth import TokenCache, verify_token
    from smsrelay.errors import ApiError

    cache = TokenCache()
    token = mint_token(settings, tenant="acme", agent="a")
    assert verify_token(settings, token, cache=cache).id == "a"
    # The tenant's secrets were rotated: the old token no longer verifies.
    acme = settings.tenants["acme"]
    rotated = {**settings.tenants, "acme": replace(acme, token_secrets={"k9": "z" * 40})}
    with pytest.raises(ApiError) as error:
        verify_token(replace(settings, tenants=rotated), token, cache=cache)
    assert error.value.code == "auth.invalid"
