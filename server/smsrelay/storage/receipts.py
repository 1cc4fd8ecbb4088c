"""Gateway receipts: each names one gateway id (a part, or a whole message); the message's
status is derived from all its parts' (``status.derived_status``).

A receipt can outrun the record of the submission it is about (a fast network answers before
the dispatcher has written the gateway's ids down): it is kept as a placeholder in
``gateway_refs`` and counted when that record arrives (``apply_early_receipts``). Both sides
write the same primary key, so the database orders them, also across relay instances.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from concurrent.futures import Future
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import Connection, Engine, select, update

from .events import status_event
from .rows import MessageRow
from .schema import gateway_refs
from .statements import Statements
from .status import FINAL_STATUSES, derived_status, part_status
from .writer import WriteQueue


class SqlReceipts:
    def __init__(self, engine: Engine, sql: Statements, writes: WriteQueue) -> None:
        self.engine = engine
        self._sql = sql
        self._writes = writes

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
        """Record a gateway receipt and derive the message's status from all its parts.

        Duplicate and out-of-order receipts never move a final status back. The future gives
        the message, or None while none is known (the receipt is then kept as a placeholder).
        ``message_id``, when the (signed) callback names the relay's message, lets a receipt
        settle a send that ended ``unknown`` because the gateway's answer, with its id, was lost.
        """
        item = ReceiptItem(gateway, gateway_id, status, reason, reason_code, message_id, now)
        future: Future[MessageRow | None] = self._writes.submit_bulk(APPLY_RECEIPT, item)
        return future

    def receipts_seen(self, gateway: str, gateway_ids: Sequence[str]) -> set[str]:
        """Which of these gateway ids some receipt (or a recorded submission) has named."""
        if not gateway_ids:
            return set()
        query = select(gateway_refs.c.gateway_id).where(
            gateway_refs.c.gateway == gateway, gateway_refs.c.gateway_id.in_(list(gateway_ids))
        )
        with self.engine.connect() as conn:
            return set(conn.execute(query).scalars())


#: The writer's bulk kind for receipts (see ``receipt_batch.apply_receipts``).
APPLY_RECEIPT = "apply_receipt"


@dataclass(frozen=True)
class ReceiptItem:
    """One receipt, waiting for the writer."""

    gateway: str
    gateway_id: str
    status: str
    reason: str | None
    reason_code: str | None
    message_id: str | None
    now: int

    @property
    def news(self) -> _News:
        return _News(self.status, self.reason, self.reason_code)

    @property
    def key(self) -> dict[str, str]:
        return {"b_gateway": self.gateway, "b_gateway_id": self.gateway_id}


def apply_one(conn: Connection, sql: Statements, item: ReceiptItem) -> MessageRow | None:
    """One receipt, on its own: the message as it is now, or None while none is known."""
    placeholder = {
        "gateway": item.gateway,
        "gateway_id": item.gateway_id,
        "message_id": None,
        "part": None,
        "status": part_status(item.status),
        "reason": item.reason,
        "reason_code": item.reason_code,
    }
    gateway, gateway_id, now, message_id = item.gateway, item.gateway_id, item.now, item.message_id
    if sql.serialized:
        # No other writer can add the ref between this look and the insert: one statement
        # fewer for the common case, a receipt for a recorded part.
        ref = sql.select_ref.first(conn, item.key)
        if ref is not None:
            return _apply_to_ref(conn, sql, ref, item.key, item.news, now, message_id)
        sql.keep_placeholder.run(conn, placeholder)
        return _adopt(conn, sql, gateway, gateway_id, message_id, now)
    if sql.keep_placeholder.first(conn, placeholder) is not None:
        return _adopt(conn, sql, gateway, gateway_id, message_id, now)
    return _apply_receipt(conn, sql, gateway, gateway_id, item.news, now, message_id)


@dataclass(frozen=True)
class _News:
    """What one receipt says about its part."""

    status: str
    reason: str | None
    reason_code: str | None

    def ref_values(self, key: dict[str, str]) -> dict[str, str | None]:
        return {
            **key,
            "b_status": part_status(self.status),
            "b_reason": self.reason,
            "b_reason_code": self.reason_code,
        }


def _apply_receipt(
    conn: Connection,
    sql: Statements,
    gateway: str,
    gateway_id: str,
    news: _News,
    now: int,
    message_id: str | None = None,
) -> MessageRow | None:
    key = {"b_gateway": gateway, "b_gateway_id": gateway_id}
    ref = sql.select_ref.first(conn, key)
    if ref is None:
        return None
    return _apply_to_ref(conn, sql, ref, key, news, now, message_id)


def _apply_to_ref(
    conn: Connection,
    sql: Statements,
    ref: Mapping[Any, Any],
    key: dict[str, str],
    news: _News,
    now: int,
    message_id: str | None,
) -> MessageRow | None:
    gateway, gateway_id = key["b_gateway"], key["b_gateway_id"]
    if ref["message_id"] is None:  # still a placeholder: remember the better news
        if ref["status"] not in FINAL_STATUSES:
            sql.update_ref.run(conn, news.ref_values(key))
        return _adopt(conn, sql, gateway, gateway_id, message_id, now)
    # Receipts of one message's parts take turns, also across relays: each then derives
    # the message's status from what the others committed.
    row = _locked_message(conn, sql, ref["message_id"])
    if row is None:
        return None
    if ref["status"] not in FINAL_STATUSES and news.status != "enroute":
        sql.update_ref.run(conn, news.ref_values(key))
    return _derive(conn, sql, MessageRow.from_row(row), now)


def _adopt(
    conn: Connection,
    sql: Statements,
    gateway: str,
    gateway_id: str,
    message_id: str | None,
    now: int,
) -> MessageRow | None:
    """A placeholder whose callback named its message: if that message's send ended
    ``unknown`` with no gateway id recorded (the answer that carried the id was lost — Twilio
    after a timeout), the id is the whole message's, and its news settles the message."""
    if message_id is None:
        return None
    row = _locked_message(conn, sql, message_id)
    if row is None:
        return None
    message = MessageRow.from_row(row)
    if message.gateway != gateway or message.status != "unknown" or message.gateway_ids:
        return None
    conn.execute(
        update(gateway_refs)
        .where(
            gateway_refs.c.gateway == gateway,
            gateway_refs.c.gateway_id == gateway_id,
            gateway_refs.c.message_id.is_(None),
        )
        .values(message_id=message_id, part=-1)
    )
    return _derive(conn, sql, message, now)


