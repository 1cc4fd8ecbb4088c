"""Durable storage of messages, their status events and parked drafts (SQLAlchemy Core).

SQLite in WAL mode is the embedded default; PostgreSQL serves several relays behind a load
balancer. A message is committed before the client hears 202, and every status change writes
an event row in the same transaction, which the agents' event streams read — so every relay
instance sees every change. Dispatch claims rows with a lease; on PostgreSQL with
``FOR UPDATE SKIP LOCKED`` so two relays never claim the same message.
"""

from __future__ import annotations

import json
import os
import queue
import random
import threading
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Future
from dataclasses import dataclass, replace
from typing import Any, TypeVar

from sqlalchemy import (
    BigInteger,
    Column,
    Connection,
    Dialect,
    Engine,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    and_,
    bindparam,
    case,
    create_engine,
    event,
    func,
    insert,
    or_,
    select,
    text,
    update,
)
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

T = TypeVar("T")
_Job = tuple[Callable[[Connection], Any], "Future[Any]"]

metadata = MetaData()

messages = Table(
    "messages",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("tenant", String(100), nullable=False),
    Column("agent", String(200), nullable=False),
    Column("idempotency_key", String(200), nullable=False),
    Column("request_hash", String(64), nullable=False),
    Column("queue_id", String(100), nullable=False),
    Column("sender", String(40), nullable=False),
    Column("sender_kind", String(20), nullable=False),
    Column("gateway", String(100), nullable=False),
    Column("to_number", String(20), nullable=False),
    Column("text", Text, nullable=False),
    Column("encoding", String(10), nullable=False),
    Column("units", Integer, nullable=False),
    Column("segments", Integer, nullable=False),
    Column("parts", Text, nullable=False),  # JSON list of part texts
    Column("locking", String(4)),
    Column("single", String(4)),
    Column("concat_ref", Integer, nullable=False),
    Column("interaction_id", String(200)),
    Column("interaction_type", String(20)),
    Column("status", String(20), nullable=False),
    Column("reason", Text),
    Column("attempts", Integer, nullable=False, default=0),
    Column("parts_sent", Integer, nullable=False, default=0),
    Column("gateway_ids", Text, nullable=False, default="[]"),  # JSON list
    Column("next_attempt_at", BigInteger, nullable=False),
    Column("claimed_by", String(100)),
    Column("claimed_until", BigInteger),
    #: A claim that ran out before its outcome was recorded (the relay holding it stopped, or
    #: lost the database for longer than the lease): the worker that may have sent it, and
    #: when that was noticed. Such a message is never sent again blindly (see Dispatcher).
    Column("unconfirmed_by", String(100)),
    Column("unconfirmed_at", BigInteger),
    Column("expires_at", BigInteger),
    Column("created_at", BigInteger, nullable=False),
    Column("updated_at", BigInteger, nullable=False),
    UniqueConstraint("tenant", "agent", "idempotency_key", name="uq_messages_idempotency"),
    Index("ix_messages_due", "status", "next_attempt_at"),
    Index("ix_messages_agent", "tenant", "agent", "id"),
)

#: One row per gateway id, so a receipt (which names only the gateway's id) finds its message.
#: A receipt that arrives before its submission is recorded leaves a placeholder row here (no
#: message yet) with the status it reported; recording the submission adopts it. Both sides
#: write the same primary key, so the database orders them, also across relay instances.
gateway_refs = Table(
    "gateway_refs",
    metadata,
    Column("gateway", String(100), primary_key=True),
    Column("gateway_id", String(200), primary_key=True),
    Column("message_id", String(40), nullable=True, index=True),
    Column("part", Integer, nullable=True),
    Column("status", String(20), nullable=False),
    Column("reason", Text),
)

events = Table(
    "events",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("tenant", String(100), nullable=False),
    Column("agent", String(200), nullable=False),
    Column("message_id", String(40), nullable=False),
    Column("status", String(20), nullable=False),
    Column("reason", Text),
    Column("at", BigInteger, nullable=False),
    Index("ix_events_agent", "tenant", "agent", "id"),
)

drafts = Table(
    "drafts",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("tenant", String(100), nullable=False),
    Column("agent", String(200), nullable=False),
    Column("body", Text, nullable=False),  # the smscompose Draft JSON
    Column("version", Integer, nullable=False),
    Column("created_at", BigInteger, nullable=False),
    Column("updated_at", BigInteger, nullable=False),
    Index("ix_drafts_agent", "tenant", "agent", "updated_at"),
)

#: Numbers that replied STOP, per tenant (see optouts.py): nothing is sent to them. Here with
#: the other tables because storing a message checks it in the same transaction.
opt_outs = Table(
    "opt_outs",
    metadata,
    Column("tenant", String(100), primary_key=True),
    Column("number", String(20), primary_key=True),
    #: Where it came from: ``kannel:GATEWAY``, ``twilio:GATEWAY`` or ``cli``.
    Column("source", String(120), nullable=False),
    Column("created_at", BigInteger, nullable=False),
)

