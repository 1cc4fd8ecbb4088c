"""The ports of storage: what the service, the dispatcher, the event feed and the routes ask
of a store, one small Protocol each. ``SqlStore`` is the adapter for SQLite and PostgreSQL,
``MemoryStore`` the one for fast tests; the callers know only these.

Writes that an event loop awaits answer with a ``concurrent.futures.Future`` once the write is
committed, so no thread waits for the commit. Drafts and opt-outs are written from worker
threads (routes, the CLI): their methods answer after the commit.
"""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import Future
from typing import Protocol

from .inbound_rows import (
    ConversationRow,
    InboundPart,
    InboundRow,
    NewInbound,
    ThreadEntry,
    WholeMessage,
)
from .ports_webhooks import WebhookStore
from .rows import (
    DraftRow,
    EventRow,
    FeedEvent,
    MessageRow,
    NewMessage,
    OptedOut,
    OptOut,
    RateLimited,
    Recorded,
)
from .tenants import NewRevision, RevisionConflict, TenantRevision
from .usage import UsageRow


class MessageStore(Protocol):
    """Accepted messages: the service stores them, the routes read an agent's history."""

    def insert_message(self, new: NewMessage) -> Future[MessageRow | OptedOut | RateLimited | None]:
        """Store ``new`` with its first event (``queued``). The future gives the stored row;
        None when the tenant, agent and idempotency key already stored a message (nothing is
        stored); OPTED_OUT when the number is on its tenant's opt-out list, RateLimited when
        its agent or tenant is at its rate limit (``new.limits``; nothing stored either)."""
        ...

    def find_by_key(self, tenant: str, agent: str, key: str) -> MessageRow | None: ...

    def get_message(self, tenant: str, agent: str, message_id: str) -> MessageRow | None: ...

    def list_messages(
        self,
        tenant: str,
        agent: str,
        *,
        limit: int,
        before: str | None = None,
        status: str | None = None,
    ) -> list[MessageRow]:
        """An agent's messages, newest first; ``before`` is a message id to page from;
        ``status`` only those with it (e.g. ``scheduled``)."""
        ...

    def submit_cancel(
        self, tenant: str, agent: str, message_id: str, now: int
    ) -> Future[tuple[MessageRow, bool] | None]:
        """Cancel an agent's message that waits (``scheduled`` or ``queued``) and was never
        claimed: ``(row, True)`` with a ``cancelled`` event. One that was claimed, sent or
        ended gives ``(row, False)`` unchanged, also when it raced the dispatcher's claim (a
        message is never both sent and cancelled); None when there is no such message."""
        ...


class ClaimStore(Protocol):
    """What the dispatcher needs: claims with a lease, and each attempt's outcome."""

    def submit_claim_due(
        self, *, worker: str, now: int, lease_ms: int, limit: int
    ) -> Future[list[MessageRow]]:
        """Reserve up to ``limit`` queued messages due by ``now`` and not claimed (or whose
        claim ran out), for ``lease_ms``, oldest first. A message whose claim ran out comes
        back with ``unconfirmed_by``/``unconfirmed_at`` set; one whose number opted out since
        with ``opted_out``."""
        ...

    def submit_record_attempt(
        self,
        message: MessageRow,
        *,
        worker: str,
        now: int,
        status: str,
        parts_sent: int,
        new_gateway_ids: Sequence[str],
        reason: str | None = None,
        reason_code: str | None = None,
        next_attempt_at: int | None = None,
    ) -> Future[Recorded | None]:
        """The outcome of one attempt, if ``worker`` holds the claim (or held the one that ran
        out): the status and its reason (with an event when it changes), the parts and gateway
        ids sent, the next attempt's time (for ``submitted``: when to stop waiting for
        receipts); the claim ends. None when the claim was lost (nothing written). Receipts
        that came before this record are counted now: the answer is the status they leave."""
        ...

    def submit_resolve_unreported(
        self, *, now: int, reason: str, reason_code: str, limit: int
    ) -> Future[list[MessageRow]]:
        """Up to ``limit`` messages still ``submitted`` whose wait for receipts ended by
        ``now`` become ``unknown`` with this reason (one event each); the future gives them.
        A receipt that comes later still settles them."""
        ...

    def submit_release_claim(
        self, message: MessageRow, *, worker: str, next_attempt_at: int
    ) -> Future[bool]:
        """Give a claimed message back untouched, due again at ``next_attempt_at``."""
        ...

    def submit_renew_claims(
        self, worker: str, message_ids: Sequence[str], until: int
    ) -> Future[None]:
        """Extend this worker's leases on messages it is still sending."""
        ...

    def receipts_seen(self, gateway: str, gateway_ids: Sequence[str]) -> set[str]:
        """Which of these gateway ids a receipt (or a recorded attempt) has named: what
        settles a send whose outcome was never recorded."""
        ...


