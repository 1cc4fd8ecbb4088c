"""GSM 03.38 / 3GPP TS 23.038 7-bit alphabets: the default table, its extension, and the
national language locking and single shift tables of Annex A.

Tables are plain 128-character strings indexed by septet value, so they can be compared line by
line with the specification. ``UNUSED`` marks positions the specification leaves empty.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache

from ._national_tables import LOCKING_SHIFT_TABLES, SINGLE_SHIFT_TABLES

UNUSED = "\uffff"
ESCAPE = 0x1B

# fmt: off
DEFAULT_BASIC_TABLE = (
    "@£$¥èéùìòÇ\nØø\rÅå"
    "Δ_ΦΓΛΩΠΨΣΘΞ\x1bÆæßÉ"
    " !\"#¤%&'()*+,-./"
    "0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNO"
    "PQRSTUVWXYZÄÖÑÜ§"
    "¿abcdefghijklmno"
    "pqrstuvwxyzäöñüà"
)
# fmt: on

_DEFAULT_EXTENSION = {
    0x0A: "\f",
    0x14: "^",
    0x28: "{",
    0x29: "}",
    0x2F: "\\",
    0x3C: "[",
    0x3D: "~",
    0x3E: "]",
    0x40: "|",
    0x65: "€",
}
DEFAULT_EXTENSION_TABLE = "".join(_DEFAULT_EXTENSION.get(i, UNUSED) for i in range(128))

#: National language identifiers (3GPP TS 23.038 §6.2.1.2.4), used in the UDH shift IEs.
LANGUAGE_IDS: Mapping[str, int] = {
    "tr": 1,
    "es": 2,
    "pt": 3,
    "bn": 4,
    "gu": 5,
    "hi": 6,
    "kn": 7,
    "ml": 8,
    "or": 9,
    "pa": 10,
    "ta": 11,
    "te": 12,
    "ur": 13,
}


def locking_languages() -> tuple[str, ...]:
    """Languages that have a locking shift table (all but Spanish)."""
    return tuple(lang for lang in LANGUAGE_IDS if lang in LOCKING_SHIFT_TABLES)


def single_languages() -> tuple[str, ...]:
    """Languages that have a single shift table."""
    return tuple(lang for lang in LANGUAGE_IDS if lang in SINGLE_SHIFT_TABLES)


@dataclass(frozen=True)
class Alphabet:
    """One usable 7-bit alphabet: a basic table (the default or a locking shift table) plus an
    extension table (the default or a single shift table), reached through the escape septet."""

    locking: str | None
    single: str | None
    basic_table: str = field(repr=False)
    extension_table: str = field(repr=False)
    basic: Mapping[str, int] = field(repr=False, compare=False)
    extension: Mapping[str, int] = field(repr=False, compare=False)
    #: Every character this alphabet can carry.
    chars: frozenset[str] = field(repr=False, compare=False)
    #: Characters that only the extension table carries: they cost two septets.
    escaped_chars: frozenset[str] = field(repr=False, compare=False)

    def septets(self, char: str) -> int | None:
        """Septets one character costs here, or ``None`` when the alphabet cannot carry it."""
        if char in self.basic:
            return 1
        if char in self.extension:
            return 2
        return None

    def encode(self, text: str) -> bytes:
        """Unpacked septets (one per byte), escape septets included."""
        out = bytearray()
        for char in text:
            if char in self.basic:
                out.append(self.basic[char])
            elif char in self.extension:
                out += bytes((ESCAPE, self.extension[char]))
            else:
                raise ValueError(f"{char!r} is not in the {self.name} alphabet")
        return bytes(out)

    def decode(self, septets: bytes) -> str:
        """The inverse of :meth:`encode`. An escape followed by another escape (an extension
        table this alphabet does not have) reads as a space, as TS 23.038 §6.2.1.1 asks."""
        chars: list[str] = []
        escaped = False
        for septet in septets:
            if not escaped and septet == ESCAPE:
                escaped = True
                continue
            if escaped and septet == ESCAPE:
                chars.append(" ")
                escaped = False
                continue
            table = self.extension_table if escaped else self.basic_table
            char = table[septet & 0x7F]
            if char == UNUSED:
                raise ValueError(
                    f"septet 0x{septet:02X} is not defined in the {self.name} alphabet"
                )
            chars.append(char)
            escaped = False
        if escaped:
            raise ValueError("the septets end with an escape that has no character after it")
        return "".join(chars)

    @property
    def name(self) -> str:
        return f"locking={self.locking or 'default'} single={self.single or 'default'}"


def _index(table: str) -> dict[str, int]:
    index: dict[str, int] = {}
    for septet, char in enumerate(table):
        if char != UNUSED and septet != ESCAPE:
            index.setdefault(char, septet)
    return index


@cache
def get_alphabet(locking: str | None = None, single: str | None = None) -> Alphabet:
    """The alphabet for a locking shift language and a single shift language (``None`` for
    the default table of either). Raises ``KeyError`` for a language without such a table."""
    basic_table = LOCKING_SHIFT_TABLES[locking] if locking else DEFAULT_BASIC_TABLE
    extension_table = SINGLE_SHIFT_TABLES[single] if single else DEFAULT_EXTENSION_TABLE
    basic = _index(basic_table)
    extension = {c: s for c, s in _index(extension_table).items() if c not in basic}
    return Alphabet(
        locking=locking,
        single=single,
        basic_table=basic_table,
        extension_table=extension_table,
        basic=basic,
        extension=extension,
        chars=frozenset(basic) | frozenset(extension),
        escaped_chars=frozenset(extension),
    )


DEFAULT_ALPHABET = get_alphabet()
