"""The segmenter against golden vectors and properties.

One table of cases; this file runs unchanged in CPython and inside Pyodide, which is how
"the same count in the browser and on the server" is proven rather than assumed.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from hypothesis import given
from hypothesis import strategies as st

from smscompose import Encoding, get_alphabet, segment
from smscompose.graphemes import clusters
from smscompose.segmenter import UnknownLanguageTable

FAMILY = "👨\u200d👩\u200d👧\u200d👦"  # 4 emoji joined by 3 ZWJ: 11 UTF-16 units
FLAG_DE = "🇩🇪"  # two regional indicators: 4 units
THUMBS_UP_MEDIUM = "👍🏽"  # emoji + skin tone modifier: 4 units


@dataclass(frozen=True)
class Case:
    id: str
    text: str
    encoding: str
    units: int
    part_units: tuple[int, ...]
    locking: tuple[str, ...] = ()
    single: tuple[str, ...] = ()
    tables: tuple[str | None, str | None] = (None, None)

    @property
    def segments(self) -> int:
        return len(self.part_units)


G, U = "GSM_7BIT", "UCS2"

CASES = [
    Case("empty text has no segment", "", G, 0, ()),
    Case("one letter", "a", G, 1, (1,)),
    Case("160 letters fill one message", "a" * 160, G, 160, (160,)),
    Case("161 letters need two parts of 153", "a" * 161, G, 161, (153, 8)),
    Case("153 letters fit one message", "a" * 153, G, 153, (153,)),
    Case("154 letters fit one message", "a" * 154, G, 154, (154,)),
    Case("306 letters fill two parts", "a" * 306, G, 306, (153, 153)),
    Case("307 letters need a third part", "a" * 307, G, 307, (153, 153, 1)),
    Case("the seed's example", "x" * 225, G, 225, (153, 72)),
    Case("escape characters count two", "{]", G, 4, (4,)),
    Case("80 braces are 160 septets", "{" * 80, G, 160, (160,)),
    Case("81 braces need two parts", "{" * 81, G, 162, (152, 10)),
    # Android's counter says 2 here, but its splitter and every gateway send 3 parts.
    Case("euro after 152 letters moves to the next part",
         "a" * 152 + "€" + "a" * 152, G, 306, (152, 153, 1)),
    Case("153 euro signs never split an escape pair", "€" * 153, G, 306, (152, 152, 2)),
    Case("form feed is an escape character", "\f", G, 2, (2,)),
    Case("every extension character", "^{}\\[~]|€\f", G, 20, (20,)),
    Case("GSM letters outside ASCII", "ÄÖÜäöüß@£¥èéùìòÇØøÅåΔ_ΦΓΛΩΠΨΣΘΞÆæÉ¡¿§ñÑà",
         G, 40, (40,)),
    Case("CRLF stays in one part", "a" * 152 + "\r\n" + "a" * 10, G, 164, (152, 12)),
    Case("70 UCS2 characters fill one message", "ç" * 70, U, 70, (70,)),
    Case("71 UCS2 characters need two parts of 67", "ç" * 71, U, 71, (67, 4)),
    Case("134 UCS2 characters fill two parts", "ç" * 134, U, 134, (67, 67)),
    Case("135 UCS2 characters need a third part", "ç" * 135, U, 135, (67, 67, 1)),
    Case("an emoji counts two units", "😀", U, 2, (2,)),
    Case("a surrogate pair at unit 67 moves whole",
         "ç" + "a" * 65 + "😀" + "a" * 10, U, 78, (66, 12)),
    Case("a ZWJ family at a boundary moves whole",
         "ç" + "a" * 60 + FAMILY + "a" * 10, U, 82, (61, 21)),
    Case("a flag at a boundary moves whole", "ç" + "a" * 64 + FLAG_DE + "a" * 3, U, 72, (65, 7)),
    Case("a skin tone stays with its emoji",
         "ç" + "a" * 64 + THUMBS_UP_MEDIUM + "a" * 3, U, 72, (65, 7)),
    Case("CJK text", "短信" * 40, U, 80, (67, 13)),
    Case("1,600 letters", "a" * 1600, G, 1600, (153,) * 10 + (70,)),
    Case("1,600 UCS2 characters", "ж" * 1600, U, 1600, (67,) * 23 + (59,)),
    Case("Turkish without tables is UCS2", "Günaydın, iyi şanslar!", U, 22, (22,)),
    Case("Turkish with its locking table", "Günaydın, iyi şanslar!", G, 22, (22,),
         locking=("tr",), single=("tr",), tables=("tr", None)),
    Case("Turkish with only its single shift table", "Günaydın, iyi şanslar!", G, 24, (24,),
         single=("tr",), tables=(None, "tr")),
    Case("default alphabet wins when it is enough", "Hello", G, 5, (5,),
         locking=("tr",), single=("tr",)),
    Case("one table leaves 155 septets for one message", "ı" * 155, G, 155, (155,),
         locking=("tr",), tables=("tr", None)),
    Case("one table leaves 149 per part", "ı" * 156, G, 156, (149, 7),
         locking=("tr",), tables=("tr", None)),
    Case("Spanish single shift table", "¿Cómo está?", G, 13, (13,),
         single=("es",), tables=(None, "es")),
    Case("Portuguese needs a table for ê", "Você", G, 5, (5,), single=("pt",),
         tables=(None, "pt")),
]  # fmt: skip


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_golden_vectors(case: Case) -> None:
    message = segment(case.text, locking=case.locking, single=case.single)
    assert str(message.encoding) == case.encoding
    assert message.units == case.units
    assert message.segments == case.segments
    assert tuple(p.units for p in message.parts) == case.part_units
    assert (message.locking, message.single) == case.tables
    assert "".join(p.text for p in message.parts) == case.text
    assert message.counter == f"{case.units} – [{case.encoding} {case.segments}]"


def test_counter_is_written_like_the_seed() -> None:
    assert segment("x" * 225).counter == "225 – [GSM_7BIT 2]"
    assert segment("").counter == "0 – [GSM_7BIT 0]"


def test_units_left_in_the_last_part() -> None:
    assert segment("").units_left == 160
    assert segment("a" * 150).units_left == 10
    assert segment("a" * 161).units_left == 145
    assert segment("ç" * 71).units_left == 63


def test_capacity_depends_on_the_layout() -> None:
    assert segment("a").capacity == 160
    assert segment("a" * 161).capacity == 153
    assert segment("ç").capacity == 70
    assert segment("ç" * 71).capacity == 67
    assert segment("ı", locking=("tr",), single=("tr",)).capacity == 155
    both = segment("ıĞ" + "€" * 3, locking=("tr",), single=("tr",))
    assert (both.locking, both.single) in {("tr", "tr"), ("tr", None)}


def test_fewest_segments_win_over_fewer_tables() -> None:
    # 150 ş: the single shift table alone costs 300 septets (3 parts), the locking table 150.
    message = segment("ş" * 150, locking=("tr",), single=("tr",))
    assert (message.locking, message.segments, message.units) == ("tr", 1, 150)


def test_characters_that_force_ucs2_are_reported_with_utf16_positions() -> None:
    message = segment("Hi 😀 “you”")
    assert message.encoding is Encoding.UCS2
    assert message.forcing_chars == ("😀", "“", "”")
    spans = [(s.start, s.end, s.utf16_start, s.utf16_end) for s in message.forcing_spans]
    assert spans == [(3, 4, 3, 5), (5, 6, 6, 7), (9, 10, 10, 11)]


def test_gsm_text_has_no_forcing_characters() -> None:
    message = segment("Hello {world}")
    assert message.forcing_chars == ()
    assert message.forcing_spans == ()


def test_unknown_language_tables_are_refused() -> None:
    with pytest.raises(UnknownLanguageTable):
        segment("x", locking=("xx",))
    with pytest.raises(UnknownLanguageTable):
        segment("x", locking=("es",))  # Spanish has a single shift table only


def test_to_dict_is_plain_json_data() -> None:
    data = segment("a" * 161).to_dict()
    assert data["encoding"] == "GSM_7BIT"
    assert data["segments"] == 2
    assert data["parts"] == ["a" * 153, "a" * 8]
    assert data["counter"] == "161 – [GSM_7BIT 2]"


# -- properties ---------------------------------------------------------------------------

SAMPLE = (
    "abc xyz 0123456789 .,!?\n\r"  # plain GSM
    "{}[]~|^€\\\f"  # escape characters
    "äöüßéñ"  # GSM outside ASCII
    "çáíóúâêîôûğşıİ"  # Latin outside GSM
    "“”’–…\u00a0"  # look-alikes
    "短信中文한국어"  # CJK and Hangul
    "\u1100\u1161\u11a8"  # Hangul jamo
    "क्षिनमस्ते"  # Devanagari with virama
    "😀👍🏽🇩🇪🇫🇷\u200d👨👩\ufe0f\u20e3"  # emoji, modifiers, flags, ZWJ, keycap parts
    "\u0301\u0308"  # combining marks
)
texts = st.text(alphabet=st.sampled_from(SAMPLE), max_size=700)
table_lists = st.lists(st.sampled_from(["tr", "pt", "hi"]), max_size=2, unique=True)


@given(texts)
def test_parts_join_back_to_the_text(text: str) -> None:
    assert "".join(p.text for p in segment(text).parts) == text


@given(texts, table_lists, table_lists.map(lambda ls: [*ls, "es"]))
def test_every_part_fits_and_units_add_up(text: str, locking: list, single: list) -> None:
    message = segment(text, locking=locking, single=single)
    assert all(0 < p.units <= message.capacity for p in message.parts)
    assert sum(p.units for p in message.parts) == message.units
    assert message.units_left >= 0
    assert (message.segments >= 1) if text else (message.segments == 0)


@given(texts)
def test_ucs2_units_are_utf16_code_units_and_parts_are_valid_utf16(text: str) -> None:
    message = segment(text)
    if message.encoding is Encoding.UCS2:
        assert message.units == len(text.encode("utf-16-le")) // 2
        for part in message.parts:
            # Encoding fails on a lone surrogate, so no pair was split.
            assert len(part.text.encode("utf-16-le")) // 2 == part.units


@given(texts, table_lists, table_lists)
def test_gsm_units_are_septets_and_escape_pairs_stay_whole(
    text: str, locking: list, single: list
) -> None:
    message = segment(text, locking=locking, single=single)
    if message.encoding is Encoding.GSM_7BIT:
        alphabet = get_alphabet(message.locking, message.single)
        for part in message.parts:
            septets = alphabet.encode(part.text)
            assert len(septets) == part.units
            assert not septets.endswith(b"\x1b")


@given(texts)
def test_parts_end_between_grapheme_clusters_when_a_cluster_fits(text: str) -> None:
    message = segment(text)
    bounds = {0}
    position = 0
    fits = True
    for cluster in clusters(text):
        position += len(cluster)
        bounds.add(position)
        units = len(cluster.encode("utf-16-le")) // 2 if message.encoding is Encoding.UCS2 else 0
        fits = fits and units <= message.capacity
    if fits:
        position = 0
        for part in message.parts:
            position += len(part.text)
            assert position in bounds


@given(texts)
def test_same_input_same_answer(text: str) -> None:
    assert segment(text).to_dict() == segment(text).to_dict()


@given(st.text(max_size=300))
def test_any_text_is_segmented_without_error(text: str) -> None:
    message = segment(text)
    assert "".join(p.text for p in message.parts) == text
