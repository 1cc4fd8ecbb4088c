"""Webhooks are signed as Standard Webhooks says: the reference vector of the specification, and
what the ``standardwebhooks`` package from PyPI — the library a CRM installs — accepts and
refuses."""

from __future__ import annotations

import json
import time

import pytest
from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from smsrelay.tenants.webhooks import new_secret
from smsrelay.webhooks.signing import signature, signed_headers

BODY = json.dumps({"id": "evt_1", "type": "message.status", "data": {"status": "delivered"}})


def test_the_signature_is_the_specifications_for_its_example() -> None:
    # The example of the Standard Webhooks specification (and of Svix's libraries' tests).
    secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
    body = b'{"test": 2432232314}'
    expected = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
    assert signature(secret, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, body) == expected


def test_the_standardwebhooks_library_verifies_a_signed_webhook_and_gives_its_event() -> None:
    secret = new_secret()
    headers = signed_headers([secret], "evt_1", int(time.time()), BODY.encode())
    assert Webhook(secret).verify(BODY, headers) == json.loads(BODY)


def test_during_a_rotation_both_the_new_and_the_old_secret_verify() -> None:
    new, old = new_secret(), new_secret()
    headers = signed_headers([new, old], "evt_1", int(time.time()), BODY.encode())
    assert len(headers["webhook-signature"].split(" ")) == 2
    assert Webhook(new).verify(BODY, headers)
    assert Webhook(old).verify(BODY, headers)
    with pytest.raises(WebhookVerificationError, match="No matching signature"):
        Webhook(new_secret()).verify(BODY, headers)


def test_a_changed_body_id_or_timestamp_is_refused() -> None:
    secret = new_secret()
    now = int(time.time())
    headers = signed_headers([secret], "evt_1", now, BODY.encode())
    with pytest.raises(WebhookVerificationError):
        Webhook(secret).verify(BODY.replace("delivered", "failed"), headers)
    with pytest.raises(WebhookVerificationError):
        Webhook(secret).verify(BODY, {**headers, "webhook-id": "evt_2"})
    with pytest.raises(WebhookVerificationError):
        Webhook(secret).verify(BODY, {**headers, "webhook-timestamp": str(now + 1)})


def test_a_replay_after_the_libraries_five_minutes_is_refused_by_its_timestamp() -> None:
    secret = new_secret()
    recorded = signed_headers([secret], "evt_1", int(time.time()) - 6 * 60, BODY.encode())
    with pytest.raises(WebhookVerificationError, match="too old"):
        Webhook(secret).verify(BODY, recorded)


def test_a_non_ascii_body_is_signed_as_its_utf8_bytes() -> None:
    secret = new_secret()
    body = json.dumps({"text": "Grüße 👋"}, ensure_ascii=False)
    headers = signed_headers([secret], "evt_ü", int(time.time()), body.encode())
    assert Webhook(secret).verify(body.encode(), headers) == {"text": "Grüße 👋"}


def test_nothing_is_sent_unsigned() -> None:
    with pytest.raises(ValueError):
        signed_headers([], "evt_1", 0, b"{}")
