"""What the SMSC is sent for each part of an :class:`OutboundSms` (the submit_sm fields):

- ``data_coding`` 0 with the unpacked GSM septets (escapes included) of the message's alphabet
  (national language tables too), or 8 with UTF-16BE for UCS-2;
- a user data header (and ``esm_class`` UDHI 0x40) when there is more than one part or a
  national language table: the concatenation IE (0x00: reference, total, sequence) first, then
  the single shift IE (0x24) and the locking shift IE (0x25), each with the language identifier
  (3GPP TS 23.040 §9.2.3.24.1, .15 and .16; built by :mod:`smsrelay.gateways.udh`);
- ``registered_delivery`` 1: a receipt for the final outcome, success or failure.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from smscompose import get_alphabet

from ..base import GatewayError, OutboundSms
from ..udh import user_data_header

__all__ = ["relative_validity", "source_address", "submit_sm_fields", "text"]

ESM_CLASS_UDHI = 0x40
DATA_CODING_GSM = 0x00
DATA_CODING_UCS2 = 0x08
#: Octets short_message can hold (SMPP 3.4 §5.2.22).
SHORT_MESSAGE_MAX = 254


def submit_sm_fields(
    sms: OutboundSms, short_code_ton_npi: tuple[int, int]
) -> list[tuple[int, dict[str, Any]]]:
    """(part index, submit_sm fields) for every part from ``sms.first_part``. Raises a
    permanent :class:`GatewayError` for a message no SMSC could take as it is."""
    source_ton, source_npi, source = source_address(sms, short_code_ton_npi)
    total = len(sms.parts)
    if not 1 <= total <= 255:
        raise GatewayError(f"cannot send {total} parts", permanent=True)
    if not 0 <= sms.concat_ref <= 255:
        raise GatewayError(f"concat_ref {sms.concat_ref} is not 0-255", permanent=True)
    encode: Callable[[str], bytes]
    if sms.encoding == "GSM_7BIT":
        try:
            encode = get_alphabet(sms.locking, sms.single).encode
        except KeyError as error:
            raise GatewayError(f"no national language table {error}", permanent=True) from None
        data_coding = DATA_CODING_GSM
        locking, single = sms.locking, sms.single
    elif sms.encoding == "UCS2":
        encode = partial(str.encode, encoding="utf-16-be")
        data_coding = DATA_CODING_UCS2
        locking = single = None
    else:
        raise GatewayError(f"unknown encoding {sms.encoding!r}", permanent=True)

    validity = relative_validity(sms.validity_seconds)
    result = []
    for number in range(sms.first_part, total):
        udh = user_data_header(sms.concat_ref, total, number + 1, locking=locking, single=single)
        try:
            short_message = udh + encode(sms.parts[number])
        except ValueError as error:
            raise GatewayError(f"part {number + 1}: {error}", permanent=True) from None
        if len(short_message) > SHORT_MESSAGE_MAX:
            raise GatewayError(
                f"part {number + 1} is {len(short_message)} octets, more than SMPP's "
                f"{SHORT_MESSAGE_MAX}",
                permanent=True,
            )
        params = {
            "source_addr_ton": source_ton,
            "source_addr_npi": source_npi,
            "source_addr": source,
            "dest_addr_ton": 1,
            "dest_addr_npi": 1,
            "destination_addr": sms.to.removeprefix("+"),
            "esm_class": ESM_CLASS_UDHI if udh else 0,
            "registered_delivery": 1,
            "data_coding": data_coding,
            "short_message": short_message,
            "validity_period": validity,
        }
        result.append((number, params))
    return result


def source_address(sms: OutboundSms, short_code_ton_npi: tuple[int, int]) -> tuple[int, int, str]:
    """TON, NPI and source_addr: an E.164 number is international/ISDN without its '+', an
    alphanumeric sender ID is TON 5 / NPI 0, a short code ``short_code_ton_npi``."""
    sender = sms.sender
    if sms.sender_kind == "number":
        ton, npi, sender = 1, 1, sender.removeprefix("+")
    elif sms.sender_kind == "alphanumeric":
        ton, npi = 5, 0
    elif sms.sender_kind == "short_code":
        ton, npi = short_code_ton_npi
    else:
        raise GatewayError(f"unknown sender kind {sms.sender_kind!r}", permanent=True)
    # source_addr is an ASCII C-Octet String of at most 21 octets with its NUL.
    if not sender.isascii() or not 0 < len(sender) <= 20:
        raise GatewayError(
            f"sender {sms.sender!r} cannot be an SMPP source_addr (1-20 ASCII characters)",
            permanent=True,
        )
    return ton, npi, sender


def relative_validity(seconds: int | None) -> str | None:
    """An SMPP relative time (``YYMMDDhhmmss000R``, §7.1.1) for a validity period; days are
    capped at 99, far beyond any SMSC's own limit."""
    if seconds is None:
        return None
    days, rest = divmod(max(1, int(seconds)), 86400)
    if days > 99:
        days, rest = 99, 86399
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    return f"0000{days:02d}{hours:02d}{minutes:02d}{secs:02d}000R"


def text(value: object) -> str:
    """A C-Octet String field (its NUL dropped) or an error, as text for a log or a reason."""
    if isinstance(value, bytes):
        return value.decode("latin-1").rstrip("\0")
    if isinstance(value, BaseException):
        return str(value) or type(value).__name__
    return str(value)
