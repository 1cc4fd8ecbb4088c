"""Customers' replies from the gateways (see ``smsrelay.inbound``): Kannel's sms-service and
Twilio's incoming-message webhook. Both are authenticated like the receipt callbacks — a key
derived from ``callback_secret`` in Kannel's URL, Twilio's own signature — and a forged one is
refused with 403, so nobody on the internet can opt a customer out or back in."""

from __future__ import annotations

from anyio import to_thread
from fastapi import APIRouter, Request, Response

from ..errors import ApiError, error_responses
from ..inbound import Reply, take_reply, valid_inbound_key
from ..service import now_ms
from .callbacks import require_gateway, signed_twilio_form
from .deps import RelayDep

router = APIRouter(
    prefix="/v1/inbound", tags=["inbound"], responses=error_responses(400, 403, 404, 413, 503)
)

_EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>'


async def _take(relay: RelayDep, reply: Reply) -> None:
    settings, optouts = relay.settings, relay.service.optouts
    await to_thread.run_sync(take_reply, settings, optouts, reply, now_ms())


@router.get("/kannel/{gateway}", operation_id="kannel_inbound_get")
@router.post("/kannel/{gateway}", operation_id="kannel_inbound_post")
async def kannel_inbound(gateway: str, request: Request, relay: RelayDep) -> Response:
    """Kannel's sms-service ``get-url``:
    ``…/v1/inbound/kannel/GATEWAY?key=KEY&from=%p&to=%P&text=%a`` (``smsrelay inbound-url``
    prints it). The answer is empty, so with ``omit-empty = true`` Kannel sends no reply SMS."""
    require_gateway(relay, gateway, "kannel")
    params = dict(request.query_params)
    if request.method == "POST":
        params.update({k: str(v) for k, v in (await request.form()).items()})
    if not valid_inbound_key(relay.settings.callback_secret, gateway, params.get("key", "")):
        raise ApiError(403, "inbound.invalid")
    if not params.get("from") or not params.get("to"):
        raise ApiError(400, "inbound.invalid")
    reply = Reply(params["from"], params["to"], params.get("text", ""), f"kannel:{gateway}")
    await _take(relay, reply)
    return Response(b"", media_type="text/plain")


@router.post("/twilio/{gateway}")
async def twilio_inbound(gateway: str, request: Request, relay: RelayDep) -> Response:
    """Twilio's incoming-message webhook of the relay's numbers (``X-Twilio-Signature``
    checked). The answer is empty TwiML: no reply SMS."""
    params = await signed_twilio_form(relay, gateway, request, "inbound.invalid")
    if not params.get("From") or not params.get("To"):
        raise ApiError(400, "inbound.invalid")
    reply = Reply(params["From"], params["To"], params.get("Body", ""), f"twilio:{gateway}")
    await _take(relay, reply)
    return Response(_EMPTY_TWIML, media_type="text/xml")
