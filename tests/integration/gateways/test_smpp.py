"""The SMPP gateway against the SMSC simulator (tests/support/peers/smsc_simulator.mjs), a real
SMPP 3.4 peer: what each submit_sm carries byte by byte, receipts, errors, a dropped bind, a
refused one."""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from typing import Any

import anyio
import pytest

from smscompose import get_alphabet, segment
from smscompose.alphabets import LANGUAGE_IDS
from smsrelay.gateways.base import (
    DeliveryReceipt,
    GatewayError,
    OutboundSms,
    ReceiptSink,
    ReceiptStatus,
    SubmitResult,
)
from smsrelay.gateways.smpp.gateway import SmppGateway, SubmitUnconfirmed
from tests.support.peers.smsc import Smsc, smsc_fixture, smsc_server_fixture  # noqa: F401
from tests.support.processes import free_port

GATEWAY = "smpp-test"
SENDER = "+4915100000000"
TO = "+4915112345678"
LANGUAGES = {number: language for language, number in LANGUAGE_IDS.items()}

pytestmark = pytest.mark.anyio


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


class Receipts:
    """A receipt sink that keeps what it was given."""

    def __init__(self) -> None:
        self.items: list[DeliveryReceipt] = []

    async def __call__(self, receipt: DeliveryReceipt) -> None:
        self.items.append(receipt)

    async def wait_for(self, gateway_ids: Iterable[str], timeout: float = 5.0) -> None:
        wanted = set(gateway_ids)
        with anyio.fail_after(timeout):
            while not wanted <= {r.gateway_id for r in self.items}:
                await anyio.sleep(0.02)

    def by_id(self) -> dict[str, DeliveryReceipt]:
        return {r.gateway_id: r for r in self.items}


async def answered(smsc: Smsc, count: int, timeout: float = 5.0) -> None:
    """Until the SMSC has ``count`` deliver_sm_resp. The gateway answers a receipt after its
    sink took it, from its sending thread: closing as soon as the sink has them races the
    unbind against those answers, and an unanswered receipt is one the SMSC sends again."""
    with anyio.fail_after(timeout):
        while sum(r["status"] is not None for r in smsc.receipts()) < count:
            await anyio.sleep(0.02)


@asynccontextmanager
async def started(
    smsc: Smsc, sink: ReceiptSink | None = None, **options: Any
) -> AsyncIterator[tuple[SmppGateway, Receipts]]:
    """A gateway bound to the simulator, passing receipts to ``sink`` (else to the
    :class:`Receipts` it yields), closed on exit."""
    options = {"reconnect_initial": 0.05, "submit_timeout": 3.0, **options}
    gateway = SmppGateway(GATEWAY, smsc.host, smsc.port, smsc.system_id, smsc.password, **options)
    receipts = Receipts()
    await gateway.start(sink or receipts)
    try:
        yield gateway, receipts
    finally:
        with anyio.fail_after(5):
            await gateway.close()


def outbound(
    text: str,
    *,
    to: str = TO,
    sender: str = SENDER,
    sender_kind: str = "number",
    locking: Iterable[str] = (),
    single: Iterable[str] = (),
    concat_ref: int = 0,
    message_id: str = "msg-1",
    **fields: Any,
) -> OutboundSms:
    """The message as the relay's dispatcher hands it over: segmented by smscompose."""
    message = segment(text, locking=locking, single=single)
    return OutboundSms(
        message_id=message_id,
        tenant="acme",
        sender=sender,
        sender_kind=sender_kind,
        to=to,
        text=text,
        encoding=message.encoding,
        parts=tuple(part.text for part in message.parts),
        locking=message.locking,
        single=message.single,
        concat_ref=concat_ref,
        **fields,
    )


def short_message(record: dict[str, Any]) -> bytes:
    return bytes.fromhex(record["short_message"])


