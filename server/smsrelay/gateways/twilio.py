"""Twilio Programmable Messaging: submit over the REST API, receipts from StatusCallback requests.

:class:`TwilioGateway` creates one Message resource per :class:`~.base.OutboundSms`
(``POST /2010-04-01/Accounts/{AccountSid}/Messages.json``, form-encoded, HTTP Basic auth with
the Account SID and Auth Token). Twilio answers ``201`` with the Message's ``sid`` (``SM…``),
which is the only id we get: receipts arrive later as form-encoded POSTs to the
``StatusCallback`` URL, signed in the ``X-Twilio-Signature`` header. A relay route checks them
with :func:`valid_twilio_signature` and turns them into receipts with :func:`parse_twilio_status`.

Never a double send: Twilio's create call has no idempotency key, so a request that may have
reached Twilio is never retried. See :meth:`TwilioGateway.submit` for how each failure is
classified.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import logging
from collections.abc import Mapping
from urllib.parse import quote, urlencode, urlsplit, urlunsplit

import httpx

from .base import (
    DeliveryReceipt,
    GatewayError,
    OutboundSms,
    ReceiptSink,
    ReceiptStatus,
    SubmitResult,
)

__all__ = [
    "MAX_VALIDITY_SECONDS",
    "MESSAGE_ID_PARAM",
    "TwilioGateway",
    "parse_twilio_status",
    "twilio_signature",
    "valid_twilio_signature",
]

logger = logging.getLogger(__name__)

API_VERSION = "2010-04-01"
#: The query parameter of the StatusCallback URL that carries the relay's message id.
MESSAGE_ID_PARAM = "message_id"
#: Twilio accepts a ValidityPeriod of 1–36,000 s (10 hours, also its default); error 21624.
MAX_VALIDITY_SECONDS = 36_000

#: Error codes Twilio answers *instead of* creating the message that clear up by themselves:
#: 20429 too many concurrent requests ("never processed and always safe to retry"), 21611 the
#: From number's queue is full. Every other 4xx (21211 invalid To, 21610 unsubscribed/STOP,
#: 21408 no permission for the region, 20003 authentication, …) is permanent.
TRANSIENT_CODES = frozenset({20429, 21611})

#: Statuses produced by an intermediary about an upstream whose result it does not know.
_UNKNOWN_OUTCOME_STATUSES = frozenset({502, 504})

_STATUSES = {
    "accepted": ReceiptStatus.ENROUTE,
    "scheduled": ReceiptStatus.ENROUTE,
    "queued": ReceiptStatus.ENROUTE,
    "sending": ReceiptStatus.ENROUTE,
    "sent": ReceiptStatus.ENROUTE,
    "delivered": ReceiptStatus.DELIVERED,
    # WhatsApp/RCS: read implies delivered.
    "read": ReceiptStatus.DELIVERED,
    "undelivered": ReceiptStatus.UNDELIVERED,
    "failed": ReceiptStatus.FAILED,
    # A scheduled message cancelled before it was sent.
    "canceled": ReceiptStatus.FAILED,
}
#: 30036 "Validity Period Expired": Twilio fails the message when it outlived ValidityPeriod.
_EXPIRED_CODE = "30036"


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

    async def start(self, receipts: ReceiptSink) -> None:
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
            ) from exc
        except httpx.TransportError as exc:
            raise GatewayError(
                f"Twilio unreachable: {type(exc).__name__}: {exc}", permanent=False
            ) from exc

        if response.is_success:
            return self._accepted(sms, response, len(parts))
        code, message = _twilio_error(response)
        status = response.status_code
        if status in _UNKNOWN_OUTCOME_STATUSES:
            raise GatewayError(
                f"unknown outcome: HTTP {status} from a proxy in front of Twilio; not retried",
                permanent=True,
            )
        reason = f"Twilio {code}: {message}" if code is not None else f"HTTP {status}: {message}"
        transient = status == 429 or status >= 500 or code in TRANSIENT_CODES
        raise GatewayError(reason, permanent=not transient)

    def _accepted(self, sms: OutboundSms, response: httpx.Response, parts: int) -> SubmitResult:
        try:
            body = response.json()
            sid = body["sid"]
        except (ValueError, KeyError, TypeError) as exc:
            raise GatewayError(
                f"unknown outcome: HTTP {response.status_code} without a message sid",
                permanent=True,
            ) from exc
        if not isinstance(sid, str) or not sid:
            raise GatewayError("unknown outcome: Twilio answered an empty sid", permanent=True)
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


def twilio_signature(url: str, params: Mapping[str, str], auth_token: str) -> str:
    """Twilio's ``X-Twilio-Signature`` for a form-encoded request: the full URL (query string
    included) followed by every POST parameter, sorted by name, as name + value without
    separators; HMAC-SHA1 keyed with the Auth Token; base64."""
    data = url + "".join(name + params[name] for name in sorted(params))
    digest = hmac.new(auth_token.encode(), data.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode("ascii")


def valid_twilio_signature(
    url: str, params: Mapping[str, str], signature: str, auth_token: str
) -> bool:
    """Whether ``signature`` is Twilio's signature of this request, compared in constant time.

    Like Twilio's own helper libraries, the URL is tried without its port and with it (the
    scheme's default port when none is given), since Twilio does not sign ports consistently.
    """
    if not signature:
        return False
    given = signature.encode()
    valid = False
    for candidate in _port_variants(url):
        expected = twilio_signature(candidate, params, auth_token).encode()
        valid |= hmac.compare_digest(expected, given)
    return valid


def _port_variants(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    host = parts.netloc.rpartition("@")[2]
    userinfo = parts.netloc[: len(parts.netloc) - len(host)]
    hostname = host.rsplit(":", 1)[0] if parts.port is not None else host
    port = parts.port or (443 if parts.scheme == "https" else 80)
    without = urlunsplit(parts._replace(netloc=userinfo + hostname))
    with_port = urlunsplit(parts._replace(netloc=f"{userinfo}{hostname}:{port}"))
    return without, with_port


def parse_twilio_status(
    gateway: str, params: Mapping[str, str], message_id: str | None = None
) -> DeliveryReceipt:
    """Turn a StatusCallback request's form parameters into a receipt.

    ``message_id`` is the ``message_id`` query parameter of the URL Twilio called (see
    :meth:`TwilioGateway.callback_url`). queued/accepted/scheduled/sending/sent are
    ``enroute``; ``failed`` with ErrorCode 30036 (validity period expired) is ``expired``.
    ErrorCode, when given, is the reason of a non-delivered receipt. Raises ``ValueError``
    when MessageSid or MessageStatus is missing or the status is unknown.
    """
    sid = params.get("MessageSid") or params.get("SmsSid")
    raw_status = params.get("MessageStatus") or params.get("SmsStatus")
    if not sid or not raw_status:
        raise ValueError("not a Twilio status callback: MessageSid and MessageStatus required")
    try:
        status = _STATUSES[raw_status.lower()]
    except KeyError:
        raise ValueError(f"unknown Twilio MessageStatus {raw_status!r}") from None
    code = params.get("ErrorCode") or None
    if status is ReceiptStatus.FAILED and code == _EXPIRED_CODE:
        status = ReceiptStatus.EXPIRED
    reason = None
    if status in (ReceiptStatus.FAILED, ReceiptStatus.UNDELIVERED, ReceiptStatus.EXPIRED):
        reason = code or raw_status.lower()
    return DeliveryReceipt(
        gateway=gateway,
        gateway_id=sid,
        status=status,
        reason=reason,
        message_id=message_id or None,
    )
