"""Templates: placeholders filled from the CRM context, defaults, and what stays unfilled."""

from __future__ import annotations

import json
import unicodedata
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from smscompose.messages import CATALOG, LANGUAGES
from smscompose.template import (
    Expansion,
    Placeholder,
    Template,
    expand,
    missing_problems,
    unfilled_placeholders,
)

CONTEXT = {"customer": {"first_name": "Anna", "last_name": "Berg"}, "order": {"id": 4711}}


def test_a_placeholder_is_filled_from_the_nested_context() -> None:
    result = expand("Hallo {{customer.first_name}}!", CONTEXT)

    assert result.text == "Hallo Anna!"
    assert result.missing == ()
    assert result.filled == ("customer.first_name",)


def test_a_placeholder_is_filled_from_a_flat_dotted_key() -> None:
    result = expand("Hallo {{customer.first_name}}!", {"customer.first_name": "Anna"})

    assert result.text == "Hallo Anna!"


def test_nested_and_flat_keys_can_be_mixed() -> None:
    context = {"customer": {"address.city": "Köln"}}

    assert expand("{{customer.address.city}}", context).text == "Köln"


def test_spaces_inside_the_braces_are_allowed() -> None:
    result = expand("Hallo {{ customer.first_name | Kunde }}!", CONTEXT)

    assert result.text == "Hallo Anna!"


def test_the_default_is_used_when_there_is_no_value() -> None:
    result = expand("Hallo {{ customer.title | Kundin/Kunde }}!", CONTEXT)

    assert result.text == "Hallo Kundin/Kunde!"
    assert result.missing == ()
    assert result.filled == ("customer.title",)
    assert result.defaulted == ("customer.title",)


def test_an_empty_default_leaves_the_place_empty() -> None:
    assert expand("Hallo {{customer.title|}}Berg", {}).text == "Hallo Berg"


@pytest.mark.parametrize("value", ["", "   ", "\r\n", None, True, False, [], {}, ["Anna"]])
def test_an_empty_or_unusable_value_counts_as_no_value(value: object) -> None:
    context = {"customer": {"first_name": value}}

    assert expand("Hallo {{customer.first_name|Kunde}}", context).text == "Hallo Kunde"
    assert expand("Hallo {{customer.first_name}}", context).missing == ("customer.first_name",)


def test_a_missing_value_without_default_stays_in_the_text_verbatim_and_is_reported() -> None:
    text = "Hallo {{ customer.title }} {{customer.first_name}}, Termin {{ appointment.date }}."

    result = expand(text, CONTEXT)

    assert result.text == "Hallo {{ customer.title }} Anna, Termin {{ appointment.date }}."
    assert result.missing == ("customer.title", "appointment.date")
    assert not result.complete


def test_a_name_missing_twice_is_reported_once() -> None:
    result = expand("{{a}} {{b}} {{a}}", {})

    assert result.missing == ("a", "b")


def test_missing_placeholders_block_sending_until_filled() -> None:
    text = expand("Hallo {{customer.title}} {{customer.first_name}}", CONTEXT).text

    problems = missing_problems(text)

    assert [(p.code, p.field, dict(p.params)) for p in problems] == [
        ("template.missing_value", "text", {"name": "customer.title"})
    ]
    assert problems[0].message("en") == "Please fill in the placeholder customer.title."
    assert problems[0].message("de") == "Bitte füllen Sie den Platzhalter customer.title aus."


def test_an_edited_text_with_the_marker_removed_has_no_missing_placeholders() -> None:
    text = expand("Hallo {{customer.title}} Berg", {}).text
    edited = text.replace("{{customer.title}}", "Frau")

    assert edited == "Hallo Frau Berg"
    assert unfilled_placeholders(edited) == ()
    assert missing_problems(edited) == ()


def test_unfilled_placeholders_give_name_default_and_position() -> None:
    text = "Hi {{ a.b | x }} and {{c}}"

    assert unfilled_placeholders(text) == (
        Placeholder("a.b", "x", 3, 16),
        Placeholder("c", None, 21, 26),
    )
    assert text[21:26] == "{{c}}"


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (4711, "4711"),
        (-3, "-3"),
        (19.9, "19.9"),
        (1e22, "10000000000000000000000"),
        (Decimal("19.90"), "19.90"),
        (Decimal("1E+3"), "1000"),
    ],
)
def test_numbers_are_inserted_as_plain_text(value: object, text: str) -> None:
    assert expand("{{n}}", {"n": value}).text == text


@pytest.mark.parametrize("value", [float("nan"), float("inf"), Decimal("NaN")])
def test_a_number_that_is_not_a_quantity_counts_as_no_value(value: object) -> None:
    assert expand("{{n|-}}", {"n": value}).text == "-"


def test_a_line_break_in_a_crm_field_does_not_break_the_sms_layout() -> None:
    context = {"customer": {"company": "  Müller\r\nBau\tGmbH\x00 "}}

    assert expand("Firma: {{customer.company}}.", context).text == "Firma: Müller Bau GmbH."


def test_placeholder_syntax_in_a_value_is_not_expanded_again() -> None:
    context = {"customer": {"first_name": "{{customer.secret}}"}, "customer.secret": "leak"}

    result = expand("Hallo {{customer.first_name}}", context)

    assert result.text == "Hallo {{customer.secret}}"
    assert result.missing == ()


def test_markup_in_a_value_comes_back_as_the_same_literal_text() -> None:
    markup = "<img src=x onerror=alert(1)>"

    assert expand("Hallo {{name}}", {"name": markup}).text == f"Hallo {markup}"