class ReceiptStore(Protocol):
    """Gateways' receipts, taken by the service."""

    def submit_apply_receipt(
        self,
        *,
        gateway: str,
        gateway_id: str,
        status: str,
        reason: str | None,
        now: int,
        reason_code: str | None = None,
        message_id: str | None = None,
    ) -> Future[MessageRow | None]:
        """Record a receipt and derive the message's status from all its parts (an event
        when it changes; a final status never changes). The future gives the message, or
        None while none is known: a receipt before the record of its submission is kept and
        counted when that record comes. A receipt whose callback names ``message_id`` settles
        that message if its send ended ``unknown`` with no gateway id recorded."""
        ...


class EventStore(Protocol):
    """Events in id order, as the event feed reads them."""

    def events_after(
        self,
        tenant: str,
        agent: str,
        after: int,
        limit: int = 100,
        upto: int | None = None,
        queues: Sequence[str] | None = (),
    ) -> list[EventRow]:
        """The agent's events after ``after`` (up to ``upto``), and the events meant for every
        agent of one of ``queues`` (agent '', ``queue_id`` set; None: any queue)."""
        ...

    def events_since(self, after: int, limit: int) -> list[FeedEvent]: ...

    def max_event_id(self) -> int: ...


class ConversationStore(Protocol):
    """Customers' messages and the conversations they make with the tenant's senders."""

    def submit_store_inbound(self, new: NewInbound) -> Future[InboundRow | None]:
        """Store a customer's message once per ``(tenant, new.key)``, routed to the agent who
        last wrote to the number from that address within ``new.reply_window_ms`` (else to
        ``new.queue_id``), update its conversation (one more unread) and write its
        ``received`` event (``message_id`` the message's id, ``number``, ``agent`` or '' with
        ``queue_id``), all in one transaction. None when the key was already stored (a
        retry): nothing is written."""
        ...

    def submit_inbound_part(self, part: InboundPart) -> Future[WholeMessage | None]:
        """Keep an SMPP part (a part already kept is a retry, kept once) and give the whole
        message when every part of its group is there — again for a retry of a part of a
        whole message, so storing it is idempotent by the key its ``first_at`` names. Parts
        older than ``part.window_ms`` belong to an earlier message and are dropped."""
        ...

    def get_inbound(self, tenant: str, inbound_id: str) -> InboundRow | None:
        """One customer's message by its id (the ``received`` event's ``message_id``): what
        the event streams and the CRM's webhooks show of it."""
        ...

    def get_conversation(
        self, tenant: str, number: str, address: str
    ) -> ConversationRow | None: ...

    def list_conversations(
        self, tenant: str, *, agent: str, queues: Sequence[str] | None, limit: int
    ) -> list[ConversationRow]:
        """Conversations routed to one of ``queues`` (None: any) or to ``agent``: unread ones
        first, then the most recent reply first."""
        ...

    def thread(
        self,
        tenant: str,
        number: str,
        address: str,
        *,
        limit: int,
        before: tuple[int, str] | None = None,
    ) -> list[ThreadEntry]:
        """Both directions of a conversation, newest first (by time, then id), older than
        ``before`` (a time and an id) when given."""
        ...

    def mark_read(self, tenant: str, number: str, address: str, now: int) -> bool:
        """No unread replies left; False when there is no such conversation."""
        ...


