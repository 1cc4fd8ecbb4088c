"""The webhooks' tables: each endpoint's signing secrets, the pump's cursor over the events
table, the outbox and delivery log, and every attempt. Part of the schema's
:data:`~smsrelay.storage.schema.metadata` (see ``storage/schema.py``)."""

from __future__ import annotations

from sqlalchemy import BigInteger, Column, Index, Integer, String, Table, Text

from .schema_metadata import metadata

#: Each webhook endpoint's signing secrets (``whsec_…``), newest first (``position`` 0), apart
#: from the revisions like the token secrets: no export, diff or audit entry shows one.
webhook_secrets = Table(
    "webhook_secrets",
    metadata,
    Column("tenant", String(100), primary_key=True),
    Column("endpoint", String(50), primary_key=True),
    Column("position", Integer, primary_key=True),
    Column("secret", Text, nullable=False),
    Column("created_at", BigInteger, nullable=False),
)

#: How far the webhook pump has read the events table: every event up to ``position`` has its
#: deliveries (or needed none), except the ids in ``holes`` (JSON ``[[id, since_ms], …]``: ids
#: that were missing when the pump passed them, looked for again for a while). ``version``
#: changes with every advance, so of two relays advancing from the same place only one does.
webhook_cursor = Table(
    "webhook_cursor",
    metadata,
    Column("name", String(20), primary_key=True),
    Column("position", BigInteger, nullable=False),
    Column("holes", Text, nullable=False, server_default="[]"),
    Column("version", BigInteger, nullable=False),
)

#: The webhooks' outbox and delivery log: one row per event and endpoint, written with the
#: pump's cursor in one transaction, posted until the endpoint answers 2xx or the retry window
#: ends. ``ordering`` names the conversation (tenant and customer's number): a row waits
#: while an earlier one of the same endpoint and conversation is pending.
webhook_deliveries = Table(
    "webhook_deliveries",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("tenant", String(100), nullable=False),
    Column("endpoint", String(50), nullable=False),
    #: The event's id: the payload's ``id`` and the ``webhook-id`` header, the same on every
    #: attempt and redelivery, so the CRM can drop a duplicate.
    Column("event_id", String(40), nullable=False),
    Column("event_type", String(40), nullable=False),
    Column("ordering", String(64), nullable=False),
    Column("message_id", String(40)),
    Column("interaction_id", String(200)),
    Column("payload", Text, nullable=False),
    #: ``pending``, ``delivered`` or ``failed`` (the retry window ended).
    Column("state", String(10), nullable=False),
    Column("attempts", Integer, nullable=False),
    Column("next_attempt_at", BigInteger, nullable=False),
    Column("claimed_by", String(100)),
    Column("claimed_until", BigInteger),
    #: The last attempt: the endpoint's HTTP status (none when it could not be reached) or
    #: what went wrong.
    Column("last_status", Integer),
    Column("last_error", Text),
    Column("last_attempt_at", BigInteger),
    Column("delivered_at", BigInteger),
    #: When the retry window started: the event, or an administrator's "redeliver".
    Column("window_start", BigInteger, nullable=False),
    Column("created_at", BigInteger, nullable=False),
    #: The delivery this one sends again (an administrator's "redeliver").
    Column("redelivery_of", Integer),
    Index("ix_webhook_deliveries_due", "state", "next_attempt_at"),
    Index("ix_webhook_deliveries_order", "tenant", "endpoint", "ordering", "state", "id"),
    Index("ix_webhook_deliveries_log", "tenant", "id"),
)

#: Every attempt at a delivery, for the administrator's log.
webhook_attempts = Table(
    "webhook_attempts",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("delivery_id", Integer, nullable=False),
    Column("at", BigInteger, nullable=False),
    Column("status", Integer),
    Column("error", Text),
    Column("duration_ms", Integer, nullable=False),
    Index("ix_webhook_attempts_delivery", "delivery_id", "id"),
)
