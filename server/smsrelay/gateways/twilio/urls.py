"""The URLs the relay gives Twilio, under its public URL: the StatusCallback of every message
(which adds the relay's message id, see :meth:`~.gateway.TwilioGateway.callback_url`) and the
incoming-message webhook to set on the relay's Twilio numbers. Twilio signs each request with
the URL it called, so these are also what a signature is checked against."""

from __future__ import annotations

__all__ = ["INBOUND_PATH", "MESSAGE_ID_PARAM", "RECEIPT_PATH", "status_callback_url"]

RECEIPT_PATH = "/v1/receipts/twilio/{gateway}"
INBOUND_PATH = "/v1/inbound/twilio/{gateway}"
#: The query parameter of the StatusCallback URL that carries the relay's message id.
MESSAGE_ID_PARAM = "message_id"


def status_callback_url(public_url: str, gateway: str) -> str:
    """Where Twilio reports what became of ``gateway``'s messages."""
    return public_url + RECEIPT_PATH.format(gateway=gateway)
