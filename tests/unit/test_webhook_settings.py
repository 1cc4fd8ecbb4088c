"""A tenant's webhooks as settings: read with their defaults, and every mistake named by its key;
their signing secrets kept out of the stored settings."""

from __future__ import annotations

from typing import Any

import pytest

from smscompose import InvalidConfig
from smsrelay.settings import parse_settings
from smsrelay.tenants.sync import split_secrets
from smsrelay.tenants.webhooks import (
    EVENT_TYPES,
    new_secret,
    plan_secrets,
    url_problem,
    webhook_secrets_of,
)
from tests.support.relaykit import relay_config

SECRET = new_secret()


def tenant_with(*webhooks: dict[str, Any]) -> Any:
    return parse_settings(relay_config(webhooks=list(webhooks))).tenants["acme"]


def test_a_webhook_gets_every_event_and_no_personal_data_by_default() -> None:
    (endpoint,) = tenant_with({"id": "crm", "url": "https://crm.example/hooks"}).webhooks
    assert endpoint.events == frozenset(EVENT_TYPES)
    assert endpoint.include == frozenset()
    assert endpoint.wants("optout.changed")


def test_a_webhook_may_choose_its_events_and_the_personal_data_it_gets() -> None:
    (endpoint,) = tenant_with(
        {
            "id": "crm",
            "url": "http://10.0.0.5:8080/sms",
            "events": ["message.status"],
            "include": ["number", "text"],
            "secret": SECRET,
        }
    ).webhooks
    assert endpoint.events == {"message.status"}
    assert not endpoint.wants("message.accepted")
    assert endpoint.include == {"number", "text"}


def test_a_tenant_without_webhooks_has_none() -> None:
    assert parse_settings(relay_config()).tenants["acme"].webhooks == ()


@pytest.mark.parametrize(
    ("webhook", "key", "detail"),
    [
        ({"id": "crm", "url": "ftp://crm.example/x"}, "webhooks[0].url", "http:// or https://"),
        ({"id": "crm", "url": "crm.example/hooks"}, "webhooks[0].url", "http:// or https://"),
        ({"id": "crm", "url": "javascript:alert(1)"}, "webhooks[0].url", "http:// or https://"),
        ({"id": "crm", "url": "https://"}, "webhooks[0].url", "must name a host"),
        ({"id": "crm", "url": "https://a:b@crm.example/"}, "webhooks[0].url", "user name"),
        ({"id": "crm", "url": "https://crm.example/a b"}, "webhooks[0].url", "spaces"),
        ({"id": "crm", "url": "https://crm.example:99999/"}, "webhooks[0].url", "not a URL"),
        ({"id": "crm", "url": "https://crm.example/#x"}, "webhooks[0].url", "fragment"),
        ({"id": "crm", "url": "https://x/" + "a" * 2000}, "webhooks[0].url", "2000"),
        ({"id": "crm"}, "webhooks[0].url", "is required"),
        ({"url": "https://crm.example/"}, "webhooks[0].id", "is required"),
        ({"id": "c r m", "url": "https://crm.example/"}, "webhooks[0].id", "letters"),
        (
            {"id": "crm", "url": "https://x/", "events": ["sms.sent"]},
            "webhooks[0].events[0]",
            "unknown",
        ),
        ({"id": "crm", "url": "https://x/", "events": []}, "webhooks[0].events", "at least one"),
        (
            {"id": "crm", "url": "https://x/", "include": ["email"]},
            "webhooks[0].include[0]",
            "unknown",
        ),
        ({"id": "crm", "url": "https://x/", "secret": "hunter2"}, "webhooks[0].secret", "whsec_"),
        (
            {"id": "crm", "url": "https://x/", "secret": "whsec_AAAA"},
            "webhooks[0].secret",
            "24 to 64",
        ),
        ({"id": "crm", "url": "https://x/", "retries": 3}, "webhooks[0].retries", "unknown key"),
    ],
)
def test_a_wrong_webhook_is_named_by_its_key(
    webhook: dict[str, Any], key: str, detail: str
) -> None:
    with pytest.raises(InvalidConfig) as error:
        tenant_with(webhook)
    assert error.value.key == f"tenants.acme.{key}"
    assert detail in error.value.detail


def test_two_webhooks_with_one_id_and_too_many_webhooks_are_refused() -> None:
    with pytest.raises(InvalidConfig) as twice:
        tenant_with({"id": "a", "url": "https://x/"}, {"id": "a", "url": "https://y/"})
    assert twice.value.key == "tenants.acme.webhooks[1].id"
    many = [{"id": f"h{i}", "url": "https://x/"} for i in range(11)]
    with pytest.raises(InvalidConfig) as too_many:
        tenant_with(*many)
    assert too_many.value.key == "tenants.acme.webhooks"


def test_http_and_https_urls_with_ports_paths_and_queries_are_addresses() -> None:
    for url in ("http://127.0.0.1:8080/hooks", "HTTPS://crm.example/a?b=c", "https://[::1]/x"):
        assert url_problem(url) is None


def test_a_tables_webhook_secrets_are_split_from_the_stored_settings() -> None:
    table = {
        "webhooks": [{"id": "crm", "url": "https://x/", "secret": SECRET}],
        "token_secrets": {},
    }
    stored, _ = split_secrets(table)
    assert stored == {"webhooks": [{"id": "crm", "url": "https://x/"}]}
    assert webhook_secrets_of(table) == {"crm": SECRET}


def test_new_webhooks_get_a_secret_kept_ones_keep_theirs_and_removed_ones_lose_it() -> None:
    document = {"webhooks": [{"id": "kept"}, {"id": "new"}, {"id": "given"}]}
    existing = {"kept": ("whsec_old",), "gone": ("whsec_gone",)}
    plan = plan_secrets(document, {"given": SECRET}, existing)
    assert plan.secrets is not None
    assert plan.secrets["kept"] == ("whsec_old",)
    assert plan.secrets["given"] == (SECRET,)
    assert plan.secrets["new"] == (plan.created["new"],) and plan.created["new"].startswith(
        "whsec_"
    )
    assert "gone" not in plan.secrets and list(plan.created) == ["new"]
    unchanged = plan_secrets({"webhooks": [{"id": "kept"}]}, {}, {"kept": ("whsec_old",)})
    assert unchanged.secrets is None and unchanged.created == {}
