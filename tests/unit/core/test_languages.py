"""smscompose.languages: the one rule that picks the language everything is shown in."""

from __future__ import annotations

import pytest

from smscompose.languages import DEFAULT_LANGUAGE, LANGUAGES, pick_language


@pytest.mark.parametrize(
    ("candidates", "picked"),
    [
        (("de-AT",), "de"),
        (("EN_gb",), "en"),
        (("fr", "de"), "de"),
        (("fr", None, ""), DEFAULT_LANGUAGE),
        ((None, "en-US", "de"), "en"),
        ((42, "de"), "de"),
        ((), DEFAULT_LANGUAGE),
    ],
)
def test_the_first_supported_language_wins(candidates: tuple[object, ...], picked: str) -> None:
    assert pick_language(*candidates) == picked


def test_the_default_is_one_of_the_languages() -> None:
    assert DEFAULT_LANGUAGE in LANGUAGES
    assert pick_language("fr", default="de") == "de"
    assert pick_language("fr", default="fr") == DEFAULT_LANGUAGE
