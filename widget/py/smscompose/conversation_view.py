"""A conversation with a customer as the panel shows it under To: the relay's thread (both
directions, newest first) turned into lines the element puts on screen, oldest first — who
wrote, the text, when (the element formats the time in the panel's language), and for our
messages their status in words. Everything worded here, from the catalog."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from .messages import translate
from .status import MessageStatus

_STATUSES = frozenset(s.value for s in MessageStatus)


def thread_view(
    thread: Mapping[str, Any], lang: str, *, agent: str | None = None
) -> dict[str, Any]:
    """``thread``: the relay's answer (``number``, ``unread``, ``items`` newest first, and
    ``next`` when older ones exist); ``agent``: the panel's own agent, named "you"."""
    number = str(thread.get("number") or "")
    items: Sequence[Mapping[str, Any]] = thread.get("items") or []
    unread = int(thread.get("unread") or 0)
    return {
        "number": number,
        "heading": translate("thread.heading", lang, number=number),
        "empty": None if items else translate("thread.empty", lang),
        "unread": translate("thread.unread", lang, count=unread) if unread else None,
        "older": translate("thread.older", lang) if thread.get("next") else None,
        "next": thread.get("next"),
        "reply": translate("thread.reply", lang),
        "items": [_line(item, lang, agent) for item in reversed(items)],
    }


def _line(item: Mapping[str, Any], lang: str, agent: str | None) -> dict[str, Any]:
    inbound = item.get("direction") == "in"
    status = item.get("status")
    if inbound:
        who = translate("thread.customer", lang)
    elif not item.get("agent") or item.get("agent") == agent:
        who = translate("thread.you", lang)
    else:
        who = translate("thread.colleague", lang, agent=item["agent"])
    return {
        "id": str(item.get("id") or ""),
        "direction": "in" if inbound else "out",
        "who": who,
        "text": str(item.get("text") or ""),
        "at": int(item.get("at") or 0),
        "status": status if not inbound and status in _STATUSES else None,
        "status_label": (
            translate(f"status.{status}", lang) if not inbound and status in _STATUSES else None
        ),
    }


def new_reply(number: str, lang: str) -> str:
    """What the panel announces when a customer's reply comes in."""
    return translate("thread.new_reply", lang, number=number)
