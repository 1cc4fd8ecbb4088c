"""The steps of composing an SMS as a pure state model.

:class:`ComposeSession` is what the agent has entered; each step returns a new session.
:meth:`ComposeSession.view` derives everything a panel shows from it — what is visible, what
is enabled, the counter and every problem — so the browser only renders that state and the
relay re-checks a finished message with :func:`~smscompose.outgoing.check_outgoing`, the same
rules (:mod:`smscompose.rules`) in both places.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from types import MappingProxyType
from typing import Any

from .config import ComposeConfig, Queue
from .draft import Draft
from .messages import Problem
from .phone import NumberCheck, check_number, dialpad_append, dialpad_backspace
from .rules import send_problems, sms_available, sms_button_problem
from .schedule import Timing, timing_for
from .segmenter import SegmentedMessage, segment
from .smart_encoding import Suggestion, suggest
from .template import Placeholder, expand, unfilled_placeholders

_EMPTY: Mapping[str, Any] = MappingProxyType({})


class ComposeError(ValueError):
    """A step that the current state does not allow, such as choosing an unknown queue."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.code)
        self.problem = problem


@dataclass(frozen=True)
class Option:
    value: str
    label: str

    def to_dict(self) -> dict[str, Any]:
        return {"value": self.value, "label": self.label}


@dataclass(frozen=True)
class Choice:
    """A drop-down: whether it is shown, what it offers and what is selected."""

    visible: bool
    options: tuple[Option, ...]
    selected: str | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "visible": self.visible,
            "options": [o.to_dict() for o in self.options],
            "selected": self.selected,
        }


