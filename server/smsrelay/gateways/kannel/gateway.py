"""Kannel adapter: one smsbox ``sendsms`` request per part, receipts through ``dlr-url``.

The relay, not Kannel, splits the message: every part ``smscompose`` counted is one request with
our own concatenation header (IEI 0x00, 8-bit reference) in ``udh``, so the SMSC gets exactly the
parts the agent was shown. Each request carries ``dlr-mask=31`` and a ``dlr-url`` back to the relay
naming the message and part, signed with an HMAC; :func:`~.dlr.parse_kannel_dlr` checks the
signature and turns Kannel's callback into a :class:`DeliveryReceipt`.

Kannel facts this relies on (checked against Kannel 1.4.5 in
``tests/integration/gateways/test_kannel.py``):
``coding=0`` text in ``charset=UTF-8`` and ``coding=2`` text in ``charset=UTF-16BE`` reach the SMSC
unchanged; a part that fits one SMS with its ``udh`` is sent as one SMS (Kannel counts the UDH
and the GSM escape characters); ``dlr-url`` is fetched with ``%d`` (report type), ``%A`` (SMSC
answer) and ``%T`` (Unix time) replaced, and ``%%`` turned into ``%``; sendsms answers ``202`` with
``0: Accepted for delivery`` or ``3: Queued for later delivery``, ``403`` on bad credentials and
``400`` on a bad parameter.
"""

from __future__ import annotations

import math
from urllib.parse import quote

import httpx

from smscompose.status import Reason

from ...logredact import redact_http_client_logs
from ..base import GatewayError, InboundSink, OutboundSms, ReceiptSink, SubmitResult
from ..udh import user_data_header
from .dlr import sign_part

# sendsms URLs carry the password, the number and the text: httpx must not log them whole.
redact_http_client_logs()

__all__ = ["DLR_MASK", "KannelGateway"]

#: Every report Kannel has: delivered (1), undelivered (2), buffered (4), SMSC accepted (8),
#: SMSC rejected (16).
DLR_MASK = 31

_ACCEPTED = ("0: Accepted", "3: Queued for later delivery")
_TRANSIENT_HTTP = frozenset({408, 425, 429})
_REASON_LIMIT = 200


def _kannel_literal(text: str) -> str:
    """``text`` so Kannel's dlr-url escapes leave it alone: Kannel turns ``%%`` into ``%``."""
    return text.replace("%", "%%")


