"""The 7-bit alphabets: the national language shift tables of 3GPP TS 23.038 Annex A and the
alphabets built from them.

Pure (no file I/O, subprocess or network): this file also runs inside Pyodide.
"""

from __future__ import annotations

import itertools
from collections import Counter

import pytest
from hypothesis import given
from hypothesis import strategies as st

from smscompose._national_tables import LOCKING_SHIFT_TABLES, SINGLE_SHIFT_TABLES
from smscompose.alphabets import (
    DEFAULT_BASIC_TABLE,
    DEFAULT_EXTENSION_TABLE,
    ESCAPE,
    LANGUAGE_IDS,
    UNUSED,
    get_alphabet,
    locking_languages,
    single_languages,
)

LOCKING = sorted(LOCKING_SHIFT_TABLES)
SINGLE = sorted(SINGLE_SHIFT_TABLES)
BASIC_TABLES = {"default": DEFAULT_BASIC_TABLE, **LOCKING_SHIFT_TABLES}
EXTENSION_TABLES = {"default": DEFAULT_EXTENSION_TABLE, **SINGLE_SHIFT_TABLES}
COMBINATIONS = list(itertools.product([None, *LOCKING], [None, *SINGLE]))
INDIC_AND_URDU = ["bn", "gu", "hi", "kn", "ml", "or", "pa", "ta", "te", "ur"]


def _label(combination: tuple[str | None, str | None]) -> str:
    locking, single = combination
    return f"{locking or 'default'}+{single or 'default'}"


# --- the tables themselves -------------------------------------------------------------------


def test_every_language_but_spanish_has_a_locking_shift_table() -> None:
    assert set(LOCKING_SHIFT_TABLES) == set(LANGUAGE_IDS) - {"es"}


def test_every_language_has_a_single_shift_table() -> None:
    assert set(SINGLE_SHIFT_TABLES) == set(LANGUAGE_IDS)


@pytest.mark.parametrize("name", sorted(BASIC_TABLES))
def test_every_basic_table_has_128_positions(name: str) -> None:
    assert len(BASIC_TABLES[name]) == 128


@pytest.mark.parametrize("name", sorted(EXTENSION_TABLES))
def test_every_extension_table_has_128_positions(name: str) -> None:
    assert len(EXTENSION_TABLES[name]) == 128


@pytest.mark.parametrize("lang", LOCKING)
def test_a_locking_shift_table_has_the_escape_at_0x1b(lang: str) -> None:
    assert LOCKING_SHIFT_TABLES[lang][ESCAPE] == "\x1b"


@pytest.mark.parametrize("lang", SINGLE)
def test_a_single_shift_table_leaves_0x1b_unused(lang: str) -> None:
    assert SINGLE_SHIFT_TABLES[lang][ESCAPE] == UNUSED


@pytest.mark.parametrize("lang", LOCKING)
def test_a_locking_shift_table_keeps_line_feed_carriage_return_and_space(lang: str) -> None:
    table = LOCKING_SHIFT_TABLES[lang]
    assert (table[0x0A], table[0x0D], table[0x20]) == ("\n", "\r", " ")


@pytest.mark.parametrize("lang", LOCKING)
def test_a_locking_shift_table_has_a_space_only_at_0x20(lang: str) -> None:
    table = LOCKING_SHIFT_TABLES[lang]
    assert [septet for septet, char in enumerate(table) if char == " "] == [0x20]


@pytest.mark.parametrize("lang", SINGLE)
def test_a_single_shift_table_has_no_space_and_no_cr2(lang: str) -> None:
    table = SINGLE_SHIFT_TABLES[lang]
    assert " " not in table
    assert table[0x0D] == UNUSED


@pytest.mark.parametrize("name", sorted(BASIC_TABLES))
def test_no_character_appears_twice_in_a_basic_table(name: str) -> None:
    counts = Counter(char for char in BASIC_TABLES[name] if char != UNUSED)
    assert [char for char, count in counts.items() if count > 1] == []


@pytest.mark.parametrize("lang", SINGLE)
def test_a_single_shift_table_repeats_only_what_the_spec_repeats(lang: str) -> None:
    counts = Counter(char for char in SINGLE_SHIFT_TABLES[lang] if char != UNUSED)
    repeated = {char: count for char, count in counts.items() if count > 1}
    # A.2.4-A.2.13 list "¡" at 0x13 and 0x15 and "*" at 0x0B and 0x18.
    assert repeated == ({"¡": 2, "*": 2} if lang in INDIC_AND_URDU else {})


