"""Look-alike replacements that turn a UCS-2 text into GSM 7-bit.

A curly quote pasted from a word processor makes the whole text UCS-2 and can triple its
price. The suggestion names each replacement and the segment count after applying all of them,
so the agent decides; nothing here changes a text by itself.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from .segmenter import Encoding, SegmentedMessage, segment

# Only characters whose replacement reads the same: punctuation, spaces and invisible
# formatting. Letters (é → e, ç → Ç) change spelling, so they are left to the agent.
LOOK_ALIKES: Mapping[str, str] = {
    # double quotes
    "«": '"', "»": '"', "“": '"', "”": '"', "„": '"', "‟": '"', "″": '"', "‶": '"',
    "〝": '"', "〞": '"', "＂": '"', "ʺ": '"', "˝": '"',
    # single quotes and apostrophes
    "‘": "'", "’": "'", "‚": "'", "‛": "'", "′": "'", "‵": "'", "ʹ": "'", "ʻ": "'",
    "ʼ": "'", "ʽ": "'", "ˈ": "'", "`": "'", "´": "'", "＇": "'",
    "‹": "<", "›": ">",
    # dashes and minus signs
    "‐": "-", "‑": "-", "‒": "-", "–": "-", "—": "-", "―": "-", "−": "-", "⁃": "-",
    "﹘": "-", "﹣": "-", "－": "-",
    # dots, slashes and other punctuation
    "…": "...", "‥": "..", "․": ".", "⁄": "/", "∕": "/", "／": "/", "＼": "\\",
    "˂": "<", "˃": ">", "ˆ": "^", "˜": "~", "¦": "|", "‖": "||",
    "，": ",", "；": ";", "：": ":", "！": "!", "？": "?", "（": "(", "）": ")",
    # spaces
    "\u00a0": " ", "\u2000": " ", "\u2001": " ", "\u2002": " ", "\u2003": " ", "\u2004": " ",
    "\u2005": " ", "\u2006": " ", "\u2007": " ", "\u2008": " ", "\u2009": " ", "\u200a": " ",
    "\u202f": " ", "\u205f": " ", "\u3000": " ", "\t": " ",
    # line breaks
    "\u2028": "\n", "\u2029": "\n", "\u0085": "\n",
    # invisible characters: soft hyphen, zero-width space, word joiner, byte order mark
    "\u00ad": "", "\u200b": "", "\u2060": "", "\ufeff": "",
}  # fmt: skip

_TRANSLATION = str.maketrans(dict(LOOK_ALIKES))


@dataclass(frozen=True)
class Replacement:
    """One look-alike character, what it becomes, and how often it occurs."""

    char: str
    replacement: str
    count: int

    def to_dict(self) -> dict[str, Any]:
        return {"char": self.char, "replacement": self.replacement, "count": self.count}


@dataclass(frozen=True)
class Suggestion:
    """Replacing ``replacements`` gives ``text``, which is GSM 7-bit."""

    replacements: tuple[Replacement, ...]
    text: str
    segments_before: int
    segments_after: int
    encoding_after: Encoding

    @property
    def characters_replaced(self) -> int:
        return sum(r.count for r in self.replacements)

    def to_dict(self) -> dict[str, Any]:
        return {
            "replacements": [r.to_dict() for r in self.replacements],
            "characters_replaced": self.characters_replaced,
            "text": self.text,
            "segments_before": self.segments_before,
            "segments_after": self.segments_after,
            "encoding_after": str(self.encoding_after),
        }


def suggest(
    message: SegmentedMessage, *, locking: Iterable[str] = (), single: Iterable[str] = ()
) -> Suggestion | None:
    """The look-alike replacements that make ``message`` GSM 7-bit, or ``None`` when the text
    is already GSM or some character has no look-alike. Pass the same tables as to
    :func:`~smscompose.segmenter.segment`."""
    if message.encoding is not Encoding.UCS2:
        return None
    forcing = set(message.forcing_chars)
    if not forcing <= LOOK_ALIKES.keys():
        return None
    replaced = message.text.translate(_TRANSLATION)
    after = segment(replaced, locking=locking, single=single)
    if after.encoding is not Encoding.GSM_7BIT:
        return None
    text = message.text
    replacements = tuple(
        Replacement(char, LOOK_ALIKES[char], text.count(char))
        for char in sorted(set(text) & LOOK_ALIKES.keys(), key=text.index)
    )
    return Suggestion(
        replacements=replacements,
        text=replaced,
        segments_before=message.segments,
        segments_after=after.segments,
        encoding_after=after.encoding,
    )
