"""indexes for the per-agent and per-tenant rate limits

Revision ID: 0002
Revises: 0001
"""

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_messages_agent_recent", "messages", ["tenant", "agent", "created_at"])
    op.create_index("ix_messages_tenant_recent", "messages", ["tenant", "created_at"])


def downgrade() -> None:
    op.drop_index("ix_messages_tenant_recent", table_name="messages")
    op.drop_index("ix_messages_agent_recent", table_name="messages")