@dataclass(frozen=True)
class ComposeSession:
    """What the agent has chosen and typed so far, with the configuration it applies to."""

    config: ComposeConfig
    #: Data the host page passes for template placeholders, e.g. ``{"customer": {...}}``.
    context: Mapping[str, Any] = field(default_factory=lambda: _EMPTY)
    open: bool = False
    queue_id: str | None = None
    template_id: str | None = None
    to: str = ""
    sender: str | None = None
    text: str = ""
    #: A template the agent picked after editing the text: waits for confirmation.
    pending_template: str | None = None
    #: The parked draft this session was resumed from, if any.
    draft_id: str | None = None
    interaction_id: str | None = None
    interaction_type: str | None = None
    #: When the agent wants it to go out, as entered (empty: at once); see smscompose.schedule.
    send_at: str = ""

    # -- steps -------------------------------------------------------------------------------

    def open_panel(self) -> ComposeSession:
        """Step 1, the SMS button. With a single queue, step 2 is skipped."""
        if not sms_available(self.config) or self.open:
            return self
        session = replace(self, open=True)
        if len(self.config.queues) == 1 and self.queue_id is None:
            session = session.choose_queue(self.config.queues[0].id)
        return session

    def close(self) -> ComposeSession:
        return ComposeSession(
            config=self.config,
            context=self.context,
            interaction_id=self.interaction_id,
            interaction_type=self.interaction_type,
        )

    def choose_queue(self, queue_id: str) -> ComposeSession:
        """Step 2. The first template and the queue's first sender become the defaults."""
        queue = self.config.queue(queue_id)
        if queue is None:
            raise ComposeError(Problem("compose.unknown_queue", "queue", {"queue": queue_id}))
        session = replace(self, queue_id=queue_id)
        if queue.sender(self.sender) is None:
            session = replace(session, sender=queue.senders[0].value if queue.senders else None)
        if session.template_id is None and self.config.templates and not self.text:
            session = session._use_template(self.config.templates[0].id)
        return session

    def choose_template(self, template_id: str) -> ComposeSession:
        """Step 3. One template per message: after editing, the agent confirms first."""
        if self.config.template(template_id) is None:
            raise ComposeError(Problem("template.unknown", "template", {"template": template_id}))
        if template_id == self.template_id:
            return replace(self, pending_template=None)
        if self.edited:
            return replace(self, pending_template=template_id)
        return self._use_template(template_id)

    def confirm_template_switch(self) -> ComposeSession:
        if self.pending_template is None:
            return self
        return self._use_template(self.pending_template)

    def cancel_template_switch(self) -> ComposeSession:
        return replace(self, pending_template=None)

    def set_to(self, value: str) -> ComposeSession:
        """Step 4, typed or pasted."""
        return replace(self, to=value)

    def press_dialpad(self, key: str) -> ComposeSession:
        """Step 4, from the dial pad: digits, ``+``, ``*``, ``#``."""
        return replace(self, to=dialpad_append(self.to, key))

    def press_dialpad_backspace(self) -> ComposeSession:
        return replace(self, to=dialpad_backspace(self.to))

    def choose_sender(self, value: str) -> ComposeSession:
        """Step 5. Only the chosen queue's senders can be picked."""
        queue = self.config.queue(self.queue_id)
        if queue is None or queue.sender(value) is None:
            raise ComposeError(Problem("compose.sender_not_allowed", "from"))
        return replace(self, sender=value)

    def set_text(self, text: str) -> ComposeSession:
        """Step 6."""
        return replace(self, text=text)

    def set_send_at(self, value: str) -> ComposeSession:
        """Send later: a date and time (with an offset, or in the agent's zone); empty: now."""
        return replace(self, send_at=value)

    def apply_suggestion(self) -> ComposeSession:
        """Replace look-alike characters so the text becomes GSM 7-bit, when it can."""
        suggestion = self.view().suggestion
        return self if suggestion is None else replace(self, text=suggestion.text)

    def set_context(self, context: Mapping[str, Any]) -> ComposeSession:
        """New data from the host page refills an unedited template text."""
        session = replace(self, context=MappingProxyType(dict(context)))
        if self.template_id is not None and not self.edited:
            session = replace(session, text=session._expanded(self.template_id))
        return session

    # -- derived -----------------------------------------------------------------------------

    @property
    def edited(self) -> bool:
        """Whether the text differs from what the chosen template gives."""
        if self.template_id is None:
            return bool(self.text)
        return self.text != self._expanded(self.template_id)

    @property
    def queue(self) -> Queue | None:
        return self.config.queue(self.queue_id)

    def view(
        self,
        lang: str | None = None,
        *,
        opted_out: Collection[str] = (),
        now: datetime | None = None,
        time_zone: str | None = None,
    ) -> ComposeState:
        """Everything the panel shows for the current input. ``opted_out`` holds the numbers
        the relay said replied STOP: the core cannot know them, but it decides what follows.
        With ``now``, when it goes out too (a send-at time, the quiet hours; ``time_zone`` is
        the agent's, for a time entered without an offset and for the words)."""
        config = self.config
        queue = self.queue
        compose_visible = self.open and queue is not None
        tables = config.tables_for(self.sender)
        message = segment(self.text, locking=tables.locking, single=tables.single)
        number = (
            check_number(
                self.to,
                default_region=config.default_region,
                allowed_types=config.allowed_number_types,
                allowed_countries=config.allowed_countries,
            )
            if self.to.strip()
            else None
        )
        placeholders = unfilled_placeholders(self.text)
        has_sender = queue is not None and bool(queue.senders)
        problems = send_problems(
            config,
            queue=queue,
            sender=self.sender,
            number=number,
            text=self.text,
            message=message,
            placeholders=placeholders,
        )
        if number is not None and number.valid and number.e164 in opted_out:
            problems = (Problem("recipient.opted_out", "to"), *problems)
        valid = number.e164 if number is not None and number.valid else None
        timing = timing_for(
            now=now,
            send_at=self.send_at,
            time_zone=time_zone,
            number=valid,
            quiet=config.quiet_hours,
        )
        if timing is not None and timing.problem is not None:
            problems = (*problems, timing.problem)
        send_visible = (
            compose_visible and has_sender and bool(self.to.strip() and self.text.strip())
        )
        return ComposeState(
            lang=lang or config.language,
            sms_button_visible=config.sms_enabled,
            sms_button_enabled=sms_available(config),
            sms_button_problem=sms_button_problem(config),
            open=self.open,
            compose_visible=compose_visible,
            queue=Choice(
                visible=self.open and len(config.queues) > 1,
                options=tuple(Option(q.id, q.name) for q in config.queues),
                selected=self.queue_id,
            ),
            template=Choice(
                visible=compose_visible and len(config.templates) > 1,
                options=tuple(Option(t.id, t.name) for t in config.templates),
                selected=self.template_id,
            ),
            pending_template=self.pending_template,
            sender=Choice(
                visible=compose_visible and has_sender,
                options=tuple(
                    Option(s.value, s.label or s.value) for s in (queue.senders if queue else ())
                ),
                selected=self.sender,
            ),
            to=self.to,
            number=number,
            text=self.text,
            message=message,
            suggestion=suggest(message, locking=tables.locking, single=tables.single),
            placeholders=placeholders,
            max_segments=config.max_segments,
            problems=problems,
            send_visible=send_visible,
            send_enabled=send_visible and not problems and self.pending_template is None,
            can_park=self.open and bool(self.to.strip() or self.text.strip()),
            timing=timing,
            time_zone=time_zone,
        )

    def park(self, *, draft_id: str | None = None, now: str | None = None) -> Draft:
        """The draft that parks this session in the inbox (``now`` as an ISO timestamp)."""
        return Draft(
            id=draft_id or self.draft_id,
            queue_id=self.queue_id,
            template_id=self.template_id,
            to=self.to,
            sender=self.sender,
            text=self.text,
            context=dict(self.context),
            interaction_id=self.interaction_id,
            interaction_type=self.interaction_type,
            updated_at=now,
        )

    @classmethod
    def resume(cls, config: ComposeConfig, draft: Draft) -> ComposeSession:
        """Reopen a parked draft. Its text and number always come back, even when the
        configuration changed meanwhile; a queue or sender no longer offered is dropped."""
        session = cls(
            config=config,
            context=MappingProxyType(dict(draft.context)),
            open=True,
            to=draft.to,
            text=draft.text,
            draft_id=draft.id,
            interaction_id=draft.interaction_id,
            interaction_type=draft.interaction_type,
            template_id=draft.template_id if config.template(draft.template_id) else None,
            sender=draft.sender,
        )
        if draft.queue_id is not None and config.queue(draft.queue_id) is not None:
            return session.choose_queue(draft.queue_id)
        if len(config.queues) == 1:
            return session.choose_queue(config.queues[0].id)
        return replace(session, sender=None)

    # -- helpers -----------------------------------------------------------------------------

    def _expanded(self, template_id: str) -> str:
        template = self.config.template(template_id)
        return expand(template.text, self.context).text if template else ""

    def _use_template(self, template_id: str) -> ComposeSession:
        return replace(
            self,
            template_id=template_id,
            pending_template=None,
            text=self._expanded(template_id),
        )


