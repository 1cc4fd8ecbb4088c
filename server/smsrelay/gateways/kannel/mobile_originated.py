"""A customer's message as Kannel's sms-service passes it on: the get-url's parameters, read as
octets, and the text decoded in the charset Kannel names.

Kannel holds a message's text as it came: a 7-bit (GSM) message converted to UTF-8, a UCS-2
one as the UTF-16BE the phone sent, an 8-bit one as raw octets. ``%b`` passes those octets
unchanged, ``%C`` names their charset and ``%c`` the coding. ``%a`` is not used: it splits the
text into words and joins them with ``+``, so runs of spaces and line breaks are lost, and in
UTF-16BE an octet 0x09–0x0D or 0x20 inside a character (``Č`` is ``01 0C``) is taken for a
space and dropped. A URL without ``charset`` (printed by an older relay) is read as UTF-8.
"""

from __future__ import annotations

import codecs
from urllib.parse import unquote_to_bytes

__all__ = ["UnreadableParameter", "UnreadableText", "decode_text", "query_octets", "text_params"]

#: ``%C``'s names for what is not a charset Python knows by that name.
_CHARSETS = {"UTF-16BE": "utf-16-be", "UCS-2": "utf-16-be", "UTF-8": "utf-8"}
#: ``%C`` for an 8-bit message: octets that are text only if they happen to be UTF-8.
_BINARY = "8-BIT"


class UnreadableParameter(ValueError):
    """A parameter other than the text that is not UTF-8 (its name is the argument)."""


class UnreadableText(ValueError):
    """The text is not valid in the charset Kannel named, or that charset is unknown."""

    def __init__(self, charset: str) -> None:
        super().__init__(charset)
        self.charset = charset


def query_octets(query: bytes) -> dict[str, bytes]:
    """A query string (or a form-encoded body) as names and the octets of their values; a
    name given twice keeps its last value."""
    params: dict[str, bytes] = {}
    for pair in query.split(b"&"):
        if not pair:
            continue
        name, _, value = pair.partition(b"=")
        params[_unquote(name).decode("utf-8", "replace")] = _unquote(value)
    return params


def text_params(octets: dict[str, bytes]) -> dict[str, str]:
    """Every parameter but ``text`` as UTF-8 text (raises :class:`UnreadableParameter`)."""
    params = {}
    for name, value in octets.items():
        if name == "text":
            continue
        try:
            params[name] = value.decode("utf-8")
        except UnicodeDecodeError:
            raise UnreadableParameter(name) from None
    return params


def decode_text(raw: bytes, charset: str | None) -> str:
    """The customer's text from the octets of ``%b`` in the charset of ``%C`` (None: UTF-8).
    Raises :class:`UnreadableText` rather than guess: nothing is stored with replacement
    characters."""
    name = (charset or "UTF-8").strip().upper()
    if name == _BINARY:
        codec = "utf-8"
    else:
        codec = _CHARSETS.get(name, name)
        try:
            codecs.lookup(codec)
        except LookupError:
            raise UnreadableText(name) from None
    try:
        return raw.decode(codec)
    except (UnicodeDecodeError, LookupError):
        # LookupError: a codec that is no text encoding (rot13, base64).
        raise UnreadableText(name) from None


def _unquote(octets: bytes) -> bytes:
    """Form encoding: ``+`` is a space, ``%2B`` a plus."""
    return unquote_to_bytes(octets.replace(b"+", b" "))
