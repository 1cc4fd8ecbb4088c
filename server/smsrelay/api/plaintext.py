"""Text the relay takes from a client: no control characters (other than line breaks and
tabs) and no lone surrogates. JSON allows ``"\\ud800"``, but such a string cannot be stored,
logged or sent as an SMS, so it is refused at the door with the field it was found in."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from pydantic_core import PydanticCustomError

_FORBIDDEN_CHARS = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f\ud800-\udfff]")
#: JSON nests as deep as a client likes; a draft never needs more than a few levels.
MAX_DEPTH = 32


def plain_text(value: str) -> str:
    found = _FORBIDDEN_CHARS.search(value)
    if found:
        raise PydanticCustomError(
            "character_not_allowed",
            "character {char} is not allowed",
            {"char": f"U+{ord(found.group()):04X}"},
        )
    return value


def plain_tree(value: Any, depth: int = 0) -> Any:
    """``value`` (parsed JSON) when every string and key in it is plain text."""
    if depth > MAX_DEPTH:
        raise PydanticCustomError("too_deep", "nested deeper than {max} levels", {"max": MAX_DEPTH})
    if isinstance(value, str):
        return plain_text(value)
    if isinstance(value, Mapping):
        for key, item in value.items():
            plain_text(str(key))
            plain_tree(item, depth + 1)
    elif isinstance(value, list):
        for item in value:
            plain_tree(item, depth + 1)
    return value
