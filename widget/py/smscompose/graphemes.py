"""Extended grapheme clusters (Unicode UAX #29, Unicode 16.0.0) in standard-library Python.

The segmenter keeps a user-perceived character -- an emoji with its skin tone, a ZWJ family, a
flag, CR LF, an Indic conjunct, a Hangul syllable -- inside one SMS part whenever a part can hold
it. This module says where those characters begin and end.

It must run unchanged under Pyodide and on every keystroke, so it uses only :mod:`re` (no
``regex`` module): a pattern equivalent to UAX #29's regular expression for extended grapheme
clusters (section 3.1.1, Tables 1b and 1c), built from the generated code point tables in
:mod:`smscompose._grapheme_data` the first time it is needed::

    egc      := crlf | Control | precore* core postcore*
    crlf     := CR LF
    precore  := Prepend
    core     := hangul-syllable | ri-pair | xpicto-sequence | conjunctCluster
              | [^Control CR LF]
    postcore := [Extend ZWJ SpacingMark]
    hangul-syllable := L* (V+ | LV V* | LVT) T* | L+ | T+
    ri-pair  := RI RI
    xpicto-sequence := ExtPict (Extend* ZWJ ExtPict)*
    conjunctCluster := InCB=Consonant
              ([InCB=Extend InCB=Linker]* InCB=Linker [InCB=Extend InCB=Linker]*
               InCB=Consonant)+

Python's ``re`` takes the first alternative that lets the whole pattern match, not the longest
one, so the pattern is arranged to make "first" and "longest" coincide:

* ``precore* core postcore*`` comes first and ``crlf``, ``Control`` after it; no ``core``
  starts with CR, LF or a control, so this only changes which test runs first.
* The alternatives of ``core`` start with pairwise disjoint sets of code points, so at most one
  of them can match. Each includes its own one-code-point case (``C (E* K [E K]* C)*`` for the
  conjunct with K a linker, ``ExtPict (...)*``, ``RI RI?``, ``L+``/``T+`` after the full Hangul
  syllable) and a class of "plain" code points takes every other non-control code point, which
  is exactly what the ``[^Control CR LF]`` fallback of UAX #29 would add.
* Once ``core`` and ``postcore`` have matched nothing may be given back, so their repetitions
  are possessive (``*+``); only ``precore*`` keeps backtracking, because a Prepend that is
  followed by a control or by nothing is a core of its own.

The official conformance file ``GraphemeBreakTest-16.0.0.txt`` checks the result
(``tests/unit/core/test_graphemes.py``); ICU is a second opinion (``tests/integration``).

Fast paths: ASCII text without CR, and text with no code point that can join a neighbour (CR,
Extend, ZWJ, SpacingMark, Prepend, Regional_Indicator, Hangul jamo or syllable -- no rule from
GB3 to GB13 can apply without one), is one cluster per code point. The joiner test is exact
below U+10000 and sends any supplementary code point (an emoji, say) down the full path.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence

from . import _grapheme_data as _d

__all__ = ["UNICODE_VERSION", "boundary_before", "clusters", "has_multi_codepoint_clusters"]

UNICODE_VERSION = _d.UNICODE_VERSION


def _pairs(*tables: Sequence[int]) -> list[tuple[int, int]]:
    """The union of flat range tables as sorted, merged, inclusive (first, last) pairs."""
    pairs = sorted((t[i], t[i + 1]) for t in tables for i in range(0, len(t), 2))
    merged: list[tuple[int, int]] = []
    for lo, hi in pairs:
        if merged and lo <= merged[-1][1] + 1:
            merged[-1] = (merged[-1][0], max(hi, merged[-1][1]))
        else:
            merged.append((lo, hi))
    return merged


def _body(pairs: Sequence[tuple[int, int]]) -> str:
    """The inside of a character class for ``pairs``."""
    return "".join(f"\\U{lo:08X}" if lo == hi else f"\\U{lo:08X}-\\U{hi:08X}" for lo, hi in pairs)


def _class(*tables: Sequence[int]) -> str:
    return f"[{_body(_pairs(*tables))}]"


# ``re`` tests code points below U+10000 against a bitmap but walks the list of supplementary
# ranges one by one, for every test that the bitmap does not settle. A class with many
# supplementary ranges is therefore split: the bitmap part, and the supplementary part behind a
# cheap "is it supplementary at all" guard, bucketed by 4,096-code-point block in a binary tree
# of lookaheads so that a code point meets only the ranges of its own block.
_MAX_FLAT_SUPPLEMENTARY = 4
_BLOCK_BITS = 12
_EMOJI_BLOCK = 0x1F000
_SUPPLEMENTARY = "(?=[\\U00010000-\\U0010FFFF])"


def _tree(blocks: Sequence[tuple[int, int, list[tuple[int, int]]]]) -> str:
    if len(blocks) == 1:
        return f"[{_body(blocks[0][2])}]"
    half = len(blocks) // 2
    left, right = blocks[:half], blocks[half:]
    span = f"[\\U{left[0][0]:08X}-\\U{left[-1][1]:08X}]"
    return f"(?:(?={span}){_tree(left)}|(?!{span}){_tree(right)})"


def _split(*tables: Sequence[int]) -> tuple[str, str | None]:
    """(class for the code points below U+10000, bucketed pattern for the rest or None)."""
    pairs = _pairs(*tables)
    if sum(hi > 0xFFFF for _, hi in pairs) <= _MAX_FLAT_SUPPLEMENTARY:
        return f"[{_body(pairs)}]", None
    bmp: list[tuple[int, int]] = []
    blocks: dict[int, list[tuple[int, int]]] = {}
    for lo, hi in pairs:
        if hi <= 0xFFFF:
            bmp.append((lo, hi))
            continue
        if lo <= 0xFFFF:
            bmp.append((lo, 0xFFFF))
            lo = 0x10000
        while lo <= hi:
            block = lo >> _BLOCK_BITS
            last = min(hi, ((block + 1) << _BLOCK_BITS) - 1)
            blocks.setdefault(block, []).append((lo, last))
            lo = last + 1
    items = [(b << _BLOCK_BITS, ((b + 1) << _BLOCK_BITS) - 1, r) for b, r in sorted(blocks.items())]
    tree = _tree(items)
    # Emoji live in U+1F000..U+1FFFF: give their block the first, cheapest test.
    emoji = [item for item in items if item[0] == _EMOJI_BLOCK]
    if emoji and len(items) > 1:
        rest = [item for item in items if item[0] != _EMOJI_BLOCK]
        span = f"[\\U{emoji[0][0]:08X}-\\U{emoji[0][1]:08X}]"
        tree = f"(?:(?={span}){_tree(emoji)}|(?!{span}){_tree(rest)})"
    return f"[{_body(bmp)}]", _SUPPLEMENTARY + tree


def _star(*tables: Sequence[int]) -> str:
    """Zero or more code points from the tables, possessively (never given back)."""
    bmp, supplementary = _split(*tables)
    if supplementary is None:
        return f"{bmp}*+"
    return f"{bmp}*+(?:{supplementary}{bmp}*+)*+"


def _joining_tables() -> tuple[Sequence[int], ...]:
    """Code points some rule from GB3 to GB13 joins to a neighbour. (LF is not among them: a
    CR LF pair has the CR on its left, and GB4 breaks after every LF.)"""
    d = _d
    return (
        d.GCB_CR,
        d.GCB_EXTEND,
        d.GCB_ZWJ,
        d.GCB_SPACINGMARK,
        d.GCB_PREPEND,
        d.GCB_REGIONAL_INDICATOR,
        d.GCB_L,
        d.GCB_V,
        d.GCB_T,
        d.GCB_LV,
        d.GCB_LVT,
    )


@functools.cache
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """Compile (cluster pattern, joiner pattern) on first use."""
    d = _d
    control_any = _body(_pairs(d.GCB_CONTROL, d.GCB_CR, d.GCB_LF))
    l_, v_, t_ = _class(d.GCB_L), _class(d.GCB_V), _class(d.GCB_T)
    lv, lvt = _class(d.GCB_LV), _class(d.GCB_LVT)
    ri = _class(d.GCB_REGIONAL_INDICATOR)
    pict = _class(d.EXTENDED_PICTOGRAPHIC)
    consonant = _class(d.INCB_CONSONANT)
    # Code points that start no multi-code-point core: everything but controls, Hangul, regional
    # indicators, Extended_Pictographic and InCB consonants. Split in two classes so that a code
    # point below U+10000 is settled by the bitmap alone.
    special = _pairs(
        d.GCB_CONTROL,
        d.GCB_CR,
        d.GCB_LF,
        d.GCB_L,
        d.GCB_V,
        d.GCB_T,
        d.GCB_LV,
        d.GCB_LVT,
        d.GCB_REGIONAL_INDICATOR,
        d.EXTENDED_PICTOGRAPHIC,
        d.INCB_CONSONANT,
    )
    special_bmp = [(lo, min(hi, 0xFFFF)) for lo, hi in special if lo <= 0xFFFF]
    special_supplementary = [(max(lo, 0x10000), hi) for lo, hi in special if hi > 0xFFFF]
    plain_bmp = f"[^{_body([*special_bmp, (0x10000, 0x10FFFF)])}]"
    plain_supplementary = f"[^{_body([(0, 0xFFFF), *special_supplementary])}]"
    # The alternatives of ``core`` start with disjoint sets of code points, so at most one can
    # match and their order only matters for speed. Each one includes its one-code-point case
    # (a lone consonant, pictograph, jamo or regional indicator), which makes the
    # "[^Control CR LF]" fallback of UAX #29 unnecessary.
    conjunct = (
        f"{consonant}(?:{_star(d.INCB_EXTEND)}{_class(d.INCB_LINKER)}"
        f"{_star(d.INCB_EXTEND, d.INCB_LINKER)}{consonant})*+"
    )
    xpicto = f"{pict}(?:{_star(d.GCB_EXTEND)}{_class(d.GCB_ZWJ)}{pict})*+"
    hangul = f"{l_}*(?:{v_}+|{lv}{v_}*|{lvt}){t_}*|{l_}+|{t_}+"
    core = f"(?:{plain_bmp}|{conjunct}|{xpicto}|{plain_supplementary}|{hangul}|{ri}{ri}?)"
    postcore = _star(d.GCB_EXTEND, d.GCB_ZWJ, d.GCB_SPACINGMARK)
    # precore* must be able to give back its last Prepend: a Prepend before a control, or at
    # the end, is a core of its own.
    egc = f"{_class(d.GCB_PREPEND)}*{core}{postcore}|\\r\\n|[{control_any}]"

    # The fast-path test: a code point that may join a neighbour. Only the bitmap part is exact;
    # any supplementary code point sends the text down the full path, which keeps the search
    # from walking the supplementary ranges for every character.
    joining = _pairs(*_joining_tables())
    joiner_bmp = [(lo, min(hi, 0xFFFF)) for lo, hi in joining if lo <= 0xFFFF]
    joiner = f"[{_body([*joiner_bmp, (0x10000, 0x10FFFF)])}]"
    return re.compile(egc), re.compile(joiner)


def _regex_clusters(text: str) -> list[str]:
    """Clusters by the full pattern, without the fast path (tests compare the two)."""
    return _patterns()[0].findall(text)


def clusters(text: str) -> list[str]:
    """Split ``text`` into its extended grapheme clusters.

    ``"".join(clusters(text)) == text`` always holds, and ``clusters("") == []``.
    """
    if text.isascii():
        if "\r" not in text:
            return list(text)
        return _patterns()[0].findall(text)
    egc, joiner = _patterns()
    if joiner.search(text) is None:
        return list(text)
    return egc.findall(text)


def has_multi_codepoint_clusters(text: str) -> bool:
    """True when some extended grapheme cluster of ``text`` has more than one code point.

    When this is False, a caller may treat every code point as a cluster of its own.
    """
    if text.isascii():
        return "\r\n" in text
    egc, joiner = _patterns()
    if joiner.search(text) is None:
        return False
    return len(egc.findall(text)) != len(text)


# How far back boundary_before looks for a position no rule can join across before it falls
# back to clustering the whole text (only a pathological cluster, e.g. hundreds of combining
# marks, is that long).
_LOOK_BACK = 64


@functools.cache
def _exact_joiner() -> re.Pattern[str]:
    """A code point some rule from GB3 to GB13 can join to a neighbour, in every plane."""
    bmp, supplementary = _split(*_joining_tables())
    return re.compile(bmp if supplementary is None else f"(?:{bmp}|{supplementary})")


def boundary_before(text: str, index: int) -> int:
    """The last cluster boundary at or before ``index``.

    Works locally: it steps back to a position where neither neighbour can join (every rule
    that keeps code points together involves such a joiner on one side), which is a boundary
    whatever came before, and clusters forward from there. So cutting a long text costs a few
    clusters per cut rather than a pass over the whole text.
    """
    if index <= 0 or index >= len(text):
        return max(0, min(index, len(text)))
    joiner = _exact_joiner().match
    start = index
    floor = max(0, index - _LOOK_BACK)
    while start > 0 and (joiner(text, start - 1) or joiner(text, start)):
        if start == floor:
            start = 0  # no certain break nearby: cluster from the beginning
            break
        start -= 1
    if start == index:
        return index
    egc = _patterns()[0].match
    position = start
    while True:
        end = egc(text, position).end()  # type: ignore[union-attr]
        if end > index:
            return position
        position = end