FINAL_STATUSES = frozenset({"delivered", "undelivered", "failed", "expired"})


def _part_status(status: str) -> str:
    """A part's status from a receipt: an intermediate report leaves it submitted."""
    return "submitted" if status == "enroute" else status


class _Entropy:
    """Random bytes from the operating system, fetched in bulk. A system call for each id let
    the writer thread take the GIL from the request being answered, which then waited to get it
    back (py-spy: 8 % of the event loop's samples in os.urandom)."""

    CHUNK = 4096

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._pool = b""
        self._used = 0
        # A forked child must not hand out the bytes its parent hands out.
        os.register_at_fork(after_in_child=self._forget)

    def hex(self, nbytes: int) -> str:
        with self._lock:
            if self._used + nbytes > len(self._pool):
                self._pool, self._used = os.urandom(self.CHUNK), 0
            taken = self._pool[self._used : self._used + nbytes]
            self._used += nbytes
        return taken.hex()

    def _forget(self) -> None:
        self._lock = threading.Lock()
        self._pool, self._used = b"", 0


_entropy = _Entropy()


def new_id(prefix: str, now_ms: int) -> str:
    """Time-ordered ids, so pages of an agent's history sort by id."""
    return f"{prefix}_{now_ms:012x}{_entropy.hex(6)}"


@dataclass(frozen=True)
class MessageRow:
    id: str
    tenant: str
    agent: str
    queue_id: str
    sender: str
    sender_kind: str
    gateway: str
    to_number: str
    text: str
    encoding: str
    units: int
    segments: int
    parts: tuple[str, ...]
    locking: str | None
    single: str | None
    concat_ref: int
    interaction_id: str | None
    interaction_type: str | None
    status: str
    reason: str | None
    attempts: int
    parts_sent: int
    gateway_ids: tuple[str, ...]
    expires_at: int | None
    created_at: int
    updated_at: int
    request_hash: str
    #: Set when a claim on this message ran out before its outcome was recorded.
    unconfirmed_by: str | None = None
    unconfirmed_at: int | None = None
    #: Not a column: set on a claimed message whose number opted out (STOP) after it was
    #: accepted, so the dispatcher fails it instead of sending it.
    opted_out: bool = False

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> MessageRow:
        return cls(
            **{name: row[name] for name in _ROW_COLUMNS},
            parts=tuple(json.loads(row["parts"])),
            gateway_ids=tuple(json.loads(row["gateway_ids"])),
        )


_ROW_COLUMNS = tuple(
    name
    for name in MessageRow.__dataclass_fields__
    if name not in ("parts", "gateway_ids", "opted_out")
)


@dataclass(frozen=True)
class NewMessage:
    id: str
    tenant: str
    agent: str
    idempotency_key: str
    request_hash: str
    queue_id: str
    sender: str
    sender_kind: str
    gateway: str
    to_number: str
    text: str
    encoding: str
    units: int
    segments: int
    parts: tuple[str, ...]
    locking: str | None
    single: str | None
    interaction_id: str | None
    interaction_type: str | None
    expires_at: int | None
    now: int


@dataclass(frozen=True)
class EventRow:
    id: int
    message_id: str
    status: str
    reason: str | None
    at: int


class OptedOut:
    """What storing a message gives when its number is on its tenant's opt-out list."""

    def __repr__(self) -> str:
        return "OPTED_OUT"


OPTED_OUT = OptedOut()


@dataclass(frozen=True)
class FeedEvent:
    """An event with the agent it is for, as the event feed reads the table."""

    tenant: str
    agent: str
    event: EventRow


@dataclass(frozen=True)
class DraftRow:
    id: str
    body: str
    version: int
    created_at: int
    updated_at: int


class _DriverInsert:
    """A many-row INSERT through the driver's own executemany. SQLAlchemy's handling of each
    row's parameters cost about as much as the database's insert of the row, and new messages
    are the writer's most frequent rows. Only for values a driver takes as they are (strings,
    integers, None)."""

    def __init__(self, statement: Any, dialect: Dialect, columns: Sequence[str]) -> None:
        compiled = statement.compile(dialect=dialect, column_keys=list(columns))
        self.sql = compiled.string
        self._order = tuple(compiled.positiontup or ()) if compiled.positional else None

    def run(self, conn: Connection, rows: Sequence[Mapping[str, Any]]) -> int:
        """How many rows were inserted (a conflict clause may skip some)."""
        order = self._order
        params = [tuple(row[k] for k in order) for row in rows] if order else list(rows)
        return int(conn.exec_driver_sql(self.sql, params).rowcount)


