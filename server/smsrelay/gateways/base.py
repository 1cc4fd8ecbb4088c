"""The port every SMS gateway adapter implements, and the data that crosses it.

The relay's dispatcher hands a gateway one :class:`OutboundSms` at a time: the message exactly
as ``smscompose`` segmented it (encoding, the text of every part, the national language tables
in use), so what the gateway is sent is what the agent saw and what the company is billed.
Receipts come back as :class:`DeliveryReceipt` — through the ``receipts`` callback a gateway is
started with (a bind such as SMPP), or parsed from an HTTP callback by the gateway module's
``parse_*`` function (Kannel's dlr-url, Twilio's StatusCallback), which a relay route calls.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Literal, Protocol, runtime_checkable

from smscompose.status import Reason


@dataclass(frozen=True)
class OutboundSms:
    """One message to submit, as the compose core segmented it."""

    #: The relay's message id; gateways echo it in callbacks where they can.
    message_id: str
    tenant: str
    #: E.164 number (``+4989…``), short code (digits) or alphanumeric sender ID.
    sender: str
    #: ``"number"``, ``"short_code"`` or ``"alphanumeric"``.
    sender_kind: str
    #: E.164 destination.
    to: str
    text: str
    #: ``"GSM_7BIT"`` or ``"UCS2"``.
    encoding: str
    #: The exact text of every part; one part means no concatenation header.
    parts: tuple[str, ...]
    #: National language tables (3GPP TS 23.038) the parts are encoded with, if any.
    locking: str | None = None
    single: str | None = None
    #: How long the network should keep trying (the validity period), if limited.
    validity_seconds: int | None = None
    #: A 0–255 reference for the concatenation header, stable across retries of one message.
    concat_ref: int = 0
    #: Index of the first part still to send: parts before it were accepted by an earlier
    #: attempt (see :attr:`GatewayError.accepted_parts`) and must not be sent again.
    first_part: int = 0


@dataclass(frozen=True)
class SubmitResult:
    """The gateway accepted the message: its id(s) for matching receipts later."""

    #: One id per part sent in this attempt where the gateway gives one per part (SMPP, Kannel
    #: with one request per part), else a single id.
    gateway_ids: tuple[str, ...]


class GatewayError(Exception):
    """The gateway did not take the message.

    ``permanent`` errors (a rejected number, a refused sender) make the message ``failed`` with
    ``reason`` (the gateway's own words, for the API and the logs) and ``code`` (what the agent
    reads, translated); transient ones (the gateway is down, throttled, timed out) are retried with
    backoff. When unsure, a gateway says transient: a retry is cheaper than a lost message —
    but only where the gateway cannot have accepted it, since a retry after an acceptance that
    was not seen is a double send.
    """

    def __init__(
        self,
        reason: str,
        *,
        permanent: bool,
        code: Reason = Reason.GATEWAY_ERROR,
        accepted_parts: int = 0,
        accepted_ids: tuple[str, ...] = (),
    ) -> None:
        super().__init__(reason)
        self.reason = reason
        self.permanent = permanent
        self.code = code
        #: Parts of this attempt (counted from ``first_part``) the gateway accepted before the
        #: failure, with their ids: a retry starts after them, so none is sent twice.
        self.accepted_parts = accepted_parts
        self.accepted_ids = accepted_ids


class ReceiptStatus(StrEnum):
    DELIVERED = "delivered"
    UNDELIVERED = "undelivered"
    FAILED = "failed"
    EXPIRED = "expired"
    #: Accepted by the network, not final yet (intermediate receipts).
    ENROUTE = "enroute"


@dataclass(frozen=True)
class DeliveryReceipt:
    """What a gateway reported about a submitted message (or one of its parts)."""

    #: The gateway's configured name.
    gateway: str
    #: The id from :class:`SubmitResult` this receipt is about.
    gateway_id: str
    status: ReceiptStatus
    #: The gateway's own words or error code, for failed/undelivered/expired (API and logs).
    reason: str | None = None
    at: datetime | None = None
    #: The relay's message id, when the callback carries it (e.g. in Kannel's dlr-url).
    message_id: str | None = None
    #: What the agent reads as the reason (see ``gateways.reasons``), for a bad outcome.
    reason_code: Reason | None = None


ReceiptSink = Callable[[DeliveryReceipt], Awaitable[None]]


@dataclass(frozen=True)
class SmsPart:
    """Which part of a concatenated message an :class:`InboundSms` is (from its UDH)."""

    #: Names the message: the addresses, the UDH reference and the total, as the gateway saw
    #: them (for a message of one part: the addresses and a hash of its bytes).
    group: str
    seq: int
    total: int


#: A number written internationally (with the country code; SMPP TON 1) or nationally (in the
#: tenant's region, without trunk prefix as SMPP's TON 2 has it, or with one).
Numbering = Literal["international", "national"]


@dataclass(frozen=True)
class InboundSms:
    """A customer's message as a gateway passed it on (Kannel's sms-service, Twilio's
    incoming-message webhook, an SMPP deliver_sm that is not a receipt)."""

    #: The gateway's configured name.
    gateway: str
    #: The customer's number and the address it wrote to, as the gateway writes them.
    sender: str
    to: str
    text: str
    #: What the gateway repeats when it delivers the same message again (Twilio's
    #: MessageSid, Kannel's message id); None when it names none.
    key: str | None = None
    #: For SMPP: the part this is (a message of one part is part 1 of 1), kept until its
    #: message is whole; its retries are recognised by the part.
    part: SmsPart | None = None
    #: How ``sender`` is written, where the gateway says so (SMPP's source_addr_ton);
    #: None: not said, the relay reads it (``inbound.customer_number``).
    sender_numbering: Numbering | None = None


InboundSink = Callable[[InboundSms], Awaitable[None]]


@runtime_checkable
class Gateway(Protocol):
    """An SMS gateway adapter."""

    #: The gateway's name in the configuration.
    name: str

    async def start(self, receipts: ReceiptSink, inbound: InboundSink | None = None) -> None:
        """Open connections (binds) and begin passing receipts to ``receipts`` and, where the
        connection brings them (SMPP), customers' messages to ``inbound``."""

    async def submit(self, sms: OutboundSms) -> SubmitResult:
        """Submit one message; raise :class:`GatewayError` when it was not taken."""

    def part_id(self, message_id: str, part: int) -> str | None:
        """The id a receipt will name part ``part`` of ``message_id`` by, where the relay
        chooses it before sending (Kannel); None where the gateway assigns it (SMPP, Twilio).
        After a crash this is how the relay learns from receipts which parts went out."""

    async def close(self) -> None:
        """Close connections; pending receipts may be lost and are re-read by the gateway's
        own retry (SMPP receipts are re-sent by the SMSC until acknowledged)."""
