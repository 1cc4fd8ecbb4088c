"""The dispatcher's side of the messages table: claims with a lease (on PostgreSQL with
``FOR UPDATE SKIP LOCKED``, so two relays never claim the same message), and the outcome of
each attempt, recorded only by the worker that holds the claim.

The dispatcher awaits the writer through the futures these return (as requests do through
``insert_message``): a thread that only waited for a commit was one of the thread pool's few,
with 32 sends and every receipt in flight each holding one.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from concurrent.futures import Future
from dataclasses import replace
from typing import Any

from sqlalchemy import Connection, Engine, case, or_, select, update

from smscompose.status import WAITING

from .events import insert_event
from .optouts import blocked
from .receipts import apply_early_receipts
from .rows import MessageRow, Recorded
from .schema import messages
from .statements import Statements
from .writer import WriteQueue


class SqlClaims:
    def __init__(self, engine: Engine, sql: Statements, writes: WriteQueue) -> None:
        self.engine = engine
        self._sql = sql
        self._writes = writes

    def submit_claim_due(
        self, *, worker: str, now: int, lease_ms: int, limit: int
    ) -> Future[list[MessageRow]]:
        """Reserve up to ``limit`` queued messages that are due, for ``lease_ms`` (a scheduled
        one is due at its send-at time)."""
        due = (
            select(messages.c.id)
            .where(
                messages.c.status.in_([str(s) for s in WAITING]),
                messages.c.next_attempt_at <= now,
                or_(messages.c.claimed_until.is_(None), messages.c.claimed_until < now),
            )
            .order_by(messages.c.next_attempt_at)
            .limit(limit)
        )
        if self.engine.dialect.name == "postgresql":
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
        sql = self._sql

        def claim_rows(conn: Connection) -> list[MessageRow]:
            rows = [MessageRow.from_row(r) for r in conn.execute(claim).mappings()]
            # A customer may reply STOP while a message waits (behind a busy gateway, or for a
            # retry): the list is read again in the claim's own transaction, one look for all.
            refused = blocked(conn, sql, ((row.tenant, row.to_number) for row in rows))
            return sorted(
                (
                    replace(row, opted_out=True) if (row.tenant, row.to_number) in refused else row
                    for row in rows
                ),
                key=lambda m: m.created_at,
            )

        return self._writes.submit(claim_rows)

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
        """The outcome of one submission attempt, if this worker still holds the claim.

        ``status`` is ``submitted`` (all parts out; ``next_attempt_at`` is then when to stop
        waiting for receipts), ``queued`` (retry at ``next_attempt_at``), ``failed``,
        ``expired`` or ``unknown`` (the gateway may have taken it). Gives the status the
        message is left in (receipts that came first may have settled it), or None when the
        claim was lost (nothing written).
        """
        ids = [*message.gateway_ids, *new_gateway_ids]
        first_new_part = message.parts_sent
        sql = self._sql

        def record(conn: Connection) -> Recorded | None:
            changed = sql.record.run(
                conn,
                {
                    "b_id": message.id,
                    "b_worker": worker,
                    "b_status": status,
                    "b_reason": reason,
                    "b_reason_code": reason_code,
                    "b_parts_sent": parts_sent,
                    "b_gateway_ids": json.dumps(ids),
                    "b_next_attempt_at": next_attempt_at or now,
                    "b_now": now,
                },
            )
            if not changed:
                return None
            early = False
            if new_gateway_ids:
                # One id per part sent in this attempt (SMPP, Kannel), or one id for the whole
                # message (an HTTP API that splits itself), recorded as part -1.
                per_part = len(new_gateway_ids) == parts_sent - first_new_part
                rows = [
                    {
                        "gateway": message.gateway,
                        "gateway_id": gid,
                        "message_id": message.id,
                        "part": first_new_part + i if per_part else -1,
                        "status": "submitted",
                        "reason": None,
                        "reason_code": None,
                    }
                    for i, gid in enumerate(new_gateway_ids)
                ]
                # Each ref's status as stored: a placeholder keeps its own.
                statuses = [_status_of(sql.upsert_ref.first(conn, row)) for row in rows]
                # Only news from before this record can move the status on from here: a
                # receipt that came first (its placeholder has kept its status), or the
                # parts of an earlier attempt. Else the parts are all just submitted.
                early = (
                    any(s != "submitted" for s in statuses)
                    or first_new_part > 0
                    or status != "submitted"
                )
            if status != message.status:
                insert_event(
                    conn,
                    sql,
                    message.tenant,
                    message.agent,
                    message.id,
                    status,
                    reason,
                    now,
                    reason_code,
                )
            settled = apply_early_receipts(conn, sql, message.id, now) if early else None
            if settled is not None:
                return Recorded(settled.status, settled.reason, settled.reason_code)
            return Recorded(status, reason, reason_code)

        return self._writes.submit(record)

    def submit_resolve_unreported(
        self, *, now: int, reason: str, reason_code: str, limit: int
    ) -> Future[list[MessageRow]]:
        """Messages still ``submitted`` whose wait for receipts ended (``next_attempt_at``,
        set when the submission was recorded) become ``unknown``."""
        due = (
            select(messages.c.id)
            .where(messages.c.status == "submitted", messages.c.next_attempt_at <= now)
            .order_by(messages.c.next_attempt_at)
            .limit(limit)
        )
        if self.engine.dialect.name == "postgresql":
            due = due.with_for_update(skip_locked=True)
        resolve = (
            update(messages)
            # Checked again on the row itself: a receipt may have settled it meanwhile.
            .where(messages.c.id.in_(due.scalar_subquery()), messages.c.status == "submitted")
            .values(status="unknown", reason=reason, reason_code=reason_code, updated_at=now)
            .returning(*messages.c)
        )
        sql = self._sql

        def resolve_rows(conn: Connection) -> list[MessageRow]:
            rows = [MessageRow.from_row(r) for r in conn.execute(resolve).mappings()]
            for row in rows:
                insert_event(
                    conn, sql, row.tenant, row.agent, row.id, "unknown", reason, now, reason_code
                )
            return rows

        return self._writes.submit(resolve_rows)

    def submit_release_claim(
        self, message: MessageRow, *, worker: str, next_attempt_at: int
    ) -> Future[bool]:
        """Give a claimed message back untouched, to be claimed again at ``next_attempt_at``."""
        release = (
            update(messages)
            .where(messages.c.id == message.id, messages.c.claimed_by == worker)
            .values(claimed_by=None, claimed_until=None, next_attempt_at=next_attempt_at)
        )
        return self._writes.submit(lambda conn: bool(conn.execute(release).rowcount))

    def submit_renew_claims(
        self, worker: str, message_ids: Sequence[str], until: int
    ) -> Future[None]:
        """Extend this worker's leases on messages it is still sending."""
        renew = (
            update(messages)
            .where(messages.c.id.in_(list(message_ids)), messages.c.claimed_by == worker)
            .values(claimed_until=until)
        )

        def extend(conn: Connection) -> None:
            if message_ids:
                conn.execute(renew)

        return self._writes.submit(extend)


def _status_of(ref: Mapping[str, Any] | None) -> str | None:
    return None if ref is None else ref["status"]
