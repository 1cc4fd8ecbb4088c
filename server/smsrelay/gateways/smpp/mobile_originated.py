"""Customers' messages in deliver_sm (mobile originated, not a receipt): the text decoded from
its data_coding — GSM 7-bit (one septet per octet, as SMPP carries it, with the national
language tables its UDH names), IA5, Latin-1 or UCS-2 — and, for a part of a concatenated
message, which part of which message (the UDH's 8- or 16-bit reference IE, or SMPP's sar_*
TLVs). What cannot be read as text is refused (:class:`InvalidMo`), never stored garbled."""

from __future__ import annotations

import hashlib
from typing import Any

from smscompose import get_alphabet
from smscompose.alphabets import LANGUAGE_IDS

from ..base import InboundSms, Numbering, SmsPart
from ..udh import IEI_CONCATENATION, IEI_LOCKING_SHIFT, IEI_SINGLE_SHIFT
from .pdu import text

__all__ = ["InvalidMo", "parse_mo"]

#: Concatenated short message with a 16-bit reference (3GPP TS 23.040 §9.2.3.24.8).
IEI_CONCATENATION_16 = 0x08
ESM_CLASS_UDHI = 0x40
_LANGUAGES = {number: name for name, number in LANGUAGE_IDS.items()}
#: What an address's type of number says about its digits (SMPP 3.4 §5.2.5); the others
#: (unknown, network specific, subscriber, alphanumeric, abbreviated) leave it to the relay.
NUMBERING: dict[int, Numbering] = {1: "international", 2: "national"}


class InvalidMo(ValueError):
    """A deliver_sm whose message cannot be read: the reason, for the log."""


def parse_mo(gateway: str, pdu: Any) -> InboundSms:
    """The customer's message (or part) in a deliver_sm that is not a receipt."""
    source = _address(pdu.source_addr, pdu.source_addr_ton)
    destination = _address(pdu.destination_addr, pdu.dest_addr_ton)
    if not source or not destination:
        raise InvalidMo("no source or destination address")
    body = bytes(pdu.short_message or getattr(pdu, "message_payload", None) or b"")
    udh: dict[int, bytes] = {}
    payload = body
    if (pdu.esm_class or 0) & ESM_CLASS_UDHI:
        udh, payload = _split_udh(body)
    message = _decode(pdu.data_coding or 0, payload, udh)
    ref, total, seq = _concatenation(pdu, udh)
    if total > 1:
        group = f"{source}|{destination}|{ref}|{total}"
    else:
        # No id names a message of one part: its bytes do, for the SMSC's retries.
        digest = hashlib.sha256(bytes((pdu.data_coding or 0,)) + body).hexdigest()[:24]
        group, seq, total = f"{source}|{destination}|{digest}", 1, 1
    return InboundSms(
        gateway,
        source,
        destination,
        message,
        part=SmsPart(group, seq, total),
        sender_numbering=NUMBERING.get(pdu.source_addr_ton or 0),
    )


def _address(value: Any, ton: int | None) -> str:
    """An address as the relay reads numbers: an international one (TON 1) with its "+"."""
    address = text(value or b"")
    if ton == 1 and address.isdigit():
        return "+" + address
    return address


def _split_udh(body: bytes) -> tuple[dict[int, bytes], bytes]:
    """The information elements of the user data header, and the text after it."""
    if not body or body[0] + 1 > len(body):
        raise InvalidMo("the user data header is longer than the message")
    end = body[0] + 1
    elements: dict[int, bytes] = {}
    at = 1
    while at < end:
        if at + 2 > end or at + 2 + body[at + 1] > end:
            raise InvalidMo("a user data header element runs past the header")
        iei, size = body[at], body[at + 1]
        elements[iei] = body[at + 2 : at + 2 + size]
        at += 2 + size
    return elements, body[end:]


def _concatenation(pdu: Any, udh: dict[int, bytes]) -> tuple[int, int, int]:
    """Reference, total and sequence number; (0, 1, 1) for a message of one part."""
    if len(found := udh.get(IEI_CONCATENATION, b"")) == 3:
        ref, total, seq = found
    elif len(found := udh.get(IEI_CONCATENATION_16, b"")) == 4:
        ref, total, seq = int.from_bytes(found[:2], "big"), found[2], found[3]
    elif getattr(pdu, "sar_total_segments", None):
        ref, total = pdu.sar_msg_ref_num or 0, pdu.sar_total_segments
        seq = pdu.sar_segment_seqnum or 0
    else:
        return 0, 1, 1
    if not 1 <= seq <= total:
        raise InvalidMo(f"part {seq} of {total}")
    return ref, total, seq


def _decode(data_coding: int, payload: bytes, udh: dict[int, bytes]) -> str:
    scheme = _scheme(data_coding)
    try:
        if scheme == "ucs2":
            if len(payload) % 2:
                raise InvalidMo("UCS-2 text with an odd number of octets")
            return payload.decode("utf-16-be")
        if scheme == "latin1":
            return payload.decode("latin-1")
        if scheme == "ascii":
            return payload.decode("ascii")
        return _gsm(payload, udh)
    except UnicodeDecodeError as error:
        raise InvalidMo(f"not valid {scheme.upper()}: {error.reason}") from None


def _scheme(data_coding: int) -> str:
    """How a data_coding (SMPP 3.4 §5.2.19, GSM 03.38 §4) carries text."""
    if data_coding in (0x00, 0x01, 0x03, 0x08):
        return {0x00: "gsm", 0x01: "ascii", 0x03: "latin1", 0x08: "ucs2"}[data_coding]
    if data_coding & 0xC0 == 0x00 and data_coding & 0x20 == 0:  # general data coding
        alphabet = (data_coding >> 2) & 0x03
        if alphabet in (0, 2):
            return "gsm" if alphabet == 0 else "ucs2"
    if data_coding & 0xF0 == 0xF0 and not data_coding & 0x04:
        return "gsm"
    raise InvalidMo(f"data_coding 0x{data_coding:02X} carries no text")


def _gsm(septets: bytes, udh: dict[int, bytes]) -> str:
    """GSM 7-bit, one septet per octet. Some SMSCs pass UTF-8 with data_coding 0: a text with
    octets above 0x7F is read as UTF-8 or refused."""
    if any(octet > 0x7F for octet in septets):
        return septets.decode("utf-8")
    locking = _LANGUAGES.get((udh.get(IEI_LOCKING_SHIFT) or b"\0")[0])
    single = _LANGUAGES.get((udh.get(IEI_SINGLE_SHIFT) or b"\0")[0])
    try:
        return get_alphabet(locking, single).decode(septets)
    except (KeyError, ValueError) as error:
        raise InvalidMo(f"not GSM 7-bit: {error}") from None
