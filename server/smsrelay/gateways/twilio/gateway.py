"""Twilio Programmable Messaging: submit over the REST API, receipts from StatusCallback requests.

:class:`TwilioGateway` creates one Message resource per :class:`~..base.OutboundSms`
(``POST /2010-04-01/Accounts/{AccountSid}/Messages.json``, form-encoded, HTTP Basic auth with
the Account SID and Auth Token). Twilio answers ``201`` with the Message's ``sid`` (``SM…``),
which is the only id we get: receipts arrive later as form-encoded POSTs to the
``StatusCallback`` URL, signed in the ``X-Twilio-Signature`` header. A relay route
(:mod:`.routes`) checks them with :func:`~.webhooks.valid_twilio_signature` and turns them into
receipts with :func:`~.webhooks.parse_twilio_status`.

Never a double send: Twilio's create call has no idempotency key, so a request that may have
reached Twilio is never retried. See :meth:`TwilioGateway.submit` for how each failure is
classified.
"""

from __future__ import annotations

import logging
from urllib.parse import quote, urlencode, urlsplit

import httpx

from smscompose.status import Reason

from ..base import GatewayError, InboundSink, OutboundSms, ReceiptSink, SubmitResult
from ..reasons import from_twilio
from .urls import MESSAGE_ID_PARAM

__all__ = ["MAX_VALIDITY_SECONDS", "TRANSIENT_CODES", "TwilioGateway"]

logger = logging.getLogger("smsrelay.gateways.twilio")

API_VERSION = "2010-04-01"
#: Twilio accepts a ValidityPeriod of 1–36,000 s (10 hours, also its default); error 21624.
MAX_VALIDITY_SECONDS = 36_000

#: Error codes Twilio answers *instead of* creating the message that clear up by themselves:
#: 20429 too many concurrent requests ("never processed and always safe to retry"), 21611 the
#: From number's queue is full. Every other 4xx (21211 invalid To, 21610 unsubscribed/STOP,
#: 21408 no permission for the region, 20003 authentication, …) is permanent.
TRANSIENT_CODES = frozenset({20429, 21611})

#: Statuses produced by an intermediary about an upstream whose result it does not know.
_UNKNOWN_OUTCOME_STATUSES = frozenset({502, 504})


