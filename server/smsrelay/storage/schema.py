"""The tables, and the statements the store runs most, built once per dialect.

SQLite in WAL mode is the embedded default; PostgreSQL serves several relays behind a load
balancer. The Alembic migrations (``migrations/versions``) create and change the schema;
these tables describe it to SQLAlchemy Core (and are the migrations' target metadata).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Connection,
    Dialect,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
    and_,
    bindparam,
    insert,
    or_,
    select,
    update,
)
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from .prepared import Prepared

# The conversations' and the webhooks' tables are defined beside this module, on the same
# metadata; imported here so that ``metadata`` has every table once this module is loaded
# (Alembic compares it with the migrations) and ``from .schema import …`` finds them all.
from .schema_conversations import conversations, inbound_messages, inbound_parts
from .schema_metadata import metadata
from .schema_webhooks import webhook_attempts, webhook_cursor, webhook_deliveries, webhook_secrets

__all__ = [
    "DriverInsert",
    "Statements",
    "conversations",
    "drafts",
    "events",
    "gateway_refs",
    "inbound_messages",
    "inbound_parts",
    "messages",
    "metadata",
    "opt_outs",
    "rate_counts",
    "tenant_revisions",
    "tenant_secrets",
    "webhook_attempts",
    "webhook_cursor",
    "webhook_deliveries",
    "webhook_secrets",
]


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
    #: The gateway's own words (for the API and the logs) and the code the agent reads
    #: translated (``smscompose.status.Reason``).
    Column("reason", Text),
    Column("reason_code", String(40)),
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
    #: When a scheduled message goes out (the agent's time, or the end of the customer's quiet
    #: hours); its first ``next_attempt_at``. NULL: at once.
    Column("send_at", BigInteger),
    #: Whether the customer's quiet hours held it (the agent asked for an earlier time).
    Column("held", Boolean, nullable=False, default=False),
    UniqueConstraint("tenant", "agent", "idempotency_key", name="uq_messages_idempotency"),
    Index("ix_messages_due", "status", "next_attempt_at"),
    Index("ix_messages_agent", "tenant", "agent", "id"),
    #: A conversation's outbound side, and whom a reply goes to (the last writer).
    Index("ix_messages_thread", "tenant", "to_number", "created_at"),
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
    Column("reason_code", String(40)),
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
    Column("reason_code", String(40)),
    Column("at", BigInteger, nullable=False),
    #: What happened: ``status`` (a message's status changed; ``message_id``), ``received``
    #: (a customer's reply), ``optout`` (a number opted out or back in; ``number``). The agents'
    #: event streams and the CRM's webhooks both read this one log.
    Column("kind", String(20), nullable=False, server_default="status"),
    #: The customer's number, for events that are about a number rather than a message.
    Column("number", String(20)),
    #: For an event meant for every agent of a queue rather than one agent (``agent`` empty).
    Column("queue_id", String(100)),
    Index("ix_events_agent", "tenant", "agent", "id"),
    Index("ix_events_queue", "tenant", "queue_id", "id"),
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

#: Numbers that replied STOP, per tenant (see ``smsrelay.optouts``): nothing is sent to them.
#: Storing or claiming a message looks its number up in the same transaction.
opt_outs = Table(
    "opt_outs",
    metadata,
    Column("tenant", String(100), primary_key=True),
    Column("number", String(20), primary_key=True),
    #: Where it came from: ``kannel:GATEWAY``, ``twilio:GATEWAY`` or ``cli``.
    Column("source", String(120), nullable=False),
    Column("created_at", BigInteger, nullable=False),
)

#: Every change of a tenant's configuration, in full: the revision an administrator saved, who
#: and why. A tenant is what its newest revision says (``state``: active, disabled, deleted);
#: ``id`` orders all changes, so a relay learns of one by polling ``max(id)``. Two saves of the
#: same revision conflict on the unique key, so neither overwrites the other unseen.
tenant_revisions = Table(
    "tenant_revisions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("tenant", String(100), nullable=False),
    Column("revision", Integer, nullable=False),
    Column("state", String(10), nullable=False),
    #: The tenant's keys as in a ``[tenants.ID]`` table, as JSON, without its token secrets.
    Column("document", Text, nullable=False),
    Column("author", String(200), nullable=False),
    Column("comment", Text),
    Column("created_at", BigInteger, nullable=False),
    UniqueConstraint("tenant", "revision", name="uq_tenant_revisions"),
    Index("ix_tenant_revisions_author", "author", "created_at"),
)

#: The secrets a tenant's CRM signs agent tokens with, by key id. Apart from the revisions,
#: so an export, an audit log or a diff never shows one; verifying an HS256 token needs the
#: secret itself, so it is kept, not a hash of it.
tenant_secrets = Table(
    "tenant_secrets",
    metadata,
    Column("tenant", String(100), primary_key=True),
    Column("kid", String(100), primary_key=True),
    Column("secret", Text, nullable=False),
    Column("created_at", BigInteger, nullable=False),
)


#: Rate limits' hits (see ``smsrelay.ratelimit``): how many messages an agent — or, with the
#: agent empty, the whole tenant — stored in one second. Written in the transaction that stores
#: the messages, so every relay on the database counts against the same limits; seconds that
#: left the window are deleted now and then.
rate_counts = Table(
    "rate_counts",
    metadata,
    Column("tenant", String(100), primary_key=True),
    Column("agent", String(200), primary_key=True),
    Column("second", BigInteger, primary_key=True),
    Column("hits", Integer, nullable=False),
    Index("ix_rate_counts_second", "second"),
)


class DriverInsert:
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


#: What a gateway ref is written with.
REF_COLUMNS = ("gateway", "gateway_id", "message_id", "part", "status", "reason", "reason_code")
STATUS_EVENT_COLUMNS = (
    "tenant",
    "agent",
    "message_id",
    "status",
    "reason",
    "reason_code",
    "at",
    "kind",
)


class Statements:
    """The writer's hot statements, built once per store. Building a Core statement costs
    several times more than executing a built one (measured here: 65–91 µs against 15–17 µs),
    and the single writer thread runs about fifteen of them per message."""

    def __init__(self, dialect: Dialect) -> None:
        upsert = sqlite_insert if dialect.name == "sqlite" else postgresql_insert
        #: SQLite: the writer holds the database's write lock for its whole transaction (and
        #: the writers of several relays take turns), so a look and a write after it cannot
        #: be interleaved with another writer's.
        self.serialized = dialect.name == "sqlite"
        self.insert_messages = DriverInsert(
            upsert(messages).on_conflict_do_nothing(
                index_elements=["tenant", "agent", "idempotency_key"]
            ),
            dialect,
            [column.name for column in messages.c],
        )
        self.insert_event = insert(events)
        #: A message's status change, inside the write job that made it.
        self.insert_status_event = Prepared(insert(events), dialect, STATUS_EVENT_COLUMNS)
        self.insert_events = DriverInsert(
            insert(events).inline(), dialect, [c.name for c in events.c if c.name != "id"]
        )
        self.opted_out = select(opt_outs.c.tenant, opt_outs.c.number).where(
            opt_outs.c.tenant.in_(bindparam("b_tenants", expanding=True)),
            opt_outs.c.number.in_(bindparam("b_numbers", expanding=True)),
        )
        # Adding a number twice keeps the first entry (and its date). The rowcount tells
        # whether it was new; SQLAlchemy keeps an INSERT's rowcount only when asked (psycopg
        # then gave -1, so adding a number already on the list reported it as added).
        self.add_opt_out = (
            upsert(opt_outs)
            .on_conflict_do_nothing(index_elements=["tenant", "number"])
            .execution_options(preserve_rowcount=True)
        )
        counts = upsert(rate_counts)
        self.add_rate_hits = counts.on_conflict_do_update(
            index_elements=["tenant", "agent", "second"],
            set_={"hits": rate_counts.c.hits + counts.excluded.hits},
        )
        self.stored_ids = select(messages.c.id).where(
            messages.c.id.in_(bindparam("b_ids", expanding=True))
        )
        self.record = Prepared(
            update(messages)
            .where(
                messages.c.id == bindparam("b_id"),
                # The worker whose claim ran out may still record what it knows: it sent the
                # message, so its word settles the doubt (see claims.py).
                or_(
                    messages.c.claimed_by == bindparam("b_worker"),
                    messages.c.unconfirmed_by == bindparam("b_worker"),
                ),
            )
            .values(
                status=bindparam("b_status"),
                reason=bindparam("b_reason"),
                reason_code=bindparam("b_reason_code"),
                attempts=messages.c.attempts + 1,
                parts_sent=bindparam("b_parts_sent"),
                gateway_ids=bindparam("b_gateway_ids"),
                next_attempt_at=bindparam("b_next_attempt_at"),
                claimed_by=None,
                claimed_until=None,
                unconfirmed_by=None,
                unconfirmed_at=None,
                updated_at=bindparam("b_now"),
            ),
            dialect,
        )
        refs = upsert(gateway_refs)
        # A placeholder left by an early receipt keeps its status and gets its message.
        # Its statuses tell the writer whether a receipt came before the submission record.
        self.upsert_ref = Prepared(
            refs.on_conflict_do_update(
                index_elements=["gateway", "gateway_id"],
                set_={"message_id": refs.excluded.message_id, "part": refs.excluded.part},
            ).returning(gateway_refs.c.status),
            dialect,
            REF_COLUMNS,
        )
        # Waits for a concurrent, uncommitted record of the same id, then conflicts.
        self.keep_placeholder = Prepared(
            upsert(gateway_refs).on_conflict_do_nothing().returning(gateway_refs.c.gateway_id),
            dialect,
            REF_COLUMNS,
        )
        ref_key = and_(
            gateway_refs.c.gateway == bindparam("b_gateway"),
            gateway_refs.c.gateway_id == bindparam("b_gateway_id"),
        )
        self.select_ref = Prepared(select(gateway_refs).where(ref_key), dialect)
        self.update_ref = Prepared(
            update(gateway_refs)
            .where(ref_key)
            .values(
                status=bindparam("b_status"),
                reason=bindparam("b_reason"),
                reason_code=bindparam("b_reason_code"),
            ),
            dialect,
        )
        # In one order (by id), so that two writers locking several never wait in a circle.
        many = (
            select(messages)
            .where(messages.c.id.in_(bindparam("b_ids", expanding=True)))
            .order_by(messages.c.id)
        )
        self.locked_messages = many.with_for_update() if dialect.name == "postgresql" else many
        self.refs_of_messages = (
            select(
                gateway_refs.c.message_id,
                gateway_refs.c.part,
                gateway_refs.c.status,
                gateway_refs.c.reason,
                gateway_refs.c.reason_code,
            )
            .where(gateway_refs.c.message_id.in_(bindparam("b_ids", expanding=True)))
            .order_by(gateway_refs.c.message_id, gateway_refs.c.part)
        )
        # Gateways and ids as two lists, not pairs: SQLite then looks each up in the primary
        # key (with pairs it read the whole table); the few extra pairs are dropped after.
        self.refs_named = select(gateway_refs).where(
            gateway_refs.c.gateway.in_(bindparam("b_gateways", expanding=True)),
            gateway_refs.c.gateway_id.in_(bindparam("b_ids", expanding=True)),
        )
        locked = select(messages).where(messages.c.id == bindparam("b_id"))
        self.locked_message = Prepared(
            locked.with_for_update() if dialect.name == "postgresql" else locked, dialect
        )
        # With each part's reason: the message takes that of its first part in its status.
        self.refs_of_message = Prepared(
            select(
                gateway_refs.c.part,
                gateway_refs.c.status,
                gateway_refs.c.reason,
                gateway_refs.c.reason_code,
            )
            .where(gateway_refs.c.message_id == bindparam("b_id"))
            .order_by(gateway_refs.c.part),
            dialect,
        )
        self.events_since = (
            select(
                events.c.id,
                events.c.tenant,
                events.c.agent,
                events.c.message_id,
                events.c.status,
                events.c.reason,
                events.c.reason_code,
                events.c.at,
                events.c.kind,
                events.c.number,
                events.c.queue_id,
            )
            .where(events.c.id > bindparam("b_after"))
            .order_by(events.c.id)
            .limit(bindparam("b_limit"))
        )
        self.set_status = Prepared(
            update(messages)
            .where(messages.c.id == bindparam("b_id"))
            .values(
                status=bindparam("b_status"),
                reason=bindparam("b_reason"),
                reason_code=bindparam("b_reason_code"),
                updated_at=bindparam("b_now"),
            ),
            dialect,
        )
