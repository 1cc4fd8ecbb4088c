"""The From address: numbers, short codes and alphanumeric sender IDs."""

from __future__ import annotations

import json

import pytest

from smscompose.messages import CATALOG, LANGUAGES
from smscompose.sender import (
    ALPHANUMERIC_MAX_LENGTH,
    InvalidSenderAddress,
    SenderAddress,
)


def refusal(raw: str) -> InvalidSenderAddress:
    with pytest.raises(InvalidSenderAddress) as caught:
        SenderAddress.parse(raw)
    return caught.value


@pytest.mark.parametrize("raw", ["+4915123456789", "+49 151 23456789", "+49 (151) 234-56789"])
def test_a_number_with_plus_is_a_number_sender_in_e164(raw: str) -> None:
    sender = SenderAddress.parse(raw)

    assert sender.kind == "number"
    assert sender.value == "+4915123456789"


def test_a_number_sender_may_be_a_landline_or_any_other_type() -> None:
    assert SenderAddress.parse("+49 30 123456").value == "+4930123456"
    assert SenderAddress.parse("+1 800 555 0123").value == "+18005550123"


@pytest.mark.parametrize("raw", ["+49 32 12345678", "+999 1234", "+", "+49 1"])
def test_a_plus_number_that_is_not_valid_is_refused(raw: str) -> None:
    assert refusal(raw).problem.code == "sender.invalid"


@pytest.mark.parametrize("raw", ["123", "80888", "12345678"])
def test_three_to_eight_digits_are_a_short_code(raw: str) -> None:
    sender = SenderAddress.parse(raw)

    assert sender.kind == "short_code"
    assert sender.value == raw


def test_a_short_code_may_be_written_with_spaces() -> None:
    assert SenderAddress.parse(" 80 888 ").value == "80888"


@pytest.mark.parametrize("raw", ["1", "12"])
def test_fewer_than_three_digits_are_refused(raw: str) -> None:
    assert refusal(raw).problem.code == "sender.invalid"


@pytest.mark.parametrize("raw", ["123456789", "4915123456789", "0151 23456789"])
def test_a_long_number_without_plus_asks_for_the_country_code(raw: str) -> None:
    assert refusal(raw).problem.code == "sender.number_needs_country_code"


@pytest.mark.parametrize("raw", ["ACME", "ACME Bank", "Praxis-Dr.M", "Müller&Söhn", "A", "2Fast4U"])
def test_a_name_from_the_gsm_alphabet_is_an_alphanumeric_sender(raw: str) -> None:
    sender = SenderAddress.parse(raw)

    assert sender.kind == "alphanumeric"
    assert sender.value == raw


def test_an_alphanumeric_sender_is_trimmed() -> None:
    assert SenderAddress.parse("  ACME  ").value == "ACME"


def test_an_alphanumeric_sender_may_have_eleven_characters_but_not_twelve() -> None:
    assert SenderAddress.parse("A" * ALPHANUMERIC_MAX_LENGTH).value == "AAAAAAAAAAA"

    problem = refusal("ACME Bank 123").problem

    assert problem.code == "sender.alphanumeric_too_long"
    assert problem.params == {"length": 13, "max": 11}
    assert problem.message("en") == "A sender name may have at most 11 characters, this one has 13."


@pytest.mark.parametrize(
    ("raw", "chars"),
    [
        ("{ACME}", "{ }"),
        ("ACME€", "€"),
        ("A[1]", "[ ]"),
        ("Łódź", "Ł ó ź"),
        ("ACME 🙂", "🙂"),
        ("AC\nME", "U+000A"),
    ],
)
def test_characters_outside_the_gsm_basic_table_are_named(raw: str, chars: str) -> None:
    problem = refusal(raw).problem

    assert problem.code == "sender.alphanumeric_not_gsm"
    assert problem.params == {"chars": chars}


@pytest.mark.parametrize("raw", ["!!!", "#1", "12-34 #", "+49 151 *"])
def test_an_alphanumeric_sender_needs_a_letter(raw: str) -> None:
    assert refusal(raw).problem.code == "sender.alphanumeric_needs_letter"


@pytest.mark.parametrize("raw", ["", "   "])
def test_an_empty_sender_asks_for_an_address(raw: str) -> None:
    assert refusal(raw).problem.code == "sender.empty"


def test_a_refusal_concerns_the_from_field_and_reads_as_a_message() -> None:
    error = refusal("{ACME}")

    assert error.problem.field == "from"
    assert isinstance(error, ValueError)
    assert "sender.alphanumeric_not_gsm" in str(error)


def test_the_label_is_kept_trimmed_and_an_empty_label_is_none() -> None:
    assert SenderAddress.parse("ACME", " Kundenservice ").label == "Kundenservice"
    assert SenderAddress.parse("ACME", "  ").label is None
    assert SenderAddress.parse("ACME").label is None


def test_a_sender_crosses_the_worker_boundary_as_plain_json() -> None:
    data = SenderAddress.parse("+49 151 23456789", "Service").to_dict()

    assert data == {"kind": "number", "value": "+4915123456789", "label": "Service"}
    assert json.loads(json.dumps(data)) == data


def test_every_problem_a_sender_can_have_has_a_german_and_an_english_message() -> None:
    examples = ["", "12", "123456789", "ACME Bank 123", "{ACME}", "!!!", "+49 32 12345678"]
    problems = [refusal(raw).problem for raw in examples]

    assert {p.code for p in problems} == {
        "sender.empty",
        "sender.invalid",
        "sender.number_needs_country_code",
        "sender.alphanumeric_too_long",
        "sender.alphanumeric_not_gsm",
        "sender.alphanumeric_needs_letter",
    }
    for problem in problems:
        for lang in LANGUAGES:
            assert CATALOG[problem.code][lang]
            assert "{" not in problem.message(lang).replace("{ }", "")
