"""Bad input as the agent is told about it: a FastAPI/pydantic validation error or an
unreadable body becomes one relay code with the field it concerns, worded in German and
English by the catalog — never pydantic's English sentence inside a German message."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from .errors import ApiError

#: pydantic error types and the code each becomes; anything else is ``request.invalid``.
_CODES = {
    "missing": "request.field_missing",
    "extra_forbidden": "request.unknown_field",
    "string_too_long": "request.too_long",
    "too_long": "request.too_long",
    "string_too_short": "request.empty",
    "character_not_allowed": "request.character_not_allowed",
    # pydantic's word for a string with a lone surrogate (JSON "\\ud800").
    "string_unicode": "request.character_not_allowed",
    "json_invalid": "request.invalid_json",
    "model_type": "request.not_an_object",
    "model_attributes_type": "request.not_an_object",
    "dict_type": "request.not_an_object",
}
_WRONG_TYPES = ("_type", "_parsing", "literal_error", "enum", "greater_than", "less_than")


def validation_error(errors: Sequence[Mapping[str, Any]]) -> ApiError:
    """The first problem of a request that failed validation, as the relay reports it."""
    first = errors[0] if errors else {}
    kind = str(first.get("type", ""))
    location = tuple(str(p) for p in first.get("loc", ()))
    if location == ("header", "idempotency-key") and kind == "missing":
        return ApiError(400, "request.idempotency_key_missing", "Idempotency-Key")
    where = [p for p in location if p not in ("body", "query", "path", "header")]
    field = ".".join(where) or None
    name = field or "body"
    context = first.get("ctx") or {}
    code = _CODES.get(kind)
    if code is None and (kind.endswith(_WRONG_TYPES) or kind.startswith(_WRONG_TYPES)):
        code = "request.wrong_type"
    if code == "request.not_an_object" and field is not None:
        code = "request.wrong_type"
    if code is None:
        return ApiError(422, "request.invalid", field, {"detail": str(first.get("msg", ""))})
    params: dict[str, Any] = {"name": name}
    if code == "request.too_long":
        params["max"] = context.get("max_length", "?")
    if code == "request.character_not_allowed":
        params["char"] = context.get("char", "U+D800–U+DFFF")
    # Not JSON at all is malformed (400); JSON that says the wrong thing is 422.
    return ApiError(400 if code == "request.invalid_json" else 422, code, field, params)


def unreadable_body(cause: BaseException | None) -> ApiError:
    """A body the framework could not even decode (it answers 400 "error parsing the body")."""
    if isinstance(cause, UnicodeDecodeError):
        return ApiError(400, "request.not_utf8")
    return ApiError(400, "request.invalid_json")