@dataclass(frozen=True)
class ComposeState:
    """The whole view of the panel for one input: a UI renders this and nothing else."""

    lang: str
    sms_button_visible: bool
    sms_button_enabled: bool
    sms_button_problem: Problem | None
    open: bool
    #: The compose view (template, To, From, text) appears once a queue is chosen.
    compose_visible: bool
    queue: Choice
    template: Choice
    pending_template: str | None
    sender: Choice
    to: str
    number: NumberCheck | None
    text: str
    message: SegmentedMessage
    suggestion: Suggestion | None
    placeholders: tuple[Placeholder, ...]
    max_segments: int
    #: Everything that keeps Send disabled, each naming its field.
    problems: tuple[Problem, ...]
    send_visible: bool
    send_enabled: bool
    can_park: bool
    #: When it goes out (None: at once, nothing to say), and the agent's zone to word it in.
    timing: Timing | None = None
    time_zone: str | None = None

    def to_dict(self) -> dict[str, Any]:
        lang = self.lang
        return {
            "lang": lang,
            "sms_button": {
                "visible": self.sms_button_visible,
                "enabled": self.sms_button_enabled,
                "problem": _problem_dict(self.sms_button_problem, lang),
            },
            "open": self.open,
            "compose_visible": self.compose_visible,
            "queue": self.queue.to_dict(),
            "template": self.template.to_dict(),
            "pending_template": (
                None
                if self.pending_template is None
                else {
                    "template": self.pending_template,
                    "message": Problem("compose.confirm_template_switch").message(lang),
                }
            ),
            "sender": self.sender.to_dict(),
            "to": self.to,
            "number": None if self.number is None else self.number.to_dict(lang),
            "text": self.text,
            "message": self.message.to_dict(),
            "counter": self.message.counter,
            "suggestion": None if self.suggestion is None else self.suggestion.to_dict(),
            "placeholders": [p.to_dict() for p in self.placeholders],
            "max_segments": self.max_segments,
            "problems": [p.to_dict(lang) for p in self.problems],
            "send": {"visible": self.send_visible, "enabled": self.send_enabled},
            "can_park": self.can_park,
            "timing": None if self.timing is None else self.timing.to_dict(lang, self.time_zone),
        }


def _problem_dict(problem: Problem | None, lang: str) -> dict[str, Any] | None:
    return None if problem is None else problem.to_dict(lang)
