"""The conversations' tables: customers' messages to a tenant's sender addresses, the
conversations they make, and SMPP parts until their message is whole. Part of the schema's
:data:`~smsrelay.storage.schema.metadata` (see ``storage/schema.py``)."""

from __future__ import annotations

from sqlalchemy import BigInteger, Column, Index, Integer, String, Table, Text, UniqueConstraint

from .schema_metadata import metadata

#: Customers' messages to a tenant's sender address (see ``smsrelay.conversations``), each
#: stored once: ``key`` is what a gateway's retry repeats (Twilio's MessageSid, Kannel's message
#: id, the SMPP parts' own key), unique per tenant, so a retry or a second relay stores nothing.
inbound_messages = Table(
    "inbound_messages",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("tenant", String(100), nullable=False),
    #: The customer's number (E.164) and the tenant's sender address it wrote to.
    Column("number", String(20), nullable=False),
    Column("address", String(40), nullable=False),
    Column("text", Text, nullable=False),
    Column("gateway", String(100), nullable=False),
    Column("key", String(200), nullable=False),
    #: Where the routing sent it: the agent who last wrote to the customer (or '') and a queue.
    Column("agent", String(200), nullable=False),
    Column("queue_id", String(100), nullable=False),
    Column("received_at", BigInteger, nullable=False),
    UniqueConstraint("tenant", "key", name="uq_inbound_key"),
    Index("ix_inbound_thread", "tenant", "number", "address", "received_at"),
)

#: A conversation: a tenant, a customer's number and the sender address between them. One row
#: per conversation that has had a reply, kept up to date in the reply's transaction, so the
#: list of conversations is one indexed read, not a scan of every message.
conversations = Table(
    "conversations",
    metadata,
    Column("tenant", String(100), primary_key=True),
    Column("number", String(20), primary_key=True),
    Column("address", String(40), primary_key=True),
    Column("queue_id", String(100), nullable=False),
    Column("agent", String(200), nullable=False),
    #: Replies since somebody last read the thread.
    Column("unread", Integer, nullable=False),
    Column("last_at", BigInteger, nullable=False),
    Column("last_text", Text, nullable=False),
    Column("last_id", String(40), nullable=False),
    Column("read_at", BigInteger),
    Index("ix_conversations_queue", "tenant", "queue_id", "last_at"),
)

#: Parts of concatenated SMPP messages (and single ones, for their retries) until the message
#: is whole: in the database, so the parts may arrive over different binds and relays.
#: ``group_key`` names the message (source, destination, UDH reference and total).
inbound_parts = Table(
    "inbound_parts",
    metadata,
    Column("gateway", String(100), primary_key=True),
    Column("group_key", String(200), primary_key=True),
    Column("seq", Integer, primary_key=True),
    Column("total", Integer, nullable=False),
    Column("text", Text, nullable=False),
    Column("received_at", BigInteger, nullable=False),
    Index("ix_inbound_parts_age", "received_at"),
)
