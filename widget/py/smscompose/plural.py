"""A catalog message whose words depend on a number: one form per plural category of the
language ("1 neue Antwort", "2 neue Antworten"), never "Antwort(en)". Shared by the catalog's
modules (:mod:`smscompose.messages`) and the relay's error catalog."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .languages import plural_category


@dataclass(frozen=True)
class Plural:
    """A message in one language whose words depend on the number in the parameter ``by``:
    its form for each plural category (:func:`~smscompose.languages.plural_category`;
    German and English have ``one`` and ``other``)."""

    by: str
    one: str
    other: str

    def form(self, lang: str, params: Mapping[str, Any]) -> str:
        return self.one if plural_category(lang, params[self.by]) == "one" else self.other

    @property
    def forms(self) -> tuple[str, ...]:
        return (self.one, self.other)