@pytest.mark.parametrize("lang", SINGLE)
def test_a_single_shift_table_keeps_the_default_extension_characters_in_place(lang: str) -> None:
    table = SINGLE_SHIFT_TABLES[lang]
    for septet, char in enumerate(DEFAULT_EXTENSION_TABLE):
        if char != UNUSED:
            assert table[septet] == char, f"0x{septet:02X}"


@pytest.mark.parametrize("lang", INDIC_AND_URDU)
def test_an_indic_or_urdu_single_shift_table_carries_the_latin_capitals(lang: str) -> None:
    assert SINGLE_SHIFT_TABLES[lang][0x41:0x5B] == "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


@pytest.mark.parametrize("lang", INDIC_AND_URDU)
def test_an_indic_or_urdu_locking_shift_table_carries_the_latin_small_letters(lang: str) -> None:
    assert LOCKING_SHIFT_TABLES[lang][0x61:0x7B] == "abcdefghijklmnopqrstuvwxyz"


# --- spot checks against the specification ---------------------------------------------------

SPEC_POSITIONS = [
    # A.2.1 Turkish single shift
    ("single", "tr", 0x47, "Ğ"),
    ("single", "tr", 0x49, "İ"),
    ("single", "tr", 0x53, "Ş"),
    ("single", "tr", 0x63, "ç"),
    ("single", "tr", 0x65, "€"),
    ("single", "tr", 0x67, "ğ"),
    ("single", "tr", 0x69, "ı"),
    ("single", "tr", 0x73, "ş"),
    # A.3.1 Turkish locking shift
    ("locking", "tr", 0x04, "€"),
    ("locking", "tr", 0x07, "ı"),
    ("locking", "tr", 0x0B, "Ğ"),
    ("locking", "tr", 0x0C, "ğ"),
    ("locking", "tr", 0x1C, "Ş"),
    ("locking", "tr", 0x1D, "ş"),
    ("locking", "tr", 0x40, "İ"),
    ("locking", "tr", 0x60, "ç"),
    # A.2.2 Spanish single shift
    ("single", "es", 0x09, "ç"),
    ("single", "es", 0x41, "Á"),
    ("single", "es", 0x49, "Í"),
    ("single", "es", 0x4F, "Ó"),
    ("single", "es", 0x55, "Ú"),
    ("single", "es", 0x61, "á"),
    ("single", "es", 0x65, "€"),
    ("single", "es", 0x69, "í"),
    ("single", "es", 0x6F, "ó"),
    ("single", "es", 0x75, "ú"),
    # A.3.3 Portuguese locking shift
    ("locking", "pt", 0x04, "ê"),
    ("locking", "pt", 0x06, "ú"),
    ("locking", "pt", 0x09, "ç"),
    ("locking", "pt", 0x0B, "Ô"),
    ("locking", "pt", 0x12, "ª"),
    ("locking", "pt", 0x15, "∞"),
    ("locking", "pt", 0x17, "\\"),
    ("locking", "pt", 0x18, "€"),
    ("locking", "pt", 0x1A, "|"),
    ("locking", "pt", 0x24, "º"),
    ("locking", "pt", 0x40, "Í"),
    ("locking", "pt", 0x5B, "Ã"),
    ("locking", "pt", 0x60, "~"),
    ("locking", "pt", 0x7B, "ã"),
    ("locking", "pt", 0x7D, "`"),
    # A.2.3 Portuguese single shift
    ("single", "pt", 0x05, "ê"),
    ("single", "pt", 0x0B, "Ô"),
    ("single", "pt", 0x12, "Φ"),
    ("single", "pt", 0x19, "Θ"),
    ("single", "pt", 0x1F, "Ê"),
    ("single", "pt", 0x41, "À"),
    ("single", "pt", 0x5C, "Õ"),
    ("single", "pt", 0x7F, "â"),
    # A.3.6 Hindi locking shift
    ("locking", "hi", 0x00, "\N{DEVANAGARI SIGN CANDRABINDU}"),
    ("locking", "hi", 0x03, "\N{DEVANAGARI LETTER A}"),
    ("locking", "hi", 0x15, "\N{DEVANAGARI LETTER KA}"),
    ("locking", "hi", 0x2F, "\N{DEVANAGARI LETTER NA}"),
    ("locking", "hi", 0x4D, "\N{DEVANAGARI LETTER HA}"),
    ("locking", "hi", 0x5F, "\N{DEVANAGARI SIGN VIRAMA}"),
    ("locking", "hi", 0x60, "\N{DEVANAGARI OM}"),
    # A.2.6 Hindi single shift
    ("single", "hi", 0x19, "\N{DEVANAGARI DANDA}"),
    ("single", "hi", 0x1C, "\N{DEVANAGARI DIGIT ZERO}"),
    ("single", "hi", 0x2C, "\N{DEVANAGARI LETTER QA}"),
    # A.3.4 Bengali, A.3.11 Tamil, A.3.13 Urdu locking shift
    ("locking", "bn", 0x03, "\N{BENGALI LETTER A}"),
    ("locking", "ta", 0x15, "\N{TAMIL LETTER KA}"),
    ("locking", "ur", 0x00, "\N{ARABIC LETTER ALEF}"),
    ("locking", "ur", 0x7F, "\N{ARABIC LETTER SUPERSCRIPT ALEF}"),
    # Misprints of TS 23.038 V9.1.1, corrected as in AOSP: the printed code points duplicate a
    # neighbour (Kannada, Tamil) or belong to the Arabic block (Telugu).
    ("locking", "kn", 0x24, "\N{KANNADA LETTER DDA}"),
    ("single", "ta", 0x24, "\N{TAMIL DIGIT EIGHT}"),
    ("single", "te", 0x22, "\N{TELUGU DIGIT SIX}"),
    ("single", "te", 0x23, "\N{TELUGU DIGIT SEVEN}"),
]


