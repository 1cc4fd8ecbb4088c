"""Delivery receipts that gateways push over HTTP: Kannel's dlr-url, Twilio's StatusCallback.

A receipt whose signature does not check out is refused (403); a valid receipt for a message
the relay does not know is acknowledged (so the gateway stops retrying) and counted.
"""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from ..errors import ApiError, error_responses
from .callbacks import require_gateway, signed_twilio_form
from .deps import RelayDep

router = APIRouter(
    prefix="/v1/receipts",
    tags=["receipts"],
    responses=error_responses(400, 403, 404, 413, 422, 503),
)


@router.get("/kannel/{gateway}", operation_id="kannel_receipt_get")
@router.post("/kannel/{gateway}", operation_id="kannel_receipt_post")
async def kannel_receipt(gateway: str, request: Request, relay: RelayDep) -> Response:
    """Kannel's dlr-url callback (Kannel calls it with GET; POST is accepted too)."""
    from ..gateways.kannel import InvalidCallback, parse_kannel_dlr

    require_gateway(relay, gateway, "kannel")
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
    from ..gateways.twilio import parse_twilio_status

    params = await signed_twilio_form(relay, gateway, request, "receipt.invalid")
    try:
        receipt = parse_twilio_status(gateway, params, request.query_params.get("message_id"))
    except ValueError:
        raise ApiError(400, "receipt.invalid") from None
    await relay.take_receipt(receipt)
    return Response(status_code=204)
