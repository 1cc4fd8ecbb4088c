"""What the gateways' callbacks share (delivery receipts and incoming SMS): the gateway their
URL names, and Twilio's signed form."""

from __future__ import annotations

from fastapi import Request

from ..errors import ApiError
from .deps import RelayDep


def require_gateway(relay: RelayDep, name: str, kind: str) -> None:
    """A callback URL names a configured gateway of the right type, or there is nothing here."""
    settings = relay.settings.gateways.get(name)
    if settings is None or settings.type != kind:
        raise ApiError(404, "request.not_found")


async def signed_twilio_form(
    relay: RelayDep, gateway: str, request: Request, refused: str
) -> dict[str, str]:
    """The form of a Twilio webhook whose ``X-Twilio-Signature`` is right (else 403 ``refused``)."""
    from ..gateways.twilio import valid_twilio_signature

    require_gateway(relay, gateway, "twilio")
    options = relay.settings.gateways[gateway].options
    params = {k: str(v) for k, v in (await request.form()).items()}
    # Twilio signs the URL it called: the public one, not whatever a proxy forwarded to us.
    url = f"{relay.settings.public_url}{request.url.path}"
    if request.url.query:
        url += f"?{request.url.query}"
    signature = request.headers.get("x-twilio-signature", "")
    if not valid_twilio_signature(url, params, signature, str(options.get("auth_token", ""))):
        raise ApiError(403, refused)
    return params