@pytest.mark.parametrize(
    ("kind", "lang", "septet", "char"),
    SPEC_POSITIONS,
    ids=[f"{kind}-{lang}-0x{septet:02X}" for kind, lang, septet, _ in SPEC_POSITIONS],
)
def test_a_table_has_the_specified_character_at_its_position(
    kind: str, lang: str, septet: int, char: str
) -> None:
    table = (LOCKING_SHIFT_TABLES if kind == "locking" else SINGLE_SHIFT_TABLES)[lang]
    assert table[septet] == char


def test_the_spanish_single_shift_table_defines_exactly_the_spec_positions() -> None:
    defined = {s for s, char in enumerate(SINGLE_SHIFT_TABLES["es"]) if char != UNUSED}
    default = {s for s, char in enumerate(DEFAULT_EXTENSION_TABLE) if char != UNUSED}
    assert defined - default == {0x09, 0x41, 0x49, 0x4F, 0x55, 0x61, 0x69, 0x6F, 0x75}


def test_the_hindi_locking_table_is_devanagari_apart_from_the_shared_ascii() -> None:
    table = LOCKING_SHIFT_TABLES["hi"]
    non_ascii = [char for char in table if char not in (UNUSED, "\x1b") and not char.isascii()]
    assert len(non_ascii) == 128 - 1 - 2 - 26 - 10 - 9  # escape, LF CR, a-z, 0-9, ' !(),.:;?'
    assert all("\u0900" <= char <= "\u097f" for char in non_ascii)


def test_an_unused_position_does_not_decode() -> None:
    bengali = get_alphabet("bn", None)
    assert LOCKING_SHIFT_TABLES["bn"][0x0C] == UNUSED
    with pytest.raises(ValueError, match="0x0C"):
        bengali.decode(bytes([0x0C]))


# --- the alphabets built from the tables -----------------------------------------------------


def test_twelve_languages_have_a_locking_shift_table() -> None:
    assert locking_languages() == tuple(lang for lang in LANGUAGE_IDS if lang != "es")
    assert len(locking_languages()) == 12


def test_thirteen_languages_have_a_single_shift_table() -> None:
    assert single_languages() == tuple(LANGUAGE_IDS)
    assert len(single_languages()) == 13


def test_spanish_cannot_be_a_locking_shift() -> None:
    with pytest.raises(KeyError):
        get_alphabet("es", None)


