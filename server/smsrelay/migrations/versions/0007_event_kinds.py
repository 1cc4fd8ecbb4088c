"""event kinds: the events table also logs customers' replies and opt-out changes, so agents'
event streams and the CRM's webhooks read one log

Revision ID: 0007
Revises: 0006
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("events") as batch:
        batch.add_column(
            sa.Column("kind", sa.String(length=20), nullable=False, server_default="status")
        )
        batch.add_column(sa.Column("number", sa.String(length=20), nullable=True))
        batch.add_column(sa.Column("queue_id", sa.String(length=100), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("events") as batch:
        batch.drop_column("queue_id")
        batch.drop_column("number")
        batch.drop_column("kind")