def split_udh(data: bytes) -> tuple[dict[int, bytes], bytes]:
    """The information elements of a user data header, and the body after it."""
    header, body = data[1 : 1 + data[0]], data[1 + data[0] :]
    elements, i = {}, 0
    while i < len(header):
        elements[header[i]] = header[i + 2 : i + 2 + header[i + 1]]
        i += 2 + header[i + 1]
    return elements, body


def decode(record: dict[str, Any]) -> str:
    """What a handset shows for one recorded submit_sm."""
    data = short_message(record)
    elements, body = split_udh(data) if record["esm_class"] & 0x40 else ({}, data)
    if record["data_coding"] == 8:
        return body.decode("utf-16-be")
    locking = LANGUAGES[elements[0x25][0]] if 0x25 in elements else None
    single = LANGUAGES[elements[0x24][0]] if 0x24 in elements else None
    return get_alphabet(locking, single).decode(body)


# -- what goes over the wire ----------------------------------------------------------------


async def test_a_one_part_gsm_message_is_one_submit_sm_of_unpacked_septets(smsc: Smsc) -> None:
    sms = outbound(
        "Code 4711 @ ACME_Bank: 5£",
        sender="ACME Bank",
        sender_kind="alphanumeric",
        validity_seconds=3600,
    )
    async with started(smsc) as (gateway, _):
        result = await gateway.submit(sms)

    [record] = smsc.submits()
    assert result == SubmitResult((record["message_id"],))
    assert (record["source_addr_ton"], record["source_addr_npi"]) == (5, 0)
    assert record["source_addr"] == "ACME Bank"
    assert (record["dest_addr_ton"], record["dest_addr_npi"]) == (1, 1)
    assert record["destination_addr"] == "4915112345678"
    assert record["esm_class"] == 0
    assert record["data_coding"] == 0
    assert record["registered_delivery"] == 1
    assert record["validity_period"] == "000000010000000R"
    # '@' is septet 0x00, '_' 0x11 and '£' 0x01: GSM 03.38, not ASCII.
    assert short_message(record) == bytes.fromhex(
        "436f6465203437313120 00 2041434d45 11 42616e6b3a2035 01".replace(" ", "")
    )


async def test_a_three_part_gsm_message_carries_concatenation_headers_and_escapes(
    smsc: Smsc,
) -> None:
    text = "Ihre Bestellung [A-17] kostet 12€ {inkl. MwSt.} | " * 7
    sms = outbound(text, concat_ref=0xA7)
    assert len(sms.parts) == 3
    async with started(smsc) as (gateway, _):
        result = await gateway.submit(sms)

    records = smsc.submits()
    assert [r["message_id"] for r in records] == list(result.gateway_ids)
    for number, (record, part) in enumerate(zip(records, sms.parts, strict=True), start=1):
        data = short_message(record)
        assert record["esm_class"] == 0x40
        assert record["data_coding"] == 0
        assert (record["source_addr_ton"], record["source_addr_npi"]) == (1, 1)
        assert record["source_addr"] == "4915100000000"
        assert data[:6] == bytes([0x05, 0x00, 0x03, 0xA7, 0x03, number])
        assert data[6:] == get_alphabet().encode(part)
        assert decode(record) == part
    assert b"\x1b\x3c" in short_message(records[0])  # '[' behind the escape septet
    assert b"\x1b\x65" in short_message(records[0])  # '€'
    assert "".join(decode(r) for r in records) == text


