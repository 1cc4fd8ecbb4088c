"""Extended grapheme clusters against the official Unicode 16.0.0 conformance file, and properties.

``data/GraphemeBreakTest-16.0.0.txt`` is the Unicode Consortium's file, byte for byte (its
SHA-256 is checked below). Every test line is a case. This file runs unchanged in CPython and
inside Pyodide: it reads the data relative to ``__file__`` and starts no process.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from smscompose.graphemes import (
    UNICODE_VERSION,
    _regex_clusters,
    boundary_before,
    clusters,
    has_multi_codepoint_clusters,
)

DATA = Path(__file__).parent / "data" / "GraphemeBreakTest-16.0.0.txt"
# The digest of the official file (also the one independent public conformance suites pin).
DATA_SHA256 = "ee2b9354d270ac061b29f09662cafea06341d77e704b8cc6bd72aaeeda363cb5"
DATA_CASES = 1093


def _load_cases() -> list[tuple[int, str, list[str]]]:
    """(line number, text, expected clusters) for every test line of the conformance file."""
    cases = []
    for number, line in enumerate(DATA.read_text(encoding="utf-8").splitlines(), start=1):
        fields = line.split("#", 1)[0].split()
        if not fields:
            continue
        expected: list[str] = []
        current = ""
        for field in fields:
            if field == "÷":
                if current:
                    expected.append(current)
                current = ""
            elif field == "×":
                continue
            else:
                current += chr(int(field, 16))
        assert not current, f"line {number} does not end with a break"
        cases.append((number, "".join(expected), expected))
    return cases


CASES = _load_cases()


def test_data_file_is_the_official_one() -> None:
    payload = DATA.read_bytes()
    assert payload.startswith(b"# GraphemeBreakTest-16.0.0.txt\n")
    assert hashlib.sha256(payload).hexdigest() == DATA_SHA256
    assert len(CASES) == DATA_CASES
    assert UNICODE_VERSION == "16.0.0"


@pytest.mark.parametrize(
    ("text", "expected"), [c[1:] for c in CASES], ids=[f"L{c[0]}" for c in CASES]
)
def test_conformance(text: str, expected: list[str]) -> None:
    assert clusters(text) == expected
    assert all_boundaries_before(text) == expected_boundaries_before(expected)
    assert _regex_clusters(text) == expected
    assert has_multi_codepoint_clusters(text) == any(len(c) > 1 for c in expected)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", []),
        ("abc", ["a", "b", "c"]),
        ("a\r\nb\n\r", ["a", "\r\n", "b", "\n", "\r"]),
        ("👨\u200d👩\u200d👧\u200d👦!", ["👨\u200d👩\u200d👧\u200d👦", "!"]),
        ("👍🏽👍", ["👍🏽", "👍"]),
        ("🇩🇪🇫🇷🇮", ["🇩🇪", "🇫🇷", "🇮"]),
        (
            "🏴\U000e0067\U000e0062\U000e0065\U000e006e\U000e0067\U000e007f",
            ["🏴\U000e0067\U000e0062\U000e0065\U000e006e\U000e0067\U000e007f"],
        ),
        ("क्षत्रिय", ["क्ष", "त्रि", "य"]),
        ("ক্ষ", ["ক্ষ"]),
        ("한국어", ["한", "국", "어"]),
        ("\u1100\u1161\u11a8\u1100", ["\u1100\u1161\u11a8", "\u1100"]),
        ("e\u0301\u0323x", ["e\u0301\u0323", "x"]),
        ("\u0600\u0661\u0662", ["\u0600\u0661", "\u0662"]),
        ("\u0301", ["\u0301"]),
    ],
)
def test_examples(text: str, expected: list[str]) -> None:
    assert clusters(text) == expected


# Code points that exercise every rule, so random strings hit the interesting paths often.
INTERESTING = sorted(
    {ch for _, text, _ in CASES for ch in text}
    | set("ab \r\n\t🇩🇪🇫👨👩👧👍🏽❤\ufe0f\u200d\u200cक्षतर्ि\u0902ক্ষা\u09beᄀ하ᅡᆨ각\u0600\U000e0067")
)
texts = st.one_of(
    st.text(),
    st.text(alphabet=st.sampled_from(INTERESTING), max_size=40),
    st.lists(st.sampled_from([c[1] for c in CASES]), max_size=6).map("".join),
)


@given(texts)
@example("")
def test_join_is_identity(text: str) -> None:
    assert "".join(clusters(text)) == text


@given(texts)
def test_clusters_are_nonempty_and_self_contained(text: str) -> None:
    parts = clusters(text)
    assert all(parts)
    # Boundaries fall between code points: in UTF-16 (what the SMS counts) no cluster ends
    # inside a surrogate pair, so every cluster encodes and decodes on its own.
    assert all(part.encode("utf-16-le").decode("utf-16-le") == part for part in parts)
    # Each cluster, segmented alone, is one cluster.
    assert all(clusters(part) == [part] for part in parts)


@given(texts)
def test_has_multi_codepoint_clusters_agrees(text: str) -> None:
    assert has_multi_codepoint_clusters(text) == any(len(c) > 1 for c in clusters(text))


@settings(max_examples=300)
@given(texts)
def test_fast_path_matches_regex_path(text: str) -> None:
    assert clusters(text) == _regex_clusters(text)


def expected_boundaries_before(found: list[str]) -> list[int]:
    """For every index of the text, the last boundary at or before it, from whole clusters."""
    bounds = [0]
    for cluster in found:
        bounds.append(bounds[-1] + len(cluster))
    text_length = bounds[-1]
    return [max(b for b in bounds if b <= i) for i in range(text_length + 1)]


def all_boundaries_before(text: str) -> list[int]:
    return [boundary_before(text, i) for i in range(len(text) + 1)]


@given(texts)
def test_boundary_before_finds_the_same_boundaries_as_whole_text_clustering(text: str) -> None:
    assert all_boundaries_before(text) == expected_boundaries_before(clusters(text))


@pytest.mark.parametrize("length", [63, 64, 65, 200])
def test_boundary_before_inside_a_very_long_cluster(length: int) -> None:
    # Hundreds of joined code points: no certain break nearby, so it clusters from the start.
    text = "ab" + "🇩🇪" * length + "e" + "\u0301" * length + "x"
    assert all_boundaries_before(text) == expected_boundaries_before(clusters(text))
