"""Delivery receipts that gateways push over HTTP: Kannel's dlr-url, Twilio's StatusCallback.

A receipt whose signature does not check out is refused (403); a valid receipt for a message
the relay does not know is acknowledged (so the gateway stops retrying) and counted.
"""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from ..errors import ApiError, error_responses
from .deps import RelayDep

router = APIRouter(
    prefix="/v1/receipts",
    tags=["receipts"],
    responses=error_responses(400, 403, 404, 413, 422, 503),
)


def _gateway_of_type(relay: RelayDep, name: str, kind: str) -> None:
    settings = relay.settings.gateways.get(name)
    if settings is None or settings.type != kind:
        raise ApiError(404, "request.not_found")


@router.get("/kannel/{gateway}", operation_id="kannel_receipt_get")
@router.post("/kannel/{gateway}", operation_id="kannel_receipt_post")
async def kannel_receipt(gateway: str, request: Request, relay: RelayDep) -> Response:
    """Kannel's dlr-url callback (Kannel calls it with GET; POST is accepted too)."""
    from ..gateways.kannel import InvalidCallback, parse_kannel_dlr

    _gateway_of_type(relay, gateway, "kannel")
    params = dict(request.query_params)
    if request.method == "POST":
        params.update({k: str(v) for k, v in (await request.form()).items()})
    try:
        receipt = parse_kannel_dlr(gateway, params, relay.settings.callback_secret)
    except InvalidCallback:
        raise ApiError(403, "receipt.invalid") from None
    await relay.take_receipt(receipt)
    return Response("OK", media_type="text/plain")


@router.post("/twilio/{gateway}")
async def twilio_receipt(gateway: str, request: Request, relay: RelayDep) -> Response:
    from ..gateways.twilio import parse_twilio_status, valid_twilio_signature

    _gateway_of_type(relay, gateway, "twilio")
    options = relay.settings.gateways[gateway].options
    params = {k: str(v) for k, v in (await request.form()).items()}
    # Twilio signs the URL it called: the public one, not whatever a proxy forwarded to us.
    url = f"{relay.settings.public_url}{request.url.path}"
    if request.url.query:
        url += f"?{request.url.query}"
    signature = request.headers.get("x-twilio-signature", "")
    if not valid_twilio_signature(url, params, signature, str(options.get("auth_token", ""))):
        raise ApiError(403, "receipt.invalid")
    try:
        receipt = parse_twilio_status(gateway, params, request.query_params.get("message_id"))
    except ValueError:
        raise ApiError(400, "receipt.invalid") from None
    await relay.take_receipt(receipt)
    return Response(status_code=204)
