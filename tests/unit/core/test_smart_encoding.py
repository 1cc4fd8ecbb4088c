"""The look-alike suggestion: offered, explained, never applied by itself."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from smscompose import segment, suggest
from smscompose.smart_encoding import LOOK_ALIKES


def test_curly_quotes_cost_segments_and_the_suggestion_says_how_many() -> None:
    text = "Your order “A-17” is ready – see you soon! " * 3
    message = segment(text)
    suggestion = suggest(message)
    assert suggestion is not None
    assert (message.encoding, message.segments) == ("UCS2", 2)
    assert (suggestion.characters_replaced, suggestion.segments_after) == (9, 1)
    assert suggestion.segments_before == 2
    assert [(r.char, r.replacement, r.count) for r in suggestion.replacements] == [
        ("“", '"', 3),
        ("”", '"', 3),
        ("–", "-", 3),
    ]


def test_the_suggestion_does_not_change_the_text_by_itself() -> None:
    text = "It’s fine"
    message = segment(text)
    suggest(message)
    assert message.text == text and message.encoding == "UCS2"


def test_no_suggestion_for_gsm_text() -> None:
    assert suggest(segment("Plain text")) is None


def test_no_suggestion_when_a_character_has_no_look_alike() -> None:
    assert suggest(segment("It’s 😀")) is None
    assert suggest(segment("Çok güzel, teşekkürler")) is None


def test_invisible_characters_are_removed_and_odd_spaces_become_spaces() -> None:
    suggestion = suggest(segment("a\u00a0b\u200bc\u00add"))
    assert suggestion is not None
    assert suggestion.text == "a bcd"


def test_the_suggestion_uses_the_senders_tables() -> None:
    message = segment("Teşekkürler – iyi günler", locking=["tr"])
    assert message.encoding == "UCS2"
    suggestion = suggest(message, locking=["tr"])
    assert suggestion is not None
    assert segment(suggestion.text, locking=["tr"]).locking == "tr"


@given(st.text(alphabet=st.sampled_from("abc {}€ " + "".join(LOOK_ALIKES)), max_size=300))
def test_an_applied_suggestion_is_always_gsm(text: str) -> None:
    suggestion = suggest(segment(text))
    if suggestion is not None:
        after = segment(suggestion.text)
        assert after.encoding == "GSM_7BIT"
        assert after.segments == suggestion.segments_after
