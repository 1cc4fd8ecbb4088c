"""Whose number a customer's message comes from, as gateways write it — with ``+``, with a
trunk prefix, or as bare digits that may be international without the ``+`` — and that the
reply joins the conversation of the messages sent to that number (E.164, as the relay sends)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from types import SimpleNamespace

import pytest

from smsrelay.gateways.base import Numbering
from smsrelay.gateways.smpp.mobile_originated import parse_mo
from smsrelay.inbound import InboundService, Reply, customer_number
from smsrelay.settings import TenantSettings, parse_settings
from smsrelay.storage.memory import MemoryStore
from tests.support.relaykit import relay_config
from tests.support.storekit import NOW, create, new_message

CUSTOMER = "+4915112345678"
HOTLINE = "+4989123456"


@pytest.fixture
def tenant(tmp_path: Path) -> TenantSettings:
    """A tenant in Germany (``default_region`` DE)."""
    return parse_settings(relay_config(), data_dir=tmp_path).tenants["acme"]


@pytest.mark.parametrize(
    ("raw", "numbering", "number"),
    [
        # Written with its country code: as written.
        ("+4915112345678", None, CUSTOMER),
        ("004915112345678", None, CUSTOMER),
        # National with the trunk prefix.
        ("015112345678", None, CUSTOMER),
        # Bare digits the gateway calls international (SMPP TON 1): with a "+".
        ("4915112345678", "international", CUSTOMER),
        ("16012345678", "international", "+16012345678"),
        # Bare digits the gateway calls national (SMPP TON 2, no trunk prefix): in the region,
        # although "+447911123456" would be a British mobile.
        ("15112345678", "national", CUSTOMER),
        ("447911123456", "national", "+49447911123456"),
        # Not said: the international reading wins when it is a mobile and the national one a
        # landline (0491… is Leer's area code), …
        ("4915112345678", None, CUSTOMER),
        ("436641234567", None, "+436641234567"),
        ("447911123456", None, "+447911123456"),
        # … or valid where the national one is not; a national mobile without its 0 stays.
        ("12015550123", None, "+12015550123"),
        ("15112345678", None, CUSTOMER),
        # Ambiguous: a German 0160 mobile or a US number in 601; a landline in Emden (04921)
        # or in Düsseldorf (0211). The tenant's region wins.
        ("16012345678", None, "+4916012345678"),
        ("4921123456", None, "+494921123456"),
        # A short code is no customer's number, read either way.
        ("80888", None, None),
        ("80888", "international", None),
    ],
)
def test_the_customers_number_is_read_as_the_gateway_writes_it(
    tenant: TenantSettings, raw: str, numbering: Numbering | None, number: str | None
) -> None:
    assert customer_number(tenant, raw, numbering) == number


def test_a_reply_in_bare_international_digits_joins_the_conversation_of_the_message_sent(
    tmp_path: Path,
) -> None:
    """The agent wrote to +4915112345678 from the hotline; the gateway passes the answer on as
    ``4915112345678`` to ``4989123456``. It goes to that agent, in that conversation."""
    settings = parse_settings(relay_config(), data_dir=tmp_path)
    store = MemoryStore()
    sent, _ = create(
        store,
        replace(
            new_message(agent="agent-7", to_number=CUSTOMER),
            sender=HOTLINE,
            sender_kind="number",
        ),
    )
    service = InboundService(settings, store, store.optouts, clock=lambda: NOW + 60_000)

    rows = service.take_reply(
        Reply("4915112345678", "4989123456", "Danke!", "kannel:kannel1", key="k-1")
    )

    acme = next(row for row in rows if row.tenant == "acme")
    assert (acme.number, acme.address, acme.agent) == (CUSTOMER, HOTLINE, "agent-7")
    thread = store.thread("acme", CUSTOMER, HOTLINE, limit=10)
    assert [entry.id for entry in thread] == [acme.id, sent.id]
    conversation = store.get_conversation("acme", CUSTOMER, HOTLINE)
    assert conversation is not None and conversation.unread == 1


def deliver_sm(ton: int, source: bytes) -> SimpleNamespace:
    return SimpleNamespace(
        source_addr=source,
        source_addr_ton=ton,
        destination_addr=b"4989123456",
        dest_addr_ton=1,
        esm_class=0,
        data_coding=0,
        short_message=b"Danke",
    )


@pytest.mark.parametrize(
    ("ton", "sender", "numbering"),
    [
        (1, "+4915112345678", "international"),
        (2, "4915112345678", "national"),
        (0, "4915112345678", None),
        (4, "4915112345678", None),
    ],
)
def test_an_smpp_message_says_how_its_sender_is_written_by_its_type_of_number(
    ton: int, sender: str, numbering: Numbering | None
) -> None:
    sms = parse_mo("smsc", deliver_sm(ton, b"4915112345678"))
    assert (sms.sender, sms.sender_numbering) == (sender, numbering)


def test_an_smpp_sender_the_smsc_calls_national_is_read_in_the_tenants_region(
    tmp_path: Path,
) -> None:
    """TON 2 carries the digits without the trunk prefix; the same digits with TON 0 are read
    as the better number (here a British mobile)."""
    settings = parse_settings(relay_config(), data_dir=tmp_path)
    tenant = settings.tenants["acme"]
    for ton, number in ((2, "+49447911123456"), (0, "+447911123456")):
        sms = parse_mo("smsc", deliver_sm(ton, b"447911123456"))
        assert customer_number(tenant, sms.sender, sms.sender_numbering) == number
