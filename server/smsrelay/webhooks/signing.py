"""Signing a webhook as the Standard Webhooks specification says, so a CRM verifies it with an
off-the-shelf library (``standardwebhooks`` for Python and Node, Svix's, or a few lines of its
own) and refuses replays by the timestamp.

Three headers: ``webhook-id`` (the event's id, the same on every attempt), ``webhook-timestamp``
(Unix seconds of this attempt) and ``webhook-signature``: ``v1,`` and the base64 HMAC-SHA256,
keyed with the secret's bytes (base64 after ``whsec_``), of ``{id}.{timestamp}.{body}``. While
an endpoint has several secrets (a rotation in progress) every one signs, separated by spaces.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Sequence

from ..tenants.webhooks import SECRET_PREFIX


def secret_key(secret: str) -> bytes:
    """The HMAC key a ``whsec_…`` secret stands for."""
    return base64.b64decode(secret.removeprefix(SECRET_PREFIX))


def signature(secret: str, webhook_id: str, timestamp: int, body: bytes) -> str:
    """One ``v1,…`` signature of ``body`` sent as ``webhook_id`` at ``timestamp``."""
    signed = f"{webhook_id}.{timestamp}.".encode() + body
    digest = hmac.new(secret_key(secret), signed, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode("ascii")


def signed_headers(
    secrets: Sequence[str], webhook_id: str, timestamp: int, body: bytes
) -> dict[str, str]:
    """The three headers of one attempt, signed with each of ``secrets``."""
    if not secrets:
        raise ValueError("a webhook is never sent unsigned")
    return {
        "webhook-id": webhook_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": " ".join(signature(s, webhook_id, timestamp, body) for s in secrets),
    }
