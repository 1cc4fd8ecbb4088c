"""The browser panel's entry point: one compose session, actions in, the view out, as JSON.

The ``<sms-panel>`` element's worker holds one ``Panel`` and forwards every input to
``Panel.act``; it never decides anything itself. Strings cross the Web Worker boundary faster
than proxies, and JSON keeps the contract the same in Pyodide and in the tests.

An action is ``{"do": NAME, ...arguments}``; the answer is ``{"view": ComposeState, ...}``, or
``{"error": Problem, "view": ...}`` when the action was refused (the session is unchanged).

The admin console uses the same worker for actions that need no agent session (a template's
preview, a sender address's check; :mod:`smscompose.console_actions`): they are answered
without a configuration, in the action's ``lang``.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from . import console_actions
from .compose import ComposeError, ComposeSession, ComposeState
from .config import ComposeConfig, InvalidConfig
from .draft import Draft, DraftError, Inbox
from .interaction import interaction_type
from .languages import pick_language
from .messages import Problem
from .panel_view import panel_view
from .phone import DIALPAD_KEYS
from .sent import SentMessages, StatusChange

# What the relay's compose-config adds for the shell (cost hint, who is signed in); the core's
# configuration does not know these keys.
_SHELL_KEYS = frozenset({"agent", "tenant", "price_per_segment", "currency"})


class Panel:
    """One agent's panel: the configuration, the session and the language it is shown in."""

    def __init__(self) -> None:
        self._session: ComposeSession | None = None
        #: What the host asked for (the element's ``lang``, then the page's), most specific first.
        self._host_langs: tuple[object, ...] = ()
        self._shell: dict[str, Any] = {}
        self._inbox = Inbox()
        self._sent_messages = SentMessages()
        #: What the relay said of each number asked about: True for a number that replied STOP.
        self._opted_out: dict[str, bool] = {}

    @property
    def lang(self) -> str:
        tenant = self._session.config.language if self._session is not None else None
        return pick_language(*self._host_langs, tenant)

    # -- JSON in, JSON out: what the worker calls ---------------------------------------------

    def act_json(self, action: str) -> str:
        try:
            data = json.loads(action)
        except ValueError:
            data = None
        if not isinstance(data, dict):
            data = {"do": ""}
        return json.dumps(self.act(data), ensure_ascii=False, separators=(",", ":"))

    def act(self, action: Mapping[str, Any]) -> dict[str, Any]:
        name = action.get("do")
        if isinstance(name, str) and name in _CONSOLE_ACTIONS:
            return self._console(name, action)
        handler = _ACTIONS.get(name) if isinstance(name, str) else None
        if handler is None:
            return self._answer(error=Problem("panel.unknown_action", None, {"action": name}))
        if handler is not Panel._configure and self._session is None:
            return self._answer(error=Problem("panel.not_configured"))
        try:
            extra = handler(self, action)
        except (ComposeError, DraftError) as error:
            return self._answer(error=error.problem)
        except InvalidConfig as error:
            return self._answer(error=Problem("panel.bad_config", None, {"detail": str(error)}))
        except (KeyError, TypeError, ValueError):
            return self._answer(error=Problem("panel.bad_action", None, {"action": name}))
        return self._answer(**(extra or {}))

    # -- actions ------------------------------------------------------------------------------

    def _configure(self, action: Mapping[str, Any]) -> None:
        raw = action["config"]
        if not isinstance(raw, Mapping):
            raise TypeError("config")
        self._shell = {k: raw[k] for k in _SHELL_KEYS if k in raw}
        config = ComposeConfig.from_dict({k: v for k, v in raw.items() if k not in _SHELL_KEYS})
        previous = self._session
        session = ComposeSession(config=config)
        if previous is not None:
            # A new token or language, or the administrator's changes picked up when the panel
            # opens, reload the configuration: what the agent is writing (or the host filled
            # in) stays, as when a parked draft is reactivated — also when its template or
            # queue is gone.
            kept = ComposeSession.resume(config, previous.park())
            session = kept if previous.open else replace(kept, open=False)
        self._session = session
        self._set_host(action)

    def _host(self, action: Mapping[str, Any]) -> None:
        self._set_host(action)

    def _set_host(self, action: Mapping[str, Any]) -> None:
        session = self._require()
        if "lang" in action:
            langs = action["lang"]
            self._host_langs = tuple(langs) if isinstance(langs, list) else (langs,)
        if "context" in action:
            context = action["context"]
            session = session.set_context(context if isinstance(context, Mapping) else {})
        if "interaction_id" in action or "interaction_type" in action:
            kind = interaction_type(action.get("interaction_type"))
            session = replace(
                session,
                interaction_id=_optional_text(action.get("interaction_id")),
                interaction_type=None if kind is None else kind.value,
            )
        self._session = session

    def _open(self, action: Mapping[str, Any]) -> None:
        self._session = self._require().open_panel()

    def _close(self, action: Mapping[str, Any]) -> None:
        self._session = self._require().close()

    def _queue(self, action: Mapping[str, Any]) -> None:
        self._session = self._require().choose_queue(str(action["value"]))

    def _template(self, action: Mapping[str, Any]) -> None:
        self._session = self._require().choose_template(str(action["value"]))

    def _confirm_template(self, action: Mapping[str, Any]) -> None:
        self._session = self._require().confirm_template_switch()

    def _cancel_template(self, action: Mapping[str, Any]) -> None:
        self._session = self._require().cancel_template_switch()

    def _to(self, action: Mapping[str, Any]) -> None:
        self._session = self._require().set_to(str(action["value"]))

    def _dialpad(self, action: Mapping[str, Any]) -> None:
        key = str(action["key"])
        session = self._require()
        if key == "backspace":
            self._session = session.press_dialpad_backspace()
        elif key not in DIALPAD_KEYS:
            raise ValueError(key)
        else:
            self._session = session.press_dialpad(key)

    def _sender(self, action: Mapping[str, Any]) -> None:
        self._session = self._require().choose_sender(str(action["value"]))

    def _text(self, action: Mapping[str, Any]) -> None:
        self._session = self._require().set_text(str(action["value"]))

    def _apply_suggestion(self, action: Mapping[str, Any]) -> None:
        self._session = self._require().apply_suggestion()

    def _prefill(self, action: Mapping[str, Any]) -> None:
        """The host fills in what it knows (a number, a text) and the panel opens."""
        session = self._require().open_panel()
        if action.get("queue_id") is not None and session.queue_id != action["queue_id"]:
            session = session.choose_queue(str(action["queue_id"]))
        if action.get("template_id") is not None:
            session = session.choose_template(str(action["template_id"]))
        if action.get("to") is not None:
            session = session.set_to(str(action["to"]))
        if action.get("text") is not None:
            session = session.set_text(str(action["text"]))
        self._session = session

    def _park(self, action: Mapping[str, Any]) -> dict[str, Any]:
        """The draft to store (with the version it replaces, if it was parked before); the
        panel closes only once the host confirms with ``parked``."""
        session = self._require()
        if not session.view().can_park:
            raise ComposeError(Problem("panel.nothing_to_park"))
        draft = session.park(now=datetime.now(UTC).isoformat(timespec="seconds"))
        version = None if draft.id is None else self._inbox.versions.get(draft.id)
        return {"draft": draft.to_dict(), "version": version}

    def _parked(self, action: Mapping[str, Any]) -> None:
        self._session = self._require().close()
        self._inbox = replace(self._inbox, active=None)

    def _inbox_items(self, action: Mapping[str, Any]) -> None:
        """The relay's list of parked drafts, loaded or reloaded."""
        self._inbox = Inbox.from_relay(action["items"], self._require().draft_id)

    def _resume(self, action: Mapping[str, Any]) -> None:
        """The arrow in the inbox: by ``id`` from the inbox, or a ``draft`` the host holds."""
        if action.get("draft") is not None:
            draft = Draft.from_dict(action["draft"])
            if action.get("id") is not None:
                draft = replace(draft, id=str(action["id"]))
        else:
            self._inbox, draft = self._inbox.resume(str(action["id"]))
        self._session = ComposeSession.resume(self._require().config, draft)
        if draft.id is not None and any(d.id == draft.id for d in self._inbox.drafts):
            self._inbox = replace(self._inbox, active=draft.id)

    def _delete_draft(self, action: Mapping[str, Any]) -> dict[str, Any]:
        """Which draft the host deletes at the relay: only the one reactivated for editing."""
        draft_id = self._require().draft_id
        if draft_id is None:
            raise DraftError(Problem("draft.not_found", "draft"))
        if any(d.id == draft_id for d in self._inbox.drafts):
            self._inbox.delete(draft_id)
        return {"delete": draft_id}

    def _deleted(self, action: Mapping[str, Any]) -> None:
        draft_id = self._require().draft_id
        self._session = self._require().close()
        if draft_id is not None and any(d.id == draft_id for d in self._inbox.drafts):
            self._inbox = self._inbox.sent(draft_id)

    def _opt_out(self, action: Mapping[str, Any]) -> None:
        """What the relay answered for a number: the core decides what it means for Send."""
        number = action["number"]
        if not isinstance(number, str) or not isinstance(action["opted_out"], bool):
            raise TypeError("opt_out")
        self._opted_out[number] = action["opted_out"]

    def _outgoing(self, action: Mapping[str, Any]) -> dict[str, Any]:
        """The body for ``POST /v1/messages``, only when the rules allow sending."""
        session = self._require()
        state = self._state(session)
        if not state.send_enabled:
            first = state.problems[0] if state.problems else Problem("panel.cannot_send")
            raise ComposeError(first)
        number = state.number
        body: dict[str, Any] = {
            "queue_id": session.queue_id,
            "from": session.sender,
            "to": number.e164 if number is not None and number.e164 else session.to,
            "text": session.text,
        }
        if session.interaction_id is not None:
            body["interaction_id"] = session.interaction_id
        if session.interaction_type is not None:
            body["interaction_type"] = session.interaction_type
        return {"send": body, "draft_id": session.draft_id}

    def _sent(self, action: Mapping[str, Any]) -> None:
        """The relay accepted the message: the form closes, its status is followed."""
        session = self._require()
        accepted = action.get("message")
        if isinstance(accepted, Mapping):
            self._sent_messages = self._sent_messages.accepted(
                str(accepted["id"]), str(accepted["to"]), str(accepted["status"])
            )
        if session.draft_id is not None:
            self._inbox = self._inbox.sent(session.draft_id)
        self._session = session.close()

    def _status(self, action: Mapping[str, Any]) -> dict[str, Any]:
        """A change from the relay's event stream; ``changed`` when the panel shows it."""
        self._sent_messages, shown = self._sent_messages.apply(
            StatusChange.from_dict(action["event"])
        )
        return {"changed": None if shown is None else shown.to_dict()}

    def _console(self, name: str, action: Mapping[str, Any]) -> dict[str, Any]:
        lang = pick_language(action.get("lang"), *self._host_langs)
        if name == "thread_view":
            # The panel's own language and agent: a thread is shown in the panel.
            lang = self.lang
            action = {**action, "agent": self._shell.get("agent")}
        try:
            return _CONSOLE_ACTIONS[name](action, lang)
        except (KeyError, TypeError, ValueError):
            return {"error": Problem("panel.bad_action", None, {"action": name}).to_dict(lang)}

    # -- helpers ------------------------------------------------------------------------------

    def _require(self) -> ComposeSession:
        if self._session is None:
            raise ComposeError(Problem("panel.not_configured"))
        return self._session

    def _state(self, session: ComposeSession) -> ComposeState:
        opted_out = frozenset(n for n, out in self._opted_out.items() if out)
        return session.view(self.lang, opted_out=opted_out)

    def _answer(self, error: Problem | None = None, **extra: Any) -> dict[str, Any]:
        session = self._session
        answer: dict[str, Any] = {}
        lang = self.lang
        if session is not None:
            answer["view"] = panel_view(
                session,
                self._state(session),
                shell=self._shell,
                inbox=self._inbox,
                sent=self._sent_messages,
                opted_out=self._opted_out,
            )
        if error is not None:
            answer["error"] = error.to_dict(lang)
        answer.update(extra)
        return answer


