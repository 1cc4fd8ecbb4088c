"""conversations: customers' messages stored once, the conversations they belong to, SMPP
parts until their message is whole, and the indexes threads and queue events are read by

Revision ID: 0008
Revises: 0007
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "inbound_messages",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("tenant", sa.String(length=100), nullable=False),
        sa.Column("number", sa.String(length=20), nullable=False),
        sa.Column("address", sa.String(length=40), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("gateway", sa.String(length=100), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("agent", sa.String(length=200), nullable=False),
        sa.Column("queue_id", sa.String(length=100), nullable=False),
        sa.Column("received_at", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("tenant", "key", name="uq_inbound_key"),
    )
    op.create_index(
        "ix_inbound_thread", "inbound_messages", ["tenant", "number", "address", "received_at"]
    )
    op.create_table(
        "conversations",
        sa.Column("tenant", sa.String(length=100), nullable=False),
        sa.Column("number", sa.String(length=20), nullable=False),
        sa.Column("address", sa.String(length=40), nullable=False),
        sa.Column("queue_id", sa.String(length=100), nullable=False),
        sa.Column("agent", sa.String(length=200), nullable=False),
        sa.Column("unread", sa.Integer(), nullable=False),
        sa.Column("last_at", sa.BigInteger(), nullable=False),
        sa.Column("last_text", sa.Text(), nullable=False),
        sa.Column("last_id", sa.String(length=40), nullable=False),
        sa.Column("read_at", sa.BigInteger(), nullable=True),
        sa.PrimaryKeyConstraint("tenant", "number", "address"),
    )
    op.create_index("ix_conversations_queue", "conversations", ["tenant", "queue_id", "last_at"])
    op.create_table(
        "inbound_parts",
        sa.Column("gateway", sa.String(length=100), nullable=False),
        sa.Column("group_key", sa.String(length=200), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("received_at", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("gateway", "group_key", "seq"),
    )
    op.create_index("ix_inbound_parts_age", "inbound_parts", ["received_at"])
    op.create_index("ix_messages_thread", "messages", ["tenant", "to_number", "created_at"])
    op.create_index("ix_events_queue", "events", ["tenant", "queue_id", "id"])


def downgrade() -> None:
    op.drop_index("ix_events_queue", table_name="events")
    op.drop_index("ix_messages_thread", table_name="messages")
    op.drop_table("inbound_parts")
    op.drop_table("conversations")
    op.drop_table("inbound_messages")
