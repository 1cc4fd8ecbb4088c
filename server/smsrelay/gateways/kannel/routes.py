"""The relay's routes Kannel calls: the dlr-url of every part (Kannel calls it with GET; POST is
accepted too) and the sms-service ``get-url`` customers' replies arrive on."""

from __future__ import annotations

from urllib.parse import parse_qsl

from fastapi import APIRouter, Request, Response

from ...api.callbacks import INBOUND_ERRORS, RECEIPT_ERRORS, gateway_options, pass_on_reply
from ...api.deps import RelayDep
from ...errors import ApiError
from ..base import InboundSms
from .dlr import InvalidCallback, parse_kannel_dlr
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
    """Kannel's sms-service ``get-url``:
    ``…/v1/inbound/kannel/GATEWAY?key=KEY&from=%p&to=%P&text=%a&id=%I&ts=%T`` (``smsrelay
    inbound-url`` prints it). ``id`` (Kannel's message id) is what its retries repeat, so a
    message is stored once; an older URL without it stores every request. The answer is
    empty, so with ``omit-empty = true`` Kannel sends no reply SMS."""
    gateway_options(relay, gateway, KannelOptions)
    params = strict_params(request.url.query)
    if request.method == "POST":
        params.update({k: str(v) for k, v in (await request.form()).items()})
    if not valid_inbound_key(relay.settings.callback_secret, gateway, params.get("key", "")):
        raise ApiError(403, "inbound.invalid")
    if not params.get("from") or not params.get("to"):
        raise ApiError(400, "inbound.invalid")
    key = params.get("id") or None
    if key is None and params.get("ts"):
        # An id-less Kannel still names the moment it received the message.
        key = "|".join((params["ts"], params["from"], params["to"], params.get("text", "")))
    sms = InboundSms(gateway, params["from"], params["to"], params.get("text", ""), key)
    await pass_on_reply(relay, sms)
    return Response(b"", media_type="text/plain")


def strict_params(query: str) -> dict[str, str]:
    """The query's parameters, refused (400 ``request.not_utf8``) when one is not UTF-8:
    a customer's text is stored as it came, never with replacement characters."""
    try:
        return dict(parse_qsl(query, keep_blank_values=True, errors="strict"))
    except UnicodeDecodeError:
        raise ApiError(400, "request.not_utf8", "text") from None
