"""The messages a panel sent, followed through their status changes until they are final.

The relay's event stream can outrun the answer to the send request (the first status change
arrives before the panel knows the message's id) and can repeat or reorder changes after a
reconnect. :class:`SentMessages` keeps the few early ones until their message is known and
lets through only the changes :func:`~smscompose.status.may_follow` allows, so the agent never
sees a delivered message fall back to "handed to the network".
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from .messages import translate
from .moments import moment_text, parse_moment
from .status import MessageStatus, is_final, may_follow, reason_or_default

#: Changes kept for messages the panel does not know yet; older ones are dropped first.
EARLY_LIMIT = 20
#: Messages followed at once: a shift's worth; the oldest is forgotten first.
FOLLOW_LIMIT = 500


@dataclass(frozen=True)
class StatusChange:
    id: str
    status: str
    reason_code: str | None = None
    #: The gateway's own words, for the host's logs; the agent reads the code's translation.
    reason: str | None = None

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> StatusChange:
        status = str(data["status"])
        MessageStatus(status)  # a status we do not know is bad input, not a new state
        return cls(
            id=str(data["id"]),
            status=status,
            reason_code=_text(data.get("reason_code")),
            reason=_text(data.get("reason")),
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "status": self.status,
            "reason_code": self.reason_code,
            "reason": self.reason,
            "final": is_final(self.status),
        }


@dataclass(frozen=True)
class SentMessage:
    id: str
    to: str
    status: str
    reason_code: str | None = None
    reason: str | None = None
    #: When a scheduled message goes out (ISO 8601, UTC), and whether quiet hours held it.
    send_at: str | None = None
    held: bool = False
    text: str = ""

    @classmethod
    def from_relay(cls, data: Mapping[str, Any]) -> SentMessage:
        """A message as the relay's answer or history gives it."""
        status = str(MessageStatus(str(data["status"])))
        return cls(
            id=str(data["id"]),
            to=str(data["to"]),
            status=status,
            send_at=_text(data.get("send_at")),
            held=data.get("held") is True,
            text=str(data.get("text") or ""),
        )

    def line(self, lang: str, time_zone: str | None = None) -> dict[str, Any]:
        """The status line the panel shows under the compose form."""
        reason = reason_or_default(self.reason_code, self.status)
        status = translate(f"status.{self.status}", lang)
        moment = self.moment(lang, time_zone) if self.status == MessageStatus.SCHEDULED else None
        return {
            "id": self.id,
            "status": self.status,
            "final": is_final(self.status),
            "tone": _TONES.get(self.status, "pending"),
            "text": translate("status.line", lang, to=self.to, status=status)
            if moment is None
            else translate("status.line_at", lang, to=self.to, status=status, moment=moment),
            "reason_code": None if reason is None else reason.value,
            "reason": (
                None
                if reason is None
                else translate("status.reason", lang, reason=translate(f"reason.{reason}", lang))
            ),
        }

    def moment(self, lang: str, time_zone: str | None) -> str | None:
        """When it goes out, in the agent's zone."""
        at = parse_moment(self.send_at, None) if self.send_at else None
        return None if at is None else moment_text(at, time_zone, lang)

    def scheduled_item(self, lang: str, time_zone: str | None) -> dict[str, Any]:
        """The message in the panel's list of scheduled messages, with its Cancel words."""
        moment = self.moment(lang, time_zone) or ""
        summary = translate(
            "scheduled.item", lang, to=self.to, moment=moment, text=self.text[:SUMMARY_LENGTH]
        )
        return {
            "id": self.id,
            "summary": summary,
            "text": self.text,
            "held": translate("scheduled.held", lang) if self.held else None,
            "cancel": translate("scheduled.cancel", lang),
            "cancel_label": translate("scheduled.cancel_label", lang, to=self.to, moment=moment),
        }


@dataclass(frozen=True)
class SentMessages:
    messages: Mapping[str, SentMessage] = field(default_factory=dict)
    #: The message whose status the panel shows: the one sent last.
    last: str | None = None
    early: Mapping[str, StatusChange] = field(default_factory=dict)

    def accepted(self, message_id: str, to: str, status: str, **scheduled: Any) -> SentMessages:
        """The relay accepted a message; a change that arrived before this applies now.
        ``scheduled``: its ``send_at``, ``held`` and ``text`` when it goes out later."""
        sent = SentMessage.from_relay({"id": message_id, "to": to, "status": status, **scheduled})
        return self._followed([sent], last=message_id)

    def scheduled(self, items: list[Mapping[str, Any]]) -> SentMessages:
        """The agent's scheduled messages as the relay lists them (also those sent from
        another panel or before a reload), followed from now on."""
        return self._followed([SentMessage.from_relay(item) for item in items], last=self.last)

    def _followed(self, news: list[SentMessage], last: str | None) -> SentMessages:
        early = dict(self.early)
        messages = dict(self.messages)
        for sent in news:
            change = early.pop(sent.id, None)
            if change is not None and may_follow(sent.status, change.status):
                sent = _applied(sent, change)
            messages.pop(sent.id, None)
            messages[sent.id] = sent
        while len(messages) > FOLLOW_LIMIT:
            del messages[next(iter(messages))]
        return SentMessages(messages, last, early)

    def apply(self, change: StatusChange) -> tuple[SentMessages, StatusChange | None]:
        """The messages after ``change``, and the change if the panel shows it (None when it
        is for a message not known yet, or may not follow the status shown)."""
        sent = self.messages.get(change.id)
        if sent is None:
            early = {k: v for k, v in self.early.items() if k != change.id}
            early[change.id] = change
            while len(early) > EARLY_LIMIT:
                del early[next(iter(early))]
            return replace(self, early=early), None
        if not may_follow(sent.status, change.status):
            return self, None
        return replace(self, messages={**self.messages, change.id: _applied(sent, change)}), change

    def line(self, lang: str, time_zone: str | None = None) -> dict[str, Any] | None:
        sent = None if self.last is None else self.messages.get(self.last)
        return None if sent is None else sent.line(lang, time_zone)

    @property
    def waiting(self) -> bool:
        """Whether a scheduled message is shown, with its time in the agent's zone."""
        return any(m.status == MessageStatus.SCHEDULED for m in self.messages.values())

    def scheduled_view(self, lang: str, time_zone: str | None) -> dict[str, Any]:
        """The list of messages still scheduled, the next to go out first."""
        waiting = sorted(
            (m for m in self.messages.values() if m.status == MessageStatus.SCHEDULED),
            key=lambda m: m.send_at or "",
        )
        return {
            "heading": translate("scheduled.heading", lang),
            "items": [m.scheduled_item(lang, time_zone) for m in waiting],
        }


#: Characters of a scheduled message's text in its list line; the whole text is its tooltip.
SUMMARY_LENGTH = 40

_TONES: dict[str, str] = {
    MessageStatus.DELIVERED: "ok",
    MessageStatus.UNDELIVERED: "problem",
    MessageStatus.FAILED: "problem",
    MessageStatus.EXPIRED: "problem",
    MessageStatus.UNKNOWN: "warning",
}


def _applied(sent: SentMessage, change: StatusChange) -> SentMessage:
    return replace(sent, status=change.status, reason_code=change.reason_code, reason=change.reason)


def _text(value: object) -> str | None:
    return None if value is None or value == "" else str(value)