class DraftStore(Protocol):
    """An agent's parked drafts, each with a version."""

    def create_draft(self, tenant: str, agent: str, body: str, now: int) -> DraftRow: ...

    def list_drafts(self, tenant: str, agent: str) -> list[DraftRow]:
        """Most recently changed first."""
        ...

    def get_draft(self, tenant: str, agent: str, draft_id: str) -> DraftRow | None: ...

    def update_draft(
        self, tenant: str, agent: str, draft_id: str, body: str, version: int | None, now: int
    ) -> DraftRow | bool | None:
        """Replace a draft; ``version`` (if given) must match. None: no such draft; False: the
        version did not match."""
        ...

    def delete_draft(self, tenant: str, agent: str, draft_id: str) -> bool: ...


class OptOutStore(Protocol):
    """A tenant's opt-out list. Each change writes an ``optout`` event (``number``; status
    ``opted_out`` or ``opted_in``; ``reason``: where it came from) in its own transaction."""

    def get(self, tenant: str, number: str) -> OptOut | None: ...

    def add(self, tenant: str, number: str, source: str, now: int) -> bool:
        """Opt a number out; False when it already was (the first entry is kept)."""
        ...

    def remove(self, tenant: str, number: str, source: str = "cli", now: int | None = None) -> bool:
        """Opt a number back in; False when it was not opted out."""
        ...

    def all(self, tenant: str) -> list[OptOut]:
        """By number."""
        ...


class TenantStore(Protocol):
    """Tenants' configurations as revisions, and their token secrets."""

    def last_tenant_change(self) -> int:
        """The id of the newest revision of any tenant; 0 without any."""
        ...

    def current_tenants(self) -> list[TenantRevision]:
        """Every tenant's newest revision, deleted ones included."""
        ...

    def tenant_secrets(self) -> dict[str, dict[str, str]]:
        """tenant → key id → secret."""
        ...

    def webhook_secrets(self) -> dict[str, dict[str, tuple[str, ...]]]:
        """tenant → webhook endpoint → signing secrets, newest first."""
        ...

    def save_revision(self, new: NewRevision) -> TenantRevision | RevisionConflict:
        """Revision ``new.base + 1``, unless the newest is not ``new.base`` (nothing written)."""
        ...

    def seed_tenants(self, revisions: list[NewRevision]) -> bool:
        """First revisions for a database without tenants; False (nothing written) otherwise."""
        ...

    def tenant_revision(self, tenant: str, revision: int) -> TenantRevision | None:
        """One revision of a tenant, by its number."""
        ...

    def tenant_revisions(
        self,
        tenant: str | None = None,
        *,
        author: str | None = None,
        since: int | None = None,
        until: int | None = None,
        before: int | None = None,
        limit: int = 50,
    ) -> list[TenantRevision]:
        """Newest first."""
        ...


class UsageStore(Protocol):
    def usage(self, tenant: str, *, since: int, until: int, by: Sequence[str]) -> list[UsageRow]:
        """Messages created in ``[since, until)`` and the segments the gateways accepted,
        grouped by ``by`` (``day``, ``queue``, ``agent``, ``status``) in that order."""
        ...


class ServiceStore(MessageStore, ReceiptStore, Protocol):
    """What ``MessageService`` uses."""

    @property
    def optouts(self) -> OptOutStore: ...


class Store(
    ServiceStore,
    ClaimStore,
    EventStore,
    ConversationStore,
    DraftStore,
    TenantStore,
    UsageStore,
    Protocol,
):
    """A whole store, as ``create_app`` wires it and the routes reach it."""

    @property
    def webhooks(self) -> WebhookStore: ...

    def create_schema(self) -> None: ...

    def ping(self) -> None:
        """Raises when the database cannot be reached."""
        ...

    def close(self) -> None: ...