class _Statements:
    """The writer's hot statements, built once per store. Building a Core statement costs
    several times more than executing a built one (measured here: 65–91 µs against 15–17 µs),
    and the single writer thread runs about fifteen of them per message."""

    def __init__(self, dialect: Dialect) -> None:
        upsert = sqlite_insert if dialect.name == "sqlite" else postgresql_insert
        self.insert_messages = _DriverInsert(
            upsert(messages).on_conflict_do_nothing(
                index_elements=["tenant", "agent", "idempotency_key"]
            ),
            dialect,
            [column.name for column in messages.c],
        )
        self.insert_event = insert(events)
        self.insert_events = _DriverInsert(
            insert(events).inline(), dialect, [c.name for c in events.c if c.name != "id"]
        )
        self.opted_out = select(opt_outs.c.tenant, opt_outs.c.number).where(
            opt_outs.c.number.in_(bindparam("b_numbers", expanding=True))
        )
        self.stored_ids = select(messages.c.id).where(
            messages.c.id.in_(bindparam("b_ids", expanding=True))
        )
        self.record = (
            update(messages)
            .where(
                messages.c.id == bindparam("b_id"),
                # The worker whose claim ran out may still record what it knows: it sent the
                # message, so its word settles the doubt (see claim_due).
                or_(
                    messages.c.claimed_by == bindparam("b_worker"),
                    messages.c.unconfirmed_by == bindparam("b_worker"),
                ),
            )
            .values(
                status=bindparam("b_status"),
                reason=bindparam("b_reason"),
                attempts=messages.c.attempts + 1,
                parts_sent=bindparam("b_parts_sent"),
                gateway_ids=bindparam("b_gateway_ids"),
                next_attempt_at=bindparam("b_next_attempt_at"),
                claimed_by=None,
                claimed_until=None,
                unconfirmed_by=None,
                unconfirmed_at=None,
                updated_at=bindparam("b_now"),
            )
        )
        refs = upsert(gateway_refs)
        # A placeholder left by an early receipt keeps its status and gets its message.
        self.upsert_refs = refs.on_conflict_do_update(
            index_elements=["gateway", "gateway_id"],
            set_={"message_id": refs.excluded.message_id, "part": refs.excluded.part},
        )
        # Waits for a concurrent, uncommitted record of the same id, then conflicts.
        self.keep_placeholder = (
            upsert(gateway_refs).on_conflict_do_nothing().returning(gateway_refs.c.gateway_id)
        )
        ref_key = and_(
            gateway_refs.c.gateway == bindparam("b_gateway"),
            gateway_refs.c.gateway_id == bindparam("b_gateway_id"),
        )
        self.select_ref = select(gateway_refs).where(ref_key)
        self.update_ref = (
            update(gateway_refs)
            .where(ref_key)
            .values(status=bindparam("b_status"), reason=bindparam("b_reason"))
        )
        locked = select(messages).where(messages.c.id == bindparam("b_id"))
        self.locked_message = locked.with_for_update() if dialect.name == "postgresql" else locked
        self.refs_of_message = select(gateway_refs.c.part, gateway_refs.c.status).where(
            gateway_refs.c.message_id == bindparam("b_id")
        )
        self.reason_of = (
            select(gateway_refs.c.reason)
            .where(
                gateway_refs.c.message_id == bindparam("b_id"),
                gateway_refs.c.status == bindparam("b_status"),
            )
            .limit(1)
        )
        self.events_since = (
            select(
                events.c.id,
                events.c.tenant,
                events.c.agent,
                events.c.message_id,
                events.c.status,
                events.c.reason,
                events.c.at,
            )
            .where(events.c.id > bindparam("b_after"))
            .order_by(events.c.id)
            .limit(bindparam("b_limit"))
        )
        self.set_status = (
            update(messages)
            .where(messages.c.id == bindparam("b_id"))
            .values(
                status=bindparam("b_status"),
                reason=bindparam("b_reason"),
                updated_at=bindparam("b_now"),
            )
        )


