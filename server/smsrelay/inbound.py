"""Customers' replies that gateways pass on (Kannel's sms-service, Twilio's incoming message
webhook): a stop keyword puts the sender on the tenant's opt-out list, a start keyword takes it
off. Other replies are not kept — the relay is not an inbox.

The tenant is the one whose sender address the customer replied to; a reply to an address no
tenant sends from changes nothing.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from smscompose import check_number
from smscompose.phone import NUMBER_TYPES

from .optouts import keyword
from .service import mask_number
from .settings import RelaySettings, TenantSettings
from .storage.ports import OptOutStore

log = logging.getLogger("smsrelay.inbound")

_EVERY_TYPE = frozenset(NUMBER_TYPES)


@dataclass(frozen=True)
class Reply:
    #: The customer's number as the gateway reports it.
    sender: str
    #: The address the customer wrote to: one of the tenant's sender addresses.
    to: str
    text: str
    #: ``kannel:GATEWAY`` or ``twilio:GATEWAY``.
    source: str


def take_reply(settings: RelaySettings, optouts: OptOutStore, reply: Reply, now: int) -> int:
    """Apply a reply's keyword for every tenant that sends from the address it went to;
    returns how many opt-out lists changed."""
    action = keyword(reply.text)
    if action is None:
        return 0
    changed = 0
    for tenant in _tenants_sending_from(settings, reply.to):
        number = check_number(
            reply.sender, default_region=tenant.default_region, allowed_types=_EVERY_TYPE
        ).e164
        if number is None:
            continue
        if action == "stop":
            changed += optouts.add(tenant.id, number, reply.source, now)
        else:
            changed += optouts.remove(tenant.id, number, reply.source, now)
        log.info("%s %s for tenant %s (%s)", action, mask_number(number), tenant.id, reply.source)
    return changed


def _digits(address: str) -> str:
    return "".join(c for c in address if c.isdigit()).lstrip("0")


def _tenants_sending_from(settings: RelaySettings, address: str) -> list[TenantSettings]:
    """Tenants with a number or short code equal to ``address`` (gateways write numbers with
    or without ``+``, ``00`` or a trunk zero, so the digits are compared)."""
    digits = _digits(address)
    return [
        tenant
        for tenant in settings.tenants.values()
        if digits
        and any(
            s.address.kind != "alphanumeric" and _digits(value) == digits
            for value, s in tenant.senders.items()
        )
    ]
