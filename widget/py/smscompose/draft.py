"""Parked SMS: the versioned draft format and the inbox rules around it.

A draft is stored as JSON (in the relay, in the browser) and may be read back by a newer
panel, so it carries a format version. As in the agent desktop this panel replaces, a draft
in the inbox is reactivated with the arrow before it can be deleted: the agent sees what they
are about to throw away.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from .interaction import interaction_type as _interaction_type
from .messages import Problem

DRAFT_VERSION = 1


class DraftError(ValueError):
    """A draft that cannot be read, or an inbox step the rules do not allow."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.code)
        self.problem = problem


@dataclass(frozen=True)
class Draft:
    """A parked SMS: everything needed to pick it up again."""

    id: str | None = None
    queue_id: str | None = None
    template_id: str | None = None
    to: str = ""
    sender: str | None = None
    text: str = ""
    context: Mapping[str, Any] = field(default_factory=dict)
    interaction_id: str | None = None
    interaction_type: str | None = None
    updated_at: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "version": DRAFT_VERSION,
            "id": self.id,
            "queue_id": self.queue_id,
            "template_id": self.template_id,
            "to": self.to,
            "from": self.sender,
            "text": self.text,
            "context": dict(self.context),
            "interaction_id": self.interaction_id,
            "interaction_type": self.interaction_type,
            "updated_at": self.updated_at,
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_dict(cls, data: object) -> Draft:
        if not isinstance(data, Mapping):
            raise DraftError(Problem("draft.invalid", "draft"))
        version = data.get("version")
        if not isinstance(version, int) or isinstance(version, bool) or version < 1:
            raise DraftError(Problem("draft.invalid", "version"))
        if version > DRAFT_VERSION:
            raise DraftError(Problem("draft.unsupported_version", "version", {"version": version}))
        context = data.get("context")
        if context is None:
            context = {}
        if not isinstance(context, Mapping):
            raise DraftError(Problem("draft.invalid", "context"))
        interaction_type = _optional_str(data, "interaction_type")
        if interaction_type is not None and _interaction_type(interaction_type) is None:
            raise DraftError(Problem("draft.invalid", "interaction_type"))
        return cls(
            id=_optional_str(data, "id"),
            queue_id=_optional_str(data, "queue_id"),
            template_id=_optional_str(data, "template_id"),
            to=_optional_str(data, "to") or "",
            sender=_optional_str(data, "from"),
            text=_optional_str(data, "text") or "",
            context=dict(context),
            interaction_id=_optional_str(data, "interaction_id"),
            interaction_type=interaction_type,
            updated_at=_optional_str(data, "updated_at"),
        )

    @classmethod
    def from_json(cls, text: str) -> Draft:
        try:
            data = json.loads(text)
        except (ValueError, RecursionError):
            raise DraftError(Problem("draft.invalid", "draft")) from None
        return cls.from_dict(data)


def _optional_str(data: Mapping[str, Any], key: str) -> str | None:
    value = data.get(key)
    if value is None or isinstance(value, str):
        return value
    raise DraftError(Problem("draft.invalid", key))


@dataclass(frozen=True)
class Inbox:
    """The agent's parked drafts and which one, if any, is reactivated for editing."""

    drafts: tuple[Draft, ...] = ()
    #: The draft reactivated with the arrow; only it can be deleted.
    active: str | None = None
    #: The relay's version of each stored draft: parking it again must name the version it
    #: replaces, so a draft changed in another tab is not overwritten unseen.
    versions: Mapping[str, int] = field(default_factory=dict)

    @classmethod
    def from_relay(cls, items: object, active: str | None = None) -> Inbox:
        """The inbox from the relay's ``GET /v1/drafts`` items; unreadable ones are left out
        (a draft from a newer panel must not hide the others)."""
        drafts: list[Draft] = []
        versions: dict[str, int] = {}
        for item in items if isinstance(items, list) else ():
            if not isinstance(item, Mapping) or not isinstance(item.get("id"), str):
                continue
            try:
                draft = replace(Draft.from_dict(item.get("draft")), id=item["id"])
            except DraftError:
                continue
            drafts.append(draft)
            version = item.get("version")
            if isinstance(version, int) and not isinstance(version, bool):
                versions[item["id"]] = version
        known = {d.id for d in drafts}
        return cls(tuple(drafts), active if active in known else None, versions)

    def get(self, draft_id: str) -> Draft:
        for draft in self.drafts:
            if draft.id == draft_id:
                return draft
        raise DraftError(Problem("draft.not_found", "draft", {"id": draft_id}))

    def park(self, draft: Draft) -> Inbox:
        """Add a draft, or replace the one with the same id (parking a reactivated draft)."""
        if draft.id is None:
            raise DraftError(Problem("draft.invalid", "id"))
        others = tuple(d for d in self.drafts if d.id != draft.id)
        return Inbox(drafts=(*others, draft), active=None, versions=self.versions)

    def resume(self, draft_id: str) -> tuple[Inbox, Draft]:
        """Reactivate a draft (the arrow): it opens for editing and may now be deleted."""
        draft = self.get(draft_id)
        return replace(self, active=draft_id), draft

    def delete(self, draft_id: str) -> Inbox:
        """Delete the reactivated draft; any other draft must be reactivated first."""
        self.get(draft_id)
        if self.active != draft_id:
            raise DraftError(Problem("draft.delete_requires_resume", "draft", {"id": draft_id}))
        return Inbox(
            drafts=tuple(d for d in self.drafts if d.id != draft_id),
            active=None,
            versions=self.versions,
        )

    def sent(self, draft_id: str) -> Inbox:
        """A reactivated draft that was sent leaves the inbox."""
        return Inbox(
            drafts=tuple(d for d in self.drafts if d.id != draft_id),
            active=None if self.active == draft_id else self.active,
            versions=self.versions,
        )

    def can_delete(self, draft_id: str) -> bool:
        return self.active == draft_id

    def to_dict(self) -> dict[str, Any]:
        return {
            "active": self.active,
            "drafts": [
                {**d.to_dict(), "can_delete": self.can_delete(d.id or "")} for d in self.drafts
            ],
        }
