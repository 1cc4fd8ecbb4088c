"""Splitting a text into SMS segments exactly as it will be sent and billed.

The encoding is chosen first (GSM 7-bit with the enabled national language tables, else UCS-2),
then the text is cut greedily into parts. A cut never falls inside an escape pair or a surrogate
pair, and falls between extended grapheme clusters whenever the next cluster fits into a part of
its own. The segment count is the number of parts the cutter produces, so what the agent sees is
what the gateway is sent.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cache, cached_property
from itertools import product
from typing import Any, NamedTuple

from .alphabets import Alphabet, get_alphabet, locking_languages, single_languages
from .graphemes import boundary_before


class Encoding(StrEnum):
    GSM_7BIT = "GSM_7BIT"
    UCS2 = "UCS2"


@dataclass(frozen=True)
class Capacity:
    """How many units one message and one part of a concatenated message hold."""

    single: int
    concatenated: int


# Septets left after the user data header: concatenation takes 6 octets (UDHL + 5-octet IE) and
# each national language shift IE 3 more; the header is padded to a septet boundary.
GSM_CAPACITY = {
    0: Capacity(single=160, concatenated=153),
    1: Capacity(single=155, concatenated=149),
    2: Capacity(single=152, concatenated=146),
}
UCS2_CAPACITY = Capacity(single=70, concatenated=67)

_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


class UnknownLanguageTable(ValueError):
    """A national language table was asked for that 3GPP TS 23.038 does not define."""

    def __init__(self, language: str, kind: str) -> None:
        super().__init__(f"no {kind} shift table for language {language!r}")
        self.language = language
        self.kind = kind


@dataclass(frozen=True)
class Segment:
    """One part as it goes over the air."""

    text: str
    units: int
    capacity: int

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "units": self.units, "capacity": self.capacity}


class ForcingSpan(NamedTuple):
    """A run of characters that made the text UCS-2, as code point and UTF-16 offsets (the
    latter are what a browser's text field selects by). A tuple, not a dataclass: a CJK or
    emoji text has hundreds of them, built on every keystroke."""

    start: int
    end: int
    utf16_start: int
    utf16_end: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "start": self.start,
            "end": self.end,
            "utf16_start": self.utf16_start,
            "utf16_end": self.utf16_end,
        }


@dataclass(frozen=True)
class SegmentedMessage:
    """A text cut into parts, with everything the counter, the relay and the gateway need."""

    text: str
    encoding: Encoding
    #: Septets (an escaped character counts 2) or UTF-16 code units (an astral character 2).
    units: int
    parts: tuple[Segment, ...]
    #: Units one part holds in this layout (a single message holds more than a concatenated part).
    capacity: int
    locking: str | None = None
    single: str | None = None
    #: For a UCS-2 text, the enabled alphabet that carries most of its characters: the ones it
    #: cannot carry are what forced UCS-2.
    nearest_alphabet: Alphabet | None = field(default=None, repr=False, compare=False)

    # Only the panel's highlighting needs the next two; the relay, the gateway and the bill
    # never do, so they are worked out on first use.

    @cached_property
    def forcing_spans(self) -> tuple[ForcingSpan, ...]:
        """Where the characters that made the text UCS-2 are, run by run."""
        if self.nearest_alphabet is None:
            return ()
        text = self.text
        runs = [m.span() for m in _outside_pattern(self.nearest_alphabet).finditer(text)]
        astral = [m.start() for m in _ASTRAL.finditer(text)]
        if not astral:
            return tuple(ForcingSpan(start, end, start, end) for start, end in runs)
        return tuple(
            ForcingSpan(
                start, end, start + bisect_left(astral, start), end + bisect_left(astral, end)
            )
            for start, end in runs
        )

    @cached_property
    def forcing_chars(self) -> tuple[str, ...]:
        """The distinct characters that made the text UCS-2, in order of first appearance."""
        text = self.text
        return tuple(dict.fromkeys("".join(text[s.start : s.end] for s in self.forcing_spans)))

    @property
    def segments(self) -> int:
        return len(self.parts)

    @property
    def units_left(self) -> int:
        """Units still free in the last part before another segment is needed."""
        return self.capacity - (self.parts[-1].units if self.parts else 0)

    @property
    def counter(self) -> str:
        """The counter line as the agent desktop shows it, e.g. ``225 – [GSM_7BIT 2]``."""
        return f"{self.units} – [{self.encoding} {self.segments}]"

    def to_dict(self) -> dict[str, Any]:
        return {
            "encoding": str(self.encoding),
            "units": self.units,
            "segments": self.segments,
            "capacity": self.capacity,
            "units_left": self.units_left,
            "parts": [part.text for part in self.parts],
            "part_units": [part.units for part in self.parts],
            "locking": self.locking,
            "single": self.single,
            "forcing_chars": list(self.forcing_chars),
            "forcing_spans": [span.to_dict() for span in self.forcing_spans],
            "counter": self.counter,
        }


def segment(
    text: str, *, locking: Iterable[str] = (), single: Iterable[str] = ()
) -> SegmentedMessage:
    """Segment ``text`` with the national language tables enabled for the sender.

    ``locking`` and ``single`` list the languages whose locking and single shift tables may be
    used. Of the combinations that can carry the text, the one giving the fewest segments wins,
    then the one leaving the most units in the last part; without any, the text is UCS-2.
    """
    candidates = _alphabets(tuple(locking), tuple(single))
    best: SegmentedMessage | None = None
    for alphabet in candidates:
        if _outside_pattern(alphabet).search(text) is not None:
            continue
        message = _segment_gsm(text, alphabet, beat=best)
        if message is not None and (
            best is None
            or (message.segments, -message.units_left) < (best.segments, -best.units_left)
        ):
            best = message
    if best is not None:
        return best
    return _segment_ucs2(text, candidates)


@cache
def _alphabets(locking: tuple[str, ...], single: tuple[str, ...]) -> tuple[Alphabet, ...]:
    """Every usable combination, the default alphabet first."""
    known_locking, known_single = locking_languages(), single_languages()
    for language in locking:
        if language not in known_locking:
            raise UnknownLanguageTable(language, "locking")
    for language in single:
        if language not in known_single:
            raise UnknownLanguageTable(language, "single")
    lockings = (None, *dict.fromkeys(locking))
    singles = (None, *dict.fromkeys(single))
    # Fewer tables first, so they win ties; then locking before single shift, because a locking
    # table carries national letters in one septet and usually wins, which lets the bounds in
    # _segment_gsm skip cutting the text for the others.
    combos = sorted(
        product(lockings, singles),
        key=lambda c: ((c[0] is not None) + (c[1] is not None), c[1] is not None),
    )
    return tuple(get_alphabet(lock, shift) for lock, shift in combos)


@cache
def _escaped_pattern(alphabet: Alphabet) -> re.Pattern[str] | None:
    if not alphabet.escaped_chars:
        return None
    return re.compile("[" + "".join(re.escape(c) for c in sorted(alphabet.escaped_chars)) + "]")


def _segment_gsm(
    text: str, alphabet: Alphabet, beat: SegmentedMessage | None = None
) -> SegmentedMessage | None:
    """The text in ``alphabet``; ``None`` when it cannot take fewer segments than ``beat``."""
    pattern = _escaped_pattern(alphabet)
    heavy = [m.start() for m in pattern.finditer(text)] if pattern else []
    tables = (alphabet.locking is not None) + (alphabet.single is not None)
    capacity = GSM_CAPACITY[tables]
    if beat is not None:
        # Bounds that need no cutting: at least ``fewest`` parts, and with exactly that many,
        # at most ``most_left`` units free in the last one (ties go to the earlier candidate).
        units = len(text) + len(heavy)
        if units <= capacity.single:
            fewest, most_left = 1, capacity.single - units
        else:
            fewest = -(-units // capacity.concatenated)
            most_left = fewest * capacity.concatenated - units
        if (fewest, -most_left) >= (beat.segments, -beat.units_left):
            return None
    parts, part_capacity = _cut(text, heavy, capacity)
    return SegmentedMessage(
        text=text,
        encoding=Encoding.GSM_7BIT,
        units=len(text) + len(heavy),
        parts=parts,
        capacity=part_capacity,
        locking=alphabet.locking,
        single=alphabet.single,
    )


def _segment_ucs2(text: str, candidates: Sequence[Alphabet]) -> SegmentedMessage:
    astral = [m.start() for m in _ASTRAL.finditer(text)]
    parts, capacity = _cut(text, astral, UCS2_CAPACITY)
    if len(candidates) == 1:
        nearest = candidates[0]
    else:
        present = frozenset(text)
        nearest = max(candidates, key=lambda a: len(present & a.chars))
    return SegmentedMessage(
        text=text,
        encoding=Encoding.UCS2,
        units=len(text) + len(astral),
        parts=parts,
        capacity=capacity,
        nearest_alphabet=nearest,
    )


@cache
def _outside_pattern(alphabet: Alphabet) -> re.Pattern[str]:
    """Runs of characters the alphabet cannot carry; compiled once per alphabet, because a
    pattern built from each text's own characters would be compiled for every text."""
    return re.compile("[^" + "".join(re.escape(c) for c in sorted(alphabet.chars)) + "]+")


def _cut(text: str, heavy: list[int], capacity: Capacity) -> tuple[tuple[Segment, ...], int]:
    """Cut ``text`` into parts; ``heavy`` holds the sorted indexes of characters costing 2."""
    n = len(text)
    units = n + len(heavy)
    if n == 0:
        return (), capacity.single
    if units <= capacity.single:
        return (Segment(text, units, capacity.single),), capacity.single
    size = capacity.concatenated
    # ASCII without CR has no cluster of more than one character: skip the boundary checks.
    simple = text.isascii() and "\r" not in text
    parts: list[Segment] = []
    start = 0
    while start < n:
        end = _longest_fit(heavy, start, min(n, start + size), size)
        if not simple and end < n:
            # Step back to the last cluster boundary, unless the cluster alone overflows a part.
            boundary = boundary_before(text, end)
            if boundary > start:
                end = boundary
        cost = end - start + bisect_left(heavy, end) - bisect_left(heavy, start)
        parts.append(Segment(text[start:end], cost, size))
        start = end
    return tuple(parts), size


def _longest_fit(heavy: list[int], start: int, stop: int, size: int) -> int:
    """The largest ``end`` in ``(start, stop]`` whose characters fit into ``size`` units."""
    first = bisect_left(heavy, start)

    def cost(end: int) -> int:
        return end - start + bisect_left(heavy, end, lo=first) - first

    full = cost(stop)
    if full <= size:
        return stop
    # Dropping as many characters as there are heavy ones in the window always fits (each
    # costs at most 2), so the answer lies between there and ``stop``.
    heavy_in_window = full - (stop - start)
    lo, hi = max(start + 1, start + size - heavy_in_window), stop  # cost(lo) <= size < cost(hi)
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if cost(mid) <= size:
            lo = mid
        else:
            hi = mid
    return lo