def test_spanish_works_as_a_single_shift_on_the_default_table() -> None:
    alphabet = get_alphabet(None, "es")
    assert alphabet.encode("ñá") == bytes([0x7D, ESCAPE, 0x61])
    assert alphabet.septets("á") == 2


def test_the_turkish_locking_table_sends_turkish_letters_in_one_septet_each() -> None:
    alphabet = get_alphabet("tr", None)
    assert alphabet.encode("Ğğİış") == bytes([0x0B, 0x0C, 0x40, 0x07, 0x1D])
    # The euro sign moved into the locking table (0x04), so it no longer needs the escape.
    assert alphabet.escaped_chars == frozenset(DEFAULT_EXTENSION_TABLE) - {UNUSED, "€"}


def test_the_turkish_single_shift_sends_turkish_letters_escaped_on_the_default_table() -> None:
    alphabet = get_alphabet(None, "tr")
    assert alphabet.encode("Ğş") == bytes([ESCAPE, 0x47, ESCAPE, 0x73])


def test_a_hindi_alphabet_carries_devanagari_and_latin_capitals() -> None:
    alphabet = get_alphabet("hi", "hi")
    text = "\N{DEVANAGARI LETTER NA}\N{DEVANAGARI VOWEL SIGN AA}A"
    assert alphabet.encode(text) == bytes([0x2F, 0x50, ESCAPE, 0x41])
    assert alphabet.decode(alphabet.encode(text)) == text


@pytest.mark.parametrize("combination", COMBINATIONS, ids=_label)
def test_every_character_of_every_alphabet_survives_an_encode_decode_round_trip(
    combination: tuple[str | None, str | None],
) -> None:
    alphabet = get_alphabet(*combination)
    text = "".join(sorted(alphabet.chars))
    septets = alphabet.encode(text)
    assert alphabet.decode(septets) == text
    assert len(septets) == len(text) + len(alphabet.escaped_chars)
    assert all(septet < 0x80 for septet in septets)


@pytest.mark.parametrize("combination", COMBINATIONS, ids=_label)
def test_an_alphabet_carries_every_defined_character_of_its_two_tables(
    combination: tuple[str | None, str | None],
) -> None:
    alphabet = get_alphabet(*combination)
    tables = alphabet.basic_table + alphabet.extension_table
    defined = {char for char in tables if char not in (UNUSED, "\x1b")}
    assert alphabet.chars == defined


@st.composite
def _alphabet_and_text(draw: st.DrawFn) -> tuple[tuple[str | None, str | None], str]:
    combination = draw(st.sampled_from(COMBINATIONS))
    chars = sorted(get_alphabet(*combination).chars)
    return combination, draw(st.text(alphabet=st.sampled_from(chars), max_size=200))


@given(_alphabet_and_text())
def test_random_text_drawn_from_an_alphabet_round_trips(
    case: tuple[tuple[str | None, str | None], str],
) -> None:
    combination, text = case
    alphabet = get_alphabet(*combination)
    septets = alphabet.encode(text)
    assert alphabet.decode(septets) == text
    assert len(septets) == sum(alphabet.septets(char) or 0 for char in text)


@given(st.sampled_from(COMBINATIONS), st.data())
def test_decoding_any_valid_septets_and_encoding_again_is_stable(
    combination: tuple[str | None, str | None], data: st.DataObject
) -> None:
    alphabet = get_alphabet(*combination)
    basic = [s for s, c in enumerate(alphabet.basic_table) if c != UNUSED and s != ESCAPE]
    escaped = [s for s, c in enumerate(alphabet.extension_table) if c != UNUSED]
    units = data.draw(
        st.lists(
            st.one_of(
                st.sampled_from(basic).map(lambda s: [s]),
                st.sampled_from(escaped).map(lambda s: [ESCAPE, s]),
            ),
            max_size=50,
        )
    )
    text = alphabet.decode(bytes(itertools.chain.from_iterable(units)))
    assert alphabet.decode(alphabet.encode(text)) == text


def test_septets_ending_in_an_escape_are_refused_not_cut_short() -> None:
    with pytest.raises(ValueError):
        get_alphabet().decode(bytes([0x41, ESCAPE]))


def test_an_escape_to_an_unknown_extension_reads_as_a_space() -> None:
    assert get_alphabet().decode(bytes([0x41, ESCAPE, ESCAPE, 0x42])) == "A B"