async def test_a_ucs2_message_with_emoji_is_utf16be_with_surrogate_pairs(smsc: Smsc) -> None:
    text = "Vielen Dank für Ihren Einkauf 😀! Ihr Paket 📦 kommt morgen zwischen 9 und 12 Uhr."
    sms = outbound(text, sender="12345", sender_kind="short_code", concat_ref=3)
    assert sms.encoding == "UCS2"
    assert len(sms.parts) == 2
    async with started(smsc) as (gateway, _):
        await gateway.submit(sms)

    records = smsc.submits()
    assert len(records) == 2
    for number, (record, part) in enumerate(zip(records, sms.parts, strict=True), start=1):
        assert (record["source_addr_ton"], record["source_addr_npi"]) == (3, 0)
        assert record["source_addr"] == "12345"
        assert record["esm_class"] == 0x40
        assert record["data_coding"] == 8
        assert short_message(record) == bytes([5, 0, 3, 3, 2, number]) + part.encode("utf-16-be")
    assert bytes.fromhex("d83dde00") in short_message(records[0])  # 😀 as a surrogate pair
    assert "".join(decode(r) for r in records) == text


@pytest.mark.parametrize("repeat", [1, 3], ids=["one part", "two parts"])
async def test_a_turkish_message_declares_its_locking_and_single_shift_tables(
    smsc: Smsc, repeat: int
) -> None:
    # ı, ş, ğ come from the Turkish locking table, â (Kâzım, hâlâ) from the Portuguese single
    # shift table.
    text = "Sayın Kâzım Bey, hâlâ ödemeniz bekleniyor; şubemize uğrayın. " * repeat
    sms = outbound(text, locking=["tr", "pt"], single=["tr", "pt"], concat_ref=9)
    assert (sms.locking, sms.single) == ("tr", "pt")
    async with started(smsc) as (gateway, _):
        await gateway.submit(sms)

    records = smsc.submits()
    assert len(records) == len(sms.parts)
    shifts = bytes([0x24, 0x01, 0x03, 0x25, 0x01, 0x01])  # single: Portuguese, locking: Turkish
    for number, (record, part) in enumerate(zip(records, sms.parts, strict=True), start=1):
        if len(sms.parts) == 1:
            header = bytes([0x06]) + shifts
        else:
            header = bytes([0x0B, 0x00, 0x03, 9, len(sms.parts), number]) + shifts
        assert record["esm_class"] == 0x40
        assert record["data_coding"] == 0
        assert short_message(record) == header + get_alphabet("tr", "pt").encode(part)
        assert decode(record) == part
    assert "".join(decode(r) for r in records) == text


# -- receipts and errors --------------------------------------------------------------------


async def test_receipts_reach_the_sink_under_the_ids_of_the_parts(smsc: Smsc) -> None:
    failing = "+4915100000001"
    smsc.mode(fail_numbers={failing: "UNDELIV"})
    async with started(smsc) as (gateway, receipts):
        delivered = await gateway.submit(outbound("x" * 200, message_id="ok"))
        undelivered = await gateway.submit(outbound("Hallo", to=failing, message_id="bad"))
        await receipts.wait_for(delivered.gateway_ids + undelivered.gateway_ids)
        await answered(smsc, 3)

    by_id = receipts.by_id()
    assert len(delivered.gateway_ids) == 2
    for gateway_id in delivered.gateway_ids:
        assert by_id[gateway_id].status is ReceiptStatus.DELIVERED
        assert by_id[gateway_id].reason is None
        assert by_id[gateway_id].gateway == GATEWAY
    [failed_id] = undelivered.gateway_ids
    assert by_id[failed_id].status is ReceiptStatus.UNDELIVERED
    assert by_id[failed_id].reason == "stat:UNDELIV err:001"
    assert len(receipts.items) == 3
    # Every receipt was acknowledged with deliver_sm_resp ESME_ROK.
    assert [r["status"] for r in smsc.receipts()] == [0, 0, 0]


@pytest.mark.parametrize(
    ("mode", "name", "permanent"),
    [
        ({"reject": {TO: 0x0B}}, "ESME_RINVDSTADR", True),
        ({"reject": {TO: 0x0A}}, "ESME_RINVSRCADR", True),
        ({"reject": {TO: 0x14}}, "ESME_RMSGQFUL", False),
        ({"reject": {TO: 0x08}}, "ESME_RSYSERR", False),
        ({"throttle": True}, "ESME_RTHROTTLED", False),
    ],
)
async def test_submit_sm_resp_errors_are_permanent_or_transient(
    smsc: Smsc, mode: dict[str, Any], name: str, permanent: bool
) -> None:
    smsc.mode(**mode)
    async with started(smsc) as (gateway, _):
        with pytest.raises(GatewayError) as caught:
            await gateway.submit(outbound("Hallo"))
        assert gateway.bound  # an error response leaves the bind up

    assert name in caught.value.reason
    assert caught.value.permanent is permanent
    assert caught.value.accepted_parts == 0


