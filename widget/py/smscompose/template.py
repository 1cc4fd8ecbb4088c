"""Administrator templates with placeholders such as ``{{customer.first_name|Kunde}}``.

Expansion is plain string substitution in one pass: values are looked up in mappings only
(never attributes), inserted as text, and never expanded again, so neither a template nor a CRM
field can run code or smuggle in markup. Anything that is not exactly a placeholder stays
literal text: ``{`` and ``}`` are ordinary characters in an SMS.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from .messages import Problem

__all__ = [
    "Expansion",
    "Placeholder",
    "Template",
    "bare_text",
    "expand",
    "missing_problems",
    "unfilled_placeholders",
]

FIELD = "text"

# Spacing inside the braces stays on one line: a placeholder never spans a line break.
_PLACEHOLDER = re.compile(
    r"\{\{[ \t\u00a0]*"
    r"(?P<name>[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z0-9_]+)*)"
    r"[ \t\u00a0]*"
    r"(?:\|(?P<default>[^{}\r\n]*))?"
    r"\}\}"
)
# Line breaks and tabs from a CRM field would break the SMS layout; they become one space.
_BREAKS = re.compile(r"[\t\n\v\f\r\x1c-\x1e\x85\u2028\u2029]+")
_MAX_PLAIN_DIGITS = 40


@dataclass(frozen=True)
class Placeholder:
    """One placeholder in a text: its dotted name, its default (``None`` without ``|``; an
    empty default means "leave empty") and the span ``text[start:end]`` of its marker."""

    name: str
    default: str | None
    start: int
    end: int

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "default": self.default, "start": self.start, "end": self.end}


@dataclass(frozen=True)
class Expansion:
    """A template text with its placeholders filled.

    ``filled`` names the placeholders that were replaced, by a value or by their default;
    ``defaulted`` those of them that fell back to the default; ``missing`` those left in the
    text because there was neither. Names are unique and in order of appearance.
    """

    text: str
    missing: tuple[str, ...] = ()
    filled: tuple[str, ...] = ()
    defaulted: tuple[str, ...] = ()

    @property
    def complete(self) -> bool:
        return not self.missing

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "missing": list(self.missing),
            "filled": list(self.filled),
            "defaulted": list(self.defaulted),
            "complete": self.complete,
        }


@dataclass(frozen=True)
class Template:
    """A message text set up by an administrator."""

    id: str
    name: str
    text: str
    language: str | None = None

    @property
    def placeholders(self) -> tuple[Placeholder, ...]:
        return unfilled_placeholders(self.text)

    def expand(self, context: Mapping[str, object]) -> Expansion:
        return expand(self.text, context)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "text": self.text,
            "language": self.language,
            "placeholders": [p.to_dict() for p in self.placeholders],
        }


def expand(text: str, context: Mapping[str, object]) -> Expansion:
    """Fill the placeholders of ``text`` from ``context``.

    A name is looked up as a path through nested mappings (``context["customer"]["first_name"]``)
    or as a flat key (``context["customer.first_name"]``). Strings, integers, floats and
    decimals are values; anything else, and text that is empty once cleaned, is no value.
    """
    missing: dict[str, None] = {}
    filled: dict[str, None] = {}
    defaulted: dict[str, None] = {}

    def replace(match: re.Match[str]) -> str:
        name = match["name"]
        value = _lookup(context, name.split("."))
        if value is not None:
            filled[name] = None
            return value
        default = _strip(match["default"])
        if default is not None:
            filled[name] = None
            defaulted[name] = None
            return default
        missing[name] = None
        return match[0]

    result = _PLACEHOLDER.sub(replace, text)
    return Expansion(result, tuple(missing), tuple(filled), tuple(defaulted))


def bare_text(text: str) -> str:
    """The text with every placeholder left empty: the least a template can be once sent, so
    one that is too long even so can never be sent (the admin console and API check it)."""
    return _PLACEHOLDER.sub("", text)


def unfilled_placeholders(text: str) -> tuple[Placeholder, ...]:
    """The placeholders still in ``text``, e.g. after the agent edited an expanded template.
    Sending is blocked while there are any."""
    return tuple(
        Placeholder(m["name"], _strip(m["default"]), m.start(), m.end())
        for m in _PLACEHOLDER.finditer(text)
    )


def missing_problems(text: str) -> tuple[Problem, ...]:
    """One ``template.missing_value`` problem per placeholder name still in ``text``; a name
    used twice is one thing to fill in, so it is reported once."""
    names = dict.fromkeys(p.name for p in unfilled_placeholders(text))
    return tuple(Problem("template.missing_value", FIELD, {"name": name}) for name in names)


def _lookup(context: Mapping[str, object], path: list[str]) -> str | None:
    """The text for ``path`` in ``context``: the nested path first, then the flat dotted key,
    at every level, so ``{"customer": {"address.city": ...}}`` works as well."""
    if len(path) > 1:
        inner = context.get(path[0])
        if isinstance(inner, Mapping):
            found = _lookup(inner, path[1:])
            if found is not None:
                return found
    return _as_text(context.get(".".join(path)))


def _strip(default: str | None) -> str | None:
    return None if default is None else default.strip()


def _as_text(value: object) -> str | None:
    if isinstance(value, bool):
        # bool is an int, but True in an SMS is never what the administrator meant.
        return None
    if isinstance(value, str):
        text = value
    elif isinstance(value, int):
        try:
            text = str(value)
        except ValueError:  # more digits than int-to-str allows: not a value for an SMS
            return None
    elif isinstance(value, float):
        if not math.isfinite(value):
            return None
        text = repr(value)
        if "e" in text:
            text = format(Decimal(text), "f")
    elif isinstance(value, Decimal):
        if not value.is_finite():
            return None
        # Plain digits read best, but 1E+999999 written out would be a megabyte of zeros.
        text = format(value, "f") if abs(value.adjusted()) <= _MAX_PLAIN_DIGITS else str(value)
    else:
        return None
    text = _clean(text)
    return text or None


def _clean(text: str) -> str:
    text = _BREAKS.sub(" ", text)
    text = "".join(c for c in text if unicodedata.category(c) != "Cc")
    return text.strip()
