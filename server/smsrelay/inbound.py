"""Customers' messages, from every gateway (Kannel's sms-service, Twilio's incoming-message
webhook, SMPP deliver_sm): each is stored once in the conversation of the tenant whose sender
address it was sent to, routed to an agent or a queue (see ``storage.ports.ConversationStore``),
and a stop keyword puts the sender on the tenant's opt-out list, a start keyword takes it off.
A reply from a number that opted out is still stored: the agent sees it, nothing is sent.

Retries are recognised by what the gateway repeats: Twilio's MessageSid, Kannel's message id
(``%I`` in the sms-service URL), and for SMPP the parts themselves — kept in the database until
the message is whole, so its parts may arrive over several binds and relays. A reply to an
address no tenant sends from is not kept.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from anyio import to_thread

from smscompose import NumberCheck, check_number
from smscompose.phone import NUMBER_TYPES

from .gateways.base import InboundSms, Numbering
from .optouts import keyword
from .service import mask_number
from .settings import RelaySettings, TenantSettings
from .storage import new_id
from .storage.inbound_rows import InboundPart, InboundRow, NewInbound
from .storage.ports import ConversationStore, OptOutStore

log = logging.getLogger("smsrelay.inbound")

_EVERY_TYPE = frozenset(NUMBER_TYPES)
#: The longest customer's message kept: 255 parts of 153 characters fit, with room.
MAX_TEXT = 40_000
#: An SMPP message of one part that comes again within this time is the SMSC's retry (it has
#: no id to tell; the same text from the same number this soon is taken for one).
SINGLE_PART_WINDOW_MS = 2 * 60 * 1000
#: The parts of a concatenated SMPP message belong together for this long: the 8-bit
#: reference repeats only after 256 further long messages from the same number.
PARTS_WINDOW_MS = 60 * 60 * 1000


class InboundTooLong(ValueError):
    """A customer's message longer than :data:`MAX_TEXT`."""


@dataclass(frozen=True)
class Reply:
    """A whole customer's message, ready to store."""

    #: The customer's number as the gateway reports it.
    sender: str
    #: The address the customer wrote to: one of the tenant's sender addresses.
    to: str
    text: str
    #: ``kannel:GATEWAY``, ``twilio:GATEWAY`` or ``smpp:GATEWAY``.
    source: str
    #: What a retry of the message repeats, unique within ``source``; None: nothing does.
    key: str | None = None
    #: How ``sender`` is written, where the gateway says so (SMPP's TON).
    numbering: Numbering | None = None


class InboundService:
    """Takes customers' messages from the gateways: SMPP parts until whole, then stored,
    routed and applied to the opt-out list."""

    def __init__(
        self,
        settings: RelaySettings,
        store: ConversationStore,
        optouts: OptOutStore,
        *,
        clock: Callable[[], int],
        on_received: Callable[[], None] = lambda: None,
    ) -> None:
        self.settings = settings
        self.store = store
        self.optouts = optouts
        self.clock = clock
        self.on_received = on_received

    async def take(self, sms: InboundSms) -> list[InboundRow]:
        """Store a gateway's message (once; a retry stores nothing) in every conversation it
        belongs to; the rows stored. Raises :class:`InboundTooLong`."""
        if len(sms.text) > MAX_TEXT:
            raise InboundTooLong(f"{len(sms.text)} characters, at most {MAX_TEXT}")
        gateway = self.settings.gateways.get(sms.gateway)
        source = f"{gateway.type if gateway else 'gateway'}:{sms.gateway}"
        text, key = sms.text, sms.key
        if sms.part is not None:
            part = sms.part
            window = SINGLE_PART_WINDOW_MS if part.total == 1 else PARTS_WINDOW_MS
            taken = self.store.submit_inbound_part(
                InboundPart(
                    sms.gateway, part.group, part.seq, part.total, sms.text, self.clock(), window
                )
            )
            whole = await asyncio.wrap_future(taken)
            if whole is None:
                return []  # more parts to come
            if len(whole.text) > MAX_TEXT:
                raise InboundTooLong(f"{len(whole.text)} characters, at most {MAX_TEXT}")
            text, key = whole.text, f"{part.group}@{whole.first_at}"
        reply = Reply(sms.sender, sms.to, text, source, key, sms.sender_numbering)
        rows = await to_thread.run_sync(self.take_reply, reply)
        if rows:
            self.on_received()
        return rows

    def take_reply(self, reply: Reply) -> list[InboundRow]:
        """Store a whole message for every tenant that sends from the address it went to,
        and apply its keyword; the rows stored (none for a retry)."""
        action = keyword(reply.text)
        stored = []
        for tenant, address in tenants_sending_from(self.settings, reply.to):
            number = customer_number(tenant, reply.sender, reply.numbering)
            if number is None:
                log.warning("a reply from an invalid number to %s (%s)", address, reply.source)
                continue
            now = self.clock()
            new = NewInbound(
                id=new_id("in", now),
                tenant=tenant.id,
                number=number,
                address=address,
                text=reply.text,
                gateway=reply.source,
                key=_key(reply),
                now=now,
                reply_window_ms=tenant.reply_window_hours * 3_600_000,
                queue_id=tenant.queue_of(address),
            )
            row = self.store.submit_store_inbound(new).result()
            # The keyword acts on a retry too: a relay that stopped after storing the message
            # but before changing the list answered nothing, so the gateway sends it again,
            # and its STOP must not be lost as "already stored". Adding or removing a number
            # twice changes nothing.
            if action == "stop":
                self.optouts.add(tenant.id, number, reply.source, now)
            elif action == "start":
                self.optouts.remove(tenant.id, number, reply.source, now)
            if action:
                log.info("%s %s for tenant %s", action, mask_number(number), tenant.id)
            if row is None:
                log.info("a retry of a reply from %s (%s)", mask_number(number), reply.source)
                continue
            stored.append(row)
            log.info(
                "reply %s from %s for tenant %s to %s (%s)",
                row.id,
                mask_number(number),
                tenant.id,
                row.agent or f"queue {row.queue_id}",
                reply.source,
            )
        return stored


