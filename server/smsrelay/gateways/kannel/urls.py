"""The URLs the relay gives Kannel, under its public URL: the dlr-url base of every part (each
part adds its message id, part number and their HMAC, see :func:`~.dlr.sign_part`) and the
sms-service ``get-url`` customers' replies come back on, which carries a key derived from
``callback_secret`` so only that Kannel can post replies."""

from __future__ import annotations

import hashlib
import hmac

__all__ = [
    "INBOUND_PATH",
    "RECEIPT_PATH",
    "dlr_url",
    "inbound_key",
    "sms_service_url",
    "valid_inbound_key",
]

RECEIPT_PATH = "/v1/receipts/kannel/{gateway}"
INBOUND_PATH = "/v1/inbound/kannel/{gateway}"


def dlr_url(public_url: str, gateway: str) -> str:
    """Where Kannel reports what became of ``gateway``'s parts."""
    return public_url + RECEIPT_PATH.format(gateway=gateway)


def sms_service_url(public_url: str, secret: str, gateway: str) -> str:
    """The ``get-url`` for Kannel's sms-service (with ``omit-empty = true``)."""
    key = inbound_key(secret, gateway)
    # %p, %P and %a are Kannel's sender, receiver and message text; %I its id for the
    # message, which its retries repeat; %T when the SMS center had it (Unix time).
    path = INBOUND_PATH.format(gateway=gateway)
    return f"{public_url}{path}?key={key}&from=%p&to=%P&text=%a&id=%I&ts=%T"


def inbound_key(secret: str, gateway: str) -> str:
    """The key a Kannel sms-service URL carries, so only that Kannel can post replies."""
    return hmac.new(secret.encode(), f"inbound:{gateway}".encode(), hashlib.sha256).hexdigest()


def valid_inbound_key(secret: str, gateway: str, given: str) -> bool:
    return bool(secret) and hmac.compare_digest(inbound_key(secret, gateway), given)