class SqlStore:
    """The storage adapter for SQLite and PostgreSQL."""

    def __init__(self, url: str, *, pool_size: int = 10) -> None:
        self.url = _driver_url(url)
        self.dialect = "postgresql" if self.url.startswith("postgresql") else "sqlite"
        kwargs: dict[str, Any] = {}
        if self.dialect == "sqlite":
            kwargs["connect_args"] = {"check_same_thread": False, "timeout": 30}
        else:
            kwargs.update(pool_size=pool_size, max_overflow=pool_size, pool_pre_ping=True)
        # Errors are logged; their bound parameters would be customers' numbers and texts.
        self.engine: Engine = create_engine(self.url, hide_parameters=True, **kwargs)
        if self.dialect == "sqlite":
            event.listen(self.engine, "connect", _sqlite_pragmas)
        self._sql = _Statements(self.engine.dialect)
        self._writes = _WriteQueue(self.engine, bulk={"insert_message": self._insert_messages})

    # -- plumbing ---------------------------------------------------------------------------

    def create_schema(self) -> None:
        """Bring the schema up to date (Alembic migrations)."""
        from .migrate import upgrade

        upgrade(self.engine)

    def ping(self) -> None:
        with self.engine.connect() as conn:
            conn.execute(text("SELECT 1"))

    def close(self) -> None:
        self._writes.close()
        self.engine.dispose()

    # -- messages ---------------------------------------------------------------------------

    def create_message(self, new: NewMessage) -> tuple[MessageRow, bool]:
        """Store a new message with its first event, or return the one already stored under
        the same idempotency key (``created`` False). Returns only after the commit. Raises
        ValueError for a number on the tenant's opt-out list."""
        row = self.insert_message(new).result()
        if isinstance(row, MessageRow):
            return row, True
        if row is OPTED_OUT:
            raise ValueError(f"{new.tenant} has {new.to_number} on its opt-out list")
        existing = self.find_by_key(new.tenant, new.agent, new.idempotency_key)
        if existing is None:  # cannot happen: the conflicting row is committed
            raise RuntimeError(f"idempotency conflict without a row for {new.idempotency_key!r}")
        return existing, False

    def insert_message(self, new: NewMessage) -> Future[MessageRow | OptedOut | None]:
        """Queue the insert; the future gives the stored row once it is committed, None when
        the idempotency key was already taken, or OPTED_OUT (nothing stored) when the number
        is on its tenant's opt-out list. (An event loop awaits this without tying up a
        thread.)"""
        return self._writes.submit_bulk("insert_message", new)

    def _insert_messages(
        self, conn: Connection, news: list[NewMessage]
    ) -> list[MessageRow | OptedOut | None]:
        """The writer's bulk handler: new messages, and their first events, as one statement
        each (not one per message), after one look at the opt-out list for all of them (in
        the same transaction: an opt-out committed before is seen)."""
        numbers = sorted({new.to_number for new in news})
        found = conn.execute(self._sql.opted_out, {"b_numbers": numbers})
        blocked = {(tenant, number) for tenant, number in found}
        wanted = [new for new in news if (new.tenant, new.to_number) not in blocked]
        values = [_message_values(new) for new in wanted]
        if not values:
            stored: set[str] = set()
        elif self._sql.insert_messages.run(conn, values) < len(values):
            # Some idempotency keys were taken (rarely: a client's retry): which rows are ours?
            ids = [v["id"] for v in values]
            stored = set(conn.execute(self._sql.stored_ids, {"b_ids": ids}).scalars())
        else:
            stored = {v["id"] for v in values}
        rows = {v["id"]: _stored(new, v) for new, v in zip(wanted, values, strict=True)}
        queued = [
            {
                "tenant": row.tenant,
                "agent": row.agent,
                "message_id": row.id,
                "status": "queued",
                "reason": None,
                "at": row.created_at,
            }
            for row in rows.values()
            if row.id in stored
        ]
        if queued:
            self._sql.insert_events.run(conn, queued)
        return [
            OPTED_OUT
            if (new.tenant, new.to_number) in blocked
            else rows[new.id]
            if new.id in stored
            else None
            for new in news
        ]

    def find_by_key(self, tenant: str, agent: str, key: str) -> MessageRow | None:
        query = select(messages).where(
            messages.c.tenant == tenant,
            messages.c.agent == agent,
            messages.c.idempotency_key == key,
        )
        with self.engine.connect() as conn:
            row = conn.execute(query).mappings().first()
        return MessageRow.from_row(row) if row else None

    def get_message(self, tenant: str, agent: str, message_id: str) -> MessageRow | None:
        query = select(messages).where(
            messages.c.id == message_id, messages.c.tenant == tenant, messages.c.agent == agent
        )
        with self.engine.connect() as conn:
            row = conn.execute(query).mappings().first()
        return MessageRow.from_row(row) if row else None

    def list_messages(
        self, tenant: str, agent: str, *, limit: int, before: str | None = None
    ) -> list[MessageRow]:
        query = select(messages).where(messages.c.tenant == tenant, messages.c.agent == agent)
        if before:
            query = query.where(messages.c.id < before)
        query = query.order_by(messages.c.id.desc()).limit(limit)
        with self.engine.connect() as conn:
            return [MessageRow.from_row(r) for r in conn.execute(query).mappings()]

    # -- dispatch ---------------------------------------------------------------------------

    def claim_due(self, *, worker: str, now: int, lease_ms: int, limit: int) -> list[MessageRow]:
        """Reserve up to ``limit`` queued messages that are due, for ``lease_ms``."""
        return self.submit_claim_due(
            worker=worker, now=now, lease_ms=lease_ms, limit=limit
        ).result()

    # The dispatcher and the receipts await the writer through these futures (as requests do
    # through insert_message): a thread that only waited for a commit was one of the thread
    # pool's few, with 32 sends and every receipt in flight each holding one.

    def submit_claim_due(
        self, *, worker: str, now: int, lease_ms: int, limit: int
    ) -> Future[list[MessageRow]]:
        due = (
            select(messages.c.id)
            .where(
                messages.c.status == "queued",
                messages.c.next_attempt_at <= now,
                or_(messages.c.claimed_until.is_(None), messages.c.claimed_until < now),
            )
            .order_by(messages.c.next_attempt_at)
            .limit(limit)
        )
        if self.dialect == "postgresql":
            due = due.with_for_update(skip_locked=True)
        # A claim still set here ran out without an outcome: its worker may have handed the
        # message to the gateway. That is remembered, so the new claimer does not send it again
        # blindly. (An UPDATE reads the row's old values on the right-hand side.)
        lapsed = messages.c.claimed_by.is_not(None)
        claim = (
            update(messages)
            .where(messages.c.id.in_(due.scalar_subquery()))
            .values(
                claimed_by=worker,
                claimed_until=now + lease_ms,
                unconfirmed_by=case(
                    (lapsed, messages.c.claimed_by), else_=messages.c.unconfirmed_by
                ),
                unconfirmed_at=case((lapsed, now), else_=messages.c.unconfirmed_at),
            )
            .returning(*messages.c)
        )

        def claim_rows(conn: Connection) -> list[MessageRow]:
            rows = [MessageRow.from_row(r) for r in conn.execute(claim).mappings()]
            # A customer may reply STOP while a message waits (behind a busy gateway, or for a
            # retry): the list is read again in the claim's own transaction, one look for all.
            numbers = sorted({row.to_number for row in rows})
            found = conn.execute(self._sql.opted_out, {"b_numbers": numbers}) if rows else ()
            blocked = {(tenant, number) for tenant, number in found}
            return sorted(
                (
                    replace(row, opted_out=True) if (row.tenant, row.to_number) in blocked else row
                    for row in rows
                ),
                key=lambda m: m.created_at,
            )

        return self._writes.submit(claim_rows)

    def record_attempt(
        self,
        message: MessageRow,
        *,
        worker: str,
        now: int,
        status: str,
        parts_sent: int,
        new_gateway_ids: Sequence[str],
        reason: str | None = None,
        next_attempt_at: int | None = None,
    ) -> bool:
        """The outcome of one submission attempt, if this worker still holds the claim.

        ``status`` is ``submitted`` (all parts out), ``queued`` (retry at ``next_attempt_at``),
        ``failed`` or ``expired``. Returns False when the claim was lost (nothing written).
        """
        return self.submit_record_attempt(
            message,
            worker=worker,
            now=now,
            status=status,
            parts_sent=parts_sent,
            new_gateway_ids=new_gateway_ids,
            reason=reason,
            next_attempt_at=next_attempt_at,
        ).result()

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
        next_attempt_at: int | None = None,
    ) -> Future[bool]:
        ids = [*message.gateway_ids, *new_gateway_ids]
        first_new_part = message.parts_sent

        def record(conn: Connection) -> bool:
            changed = conn.execute(
                self._sql.record,
                {
                    "b_id": message.id,
                    "b_worker": worker,
                    "b_status": status,
                    "b_reason": reason,
                    "b_parts_sent": parts_sent,
                    "b_gateway_ids": json.dumps(ids),
                    "b_next_attempt_at": next_attempt_at or now,
                    "b_now": now,
                },
            ).rowcount
            if not changed:
                return False
            if new_gateway_ids:
                # One id per part sent in this attempt (SMPP, Kannel), or one id for the whole
                # message (an HTTP API that splits itself), recorded as part -1.
                per_part = len(new_gateway_ids) == parts_sent - first_new_part
                conn.execute(
                    self._sql.upsert_refs,
                    [
                        {
                            "gateway": message.gateway,
                            "gateway_id": gid,
                            "message_id": message.id,
                            "part": first_new_part + i if per_part else -1,
                            "status": "submitted",
                            "reason": None,
                        }
                        for i, gid in enumerate(new_gateway_ids)
                    ],
                )
            if status != message.status:
                self._event(conn, message.tenant, message.agent, message.id, status, reason, now)
            if new_gateway_ids:
                self._apply_early_receipts(conn, message.id, now)
            return True

        return self._writes.submit(record)

    def release_claim(self, message: MessageRow, *, worker: str, next_attempt_at: int) -> bool:
        """Give a claimed message back untouched, to be claimed again at ``next_attempt_at``."""
        return self.submit_release_claim(
            message, worker=worker, next_attempt_at=next_attempt_at
        ).result()

    def submit_release_claim(
        self, message: MessageRow, *, worker: str, next_attempt_at: int
    ) -> Future[bool]:
        release = (
            update(messages)
            .where(messages.c.id == message.id, messages.c.claimed_by == worker)
            .values(claimed_by=None, claimed_until=None, next_attempt_at=next_attempt_at)
        )
        return self._writes.submit(lambda conn: bool(conn.execute(release).rowcount))

    def receipts_seen(self, gateway: str, gateway_ids: Sequence[str]) -> set[str]:
        """Which of these gateway ids some receipt (or a recorded submission) has named."""
        if not gateway_ids:
            return set()
        query = select(gateway_refs.c.gateway_id).where(
            gateway_refs.c.gateway == gateway, gateway_refs.c.gateway_id.in_(list(gateway_ids))
        )
        with self.engine.connect() as conn:
            return set(conn.execute(query).scalars())

    def renew_claims(self, worker: str, message_ids: Sequence[str], until: int) -> None:
        """Extend this worker's leases on messages it is still sending."""
        self.submit_renew_claims(worker, message_ids, until).result()

    def submit_renew_claims(
        self, worker: str, message_ids: Sequence[str], until: int
    ) -> Future[None]:
        renew = (
            update(messages)
            .where(messages.c.id.in_(list(message_ids)), messages.c.claimed_by == worker)
            .values(claimed_until=until)
        )

        def extend(conn: Connection) -> None:
            if message_ids:
                conn.execute(renew)

        return self._writes.submit(extend)

    # -- receipts ---------------------------------------------------------------------------

    def apply_receipt(
        self, *, gateway: str, gateway_id: str, status: str, reason: str | None, now: int
    ) -> MessageRow | None:
        return self.submit_apply_receipt(
            gateway=gateway, gateway_id=gateway_id, status=status, reason=reason, now=now
        ).result()

    def submit_apply_receipt(
        self, *, gateway: str, gateway_id: str, status: str, reason: str | None, now: int
    ) -> Future[MessageRow | None]:
        """Record a gateway receipt and derive the message's status from all its parts.

        A message is delivered when every part is; undelivered, failed or expired as soon as
        one part is. Duplicate and out-of-order receipts never move a final status back. A
        receipt can outrun the record of the submission it is about (a fast network answers
        before the dispatcher has written the gateway's ids down): it is kept as a placeholder
        and counted when that record arrives. Returns the message, or None while none is known.
        """

        def apply(conn: Connection) -> MessageRow | None:
            placeholder = {
                "gateway": gateway,
                "gateway_id": gateway_id,
                "message_id": None,
                "part": None,
                "status": _part_status(status),
                "reason": reason,
            }
            if conn.execute(self._sql.keep_placeholder, placeholder).first():
                return None
            return self._apply_receipt(conn, gateway, gateway_id, status, reason, now)

        return self._writes.submit(apply)

    def _apply_receipt(
        self,
        conn: Connection,
        gateway: str,
        gateway_id: str,
        status: str,
        reason: str | None,
        now: int,
    ) -> MessageRow | None:
        key = {"b_gateway": gateway, "b_gateway_id": gateway_id}
        ref = conn.execute(self._sql.select_ref, key).mappings().first()
        if ref is None:
            return None
        if ref["message_id"] is None:  # still a placeholder: remember the better news
            if ref["status"] not in FINAL_STATUSES:
                news = {**key, "b_status": _part_status(status), "b_reason": reason}
                conn.execute(self._sql.update_ref, news)
            return None
        # Receipts of one message's parts take turns, also across relays: each then derives
        # the message's status from what the others committed.
        row = self._locked_message(conn, ref["message_id"])
        if row is None:
            return None
        if ref["status"] not in FINAL_STATUSES and status != "enroute":
            conn.execute(self._sql.update_ref, {**key, "b_status": status, "b_reason": reason})
        return self._derive(conn, MessageRow.from_row(row), now)

    def _locked_message(self, conn: Connection, message_id: str) -> Mapping[str, Any] | None:
        return conn.execute(self._sql.locked_message, {"b_id": message_id}).mappings().first()

    def _derive(self, conn: Connection, message: MessageRow, now: int) -> MessageRow:
        """Set the message's status from its parts' refs (with the event) if that changes it."""
        new_status = self._derived_status(conn, message)
        if not new_status or new_status == message.status:
            return message
        reason = conn.execute(
            self._sql.reason_of, {"b_id": message.id, "b_status": new_status}
        ).scalar()
        conn.execute(
            self._sql.set_status,
            {"b_id": message.id, "b_status": new_status, "b_reason": reason, "b_now": now},
        )
        self._event(conn, message.tenant, message.agent, message.id, new_status, reason, now)
        return replace(message, status=new_status, reason=reason, updated_at=now)

    def _apply_early_receipts(self, conn: Connection, message_id: str, now: int) -> None:
        """After recording a submission: count what receipts reported before it."""
        row = self._locked_message(conn, message_id)
        if row is not None:
            self._derive(conn, MessageRow.from_row(row), now)

    def _derived_status(self, conn: Connection, message: MessageRow) -> str | None:
        if message.status in FINAL_STATUSES:
            return None
        refs = conn.execute(self._sql.refs_of_message, {"b_id": message.id}).all()
        statuses = [status for _, status in refs]
        for bad in ("failed", "undelivered", "expired"):
            if bad in statuses:
                return bad
        whole_message = any(part == -1 for part, _ in refs)
        complete = whole_message or len({part for part, _ in refs}) >= message.segments
        if complete and statuses and all(s == "delivered" for s in statuses):
            return "delivered"
        return None

    # -- events -----------------------------------------------------------------------------

    def _event(
        self,
        conn: Connection,
        tenant: str,
        agent: str,
        message_id: str,
        status: str,
        reason: str | None,
        now: int,
    ) -> None:
        conn.execute(
            self._sql.insert_event,
            {
                "tenant": tenant,
                "agent": agent,
                "message_id": message_id,
                "status": status,
                "reason": reason,
                "at": now,
            },
        )

    def events_after(
        self, tenant: str, agent: str, after: int, limit: int = 100, upto: int | None = None
    ) -> list[EventRow]:
        """An agent's events after ``after`` (and up to ``upto``), oldest first."""
        query = (
            select(events)
            .where(events.c.tenant == tenant, events.c.agent == agent, events.c.id > after)
            .order_by(events.c.id)
            .limit(limit)
        )
        if upto is not None:
            query = query.where(events.c.id <= upto)
        with self.engine.connect() as conn:
            return [
                EventRow(r["id"], r["message_id"], r["status"], r["reason"], r["at"])
                for r in conn.execute(query).mappings()
            ]

    def events_since(self, after: int, limit: int) -> list[FeedEvent]:
        """Everybody's events after ``after``, oldest first: what the event feed hands out."""
        with self.engine.connect() as conn:
            rows = conn.execute(self._sql.events_since, {"b_after": after, "b_limit": limit})
            return [
                FeedEvent(tenant, agent, EventRow(id_, message_id, status, reason, at))
                for id_, tenant, agent, message_id, status, reason, at in rows
            ]

    def max_event_id(self) -> int:
        with self.engine.connect() as conn:
            return int(conn.execute(select(func.max(events.c.id))).scalar() or 0)

    # -- drafts -----------------------------------------------------------------------------

    def create_draft(self, tenant: str, agent: str, body: str, now: int) -> DraftRow:
        draft_id = new_id("drf", now)
        create = insert(drafts).values(
            id=draft_id,
            tenant=tenant,
            agent=agent,
            body=body,
            version=1,
            created_at=now,
            updated_at=now,
        )
        self._writes.run(lambda conn: conn.execute(create))
        return DraftRow(draft_id, body, 1, now, now)

    def list_drafts(self, tenant: str, agent: str) -> list[DraftRow]:
        query = (
            select(drafts)
            .where(drafts.c.tenant == tenant, drafts.c.agent == agent)
            .order_by(drafts.c.updated_at.desc())
        )
        with self.engine.connect() as conn:
            return [_draft(r) for r in conn.execute(query).mappings()]

    def get_draft(self, tenant: str, agent: str, draft_id: str) -> DraftRow | None:
        with self.engine.connect() as conn:
            row = (
                conn.execute(select(drafts).where(_draft_key(tenant, agent, draft_id)))
                .mappings()
                .first()
            )
        return _draft(row) if row else None

    def update_draft(
        self, tenant: str, agent: str, draft_id: str, body: str, version: int | None, now: int
    ) -> DraftRow | bool | None:
        """Replace a draft; ``version`` (if given) must match. None: no such draft; False: the
        version did not match."""
        where = _draft_key(tenant, agent, draft_id)

        def replace_body(conn: Connection) -> DraftRow | bool | None:
            current = conn.execute(select(drafts).where(where)).mappings().first()
            if current is None:
                return None
            if version is not None and current["version"] != version:
                return False
            conn.execute(
                update(drafts)
                .where(where)
                .values(body=body, version=current["version"] + 1, updated_at=now)
            )
            return DraftRow(draft_id, body, current["version"] + 1, current["created_at"], now)

        return self._writes.run(replace_body)

    def delete_draft(self, tenant: str, agent: str, draft_id: str) -> bool:
        delete = drafts.delete().where(_draft_key(tenant, agent, draft_id))
        return bool(self._writes.run(lambda conn: conn.execute(delete).rowcount))