def customer_number(
    tenant: TenantSettings, raw: str, numbering: Numbering | None = None
) -> str | None:
    """The customer's number in E.164, the form the relay sends to, so that a reply joins the
    conversation of the messages sent to that number; None when it is no number.

    Gateways write numbers with ``+`` or ``00``, nationally with a trunk prefix, or as bare
    digits — international without the ``+`` (SMPP TON 1, Kannel's ``%p`` from some SMSCs) or
    national without the trunk prefix (SMPP TON 2). Bare digits are read:

    - as the gateway says, when it does (``numbering``: SMPP's TON 1 or 2);
    - else both ways: as ``+digits``, and nationally in the tenant's ``default_region``. The
      international reading wins only when it is the better number: valid where the national
      one is not, or a mobile (or fixed-line-or-mobile) where the national one is a landline
      or another type. A national reading is rarely invalid — Germany's landline plan admits
      nearly any long string, ``4915112345678`` reads as a number in Leer (0491) — but
      mobile ranges are narrow, and customers text from mobiles.
    - On a tie (valid both ways as mobiles, ``16012345678``: a German 0160 mobile and a US
      number in 601; or both as landlines) the national reading wins, as before: the
      tenant's own region comes first.

    A short code (``80888``) is no number either way: None.
    """
    region = tenant.default_region
    bare = raw.strip()
    if bare.isdigit() and numbering == "international":
        return _read("+" + bare, region).e164
    national = _read(raw, region)
    if bare.isdigit() and not bare.startswith("0") and numbering is None:
        international = _read("+" + bare, region)
        if _rank(international) > _rank(national):
            return international.e164
    if national.e164 is not None:
        return national.e164
    digits = _digits(raw)
    # International form without its "+" and with an invalid national reading.
    if numbering is None and 8 <= len(digits) <= 15 and bare.lstrip("+0").isdigit():
        return _read("+" + digits, region).e164
    return None


#: Number types a customer texts from.
_MOBILE = frozenset({"mobile", "fixed_line_or_mobile"})


def _read(raw: str, region: str) -> NumberCheck:
    return check_number(raw, default_region=region, allowed_types=_EVERY_TYPE)


def _rank(number: NumberCheck) -> int:
    """How likely a reading of a sender's digits is right: 0 no number, 1 a valid number of
    any type, 2 one a customer texts from."""
    if number.e164 is None:
        return 0
    return 2 if number.number_type in _MOBILE else 1


def _digits(address: str) -> str:
    return "".join(c for c in address if c.isdigit()).lstrip("0")


def tenants_sending_from(settings: RelaySettings, address: str) -> list[tuple[TenantSettings, str]]:
    """Tenants with a number or short code equal to ``address``, each with that sender
    address as the tenant writes it (gateways write numbers with or without ``+``, ``00`` or
    a trunk zero, so the digits are compared)."""
    digits = _digits(address)
    found = []
    for tenant in settings.tenants.values():
        for value, sender in tenant.senders.items():
            if digits and sender.address.kind != "alphanumeric" and _digits(value) == digits:
                found.append((tenant, value))
                break
    return found


def _key(reply: Reply) -> str:
    """The unique key of a stored message: the gateway's own, else a new one."""
    if reply.key is None:
        return f"{reply.source}:unnamed:{uuid.uuid4().hex}"
    key = f"{reply.source}:{reply.key}"
    # Keys are bounded; a gateway's id rarely is not, so a long one is hashed.
    return key if len(key) <= 200 else f"{reply.source}:#{hashlib.sha256(key.encode()).hexdigest()}"