def apply_early_receipts(
    conn: Connection, sql: Statements, message_id: str, now: int
) -> MessageRow | None:
    """After recording a submission: count what receipts reported before it; the message
    as they leave it."""
    row = _locked_message(conn, sql, message_id)
    return None if row is None else _derive(conn, sql, MessageRow.from_row(row), now)


def _locked_message(conn: Connection, sql: Statements, message_id: str) -> Mapping[Any, Any] | None:
    return sql.locked_message.first(conn, {"b_id": message_id})


def _derive(conn: Connection, sql: Statements, message: MessageRow, now: int) -> MessageRow:
    """Set the message's status from its parts' refs (with the event) if that changes it."""
    if message.status in FINAL_STATUSES:  # spares reading the refs; derived_status agrees
        return message
    changed = settled(message, sql.refs_of_message.all(conn, {"b_id": message.id}), now)
    if changed is None:
        return message
    sql.set_status.run(conn, status_change(changed))
    sql.insert_status_event.run(conn, change_event(changed))
    return changed


def settled(message: MessageRow, refs: Sequence[tuple[Any, ...]], now: int) -> MessageRow | None:
    """The message as its parts' refs — ``(part, status, reason, reason_code)`` — leave it,
    with the reason of its first part in the new status; None when they leave it as it is."""
    new_status = derived_status(message.status, message.segments, [(r[0], r[1]) for r in refs])
    if not new_status or new_status == message.status:
        return None
    reason, code = next(((r[2], r[3]) for r in refs if r[1] == new_status), (None, None))
    return replace(message, status=new_status, reason=reason, reason_code=code, updated_at=now)


def status_change(row: MessageRow) -> dict[str, Any]:
    """``Statements.set_status``'s values for a message ``settled`` changed."""
    return {
        "b_id": row.id,
        "b_status": row.status,
        "b_reason": row.reason,
        "b_reason_code": row.reason_code,
        "b_now": row.updated_at,
    }


def change_event(row: MessageRow) -> dict[str, Any]:
    """The event of a message ``settled`` changed."""
    return status_event(
        row.tenant, row.agent, row.id, row.status, row.reason, row.updated_at, row.reason_code
    )