async def test_a_failure_between_parts_reports_the_accepted_parts_and_a_retry_sends_the_rest(
    smsc: Smsc,
) -> None:
    sms = outbound("y" * 400, concat_ref=0x42)
    assert len(sms.parts) == 3
    smsc.mode(throttle_after_submits=1)
    async with started(smsc) as (gateway, receipts):
        with pytest.raises(GatewayError) as caught:
            await gateway.submit(sms)
        error = caught.value
        assert not error.permanent
        assert "ESME_RTHROTTLED" in error.reason
        assert error.accepted_parts == 1
        assert len(error.accepted_ids) == 1

        smsc.mode(throttle=False)
        retry = dataclasses.replace(sms, first_part=sms.first_part + error.accepted_parts)
        result = await gateway.submit(retry)
        gateway_ids = error.accepted_ids + result.gateway_ids
        await receipts.wait_for(gateway_ids)

    records = [r for r in smsc.submits() if r["command_status"] == 0]
    assert [r["message_id"] for r in records] == list(gateway_ids)
    assert [short_message(r)[:6] for r in records] == [
        bytes([5, 0, 3, 0x42, 3, number]) for number in (1, 2, 3)
    ]
    assert "".join(decode(r) for r in records) == sms.text


async def test_a_bind_dropped_while_sending_reconnects_and_sends_every_part_once(
    smsc: Smsc,
) -> None:
    def message(n: int) -> OutboundSms:
        text = f"Nachricht {n}: " + "z" * 180
        return outbound(text, to=f"+49151000001{n:02d}", message_id=f"m{n}", concat_ref=n)

    in_flight = [message(n) for n in range(8)]  # 16 parts, pipelined: the drop hits them
    afterwards = [message(n) for n in range(8, 11)]
    smsc.mode(drop_after_submits=5)
    accepted: dict[str, tuple[str, ...]] = {}
    unconfirmed: dict[str, GatewayError] = {}

    async def dispatch(sms: OutboundSms) -> None:
        """What the relay's dispatcher does: retry transient errors after the accepted parts,
        give up on permanent ones."""
        ids: tuple[str, ...] = ()
        while True:
            try:
                result = await gateway.submit(sms)
            except GatewayError as error:
                ids += error.accepted_ids
                if error.permanent:
                    unconfirmed[sms.message_id] = error
                    return
                sms = dataclasses.replace(sms, first_part=sms.first_part + error.accepted_parts)
                await anyio.sleep(0.1)
            else:
                accepted[sms.message_id] = ids + result.gateway_ids
                return

    async with started(smsc) as (gateway, receipts):
        with anyio.fail_after(15):
            async with anyio.create_task_group() as tasks:
                for sms in in_flight:
                    tasks.start_soon(dispatch, sms)
            for sms in afterwards:
                await dispatch(sms)
            # Receipts of parts accepted before the drop come over the new bind.
            await receipts.wait_for(id_ for ids in accepted.values() for id_ in ids)

    binds = smsc.binds()
    assert [b["ok"] for b in binds] == [True, True]
    assert set(accepted) | set(unconfirmed) == {sms.message_id for sms in in_flight + afterwards}
    # Unconfirmed: a part was written but the connection died before its response, so it is
    # not retried (the SMSC may have taken it); the parts accepted before it are reported.
    for error in unconfirmed.values():
        assert isinstance(error, SubmitUnconfirmed)
        assert error.permanent
        assert error.reason.startswith("unconfirmed:")
    assert all(sms.message_id in accepted for sms in afterwards)

    records = smsc.submits()
    seen = Counter((r["destination_addr"], short_message(r)[5]) for r in records)
    assert max(seen.values()) == 1, "a part was sent twice"
    # Every part the simulator took is one the relay knows was accepted: none is lost.
    known = {id_ for ids in accepted.values() for id_ in ids}
    known |= {id_ for error in unconfirmed.values() for id_ in error.accepted_ids}
    assert {r["message_id"] for r in records} == known
    by_id = {r["message_id"]: r for r in records}
    for sms in in_flight + afterwards:
        if sms.message_id in accepted:
            parts = [by_id[gateway_id] for gateway_id in accepted[sms.message_id]]
            assert [short_message(p)[4:6] for p in parts] == [b"\x02\x01", b"\x02\x02"]
            assert "".join(decode(p) for p in parts) == sms.text
    for sms in afterwards:
        assert {by_id[i]["connection"] for i in accepted[sms.message_id]} == {
            binds[1]["connection"]
        }


