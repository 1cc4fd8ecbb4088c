"""Conversations: a tenant, a customer's number and the sender address between them. An agent
sees the conversations of its own queues (and those routed to it): the list, unread first; a
thread with both directions, each message of ours with its status; and marks one read. Read
state belongs to the conversation, not the agent: whoever of the queue reads it, reads it for
the queue, as a shared inbox does. No HTTP here; the routes are ``api/conversations.py``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from anyio import to_thread

from smscompose import check_number
from smscompose.phone import NUMBER_TYPES

from .auth import Agent
from .errors import ApiError
from .service import message_view
from .settings import RelaySettings, TenantSettings
from .storage.inbound_rows import ConversationRow, InboundRow, ThreadEntry, entry_at
from .storage.ports import ConversationStore

_EVERY_TYPE = frozenset(NUMBER_TYPES)


@dataclass(frozen=True)
class ThreadPage:
    """Entries newest first, and the cursor of the next (older) page, if any."""

    entries: list[dict[str, Any]]
    next: str | None


class ConversationService:
    def __init__(self, settings: RelaySettings, store: ConversationStore, *, clock: Any) -> None:
        self.settings = settings
        self.store = store
        self.clock = clock

    async def list(self, agent: Agent, *, limit: int) -> list[dict[str, Any]]:
        """The agent's conversations: unread first, then the latest reply first."""
        rows = await to_thread.run_sync(
            lambda: self.store.list_conversations(
                agent.tenant, agent=agent.id, queues=agent.queues, limit=limit
            )
        )
        return [conversation_view(row) for row in rows]

    async def thread(
        self, agent: Agent, number: str, address: str, *, limit: int, before: str | None
    ) -> dict[str, Any]:
        """One conversation, newest first; ``before`` is a page's ``next``."""
        tenant = self.settings.tenants[agent.tenant]
        e164, conversation = await self._open(agent, tenant, number, address)
        cursor = _cursor(before)
        entries = await to_thread.run_sync(
            lambda: self.store.thread(agent.tenant, e164, address, limit=limit + 1, before=cursor)
        )
        page = entries[:limit]
        return {
            "number": e164,
            "from": address,
            "unread": conversation.unread if conversation else 0,
            "items": [entry_view(entry, tenant) for entry in page],
            "next": _next(page[-1]) if len(entries) > limit else None,
        }

    async def received(self, tenant: str, inbound_id: str) -> dict[str, Any] | None:
        """A customer's message by the id its ``received`` event names."""
        row = await to_thread.run_sync(self.store.get_inbound, tenant, inbound_id)
        return None if row is None else inbound_view(row)

    async def mark_read(self, agent: Agent, number: str, address: str) -> None:
        tenant = self.settings.tenants[agent.tenant]
        e164, conversation = await self._open(agent, tenant, number, address)
        if conversation is not None and conversation.unread:
            now = self.clock()
            await to_thread.run_sync(self.store.mark_read, agent.tenant, e164, address, now)

    async def _open(
        self, agent: Agent, tenant: TenantSettings, number: str, address: str
    ) -> tuple[str, ConversationRow | None]:
        """The number in E.164 and the conversation, if the agent may read it: one routed to
        its queues or to it, or one on a sender address of its queues (404 otherwise, so
        nobody learns of another queue's conversations)."""
        check = check_number(
            number, default_region=tenant.default_region, allowed_types=_EVERY_TYPE
        )
        if check.e164 is None:
            problem = check.problem
            raise ApiError(
                422, problem.code if problem else "phone.invalid", "to",
                problem.params if problem else {},
            )  # fmt: skip
        e164 = check.e164
        found = await to_thread.run_sync(self.store.get_conversation, agent.tenant, e164, address)
        if found is not None and visible(agent, found):
            return e164, found
        if any(
            s.value == address
            for q in tenant.queues
            if agent.may_use_queue(q.id)
            for s in q.senders
        ):
            return e164, found
        raise ApiError(404, "conversation.not_found", "from")


def visible(agent: Agent, conversation: ConversationRow) -> bool:
    return agent.may_use_queue(conversation.queue_id) or conversation.agent == agent.id


def conversation_view(row: ConversationRow) -> dict[str, Any]:
    return {
        "number": row.number,
        "from": row.address,
        "queue_id": row.queue_id,
        "agent": row.agent or None,
        "unread": row.unread,
        "last_at": row.last_at,
        "last_text": row.last_text,
    }


def inbound_view(row: InboundRow) -> dict[str, Any]:
    """A customer's message as threads, event streams and webhooks show it."""
    return {
        "id": row.id,
        "direction": "in",
        "from": row.number,
        "to": row.address,
        "text": row.text,
        "at": row.received_at,
        "agent": row.agent or None,
        "queue_id": row.queue_id,
    }


def entry_view(entry: ThreadEntry, tenant: TenantSettings) -> dict[str, Any]:
    if isinstance(entry, InboundRow):
        return inbound_view(entry)
    return {**message_view(entry, tenant), "direction": "out", "at": entry.created_at,
            "agent": entry.agent}  # fmt: skip


def _next(entry: ThreadEntry) -> str:
    at, entry_id = entry_at(entry)
    return f"{at}.{entry_id}"


def _cursor(before: str | None) -> tuple[int, str] | None:
    if not before:
        return None
    at, _, entry_id = before.partition(".")
    if not at.isdigit() or not entry_id:
        raise ApiError(422, "request.wrong_type", "before")
    return int(at), entry_id