def _stored(new: NewMessage, values: Mapping[str, Any]) -> MessageRow:
    """The row as stored, built from what was written (not parsed back from it)."""
    return MessageRow(
        **{name: values[name] for name in _ROW_COLUMNS},
        parts=new.parts,
        gateway_ids=(),
    )


def _message_values(new: NewMessage) -> dict[str, Any]:
    return {
        "id": new.id,
        "tenant": new.tenant,
        "agent": new.agent,
        "idempotency_key": new.idempotency_key,
        "request_hash": new.request_hash,
        "queue_id": new.queue_id,
        "sender": new.sender,
        "sender_kind": new.sender_kind,
        "gateway": new.gateway,
        "to_number": new.to_number,
        "text": new.text,
        "encoding": new.encoding,
        "units": new.units,
        "segments": new.segments,
        "parts": json.dumps(list(new.parts), ensure_ascii=False),
        "locking": new.locking,
        "single": new.single,
        # The handset joins the parts by this; it needs variety, not secrecy, so no system
        # call (which lets the writer thread take the GIL from the request in hand).
        "concat_ref": random.getrandbits(8),
        "interaction_id": new.interaction_id,
        "interaction_type": new.interaction_type,
        "status": "queued",
        "reason": None,
        "attempts": 0,
        "parts_sent": 0,
        "gateway_ids": "[]",
        "next_attempt_at": new.now,
        "claimed_by": None,
        "claimed_until": None,
        "unconfirmed_by": None,
        "unconfirmed_at": None,
        "expires_at": new.expires_at,
        "created_at": new.now,
        "updated_at": new.now,
    }