async def test_a_receipt_the_sink_cannot_take_is_refused_and_comes_again(smsc: Smsc) -> None:
    calls: list[DeliveryReceipt] = []

    async def flaky_sink(receipt: DeliveryReceipt) -> None:
        calls.append(receipt)
        if len(calls) == 1:
            raise RuntimeError("database is down")

    async with started(smsc, flaky_sink) as (gateway, _):
        result = await gateway.submit(outbound("Hallo"))
        with anyio.fail_after(5):
            while len(calls) < 2:
                await anyio.sleep(0.02)
            # The answer to the second receipt goes out after the sink returns: wait until
            # the simulator has it before the bind closes.
            while [r["status"] for r in smsc.receipts()].count(None) or len(smsc.receipts()) < 2:
                await anyio.sleep(0.02)

    assert [r.gateway_id for r in calls] == list(result.gateway_ids) * 2
    # ESME_RX_T_APPN (a temporary error) first, so the SMSC kept it; then ESME_ROK.
    assert [r["status"] for r in smsc.receipts()] == [0x64, 0]


# -- binding --------------------------------------------------------------------------------


async def test_the_bind_is_kept_alive_with_enquire_link_and_closed_with_unbind(
    smsc: Smsc,
) -> None:
    async with started(smsc, enquire_link_interval=0.05) as (gateway, _):
        await anyio.sleep(0.4)
        assert gateway.bound
        await gateway.submit(outbound("Hallo"))

    [bind] = smsc.binds()
    assert bind["enquire_links"] >= 3
    assert bind["unbound"]
    assert not gateway.bound


async def test_wrong_credentials_fail_the_start_at_once(smsc: Smsc) -> None:
    gateway = SmppGateway(GATEWAY, smsc.host, smsc.port, smsc.system_id, "wrong")
    with anyio.fail_after(3), pytest.raises(GatewayError) as caught:
        await gateway.start(Receipts())

    assert caught.value.permanent
    assert "ESME_RBINDFAIL" in caught.value.reason
    assert "password" in caught.value.reason
    assert not gateway.bound
    [bind] = smsc.binds()
    assert (bind["kind"], bind["system_id"], bind["ok"]) == ("trx", "relay", False)


async def test_an_unreachable_smsc_makes_submits_wait_then_fail_transiently() -> None:
    gateway = SmppGateway(GATEWAY, "127.0.0.1", free_port(), "relay", "secret", submit_timeout=0.3)
    with anyio.fail_after(3):
        await gateway.start(Receipts())  # keeps trying in the background
        try:
            with pytest.raises(GatewayError) as caught:
                await gateway.submit(outbound("Hallo"))
        finally:
            await gateway.close()

    assert not caught.value.permanent
    assert "not bound" in caught.value.reason
    assert "cannot bind" in (gateway.last_error or "")