def test_python_format_and_attribute_syntax_is_neither_evaluated_nor_formatted() -> None:
    text = "{0.__class__} {name!r} {{name.__class__}} {{ __import__('os') }} %s"

    result = expand(text, {"name": "Anna"})

    assert result.text == text
    assert result.missing == ("name.__class__",)


def test_objects_in_the_context_are_not_searched_by_attribute() -> None:
    class Customer:
        first_name = "Anna"

    assert expand("{{customer.first_name|?}}", {"customer": Customer()}).text == "?"


@pytest.mark.parametrize(
    "text",
    [
        "Preis {5 EUR}",
        "{x}",
        "{ {x} }",
        "{{ not valid! }}",
        "{{}}",
        "{{1abc}}",
        "{{a..b}}",
        "{{a.}}",
        "{{a\nb}}",
        "{{a|line\nbreak}}",
        "{{a|{nested}}}",
        "{{a",
        "a}}",
        "{{ a b }}",
    ],
)
def test_malformed_placeholder_syntax_stays_literal(text: str) -> None:
    result = expand(text, {"a": "A", "x": "X", "b": "B"})

    assert result.text == text
    assert unfilled_placeholders(text) == ()


def test_extra_braces_around_a_placeholder_stay_as_characters() -> None:
    assert expand("{{{a}}}", {"a": "A"}).text == "{A}"


def test_a_template_lists_its_placeholders_and_expands_itself() -> None:
    template = Template("t1", "Termin", "Hallo {{customer.first_name|Kunde}}, {{slot}}", "de")

    assert [p.name for p in template.placeholders] == ["customer.first_name", "slot"]
    assert template.expand(CONTEXT) == Expansion(
        "Hallo Anna, {{slot}}",
        missing=("slot",),
        filled=("customer.first_name",),
    )


def test_templates_and_expansions_cross_the_worker_boundary_as_plain_json() -> None:
    template = Template("t1", "Termin", "Hallo {{ name | Kunde }}")
    expansion = template.expand({})

    assert template.to_dict() == {
        "id": "t1",
        "name": "Termin",
        "text": "Hallo {{ name | Kunde }}",
        "language": None,
        "placeholders": [{"name": "name", "default": "Kunde", "start": 6, "end": 24}],
    }
    assert expansion.to_dict() == {
        "text": "Hallo Kunde",
        "missing": [],
        "filled": ["name"],
        "defaulted": ["name"],
        "complete": True,
    }
    for data in (template.to_dict(), expansion.to_dict()):
        assert json.loads(json.dumps(data)) == data


def test_the_missing_value_problem_has_a_german_and_an_english_message() -> None:
    for problem in missing_problems("{{x}}"):
        for lang in LANGUAGES:
            assert CATALOG[problem.code][lang]
            assert "{name}" not in problem.message(lang)


# Properties

NAMES = st.from_regex(r"[A-Za-z_][A-Za-z0-9_]{0,4}(\.[A-Za-z0-9_]{1,4}){0,2}", fullmatch=True)
VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.decimals() | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=3)
        | st.dictionaries(st.text(max_size=5) | NAMES, children, max_size=3)
    ),
    max_leaves=10,
)
CONTEXTS = st.dictionaries(st.text(max_size=8) | NAMES, VALUES, max_size=5)
TEMPLATE_TEXT = st.lists(
    st.text(max_size=8) | NAMES.map(lambda n: "{{" + n + "}}") | st.sampled_from(["{", "}", "|"]),
    max_size=8,
).map("".join)


@given(TEMPLATE_TEXT | st.text(), CONTEXTS)
def test_expanding_any_text_with_any_context_never_raises(text: str, context: dict) -> None:
    result = expand(text, context)

    assert set(result.missing).isdisjoint(set(result.filled) - set(result.defaulted))
    assert set(result.defaulted) <= set(result.filled)


@given(st.text().filter(lambda t: "{{" not in t), CONTEXTS)
def test_a_text_without_double_braces_is_returned_unchanged(text: str, context: dict) -> None:
    assert expand(text, context) == Expansion(text)


LITERALS = st.text(st.characters(blacklist_characters="{}"), max_size=10)
SAFE_VALUES = st.from_regex(
    r"[A-Za-z0-9äöü<>&'\"=/]([A-Za-z0-9 .,<>&=-]{0,10}[A-Za-z.>])?", fullmatch=True
)


@given(st.lists(st.tuples(LITERALS, NAMES)), LITERALS, st.dictionaries(NAMES, SAFE_VALUES))
def test_literal_text_around_placeholders_is_never_lost(
    parts: list[tuple[str, str]], tail: str, values: dict[str, str]
) -> None:
    text = "".join(f"{literal}{{{{{name}}}}}" for literal, name in parts) + tail
    expected = (
        "".join(literal + values.get(name, f"{{{{{name}}}}}") for literal, name in parts) + tail
    )

    result = expand(text, values)

    assert result.text == expected
    assert set(result.missing) == {name for _, name in parts if name not in values}


@given(st.text())
def test_a_value_is_inserted_as_one_line_without_control_characters(value: str) -> None:
    result = expand("[{{v}}]", {"v": value})

    inserted = result.text[1:-1]
    if result.filled:
        assert inserted
        assert inserted == inserted.strip()
        assert not any(unicodedata.category(c) == "Cc" for c in inserted)
        assert len(inserted.splitlines()) == 1
    else:
        assert result.text == "[{{v}}]"


@given(st.text(st.characters(blacklist_categories=("Cc", "Zs", "Zl", "Zp")), min_size=1))
def test_a_clean_value_is_inserted_exactly(value: str) -> None:
    assert expand("{{v}}", {"v": value}).text == value