class KannelGateway:
    """Sends through a Kannel smsbox's HTTP ``sendsms`` interface."""

    def __init__(
        self,
        name: str,
        sendsms_url: str,
        username: str,
        password: str,
        dlr_url: str,
        dlr_secret: bytes | str,
        *,
        smsc: str | None = None,
        timeout: float = 10.0,
        client: httpx.AsyncClient | None = None,
    ) -> None:
        if not dlr_secret:
            raise ValueError("the dlr-url secret must not be empty")
        self.name = name
        self.sendsms_url = sendsms_url
        self.dlr_url = dlr_url
        self.smsc = smsc
        self._username = username
        self._password = password
        self._secret = dlr_secret
        self._timeout = timeout
        self._owns_client = client is None
        self._client = client or httpx.AsyncClient()
        self._receipts: ReceiptSink | None = None

    async def start(self, receipts: ReceiptSink, inbound: InboundSink | None = None) -> None:
        """Kannel's receipts arrive over HTTP (see :func:`parse_kannel_dlr`); nothing to open."""
        self._receipts = receipts

    async def close(self) -> None:
        if self._owns_client:
            await self._client.aclose()

    async def submit(self, sms: OutboundSms) -> SubmitResult:
        """Send the parts from ``sms.first_part`` on, one request each, in order.

        A failure after some parts were accepted raises :class:`GatewayError` with those parts in
        ``accepted_parts``/``accepted_ids``, so a retry resumes after them.
        """
        self._check(sms)
        accepted: list[str] = []
        for index in range(sms.first_part, len(sms.parts)):
            try:
                await self._send_part(sms, index)
            except GatewayError as error:
                reason = error.reason
                if len(sms.parts) > 1:
                    reason = f"part {index + 1}/{len(sms.parts)}: {reason}"
                raise GatewayError(
                    reason,
                    permanent=error.permanent,
                    code=error.code,
                    accepted_parts=len(accepted),
                    accepted_ids=tuple(accepted),
                ) from error
            accepted.append(self.part_id(sms.message_id, index))
        return SubmitResult(gateway_ids=tuple(accepted))

    def part_id(self, message_id: str, part: int) -> str:
        """The relay names every part itself (the dlr-url carries message id and part), so a
        receipt proves which part Kannel took even when the relay never heard its answer."""
        return f"{message_id}:{part}"

    def _check(self, sms: OutboundSms) -> None:
        if sms.locking or sms.single:
            raise GatewayError(
                "kannel gateway does not support national language tables; use smpp",
                permanent=True,
            )
        if sms.encoding not in ("GSM_7BIT", "UCS2"):
            raise GatewayError(f"unsupported encoding {sms.encoding!r}", permanent=True)
        if not sms.parts or len(sms.parts) > 255:
            raise GatewayError(f"cannot send {len(sms.parts)} parts", permanent=True)
        if not 0 <= sms.first_part < len(sms.parts):
            raise ValueError(f"first_part {sms.first_part} outside 0..{len(sms.parts) - 1}")
        if not 0 <= sms.concat_ref <= 255:
            raise ValueError(f"concat_ref {sms.concat_ref} outside 0..255")

    def part_dlr_url(self, message_id: str, part: int) -> str:
        """The dlr-url for one part, as Kannel is given it (``%%`` for a literal ``%``)."""
        ours = (
            f"message_id={quote(message_id, safe='')}&part={part}"
            f"&sig={sign_part(self._secret, message_id, part)}"
        )
        separator = "&" if "?" in self.dlr_url else "?"
        return _kannel_literal(f"{self.dlr_url}{separator}{ours}") + "&type=%d&answer=%A&at=%T"

    def part_query(self, sms: OutboundSms, index: int) -> str:
        """The sendsms query string for part ``index`` (credentials included)."""
        text = sms.parts[index]
        if sms.encoding == "UCS2":
            coding, charset, body = "2", "UTF-16BE", text.encode("utf-16-be")
        else:
            coding, charset, body = "0", "UTF-8", text.encode("utf-8")
        params: list[tuple[str, str | bytes]] = [
            ("username", self._username),
            ("password", self._password),
            ("from", sms.sender),
            ("to", sms.to),
            ("coding", coding),
            ("charset", charset),
            ("text", body),
        ]
        if len(sms.parts) > 1:
            params.append(("udh", user_data_header(sms.concat_ref, len(sms.parts), index + 1)))
        params += [
            ("dlr-mask", str(DLR_MASK)),
            ("dlr-url", self.part_dlr_url(sms.message_id, index)),
        ]
        if sms.validity_seconds is not None:
            params.append(("validity", str(max(1, math.ceil(sms.validity_seconds / 60)))))
        if self.smsc:
            params.append(("smsc", self.smsc))
        return "&".join(f"{key}={quote(value, safe='')}" for key, value in params)

    async def _send_part(self, sms: OutboundSms, index: int) -> None:
        url = httpx.URL(self.sendsms_url)
        query = self.part_query(sms, index).encode("ascii")
        url = url.copy_with(query=url.query + b"&" + query if url.query else query)
        try:
            response = await self._client.get(url, timeout=self._timeout)
        except (httpx.ConnectError, httpx.ConnectTimeout) as error:
            # The URL is left out of the reason: it carries the sendsms password.
            reason = f"kannel unreachable: {type(error).__name__}: {error}"
            raise GatewayError(reason, permanent=False, code=Reason.NETWORK_ERROR) from error
        except httpx.TransportError as error:
            # Kannel may have taken this part; when unsure, transient (see GatewayError). A retry
            # sends the part with the same concatenation reference and sequence number.
            reason = f"kannel did not answer: {type(error).__name__}: {error}"
            raise GatewayError(reason, permanent=False, code=Reason.NETWORK_ERROR) from error
        body = response.text.strip()
        if response.is_success and body.startswith(_ACCEPTED):
            return
        reason = f"kannel HTTP {response.status_code}: {body[:_REASON_LIMIT] or '(empty)'}"
        permanent = (
            400 <= response.status_code < 500 and response.status_code not in _TRANSIENT_HTTP
        )
        code = Reason.REJECTED if permanent else Reason.NETWORK_ERROR
        raise GatewayError(reason, permanent=permanent, code=code)
