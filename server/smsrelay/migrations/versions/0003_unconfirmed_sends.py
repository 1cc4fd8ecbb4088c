"""sends whose outcome is unknown: the relay that claimed them stopped before recording it

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("messages") as batch:
        batch.add_column(sa.Column("unconfirmed_by", sa.String(length=100), nullable=True))
        batch.add_column(sa.Column("unconfirmed_at", sa.BigInteger(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("messages") as batch:
        batch.drop_column("unconfirmed_at")
        batch.drop_column("unconfirmed_by")
