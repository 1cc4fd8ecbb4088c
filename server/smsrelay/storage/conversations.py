"""Customers' messages and their conversations in SQL: a message stored once per key (the
unique index makes a gateway's retry, or the same message through a second relay, a no-op),
routed, its conversation updated and its ``received`` event written — all in one transaction,
so the agents' event streams and the CRM's webhooks read one log. SMPP parts wait here until
their message is whole; a per-message lock (PostgreSQL) or the one writer (SQLite) keeps two
relays taking its last parts at once from each missing the other's."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from concurrent.futures import Future
from typing import Any

from sqlalchemy import Connection, Engine, and_, delete, or_, select, text, tuple_, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from .inbound_rows import (
    ConversationRow,
    InboundPart,
    InboundRow,
    NewInbound,
    ThreadEntry,
    WholeMessage,
    entry_at,
)
from .rows import MessageRow
from .schema import conversations, events, inbound_messages, inbound_parts, messages
from .writer import WriteQueue

#: Parts of a message that never became whole are dropped after this long.
STALE_PARTS_MS = 24 * 3600 * 1000


class SqlConversations:
    def __init__(self, engine: Engine, writes: WriteQueue) -> None:
        self.engine = engine
        self._writes = writes
        self._postgres = engine.dialect.name == "postgresql"
        self._upsert = postgresql_insert if self._postgres else sqlite_insert

    # -- writes -----------------------------------------------------------------------------

    def submit_store_inbound(self, new: NewInbound) -> Future[InboundRow | None]:
        return self._writes.submit(lambda conn: self._store(conn, new))

    def _store(self, conn: Connection, new: NewInbound) -> InboundRow | None:
        agent, queue_id = "", new.queue_id
        if new.reply_window_ms > 0:
            last = conn.execute(
                select(messages.c.agent, messages.c.queue_id)
                .where(
                    messages.c.tenant == new.tenant,
                    messages.c.to_number == new.number,
                    messages.c.sender == new.address,
                    messages.c.created_at >= new.now - new.reply_window_ms,
                )
                .order_by(messages.c.created_at.desc())
                .limit(1)
            ).first()
            if last is not None:
                agent, queue_id = last.agent, last.queue_id
        row = InboundRow(
            id=new.id,
            tenant=new.tenant,
            number=new.number,
            address=new.address,
            text=new.text,
            gateway=new.gateway,
            agent=agent,
            queue_id=queue_id,
            received_at=new.now,
        )
        inserted = conn.execute(
            self._upsert(inbound_messages)
            .values(**_values(row), key=new.key)
            .on_conflict_do_nothing(index_elements=["tenant", "key"])
            .execution_options(preserve_rowcount=True)
        )
        if not inserted.rowcount:
            return None  # a retry of a message already stored
        upsert = self._upsert(conversations).values(
            tenant=row.tenant,
            number=row.number,
            address=row.address,
            queue_id=queue_id,
            agent=agent,
            unread=1,
            last_at=row.received_at,
            last_text=row.text,
            last_id=row.id,
            read_at=None,
        )
        conn.execute(
            upsert.on_conflict_do_update(
                index_elements=["tenant", "number", "address"],
                set_={
                    "queue_id": upsert.excluded.queue_id,
                    "agent": upsert.excluded.agent,
                    "unread": conversations.c.unread + 1,
                    "last_at": upsert.excluded.last_at,
                    "last_text": upsert.excluded.last_text,
                    "last_id": upsert.excluded.last_id,
                },
            )
        )
        conn.execute(
            events.insert().values(
                tenant=row.tenant,
                agent=agent,
                message_id=row.id,
                status="received",
                reason=None,
                reason_code=None,
                at=row.received_at,
                kind="received",
                number=row.number,
                queue_id=queue_id,
            )
        )
        return row

    def submit_inbound_part(self, part: InboundPart) -> Future[WholeMessage | None]:
        return self._writes.submit(lambda conn: self._take_part(conn, part))

    def _take_part(self, conn: Connection, part: InboundPart) -> WholeMessage | None:
        if self._postgres:
            # Two relays taking the last two parts at once would each miss the other's.
            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _lock_key(part)})
        group = (
            inbound_parts.c.gateway == part.gateway,
            inbound_parts.c.group_key == part.group_key,
        )
        stale = inbound_parts.c.received_at < part.now - STALE_PARTS_MS
        earlier = and_(*group, inbound_parts.c.received_at < part.now - part.window_ms)
        conn.execute(delete(inbound_parts).where(or_(stale, earlier)))
        conn.execute(
            self._upsert(inbound_parts)
            .values(
                gateway=part.gateway,
                group_key=part.group_key,
                seq=part.seq,
                total=part.total,
                text=part.text,
                received_at=part.now,
            )
            .on_conflict_do_nothing(index_elements=["gateway", "group_key", "seq"])
        )
        found = conn.execute(
            select(inbound_parts.c.seq, inbound_parts.c.text, inbound_parts.c.received_at)
            .where(*group, inbound_parts.c.total == part.total)
            .order_by(inbound_parts.c.seq)
        ).all()
        return whole(found, part.total)

    def mark_read(self, tenant: str, number: str, address: str, now: int) -> bool:
        query = (
            update(conversations)
            .where(
                conversations.c.tenant == tenant,
                conversations.c.number == number,
                conversations.c.address == address,
            )
            .values(unread=0, read_at=now)
        )
        return self._writes.run(lambda conn: bool(conn.execute(query).rowcount))

    # -- reads ------------------------------------------------------------------------------

    def get_inbound(self, tenant: str, inbound_id: str) -> InboundRow | None:
        query = select(inbound_messages).where(
            inbound_messages.c.id == inbound_id, inbound_messages.c.tenant == tenant
        )
        with self.engine.connect() as conn:
            row = conn.execute(query).mappings().first()
        return InboundRow.from_row(row) if row else None

    def get_conversation(self, tenant: str, number: str, address: str) -> ConversationRow | None:
        query = select(conversations).where(
            conversations.c.tenant == tenant,
            conversations.c.number == number,
            conversations.c.address == address,
        )
        with self.engine.connect() as conn:
            row = conn.execute(query).mappings().first()
        return ConversationRow.from_row(row) if row else None

    def list_conversations(
        self, tenant: str, *, agent: str, queues: Sequence[str] | None, limit: int
    ) -> list[ConversationRow]:
        query = select(conversations).where(conversations.c.tenant == tenant)
        if queues is not None:
            query = query.where(
                or_(conversations.c.queue_id.in_(list(queues)), conversations.c.agent == agent)
            )
        query = query.order_by(
            (conversations.c.unread > 0).desc(),
            conversations.c.last_at.desc(),
            conversations.c.number,
            conversations.c.address,
        ).limit(limit)
        with self.engine.connect() as conn:
            return [ConversationRow.from_row(r) for r in conn.execute(query).mappings()]

    def thread(
        self,
        tenant: str,
        number: str,
        address: str,
        *,
        limit: int,
        before: tuple[int, str] | None = None,
    ) -> list[ThreadEntry]:
        inbound = select(inbound_messages).where(
            inbound_messages.c.tenant == tenant,
            inbound_messages.c.number == number,
            inbound_messages.c.address == address,
        )
        outbound = select(messages).where(
            messages.c.tenant == tenant,
            messages.c.to_number == number,
            messages.c.sender == address,
        )
        if before is not None:
            inbound = inbound.where(
                tuple_(inbound_messages.c.received_at, inbound_messages.c.id) < before
            )
            outbound = outbound.where(tuple_(messages.c.created_at, messages.c.id) < before)
        inbound = inbound.order_by(
            inbound_messages.c.received_at.desc(), inbound_messages.c.id.desc()
        ).limit(limit)
        outbound = outbound.order_by(messages.c.created_at.desc(), messages.c.id.desc()).limit(
            limit
        )
        with self.engine.connect() as conn:
            entries: list[ThreadEntry] = [
                InboundRow.from_row(r) for r in conn.execute(inbound).mappings()
            ]
            entries += [MessageRow.from_row(r) for r in conn.execute(outbound).mappings()]
        return sorted(entries, key=entry_at, reverse=True)[:limit]


def whole(found: Sequence[Any], total: int) -> WholeMessage | None:
    """The message once parts 1…``total`` are all there (rows of seq, text, received_at)."""
    if [r[0] for r in found] != list(range(1, total + 1)):
        return None
    return WholeMessage("".join(r[1] for r in found), min(r[2] for r in found))


def _values(row: InboundRow) -> dict[str, Any]:
    return {name: getattr(row, name) for name in InboundRow.__dataclass_fields__}


def _lock_key(part: InboundPart) -> int:
    digest = hashlib.sha256(f"{part.gateway}\0{part.group_key}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)