def _optional_text(value: object) -> str | None:
    return None if value is None or value == "" else str(value)


_ACTIONS: dict[str, Callable[[Panel, Mapping[str, Any]], dict[str, Any] | None]] = {
    "configure": Panel._configure,
    "host": Panel._host,
    "open": Panel._open,
    "close": Panel._close,
    "queue": Panel._queue,
    "template": Panel._template,
    "confirm_template": Panel._confirm_template,
    "cancel_template": Panel._cancel_template,
    "to": Panel._to,
    "dialpad": Panel._dialpad,
    "sender": Panel._sender,
    "text": Panel._text,
    "apply_suggestion": Panel._apply_suggestion,
    "prefill": Panel._prefill,
    "park": Panel._park,
    "parked": Panel._parked,
    "inbox": Panel._inbox_items,
    "resume": Panel._resume,
    "delete_draft": Panel._delete_draft,
    "deleted": Panel._deleted,
    "opt_out": Panel._opt_out,
    "outgoing": Panel._outgoing,
    "sent": Panel._sent,
    "status": Panel._status,
}

#: Answered without an agent session: the admin console's questions to the core.
_CONSOLE_ACTIONS: dict[str, Callable[[Mapping[str, Any], str], dict[str, Any]]] = {
    "template_preview": console_actions.template_preview,
    "check_sender": console_actions.check_sender,
    "thread_view": console_actions.thread,
}
