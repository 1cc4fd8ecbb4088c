"""What the gateways' callback routes share (``gateways/<name>/routes.py``): the gateway their
URL names, and passing on a customer's reply.

Delivery receipts: one whose signature does not check out is refused (403); a valid receipt
for a message the relay does not know is acknowledged (so the gateway stops retrying) and
counted. Customers' replies (see :mod:`smsrelay.inbound`) are authenticated like the receipts —
a key derived from ``callback_secret`` in Kannel's URL, Twilio's own signature — and a forged
one is refused with 403, so nobody on the internet can opt a customer out or back in.
"""

from __future__ import annotations

from typing import TypeVar

from ..errors import ApiError, error_responses
from ..gateways.base import InboundSms
from ..inbound import InboundTooLong
from .deps import RelayDep

Options = TypeVar("Options")

#: The error answers of the receipt and the reply routes.
RECEIPT_ERRORS = error_responses(400, 403, 404, 413, 422, 503)
INBOUND_ERRORS = error_responses(400, 403, 404, 413, 503)


def gateway_options(relay: RelayDep, name: str, kind: type[Options]) -> Options:
    """The options of the gateway a callback URL names, which must be configured and of the
    route's type (its options class), or there is nothing here."""
    gateway = relay.settings.gateways.get(name)
    if gateway is None or not isinstance(gateway.options, kind):
        raise ApiError(404, "request.not_found")
    return gateway.options


async def pass_on_reply(relay: RelayDep, sms: InboundSms) -> None:
    """Store a customer's message in its conversation (once) and apply its keyword (STOP,
    START) to the opt-out list; 413 for a text longer than a message can be."""
    try:
        await relay.take_inbound(sms)
    except InboundTooLong:
        raise ApiError(413, "inbound.too_long", "text") from None
