"""The relay's routes Twilio calls: the StatusCallback of every message and the incoming-message
webhook of the relay's numbers, both refused unless ``X-Twilio-Signature`` checks out."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from ...api.callbacks import INBOUND_ERRORS, RECEIPT_ERRORS, gateway_options, pass_on_reply
from ...api.deps import RelayDep
from ...errors import ApiError
from ..base import InboundSms
from .options import TwilioOptions
from .urls import INBOUND_PATH, MESSAGE_ID_PARAM, RECEIPT_PATH
from .webhooks import parse_twilio_status, valid_twilio_signature

__all__ = ["router"]

router = APIRouter()

_EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>'


async def signed_twilio_form(
    relay: RelayDep, gateway: str, request: Request, refused: str
) -> dict[str, str]:
    """The form of a Twilio webhook whose ``X-Twilio-Signature`` is right (else 403 ``refused``)."""
    options = gateway_options(relay, gateway, TwilioOptions)
    params = {k: str(v) for k, v in (await request.form()).items()}
    # Twilio signs the URL it called: the public one, not whatever a proxy forwarded to us.
    url = f"{relay.settings.public_url}{request.url.path}"
    if request.url.query:
        url += f"?{request.url.query}"
    signature = request.headers.get("x-twilio-signature", "")
    if not valid_twilio_signature(url, params, signature, options.auth_token):
        raise ApiError(403, refused)
    return params


@router.post(RECEIPT_PATH, tags=["receipts"], responses=RECEIPT_ERRORS)
async def twilio_receipt(gateway: str, request: Request, relay: RelayDep) -> Response:
    params = await signed_twilio_form(relay, gateway, request, "receipt.invalid")
    try:
        message_id = request.query_params.get(MESSAGE_ID_PARAM)
        receipt = parse_twilio_status(gateway, params, message_id)
    except ValueError:
        raise ApiError(400, "receipt.invalid") from None
    await relay.take_receipt(receipt)
    return Response(status_code=204)


@router.post(INBOUND_PATH, tags=["inbound"], responses=INBOUND_ERRORS)
async def twilio_inbound(gateway: str, request: Request, relay: RelayDep) -> Response:
    """Twilio's incoming-message webhook of the relay's numbers (``X-Twilio-Signature``
    checked). The answer is empty TwiML: no reply SMS."""
    params = await signed_twilio_form(relay, gateway, request, "inbound.invalid")
    if not params.get("From") or not params.get("To"):
        raise ApiError(400, "inbound.invalid")
    # Twilio repeats a message's MessageSid when it retries the webhook.
    key = params.get("MessageSid") or params.get("SmsSid") or None
    sms = InboundSms(gateway, params["From"], params["To"], params.get("Body", ""), key)
    await pass_on_reply(relay, sms)
    return Response(_EMPTY_TWIML, media_type="text/xml")
