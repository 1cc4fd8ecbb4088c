"""The tables (the statements the store runs most are built in :mod:`.statements`).

SQLite in WAL mode is the embedded default; PostgreSQL serves several relays behind a load
balancer. The Alembic migrations (``migrations/versions``) create and change the schema;
these tables describe it to SQLAlchemy Core (and are the migrations' target metadata).
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)

# The conversations' and the webhooks' tables are defined beside this module, on the same
# metadata; imported here so that ``metadata`` has every table once this module is loaded
# (Alembic compares it with the migrations) and ``from .schema import …`` finds them all.
from .schema_conversations import conversations, inbound_messages, inbound_parts
from .schema_metadata import metadata
from .schema_webhooks import webhook_attempts, webhook_cursor, webhook_deliveries, webhook_secrets

__all__ = [
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