@dataclass
class _Entry:
    """A write waiting for the writer: a job of its own, or an item of a bulk kind."""

    future: Future[Any]
    job: Callable[[Connection], Any] | None = None
    kind: str | None = None
    item: Any = None


class _WriteQueue:
    """The store's only writer: one thread that runs every waiting write job in a single
    transaction (group commit). One durable commit then answers many requests, where a commit
    each would cap the relay at the disk's fsync rate, and SQLite never sees two writers.

    Items of a bulk kind (``submit_bulk``) that wait together are written by one call of the
    kind's handler, so a batch of new messages is one multi-row statement, not one each.

    A job that raises rolls its batch back; the batch's jobs are then run again one
    transaction each, so the others still commit and only the failing job reports its error.
    """

    MAX_BATCH = 256

    def __init__(
        self,
        engine: Engine,
        bulk: Mapping[str, Callable[[Connection, list[Any]], list[Any]]] | None = None,
    ) -> None:
        self._engine = engine
        self._bulk = dict(bulk or {})
        self._queue: queue.SimpleQueue[_Entry | None] = queue.SimpleQueue()
        self._thread = threading.Thread(target=self._run, name="smsrelay-writer", daemon=True)
        self._thread.start()

    def run(self, job: Callable[[Connection], T]) -> T:
        return self.submit(job).result()

    def submit(self, job: Callable[[Connection], T]) -> Future[T]:
        future: Future[T] = Future()
        self._queue.put(_Entry(future, job=job))
        return future

    def submit_bulk(self, kind: str, item: Any) -> Future[Any]:
        """Queue ``item`` for the handler of ``kind``; the future gives its result."""
        future: Future[Any] = Future()
        self._queue.put(_Entry(future, kind=kind, item=item))
        return future

    def close(self) -> None:
        self._queue.put(None)
        self._thread.join(timeout=10)

    def _run(self) -> None:
        while True:
            first = self._queue.get()
            if first is None:
                return
            batch = [first]
            while len(batch) < self.MAX_BATCH:
                try:
                    follower = self._queue.get_nowait()
                except queue.Empty:
                    break
                if follower is None:
                    self._queue.put(None)  # finish this batch, then stop
                    break
                batch.append(follower)
            # A job whose caller gave up (a client that went away cancels the awaiting task,
            # and with it the future) is not run; the others are marked running, so a late
            # cancel can no longer make set_result raise and end this, the only writer.
            batch = [entry for entry in batch if entry.future.set_running_or_notify_cancel()]
            if not batch:
                continue
            try:
                with self._engine.begin() as conn:
                    results = self._execute(conn, batch)
            except BaseException:
                for entry in batch:
                    self._alone(entry)
                continue
            for entry, result in zip(batch, results, strict=True):
                entry.future.set_result(result)

    def _execute(self, conn: Connection, batch: list[_Entry]) -> list[Any]:
        """Run the batch in order; each bulk kind where its first item stands, all at once."""
        results: dict[int, Any] = {}
        kinds: dict[str, list[int]] = {}
        for index, entry in enumerate(batch):
            if entry.kind is not None:
                kinds.setdefault(entry.kind, []).append(index)
        for index, entry in enumerate(batch):
            if entry.job is not None:
                results[index] = entry.job(conn)
            elif entry.kind is not None and index not in results:
                members = kinds[entry.kind]
                found = self._bulk[entry.kind](conn, [batch[i].item for i in members])
                results.update(zip(members, found, strict=True))
        return [results[index] for index in range(len(batch))]

    def _alone(self, entry: _Entry) -> None:
        try:
            with self._engine.begin() as conn:
                (result,) = self._execute(conn, [entry])
            entry.future.set_result(result)
        except BaseException as error:  # the caller hears about it; nothing is left hanging
            entry.future.set_exception(error)


def _draft_key(tenant: str, agent: str, draft_id: str) -> Any:
    return and_(drafts.c.id == draft_id, drafts.c.tenant == tenant, drafts.c.agent == agent)


def _draft(row: Mapping[str, Any]) -> DraftRow:
    return DraftRow(row["id"], row["body"], row["version"], row["created_at"], row["updated_at"])


def _driver_url(url: str) -> str:
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    # WAL lets readers go on while one writer commits; FULL makes each commit durable even
    # across a power cut, which "stored before 202" promises.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()
