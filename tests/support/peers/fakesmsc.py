"""The line format of Kannel's test SMS center, ``fakesmsc``, in both directions.

bearerbox's ``smsc = fake`` connection hands fakesmsc every message sent to a phone, which
fakesmsc prints as ``Got message N: <sender receiver type …>``: ``text <text>``, ``data
<url-encoded bytes>``, ``ucs-2 <url-encoded UTF-16BE>`` or ``udh <url-encoded UDH> data
<url-encoded body>``. The fake connection does not convert the body to the GSM alphabet, so a
7-bit body is bearerbox's internal UTF-8 and a UCS-2 body is UTF-16BE.

The other way, each line fakesmsc reads (in its interactive mode, from its standard input) is a
customer's message to bearerbox: ``sender receiver text <text>`` (7-bit, UTF-8 as bearerbox
holds it), ``ucs2 <url-encoded UTF-16BE>``, ``udh-text <url-encoded UDH> <text>``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import quote_from_bytes, unquote_to_bytes

__all__ = ["MAX_LINE", "FakeSmscMessage", "mobile_originated_line", "parse_fakesmsc_line"]

#: fakesmsc reads its standard input with a 256-byte buffer: a longer line would be cut into
#: two messages.
MAX_LINE = 254

_GOT_MESSAGE = re.compile(r"Got message \d+: <(.*)>$")


@dataclass(frozen=True)
class FakeSmscMessage:
    """One message the fake SMS center received from bearerbox."""

    sender: str
    receiver: str
    #: The user data header, with its length byte; empty without one.
    udh: bytes
    #: The body as bearerbox held it: UTF-8 for 7-bit text, UTF-16BE for UCS-2.
    data: bytes


def parse_fakesmsc_line(line: str) -> FakeSmscMessage | None:
    """The message in one line of fakesmsc's output, or ``None`` for other log lines."""
    match = _GOT_MESSAGE.search(line.rstrip("\n"))
    if match is None:
        return None
    sender, receiver, kind, rest = match.group(1).split(" ", 3)
    if kind == "udh":
        udh, _body_kind, body = rest.split(" ", 2)
        return FakeSmscMessage(sender, receiver, _url_decode(udh), _url_decode(body))
    if kind == "text":
        return FakeSmscMessage(sender, receiver, b"", rest.encode())
    return FakeSmscMessage(sender, receiver, b"", _url_decode(rest))


def mobile_originated_line(
    sender: str, receiver: str, text: str, *, ucs2: bool = False, udh: bytes = b""
) -> str:
    """The line that makes fakesmsc send bearerbox a customer's message: 7-bit text, or UCS-2
    (``ucs2``), or 7-bit text after a user data header (``udh``, e.g. one part of a
    concatenated message). Raises ``ValueError`` for what a line cannot carry."""
    if ucs2 and udh:
        raise ValueError("fakesmsc sends a user data header with 7-bit text only")
    if not ucs2 and any(c in text for c in "\r\n"):
        raise ValueError("a 7-bit line cannot hold a line break: send it as UCS-2")
    if udh:
        line = f"{sender} {receiver} udh-text {_url_encode(udh)} {text}"
    elif ucs2:
        line = f"{sender} {receiver} ucs2 {_url_encode(text.encode('utf-16-be'))}"
    else:
        line = f"{sender} {receiver} text {text}"
    if len(line.encode()) > MAX_LINE:
        raise ValueError(f"{len(line.encode())} bytes: fakesmsc reads at most {MAX_LINE}")
    return line


def _url_decode(text: str) -> bytes:
    """Kannel's URL encoding: a space is ``+``, a ``+`` is ``%2B``."""
    return unquote_to_bytes(text.replace("+", " "))


def _url_encode(data: bytes) -> str:
    return quote_from_bytes(data, safe="")
