"""The relay's routes Kannel calls: the dlr-url of every part (Kannel calls it with GET; POST is
accepted too) and the sms-service ``get-url`` customers' replies arrive on."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from ...api.callbacks import INBOUND_ERRORS, RECEIPT_ERRORS, gateway_options, pass_on_reply
from ...api.deps import RelayDep
from ...errors import ApiError
from ..base import InboundSms
from .dlr import InvalidCallback, parse_kannel_dlr
from .mobile_originated import (
    UnreadableParameter,
    UnreadableText,
    decode_text,
    query_octets,
    text_params,
)
from .options import KannelOptions
from .urls import INBOUND_PATH, RECEIPT_PATH, valid_inbound_key

__all__ = ["router"]

router = APIRouter()


@router.get(
    RECEIPT_PATH, tags=["receipts"], responses=RECEIPT_ERRORS, operation_id="kannel_receipt_get"
)
@router.post(
    RECEIPT_PATH, tags=["receipts"], responses=RECEIPT_ERRORS, operation_id="kannel_receipt_post"
)
async def kannel_receipt(gateway: str, request: Request, relay: RelayDep) -> Response:
    """Kannel's dlr-url callback (Kannel calls it with GET; POST is accepted too)."""
    gateway_options(relay, gateway, KannelOptions)
    params = dict(request.query_params)
    if request.method == "POST":
        params.update({k: str(v) for k, v in (await request.form()).items()})
    try:
        receipt = parse_kannel_dlr(gateway, params, relay.settings.callback_secret)
    except InvalidCallback:
        raise ApiError(403, "receipt.invalid") from None
    await relay.take_receipt(receipt)
    return Response("OK", media_type="text/plain")


@router.get(
    INBOUND_PATH, tags=["inbound"], responses=INBOUND_ERRORS, operation_id="kannel_inbound_get"
)
@router.post(
    INBOUND_PATH, tags=["inbound"], responses=INBOUND_ERRORS, operation_id="kannel_inbound_post"
)
async def kannel_inbound(gateway: str, request: Request, relay: RelayDep) -> Response:
    """Kannel's sms-service ``get-url`` (``smsrelay inbound-url`` prints it):
    ``…/v1/inbound/kannel/GATEWAY?key=KEY&from=%p&to=%P&text=%b&coding=%c&charset=%C&id=%I&ts=%T``.
    The text comes as Kannel's octets in the charset it names (see :mod:`.mobile_originated`).
    ``id`` (Kannel's message id) is what its retries repeat, so a message is stored once; an
    older URL without it stores every request. The answer is empty: with ``max-messages = 0``
    Kannel sends the customer no reply SMS."""
    gateway_options(relay, gateway, KannelOptions)
    octets = query_octets(request.scope.get("query_string", b""))
    if request.method == "POST" and request.headers.get("content-type", "").startswith(
        "application/x-www-form-urlencoded"
    ):
        octets.update(query_octets(await request.body()))
    try:
        params = text_params(octets)
        text = decode_text(octets.get("text", b""), params.get("charset"))
    except UnreadableParameter as bad:
        raise ApiError(400, "request.not_utf8", str(bad)) from None
    except UnreadableText as bad:
        if bad.charset == "UTF-8":
            raise ApiError(400, "request.not_utf8", "text") from None
        raise ApiError(400, "inbound.unreadable", "text", {"charset": bad.charset}) from None
    if not valid_inbound_key(relay.settings.callback_secret, gateway, params.get("key", "")):
        raise ApiError(403, "inbound.invalid")
    if not params.get("from") or not params.get("to"):
        raise ApiError(400, "inbound.invalid")
    key = params.get("id") or None
    if key is None and params.get("ts"):
        # An id-less Kannel still names the moment it received the message.
        key = "|".join((params["ts"], params["from"], params["to"], text))
    sms = InboundSms(gateway, params["from"], params["to"], text, key)
    await pass_on_reply(relay, sms)
    return Response(b"", media_type="text/plain")
