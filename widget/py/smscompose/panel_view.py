"""The whole view the ``<sms-panel>`` element renders: the compose state plus what surrounds it.

:meth:`ComposeSession.view` says what the compose rules allow; this adds what the panel shows
around them — the hint under To, which problems are listed, the cost, the inbox of parked
drafts and the status of the message sent last — all decided and worded here, so the element
only puts them on screen.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from . import zones
from .compose import ComposeSession, ComposeState
from .cost import cost
from .draft import Draft, Inbox
from .messages import Problem, translate
from .segmenter import Encoding
from .sent import SentMessages

# Shown elsewhere already: To's problem in the hint under To, the queue's by the queue choice,
# the send-at time's in the verdict above Send; and an empty text needs no sentence while the
# agent has not typed yet, nor the customer's time while the panel loads its zone data.
_NOT_LISTED = frozenset({"to", "queue", "send_at"})
_QUIET = frozenset({"compose.text_required", "schedule.pending"})
_ENCODINGS = {Encoding.GSM_7BIT: "preview.encoding_gsm", Encoding.UCS2: "preview.encoding_ucs2"}
#: Characters of a draft's text in its inbox line; the whole text is its tooltip.
SUMMARY_LENGTH = 60


def panel_view(
    session: ComposeSession,
    state: ComposeState,
    *,
    shell: Mapping[str, Any],
    inbox: Inbox,
    sent: SentMessages,
    opted_out: Mapping[str, bool],
) -> dict[str, Any]:
    lang = state.lang
    view = state.to_dict()
    view["draft_id"] = session.draft_id
    view["interaction"] = (
        None
        if session.interaction_id is None
        else {"id": session.interaction_id, "type": session.interaction_type}
    )
    price = cost(shell.get("price_per_segment"), shell.get("currency"), state.message.segments)
    view["cost"] = None if price is None else price.to_dict()
    view["counter_over"] = state.message.segments > state.max_segments
    view["counter_announce"] = counter_announcement(state, lang)
    view["suggestion_label"] = suggestion_label(state, lang)
    view["to_hint"] = _to_hint(state, lang)
    number = state.number
    view["opt_out_query"] = (
        number.e164
        if number is not None and number.valid and number.e164 not in opted_out
        else None
    )
    view["listed_problems"] = [
        p.to_dict(lang)
        for p in state.problems
        if p.field not in _NOT_LISTED and p.code not in _QUIET
    ]
    view["inbox"] = inbox_view(inbox, session.draft_id, lang)
    view["status"] = sent.line(lang, state.time_zone)
    view["scheduled"] = sent.scheduled_view(lang, state.time_zone)
    view["send_at"] = session.send_at
    # The time-zone data is loaded when a view first needs it: for the verdict above Send, or
    # for scheduled messages' times in the agent's zone.
    wanted = state.timing is not None and state.timing.zones_wanted
    view["zones_needed"] = wanted or (
        sent.waiting and state.time_zone is not None and not zones.data_loaded()
    )
    return view


def counter_announcement(state: ComposeState, lang: str) -> str:
    """What a screen reader hears of the counter once typing pauses: "21 characters,
    1 segment, GSM 7-bit"."""
    message = state.message
    return translate(
        "counter.announce",
        lang,
        characters_text=translate("count.characters", lang, characters=message.units),
        segments_text=translate("count.segments", lang, segments=message.segments),
        encoding=translate(_ENCODINGS[message.encoding], lang),
    )


def suggestion_label(state: ComposeState, lang: str) -> str | None:
    """The look-alike suggestion's button: with the segments it saves, if it saves any."""
    suggestion = state.suggestion
    if suggestion is None:
        return None
    if suggestion.segments_after >= suggestion.segments_before:
        return translate("counter.suggestion_same", lang)
    current = translate("count.segments", lang, segments=suggestion.segments_before)
    return translate(
        "counter.suggestion", lang, segments=suggestion.segments_after, current_text=current
    )


def _to_hint(state: ComposeState, lang: str) -> dict[str, Any]:
    """The line under To: the number as it will be dialled, or why it cannot be used."""
    opted_out = next((p for p in state.problems if p.code == "recipient.opted_out"), None)
    number = state.number
    problem: Problem | None = opted_out or (number.problem if number is not None else None)
    if problem is not None:
        return {"text": problem.message(lang), "tone": "problem", "code": problem.code}
    if number is not None and number.valid:
        return {"text": number.display or number.e164 or "", "tone": "ok", "code": None}
    return {"text": "", "tone": "none", "code": None}


def inbox_view(inbox: Inbox, active: str | None, lang: str) -> dict[str, Any]:
    """The parked drafts as the inbox lists them; the one being edited is not among them."""
    items = [_inbox_item(d, lang) for d in inbox.drafts if d.id != active]
    return {"items": items, "empty": translate("inbox.empty", lang) if not items else None}


def _inbox_item(draft: Draft, lang: str) -> dict[str, Any]:
    if draft.to:
        to = translate("inbox.to", lang, to=draft.to)
    else:
        to = translate("inbox.no_number", lang)
    summary = f"{to} – {draft.text[:SUMMARY_LENGTH]}"
    return {
        "id": draft.id,
        "summary": summary,
        "text": draft.text,
        "resume_label": translate("inbox.resume", lang, summary=summary),
    }
