"""What the admin console asks the compose core, through the same worker as the panel.

The console (``/admin`` on the relay) runs no rules of its own: a template's preview and a
sender address's check come from here, worded in the console's language. These actions need
no agent configuration; :mod:`smscompose.panel` answers them before it looks for one.

``{"do": "template_preview", "text", "samples"?, "longest"?, "locking"?, "single"?,
"max_segments"?, "lang"?}`` → ``{"preview": TemplatePreview}``

``{"do": "check_sender", "value", "lang"?}`` → ``{"sender": {"kind", "value"} | None,
"problem": Problem | None}`` — the check the relay makes when the settings are saved.

The panel's thread under To is worded here too, since it changes nothing in the agent's
session: ``{"do": "thread_view", "thread": the relay's thread, "received"?}`` →
``{"thread": …, "announce"?}`` (see :mod:`smscompose.conversation_view`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .conversation_view import new_reply, thread_view
from .messages import Problem
from .segmenter import UnknownLanguageTable
from .sender import InvalidSenderAddress, SenderAddress
from .template_preview import preview_template

#: The longest text the console previews (the relay refuses templates over 5,000 characters,
#: and values add to it).
MAX_PREVIEW_CHARACTERS = 20_000


def template_preview(action: Mapping[str, Any], lang: str) -> dict[str, Any]:
    text = action["text"]
    if not isinstance(text, str) or len(text) > MAX_PREVIEW_CHARACTERS:
        raise TypeError("text")
    limit = action.get("max_segments")
    if limit is not None and (isinstance(limit, bool) or not isinstance(limit, int) or limit < 1):
        raise TypeError("max_segments")
    try:
        preview = preview_template(
            text,
            samples=_values(action.get("samples")),
            longest=_values(action.get("longest")),
            locking=_names(action.get("locking")),
            single=_names(action.get("single")),
            max_segments=limit,
        )
    except UnknownLanguageTable as error:
        problem = Problem("input.unknown_language_table", error.kind, {"language": error.language})
        return {"preview": None, "problem": problem.to_dict(lang)}
    return {"preview": preview.to_dict(lang), "problem": None}


def check_sender(action: Mapping[str, Any], lang: str) -> dict[str, Any]:
    value = action["value"]
    if not isinstance(value, str):
        raise TypeError("value")
    try:
        sender = SenderAddress.parse(value)
    except InvalidSenderAddress as error:
        return {"sender": None, "problem": error.problem.to_dict(lang)}
    return {"sender": {"kind": sender.kind, "value": sender.value}, "problem": None}


def thread(action: Mapping[str, Any], lang: str) -> dict[str, Any]:
    """``{"do": "thread_view", "thread": the relay's thread, "received"?: a new reply}``: the
    thread worded for the panel, and the announcement of a reply that just came."""
    raw = action.get("thread")
    if not isinstance(raw, Mapping):
        raise TypeError("thread")
    answer: dict[str, Any] = {"thread": thread_view(raw, lang, agent=action.get("agent"))}
    received = action.get("received")
    if isinstance(received, Mapping):
        answer["announce"] = new_reply(str(received.get("from") or ""), lang)
    return answer


def _values(raw: object) -> dict[str, str]:
    """Placeholder name → value; anything but text is left out (it is no value)."""
    if raw is None:
        return {}
    if not isinstance(raw, Mapping):
        raise TypeError("values")
    return {k: v for k, v in raw.items() if isinstance(k, str) and isinstance(v, str)}


def _names(raw: object) -> tuple[str, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list) or not all(isinstance(n, str) for n in raw):
        raise TypeError("tables")
    return tuple(raw)
