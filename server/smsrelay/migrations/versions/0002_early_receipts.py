"""receipts that arrive before their submission is recorded: placeholder gateway refs

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("gateway_refs") as batch:
        batch.alter_column("message_id", existing_type=sa.String(length=40), nullable=True)
        batch.alter_column("part", existing_type=sa.Integer(), nullable=True)
        batch.add_column(sa.Column("reason", sa.Text(), nullable=True))


def downgrade() -> None:
    op.execute("DELETE FROM gateway_refs WHERE message_id IS NULL")
    with op.batch_alter_table("gateway_refs") as batch:
        batch.drop_column("reason")
        batch.alter_column("part", existing_type=sa.Integer(), nullable=False)
        batch.alter_column("message_id", existing_type=sa.String(length=40), nullable=False)
