"""Logs that keep customers' data and the relay's secrets out.

httpx logs every request at INFO with its full URL, and Kannel's sendsms API takes everything
in the query string: the account's password, the customer's number and the message text. This
filter logs such URLs without their query (``…/sendsms?…``)."""

from __future__ import annotations

import logging

import httpx


class UrlQueryRedaction(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple) and any(
            isinstance(a, httpx.URL) and a.query for a in record.args
        ):
            record.args = tuple(_redacted(a) for a in record.args)
        return True


def _redacted(arg: object) -> object:
    if isinstance(arg, httpx.URL) and arg.query:
        return f"{arg.copy_with(query=None)}?…"
    return arg


_FILTER = UrlQueryRedaction()


def redact_http_client_logs() -> None:
    """Install the filter on httpx's logger (idempotent)."""
    logger = logging.getLogger("httpx")
    if _FILTER not in logger.filters:
        logger.addFilter(_FILTER)