class TwilioGateway:
    """Twilio's Messages API as a :class:`~.base.Gateway`.

    ``status_callback_url`` is this gateway's receipt route on the relay as Twilio must call it
    (public scheme, host and path, e.g. ``https://relay.example.com/v1/receipts/twilio/tw1``);
    each message adds its id as the ``message_id`` query parameter (:meth:`callback_url`).
    ``client`` may be injected (tests, shared pools); otherwise the gateway owns one and closes
    it in :meth:`close`.
    """

    def __init__(
        self,
        name: str,
        *,
        account_sid: str,
        auth_token: str,
        status_callback_url: str,
        base_url: str = "https://api.twilio.com",
        timeout: float = 10.0,
        client: httpx.AsyncClient | None = None,
    ) -> None:
        if not account_sid or not auth_token:
            raise ValueError(f"gateway {name!r}: account_sid and auth_token are required")
        callback = urlsplit(status_callback_url)
        if callback.scheme not in ("http", "https") or not callback.hostname:
            raise ValueError(f"gateway {name!r}: status_callback_url must be an absolute URL")
        if "_" in callback.hostname:
            # Twilio refuses StatusCallback URLs whose hostname contains an underscore.
            raise ValueError(f"gateway {name!r}: Twilio refuses underscores in callback hosts")
        if urlsplit(base_url).scheme not in ("http", "https"):
            raise ValueError(f"gateway {name!r}: base_url must be an http(s) URL")
        if timeout <= 0:
            raise ValueError(f"gateway {name!r}: timeout must be positive")
        self.name = name
        self.account_sid = account_sid
        self.status_callback_url = status_callback_url
        self.messages_url = (
            f"{base_url.rstrip('/')}/{API_VERSION}/Accounts/{quote(account_sid, safe='')}"
            "/Messages.json"
        )
        self._auth = httpx.BasicAuth(account_sid, auth_token)
        self._timeout = httpx.Timeout(timeout)
        self._owns_client = client is None
        self._client = client if client is not None else httpx.AsyncClient()

    def callback_url(self, message_id: str) -> str:
        """The StatusCallback URL for one message: Twilio signs exactly this URL, so a relay
        route validates against it (or against the URL it was really called on)."""
        separator = "&" if urlsplit(self.status_callback_url).query else "?"
        return self.status_callback_url + separator + urlencode({MESSAGE_ID_PARAM: message_id})

    async def start(self, receipts: ReceiptSink, inbound: InboundSink | None = None) -> None:
        """Nothing to open: Twilio's receipts come in through the relay's callback route."""

    def part_id(self, message_id: str, part: int) -> None:
        """The gateway assigns its ids: none is known before a part is accepted."""
        return None

    async def close(self) -> None:
        if self._owns_client:
            await self._client.aclose()

    async def submit(self, sms: OutboundSms) -> SubmitResult:
        """Create one Twilio Message with the whole text; return its SID.

        Twilio segments the text itself: it chooses GSM-7 or UCS-2 on its own (national
        language shift tables are not among its documented encodings, so a text ``smscompose``
        packed with them may go out as UCS-2), picks its own concatenation reference and bills
        the ``num_segments`` it counted, which can differ from the parts ``smscompose`` made (it is
        logged when it does). Receipts are per message, not per part. Parts before
        ``first_part`` (accepted by an earlier attempt, e.g. on another gateway) are left out.

        Failures: an error answer (Twilio did not create the message) is permanent with
        Twilio's code and message as reason, except 429 and the codes in
        :data:`TRANSIENT_CODES`; 5xx other than 502/504 and every failure before the request
        was completely sent (connect error or timeout, pool timeout, write error) are
        transient. A failure *after* the request was sent — read timeout, connection lost
        before the answer, 502/504 from a proxy, or a 2xx we cannot read — is an unknown
        outcome: Twilio may have created the message, and a retry could send it twice, so it
        is permanent with a reason starting ``unknown outcome``. If Twilio did create it, its
        StatusCallbacks still arrive and carry our ``message_id``, so the relay can settle it.
        """
        parts = sms.parts[sms.first_part :] if sms.parts else (sms.text,)
        form = {
            "To": sms.to,
            "From": sms.sender,
            "Body": "".join(parts),
            "StatusCallback": self.callback_url(sms.message_id),
        }
        if sms.validity_seconds is not None:
            validity = min(max(sms.validity_seconds, 1), MAX_VALIDITY_SECONDS)
            form["ValidityPeriod"] = str(validity)
        try:
            response = await self._client.post(
                self.messages_url, data=form, auth=self._auth, timeout=self._timeout
            )
        except (httpx.ReadTimeout, httpx.ReadError, httpx.RemoteProtocolError) as exc:
            raise GatewayError(
                f"unknown outcome: no answer from Twilio after sending ({type(exc).__name__});"
                " not retried, a StatusCallback may still settle it",
                permanent=True,
                code=Reason.UNCONFIRMED,
            ) from exc
        except httpx.TransportError as exc:
            raise GatewayError(
                f"Twilio unreachable: {type(exc).__name__}: {exc}",
                permanent=False,
                code=Reason.NETWORK_ERROR,
            ) from exc

        if response.is_success:
            return self._accepted(sms, response, len(parts))
        code, message = _twilio_error(response)
        status = response.status_code
        if status in _UNKNOWN_OUTCOME_STATUSES:
            raise GatewayError(
                f"unknown outcome: HTTP {status} from a proxy in front of Twilio; not retried",
                permanent=True,
                code=Reason.UNCONFIRMED,
            )
        reason = f"Twilio {code}: {message}" if code is not None else f"HTTP {status}: {message}"
        transient = status == 429 or status >= 500 or code in TRANSIENT_CODES
        code_reason = (
            Reason.NETWORK_ERROR if transient else from_twilio(code, default=Reason.REJECTED)
        )
        raise GatewayError(reason, permanent=not transient, code=code_reason)

    def _accepted(self, sms: OutboundSms, response: httpx.Response, parts: int) -> SubmitResult:
        try:
            body = response.json()
            sid = body["sid"]
        except (ValueError, KeyError, TypeError) as exc:
            raise GatewayError(
                f"unknown outcome: HTTP {response.status_code} without a message sid",
                permanent=True,
                code=Reason.UNCONFIRMED,
            ) from exc
        if not isinstance(sid, str) or not sid:
            raise GatewayError(
                "unknown outcome: Twilio answered an empty sid",
                permanent=True,
                code=Reason.UNCONFIRMED,
            )
        segments = body.get("num_segments")
        if segments is not None and str(segments) not in ("0", str(parts)):
            logger.warning(
                "gateway %s: Twilio counts %s segments for message %s (%s), we made %d",
                self.name,
                segments,
                sms.message_id,
                sid,
                parts,
            )
        return SubmitResult((sid,))


def _twilio_error(response: httpx.Response) -> tuple[int | None, str]:
    """Twilio's error body (``code``, ``message``, ``more_info``, ``status``), if it is one."""
    try:
        body = response.json()
    except ValueError:
        body = None
    if isinstance(body, dict):
        code = body.get("code")
        message = str(body.get("message") or response.reason_phrase)
        if isinstance(code, int) or (isinstance(code, str) and code.isdigit()):
            return int(code), message
        return None, message
    return None, response.text[:200] or response.reason_phrase
