"""The receipts that reach the writer together, applied together.

Under load the receipts of many messages wait for the writer at once, and one at a time each
took up to seven statements — on PostgreSQL seven round trips. Here the common case, a receipt
for a part whose submission is recorded and the batch's only receipt for that gateway id and
that message, is applied to all such receipts with a handful of statements in all: their refs
read, their messages locked (in id order), the refs updated, the parts of those messages read,
the changed messages and their events written. Every other receipt — one that finds no ref or
a placeholder, a second one for the same id or message — goes through ``apply_one`` on its
own, as before; the outcome for each receipt is the one it would have had alone.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from sqlalchemy import Connection

from .receipts import ReceiptItem, apply_one, change_event, settled, status_change
from .rows import MessageRow
from .statements import Statements
from .status import FINAL_STATUSES

Ref = dict[str, Any]


def apply_receipts(
    sql: Statements, conn: Connection, items: list[ReceiptItem]
) -> list[MessageRow | None]:
    """The writer's bulk handler for receipts: the message as each left it, or None."""
    results: list[MessageRow | None] = [None] * len(items)
    together: dict[int, Ref] = {}
    if len(items) > 1:
        refs = _refs(conn, sql, items)
        per_id = Counter((item.gateway, item.gateway_id) for item in items)
        per_message = Counter(
            ref["message_id"] for ref in (refs.get(_key(item)) for item in items) if ref
        )
        for index, item in enumerate(items):
            ref = refs.get(_key(item))
            if (
                ref is not None
                and ref["message_id"] is not None
                and per_id[_key(item)] == 1
                and per_message[ref["message_id"]] == 1
            ):
                together[index] = ref
    if len(together) > 1:
        applied = _apply_together(conn, sql, [(items[i], ref) for i, ref in together.items()])
        for index, row in zip(together, applied, strict=True):
            results[index] = row
    else:
        together = {}
    for index, item in enumerate(items):
        if index not in together:
            results[index] = apply_one(conn, sql, item)
    return results


def _key(item: ReceiptItem) -> tuple[str, str]:
    return (item.gateway, item.gateway_id)


def _refs(
    conn: Connection, sql: Statements, items: list[ReceiptItem]
) -> dict[tuple[str, str], Ref]:
    keys = {_key(item) for item in items}
    named = {
        "b_gateways": sorted({gateway for gateway, _ in keys}),
        "b_ids": sorted({gateway_id for _, gateway_id in keys}),
    }
    found = conn.execute(sql.refs_named, named).mappings()
    refs = {(ref["gateway"], ref["gateway_id"]): dict(ref) for ref in found}
    return {key: ref for key, ref in refs.items() if key in keys}


def _apply_together(
    conn: Connection, sql: Statements, pairs: list[tuple[ReceiptItem, Ref]]
) -> list[MessageRow | None]:
    ids = sorted({ref["message_id"] for _, ref in pairs})
    locked = conn.execute(sql.locked_messages, {"b_ids": ids}).mappings()
    messages = {row["id"]: MessageRow.from_row(row) for row in locked}
    updates = [
        item.news.ref_values(item.key)
        for item, ref in pairs
        if ref["message_id"] in messages
        and ref["status"] not in FINAL_STATUSES
        and item.status != "enroute"
    ]
    if updates:
        sql.update_ref.many(conn, updates)
    parts: dict[str, list[tuple[Any, ...]]] = {}
    for message_id, *part in conn.execute(sql.refs_of_messages, {"b_ids": ids}):
        parts.setdefault(message_id, []).append(tuple(part))
    changes: list[MessageRow] = []
    results: list[MessageRow | None] = []
    for item, ref in pairs:
        message = messages.get(ref["message_id"])
        if message is None or message.status in FINAL_STATUSES:
            results.append(message)
            continue
        changed = settled(message, parts.get(message.id, []), item.now)
        if changed is not None:
            changes.append(changed)
        results.append(changed or message)
    if changes:
        sql.set_status.many(conn, [status_change(row) for row in changes])
        sql.insert_status_event.many(conn, [change_event(row) for row in changes])
    return results
