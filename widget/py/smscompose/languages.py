"""The languages the panel speaks and the one rule that picks one.

The panel, the relay's error answers and the CLI all pick through :func:`pick_language`, so an
agent whose browser says ``de-AT`` reads German everywhere, and a language we do not speak
falls back the same way in all three.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Final

LANGUAGES: Final = ("de", "en")
#: What an unsupported or missing language falls back to when nothing better is known.
DEFAULT_LANGUAGE: Final = "en"


def supported(tag: object) -> str | None:
    """``"de"`` for ``de``, ``de-AT`` or ``DE_de``; None for a language we do not speak."""
    if not isinstance(tag, str):
        return None
    primary = tag.strip().replace("_", "-").split("-")[0].lower()
    return primary if primary in LANGUAGES else None


def pick_language(*candidates: object, default: str = DEFAULT_LANGUAGE) -> str:
    """The first supported of ``candidates`` (most specific first: the element's ``lang``,
    then the page's, then the tenant's), else ``default``."""
    for candidate in candidates:
        found = supported(candidate)
        if found is not None:
            return found
    return supported(default) or DEFAULT_LANGUAGE


def _one_is_exactly_one(count: object) -> str:
    # bool is an int, but True is no count.
    return "one" if type(count) is int and count == 1 else "other"


#: CLDR's cardinal plural rule of each language: the category of a count, which picks the form
#: of a counted word. German and English: "one" for exactly 1, "other" for every other
#: number (0, 2, 21, 1.5).
PLURAL_RULES: Final[Mapping[str, Callable[[object], str]]] = {
    "de": _one_is_exactly_one,
    "en": _one_is_exactly_one,
}


def plural_category(lang: str, count: object) -> str:
    """``"one"`` or ``"other"``: the plural category of ``count`` in ``lang`` (a language we
    do not speak follows the default language's rule)."""
    rule = PLURAL_RULES.get(lang) or PLURAL_RULES[DEFAULT_LANGUAGE]
    return rule(count)
