"""The catalog: every message in German and English with the same placeholders, and counted
words in the form their number asks for ("1 neue Antwort", "2 neue Antworten"), chosen by the
language's plural rule — never "Antwort(en)"."""

from __future__ import annotations

import re
import string

import pytest

from smscompose.languages import PLURAL_RULES, plural_category
from smscompose.messages import CATALOG, LANGUAGES, Plural, Problem, translate


def forms(text: str | Plural) -> tuple[str, ...]:
    return text.forms if isinstance(text, Plural) else (text,)


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_message_has_both_languages_and_the_same_placeholders_in_every_form() -> None:
    for code, texts in CATALOG.items():
        assert set(texts) == set(LANGUAGES), code
        every = [form for text in texts.values() for form in forms(text)]
        assert all(placeholders(f) == placeholders(every[0]) for f in every), code
        for text in texts.values():
            if isinstance(text, Plural):
                assert text.by in placeholders(text.one), code


def test_no_message_words_a_count_with_a_bracketed_ending() -> None:
    bracketed = re.compile(r"\w\((?:e|en|n|s|es|ies|er)\)")
    for code, texts in CATALOG.items():
        for text in texts.values():
            assert not any(bracketed.search(f) for f in forms(text)), code


def test_every_language_has_a_plural_rule() -> None:
    assert set(PLURAL_RULES) == set(LANGUAGES)
    for lang in LANGUAGES:
        assert [plural_category(lang, n) for n in (0, 1, 2, 21, 1.5, True)] == [
            "other", "one", "other", "other", "other", "other"
        ]  # fmt: skip


@pytest.mark.parametrize(
    ("lang", "one", "two"),
    [
        ("de", "1 neue Antwort", "2 neue Antworten"),
        ("en", "1 new reply", "2 new replies"),
    ],
)
def test_unread_replies_are_counted_in_words(lang: str, one: str, two: str) -> None:
    assert translate("thread.unread", lang, count=1) == one
    assert translate("thread.unread", lang, count=2) == two


def test_a_limit_of_one_segment_is_singular_in_the_problem_too() -> None:
    problem = Problem("compose.too_many_segments", "text", {"segments": 2, "max": 1})
    assert problem.message("de") == "Der Text ist zu lang: 2 Segmente, erlaubt ist höchstens 1."
    assert problem.message("en") == "The text is too long: 2 segments, at most 1 is allowed."
    many = Problem("compose.too_many_segments", "text", {"segments": 4, "max": 3})
    assert many.message("de") == "Der Text ist zu lang: 4 Segmente, erlaubt sind höchstens 3."
