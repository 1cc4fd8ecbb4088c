"""The statements the store runs most, built once per dialect (the tables are :mod:`.schema`)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Connection, Dialect, and_, bindparam, insert, or_, select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from .prepared import Prepared
from .schema import events, gateway_refs, messages, opt_outs, rate_counts

__all__ = ["DriverInsert", "Statements"]


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
