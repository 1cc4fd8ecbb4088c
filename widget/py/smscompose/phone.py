"""The To number: what an agent types, pastes or dials, checked and normalized to E.164.

Only the core ``phonenumbers`` API is used (parse, validity, number type, formatting): in the
browser the ``phonenumberslite`` distribution provides it without the geocoder, carrier and
time zone data.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any

import phonenumbers
from phonenumbers import NumberParseException, PhoneNumberFormat, PhoneNumberType, ValidationResult

from .messages import DEFAULT_LANGUAGE, Problem

__all__ = [
    "DEFAULT_ALLOWED_TYPES",
    "DIALPAD_KEYS",
    "DIALPAD_LAYOUT",
    "NUMBER_TYPES",
    "NumberCheck",
    "check_number",
    "dialpad_append",
    "dialpad_backspace",
]

FIELD = "to"

#: ``PhoneNumberType`` constants by their lowercase names, the type codes used in this package.
NUMBER_TYPES: dict[str, int] = {
    name.lower(): getattr(PhoneNumberType, name)
    for name in (
        "FIXED_LINE",
        "MOBILE",
        "FIXED_LINE_OR_MOBILE",
        "TOLL_FREE",
        "PREMIUM_RATE",
        "SHARED_COST",
        "VOIP",
        "PERSONAL_NUMBER",
        "PAGER",
        "UAN",
        "VOICEMAIL",
        "UNKNOWN",
    )
}
_TYPE_NAMES = {value: name for name, value in NUMBER_TYPES.items()}

#: Numbers in the US and Canada cannot be told apart, so they are all ``fixed_line_or_mobile``.
DEFAULT_ALLOWED_TYPES: frozenset[str] = frozenset({"mobile", "fixed_line_or_mobile"})

#: Grouping that people and address books put into numbers; none of it carries meaning.
_SEPARATORS = frozenset("-./()[]\u2010\u2011\u2012\u2013\u2014\u2212\uff0d\uff0e\uff0f\uff08\uff09")
_PLUS = frozenset("+\uff0b")

_PARSE_ERRORS = {
    NumberParseException.INVALID_COUNTRY_CODE: "phone.invalid_country_code",
    NumberParseException.NOT_A_NUMBER: "phone.not_a_number",
    NumberParseException.TOO_SHORT_AFTER_IDD: "phone.too_short",
    NumberParseException.TOO_SHORT_NSN: "phone.too_short",
    NumberParseException.TOO_LONG: "phone.too_long",
}
_LENGTH_REASONS = {
    ValidationResult.TOO_SHORT: "phone.too_short",
    ValidationResult.TOO_LONG: "phone.too_long",
    ValidationResult.INVALID_COUNTRY_CODE: "phone.invalid_country_code",
}

#: The dial pad as the agent sees it, row by row (a phone's layout, with ``+`` for abroad).
DIALPAD_LAYOUT = ("1", "2", "3", "4", "5", "6", "7", "8", "9", "*", "0", "#", "+")
DIALPAD_KEYS = frozenset(DIALPAD_LAYOUT)


@dataclass(frozen=True)
class NumberCheck:
    """The outcome of checking a To number.

    ``e164``, ``region``, ``number_type`` and ``display`` are set whenever the input is a valid
    phone number, also when policy refuses it (type or country), so the panel can show what the
    number is while saying why it cannot be used; ``valid`` means it may be used.
    """

    raw: str
    e164: str | None = None
    region: str | None = None
    number_type: str | None = None
    problem: Problem | None = None

    @property
    def valid(self) -> bool:
        return self.problem is None and self.e164 is not None

    @property
    def display(self) -> str | None:
        """The number as people write it internationally (``+49 151 12345678``). Formatted
        when asked for: the panel shows it, the relay's re-check of a message never needs it,
        and formatting cost as much as the rest of the check."""
        return None if self.e164 is None else _international(self.e164)

    def to_dict(self, lang: str = DEFAULT_LANGUAGE) -> dict[str, Any]:
        return {
            "raw": self.raw,
            "valid": self.valid,
            "e164": self.e164,
            "region": self.region,
            "number_type": self.number_type,
            "display": self.display,
            "problem": self.problem.to_dict(lang) if self.problem else None,
        }


# The panel re-checks the unchanged To on every keystroke in the text, and a relay sees the same
# customers again; a look in phonenumbers' metadata costs about 80 µs natively, several times
# that in Pyodide. A check is a pure function of its arguments and its result is immutable.
@lru_cache(maxsize=4096)
def check_number(
    raw: str,
    *,
    default_region: str = "DE",
    allowed_types: frozenset[str] = DEFAULT_ALLOWED_TYPES,
    allowed_countries: frozenset[str] | None = None,
) -> NumberCheck:
    """Check a number as typed, pasted or dialled.

    ``default_region`` (ISO 3166 code) reads national numbers with their trunk prefix;
    ``allowed_types`` are type codes from :data:`NUMBER_TYPES`; ``allowed_countries`` are ISO
    region codes, ``None`` for all. Raises ``ValueError`` only for an unknown type code.
    """
    unknown = set(allowed_types) - NUMBER_TYPES.keys()
    if unknown:
        raise ValueError(f"unknown number types: {', '.join(sorted(unknown))}")

    if not raw or raw.isspace():
        return _refused(raw, "phone.empty")

    compact, bad = _compact(raw)
    if bad:
        return _refused(raw, "phone.invalid_characters", chars=" ".join(map(_visible, bad)))
    if not any(char.isdigit() for char in compact):
        return _refused(raw, "phone.not_a_number")
    # Agents type 00 out of habit even where the international prefix is something else.
    if compact.startswith("00"):
        compact = "+" + compact[2:]

    try:
        number = phonenumbers.parse(compact, default_region.upper())
    except NumberParseException as error:
        return _refused(raw, _PARSE_ERRORS.get(error.error_type, "phone.invalid"))

    # A number is valid exactly when its region's metadata gives it a type (that is how
    # phonenumbers decides is_valid_number): one look instead of two.
    kind = phonenumbers.number_type(number)
    if kind == PhoneNumberType.UNKNOWN:
        return _refused(raw, _invalid_reason(number, allowed_types))

    region = phonenumbers.region_code_for_number(number)
    number_type = _TYPE_NAMES.get(kind, "unknown")
    found = NumberCheck(
        raw,
        e164=phonenumbers.format_number(number, PhoneNumberFormat.E164),
        region=region,
        number_type=number_type,
    )
    if allowed_countries is not None and region not in {c.upper() for c in allowed_countries}:
        problem = Problem("phone.country_not_allowed", FIELD, {"country": region})
        return replace(found, problem=problem)
    if number_type not in allowed_types:
        problem = Problem("phone.type_not_allowed", FIELD, {"type": number_type})
        return replace(found, problem=problem)
    return found


@lru_cache(maxsize=4096)
def _international(e164: str) -> str:
    return phonenumbers.format_number(phonenumbers.parse(e164), PhoneNumberFormat.INTERNATIONAL)


def dialpad_append(current: str, key: str) -> str:
    """The number after pressing ``key`` on the dial pad; ``+`` counts only as first character."""
    if key not in DIALPAD_KEYS or len(key) != 1:
        raise ValueError(f"not a dial pad key: {key!r}")
    if key == "+" and current.strip():
        return current
    return current + key


def dialpad_backspace(current: str) -> str:
    """The number after pressing backspace: the last visible character goes, and with it the
    spacing around it, so every press removes something the agent can see."""
    return current.rstrip()[:-1].rstrip()


def _refused(raw: str, code: str, **params: Any) -> NumberCheck:
    return NumberCheck(raw, problem=Problem(code, FIELD, params))


def _compact(raw: str) -> tuple[str, list[str]]:
    """The input without spacing and grouping, and the characters that have no place in it."""
    kept: list[str] = []
    bad: list[str] = []
    for char in raw:
        if char.isspace() or char in _SEPARATORS or unicodedata.category(char) == "Cf":
            continue
        if char in _PLUS and not kept:
            kept.append("+")
        elif char.isdecimal():
            # Full-width and other script digits arrive from pasted text; parse wants ASCII.
            kept.append(str(unicodedata.decimal(char)))
        elif char not in bad:
            bad.append(char)
    return "".join(kept), bad


def _invalid_reason(number: phonenumbers.PhoneNumber, allowed_types: frozenset[str]) -> str:
    reason = phonenumbers.is_possible_number_with_reason(number)
    if reason == ValidationResult.IS_POSSIBLE and allowed_types & DEFAULT_ALLOWED_TYPES:
        # Countries with short fixed-line numbers (Germany) accept almost any length in
        # general; measured against mobile numbers, "0151 234" is plainly too short.
        reason = phonenumbers.is_possible_number_for_type_with_reason(
            number, PhoneNumberType.MOBILE
        )
    return _LENGTH_REASONS.get(reason, "phone.invalid")


def _visible(char: str) -> str:
    # A control character in a message would show as nothing at all.
    return char if char.isprintable() else f"U+{ord(char):04X}"
