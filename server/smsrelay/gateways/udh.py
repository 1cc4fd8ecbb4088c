"""The user data header of one SMS part (3GPP TS 23.040 §9.2.3.24), for every gateway that is
handed the relay's own parts — Kannel in its ``udh`` parameter, SMPP at the start of
``short_message`` — so a part carries the same header bytes whichever gateway sends it."""

from __future__ import annotations

from smscompose.alphabets import LANGUAGE_IDS

__all__ = ["IEI_CONCATENATION", "IEI_LOCKING_SHIFT", "IEI_SINGLE_SHIFT", "user_data_header"]

#: Concatenated short message with an 8-bit reference (§9.2.3.24.1).
IEI_CONCATENATION = 0x00
#: National language single shift and locking shift tables (§9.2.3.24.15 and .16).
IEI_SINGLE_SHIFT = 0x24
IEI_LOCKING_SHIFT = 0x25


def user_data_header(
    ref: int, total: int, sequence: int, *, locking: str | None = None, single: str | None = None
) -> bytes:
    """The header of part ``sequence`` (counted from 1) of ``total``, its length octet first:
    the concatenation element when there are several parts, then the single and the locking
    shift element of the national language tables in use. Empty when the part needs none."""
    elements = b""
    if total > 1:
        elements += bytes((IEI_CONCATENATION, 3, ref, total, sequence))
    if single:
        elements += bytes((IEI_SINGLE_SHIFT, 1, LANGUAGE_IDS[single]))
    if locking:
        elements += bytes((IEI_LOCKING_SHIFT, 1, LANGUAGE_IDS[locking]))
    return bytes((len(elements),)) + elements if elements else b""
