"""The user data header both Kannel and SMPP parts carry, byte for byte (3GPP TS 23.040
§9.2.3.24: UDHL, then each element as IEI, length, data)."""

from __future__ import annotations

from smsrelay.gateways.udh import user_data_header


def test_a_single_part_without_national_tables_has_no_header() -> None:
    assert user_data_header(7, 1, 1) == b""


def test_a_part_of_a_concatenated_message_names_reference_total_and_sequence() -> None:
    # UDHL 5; IEI 00 (8-bit reference), length 3: reference 0x2A, 3 parts, this is the 2nd.
    assert user_data_header(0x2A, 3, 2) == bytes.fromhex("05 00 03 2A 03 02")
    assert user_data_header(255, 255, 255) == bytes.fromhex("05 00 03 FF FF FF")


def test_national_tables_follow_the_concatenation_single_shift_first() -> None:
    # Turkish is national language 1, Spanish 2, Portuguese 3 (3GPP TS 23.038).
    header = user_data_header(0x10, 2, 1, locking="tr", single="es")
    assert header == bytes.fromhex("0B 00 03 10 02 01 24 01 02 25 01 01")


def test_a_single_part_with_national_tables_carries_only_their_elements() -> None:
    assert user_data_header(0, 1, 1, locking="tr", single="tr") == bytes.fromhex(
        "06 24 01 01 25 01 01"
    )
    assert user_data_header(0, 1, 1, single="pt") == bytes.fromhex("03 24 01 03")
    assert user_data_header(0, 1, 1, locking="es") == bytes.fromhex("03 25 01 02")
