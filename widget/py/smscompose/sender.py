"""The From address: a phone number, a short code or an alphanumeric sender ID."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Literal

import phonenumbers
from phonenumbers import NumberParseException, PhoneNumberFormat

from .alphabets import DEFAULT_ALPHABET
from .messages import Problem

__all__ = [
    "ALPHANUMERIC_MAX_LENGTH",
    "SHORT_CODE_MAX_LENGTH",
    "SHORT_CODE_MIN_LENGTH",
    "InvalidSenderAddress",
    "SenderAddress",
    "SenderKind",
]

FIELD = "from"

SenderKind = Literal["number", "short_code", "alphanumeric"]

#: The originating address field holds 11 packed septets for an alphanumeric sender.
ALPHANUMERIC_MAX_LENGTH = 11
SHORT_CODE_MIN_LENGTH = 3
SHORT_CODE_MAX_LENGTH = 8

# Grouping an administrator may type into a number; it carries no meaning.
_GROUPING = re.compile(r"[\s\-./()]")
_DIGITS = re.compile(r"[0-9]+")
_INTERNATIONAL = re.compile(r"\+[0-9]*")
# Line breaks are in the basic table but would not survive as a sender name.
_ALPHANUMERIC_CHARS = frozenset(DEFAULT_ALPHABET.basic) - {"\n", "\r"}


class InvalidSenderAddress(ValueError):
    """A sender address that cannot be used; ``problem`` says why."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(f"{problem.code}: {problem.message()}")
        self.problem = problem


@dataclass(frozen=True)
class SenderAddress:
    """Where an SMS comes from. ``value`` is normalized: E.164 for a number, the digits of a
    short code, the trimmed text of an alphanumeric sender ID."""

    kind: SenderKind
    value: str
    label: str | None = None

    @classmethod
    def parse(cls, raw: str, label: str | None = None) -> SenderAddress:
        """Read a sender address as an administrator configures it.

        ``+`` and digits is a number (any valid number, whatever its type); 3 to 8 digits is a
        short code; anything else is an alphanumeric sender ID of 1 to 11 characters of the
        GSM 7-bit default alphabet with at least one letter. Raises
        :class:`InvalidSenderAddress`.
        """
        label = (label.strip() or None) if label is not None else None
        text = raw.strip()
        if not text:
            raise _invalid("sender.empty")

        compact = _GROUPING.sub("", text)
        if _INTERNATIONAL.fullmatch(compact):
            return cls("number", _e164(compact), label)
        if _DIGITS.fullmatch(compact):
            if SHORT_CODE_MIN_LENGTH <= len(compact) <= SHORT_CODE_MAX_LENGTH:
                return cls("short_code", compact, label)
            if len(compact) > SHORT_CODE_MAX_LENGTH:
                raise _invalid("sender.number_needs_country_code")
            raise _invalid("sender.invalid")
        return cls("alphanumeric", _alphanumeric(text), label)

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "value": self.value, "label": self.label}


def _e164(compact: str) -> str:
    try:
        number = phonenumbers.parse(compact, None)
    except NumberParseException:
        raise _invalid("sender.invalid") from None
    if not phonenumbers.is_valid_number(number):
        raise _invalid("sender.invalid")
    return phonenumbers.format_number(number, PhoneNumberFormat.E164)


def _alphanumeric(text: str) -> str:
    # Escape characters ({, €, ...) would cost two septets each and many networks drop them.
    bad = [c for c in dict.fromkeys(text) if c not in _ALPHANUMERIC_CHARS]
    if bad:
        raise _invalid("sender.alphanumeric_not_gsm", chars=" ".join(map(_visible, bad)))
    if len(text) > ALPHANUMERIC_MAX_LENGTH:
        raise _invalid(
            "sender.alphanumeric_too_long", length=len(text), max=ALPHANUMERIC_MAX_LENGTH
        )
    if not any(c.isalpha() for c in text):
        raise _invalid("sender.alphanumeric_needs_letter")
    return text


def _invalid(code: str, **params: Any) -> InvalidSenderAddress:
    return InvalidSenderAddress(Problem(code, FIELD, params))


def _visible(char: str) -> str:
    # A control character in a message would show as nothing at all.
    return char if char.isprintable() else f"U+{ord(char):04X}"
