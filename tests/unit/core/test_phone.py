"""The To number: typed, pasted and dialled forms, refusals, and the dial pad helpers."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from smscompose.messages import CATALOG, LANGUAGES
from smscompose.phone import (
    DEFAULT_ALLOWED_TYPES,
    DIALPAD_KEYS,
    NUMBER_TYPES,
    check_number,
    dialpad_append,
    dialpad_backspace,
)

GERMAN_MOBILE = "+4915123456789"


@pytest.mark.parametrize(
    "typed",
    [
        "015123456789",
        "0151 2345 6789",
        "0151 23456789",
        "0151-2345-6789",
        "0151/23456789",
        "0151.2345.6789",
        "(0151) 23 45 67 89",
        "+49 (151) 234-56789",
        "+49 151 23456789",
        "+4915123456789",
        "0049 151 23456789",
        "004915123456789",
        "  0151 2345 6789  ",
        "0151\u00a02345\u00a06789",  # non-breaking spaces from a pasted signature
        "0151\u20092345\u20096789",  # thin spaces
        "0151\u202f2345\u202f6789",  # narrow non-breaking spaces
        "+49\u200e151 23456789",  # invisible direction mark from a copied web page
        "0151 \u2013 2345 6789",  # en dash from a word processor
        "\uff10\uff11\uff15\uff11\uff12\uff13\uff14\uff15\uff16\uff17\uff18\uff19",  # full-width
    ],
)
def test_a_german_mobile_number_typed_in_any_common_form_becomes_the_same_e164(typed: str) -> None:
    check = check_number(typed)

    assert check.valid
    assert check.problem is None
    assert check.e164 == GERMAN_MOBILE
    assert check.region == "DE"
    assert check.number_type == "mobile"
    assert check.raw == typed


def test_digits_from_the_dial_pad_give_the_same_number_as_typing() -> None:
    number = ""
    for key in "+4915123456789":
        number = dialpad_append(number, key)

    assert check_number(number).e164 == GERMAN_MOBILE


def test_a_valid_number_is_shown_in_international_format() -> None:
    assert check_number("0151 2345 6789").display == "+49 1512 3456789"


def test_a_leading_00_is_read_as_plus_even_where_the_international_prefix_is_different() -> None:
    check = check_number("0049 151 23456789", default_region="US")

    assert check.e164 == GERMAN_MOBILE


def test_a_national_number_is_read_in_the_default_region() -> None:
    check = check_number("0664 1234567", default_region="AT")

    assert check.valid
    assert check.e164 == "+436641234567"
    assert check.region == "AT"


def test_a_german_fixed_line_is_refused_with_its_type() -> None:
    check = check_number("030 123456")

    assert not check.valid
    assert check.problem is not None
    assert check.problem.code == "phone.type_not_allowed"
    assert check.problem.field == "to"
    assert check.problem.params == {"type": "fixed_line"}
    assert check.number_type == "fixed_line"
    assert check.e164 == "+4930123456"


def test_the_refusal_of_a_fixed_line_explains_itself_in_german_and_english() -> None:
    problem = check_number("030 123456").problem
    assert problem is not None

    assert problem.message("de") == "An diese Nummer kann keine SMS gesendet werden (Festnetz)."
    assert problem.message("en") == "This number cannot receive SMS (landline)."


@pytest.mark.parametrize(
    ("typed", "number_type"),
    [
        ("0900 1234567", "premium_rate"),
        ("0800 1234567", "toll_free"),
        ("0180 5 123456", "shared_cost"),
    ],
)
def test_service_numbers_are_refused_with_their_type(typed: str, number_type: str) -> None:
    check = check_number(typed)

    assert not check.valid
    assert check.problem is not None
    assert check.problem.code == "phone.type_not_allowed"
    assert check.problem.params == {"type": number_type}


def test_a_us_number_is_accepted_although_it_may_be_a_fixed_line() -> None:
    check = check_number("+1 201 555 0123")

    assert check.valid
    assert check.e164 == "+12015550123"
    assert check.region == "US"
    assert check.number_type == "fixed_line_or_mobile"


def test_a_us_number_is_read_nationally_when_the_default_region_is_the_us() -> None:
    assert check_number("(201) 555-0123", default_region="US").e164 == "+12015550123"


def test_allowed_types_are_configurable() -> None:
    landline_ok = frozenset({"mobile", "fixed_line"})

    assert check_number("030 123456", allowed_types=landline_ok).valid
    assert not check_number("0900 1234567", allowed_types=landline_ok).valid


def test_a_mobile_is_refused_when_only_landlines_are_allowed() -> None:
    check = check_number("0151 2345 6789", allowed_types=frozenset({"fixed_line"}))

    assert check.problem is not None
    assert check.problem.params == {"type": "mobile"}


def test_an_unknown_type_in_the_settings_is_an_error_not_a_silent_refusal() -> None:
    with pytest.raises(ValueError, match="cellphone"):
        check_number("0151 2345 6789", allowed_types=frozenset({"cellphone"}))


def test_the_default_allowed_types_are_mobiles_and_numbers_that_may_be_mobiles() -> None:
    assert frozenset({"mobile", "fixed_line_or_mobile"}) == DEFAULT_ALLOWED_TYPES
    assert NUMBER_TYPES.keys() >= DEFAULT_ALLOWED_TYPES


def test_a_number_from_a_country_that_is_not_allowed_is_refused_with_the_country() -> None:
    check = check_number("+43 664 1234567", allowed_countries=frozenset({"DE", "CH"}))

    assert not check.valid
    assert check.problem is not None
    assert check.problem.code == "phone.country_not_allowed"
    assert check.problem.params == {"country": "AT"}
    assert check.region == "AT"


def test_a_number_from_an_allowed_country_is_accepted() -> None:
    allowed = frozenset({"DE", "AT"})

    assert check_number("+43 664 1234567", allowed_countries=allowed).valid
    assert check_number("0151 2345 6789", allowed_countries=allowed).valid


def test_allowed_countries_may_be_written_in_lower_case() -> None:
    assert check_number("0151 2345 6789", allowed_countries=frozenset({"de"})).valid


@pytest.mark.parametrize("typed", ["", " ", "\u00a0\t "])
def test_an_empty_number_asks_for_a_number(typed: str) -> None:
    check = check_number(typed)

    assert check.problem is not None
    assert check.problem.code == "phone.empty"
    assert check.e164 is None


@pytest.mark.parametrize(
    ("typed", "chars"),
    [
        ("*#06#", "* #"),
        ("0151 2345 678#", "#"),
        ("*31#0151 23456789", "* #"),
        ("0151 CALL ME", "C A L M E"),
        ("0151 2345 6789 ext 12", "e x t"),
        ("0151+23456789", "+"),
        ("++49 151 23456789", "+"),
        ("0151\x0023456789", "U+0000"),
    ],
)
def test_characters_that_are_not_part_of_a_number_are_named(typed: str, chars: str) -> None:
    check = check_number(typed)

    assert check.problem is not None
    assert check.problem.code == "phone.invalid_characters"
    assert check.problem.params == {"chars": chars}


@pytest.mark.parametrize("typed", ["0151 234", "+49 151 234", "+1 201 555"])
def test_a_number_that_is_too_short_says_so(typed: str) -> None:
    check = check_number(typed)

    assert check.problem is not None
    assert check.problem.code == "phone.too_short"


@pytest.mark.parametrize("typed", ["0151 2345 6789 0123", "+1 201 555 0123 4567", "1" * 300])
def test_a_number_that_is_too_long_says_so(typed: str) -> None:
    check = check_number(typed)

    assert check.problem is not None
    assert check.problem.code == "phone.too_long"


def test_an_unknown_country_code_says_so() -> None:
    check = check_number("+999 1234 5678")

    assert check.problem is not None
    assert check.problem.code == "phone.invalid_country_code"


@pytest.mark.parametrize("typed", ["+", "( ) - /", "+()"])
def test_punctuation_without_digits_is_not_a_number(typed: str) -> None:
    check = check_number(typed)

    assert check.problem is not None
    assert check.problem.code == "phone.not_a_number"


def test_a_number_of_the_right_length_in_an_unused_range_is_invalid() -> None:
    check = check_number("+49 32 12345678")

    assert check.problem is not None
    assert check.problem.code == "phone.invalid"
    assert check.e164 is None
    assert check.display is None


def test_a_check_crosses_the_worker_boundary_as_plain_json_with_its_message() -> None:
    refused = check_number("030 123456").to_dict("de")
    accepted = check_number("0151 2345 6789").to_dict()

    assert json.loads(json.dumps(refused)) == refused
    assert refused["valid"] is False
    assert refused["problem"]["code"] == "phone.type_not_allowed"
    assert refused["problem"]["field"] == "to"
    assert refused["problem"]["message"].startswith("An diese Nummer kann keine SMS")
    assert accepted == {
        "raw": "0151 2345 6789",
        "valid": True,
        "e164": GERMAN_MOBILE,
        "region": "DE",
        "number_type": "mobile",
        "display": "+49 1512 3456789",
        "problem": None,
    }


def test_every_problem_the_number_check_reports_has_a_german_and_an_english_message() -> None:
    examples = [
        "",
        "*#",
        "+",
        "+999 1234 5678",
        "0151 234",
        "0151 2345 6789 0123",
        "+49 32 12345678",
        "030 123456",
    ]
    problems = [check_number(typed).problem for typed in examples]
    problems.append(check_number("+43 664 1234567", allowed_countries=frozenset({"DE"})).problem)
    codes = {p.code for p in problems if p is not None}

    assert codes == {
        "phone.empty",
        "phone.invalid_characters",
        "phone.not_a_number",
        "phone.invalid_country_code",
        "phone.too_short",
        "phone.too_long",
        "phone.invalid",
        "phone.type_not_allowed",
        "phone.country_not_allowed",
    }
    for problem in problems:
        assert problem is not None
        for lang in LANGUAGES:
            assert CATALOG[problem.code][lang]
            assert "{" not in problem.message(lang)


@given(st.text())
def test_checking_any_text_never_raises_and_always_gives_a_number_or_a_problem(raw: str) -> None:
    check = check_number(raw)

    assert (check.problem is None) == check.valid
    assert check.valid == (check.e164 is not None and check.problem is None)


# Dial pad


def test_dial_pad_keys_are_appended_to_what_the_agent_typed() -> None:
    assert dialpad_append("0151 2345", "6") == "0151 23456"
    assert dialpad_append("0151", "*") == "0151*"
    assert dialpad_append("", "#") == "#"


def test_plus_from_the_dial_pad_starts_a_number() -> None:
    assert dialpad_append("", "+") == "+"
    assert dialpad_append("  ", "+") == "  +"


def test_plus_from_the_dial_pad_in_the_middle_of_a_number_is_ignored() -> None:
    assert dialpad_append("0151", "+") == "0151"
    assert dialpad_append("+", "+") == "+"


def test_a_key_that_is_not_on_the_dial_pad_is_a_programming_error() -> None:
    for key in ("a", "12", "", " "):
        with pytest.raises(ValueError):
            dialpad_append("0151", key)


def test_backspace_removes_the_last_character_and_keeps_the_rest_as_typed() -> None:
    assert dialpad_backspace("0151 23") == "0151 2"
    assert dialpad_backspace("+") == ""
    assert dialpad_backspace("") == ""


def test_backspace_after_a_space_removes_a_visible_character() -> None:
    assert dialpad_backspace("0151 2") == "0151"
    assert dialpad_backspace("0151 ") == "015"


@given(st.lists(st.sampled_from(sorted(DIALPAD_KEYS | {"\b"}))))
def test_a_dial_pad_number_has_a_plus_at_most_at_the_start(keys: list[str]) -> None:
    number = ""
    for key in keys:
        number = dialpad_backspace(number) if key == "\b" else dialpad_append(number, key)

    assert "+" not in number[1:]
    assert set(number) <= DIALPAD_KEYS
    check_number(number)
