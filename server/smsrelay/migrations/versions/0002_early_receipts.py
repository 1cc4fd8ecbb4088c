"""receipts that arrive before their submission is recorded

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
    op.create_table(
        "early_receipts",
        sa.Column("id", sa.Integer(), nullable=False, autoincrement=True),
        sa.Column("gateway", sa.String(length=100), nullable=False),
        sa.Column("gateway_id", sa.String(length=200), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("at", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_early_receipts_ref", "early_receipts", ["gateway", "gateway_id"])


def downgrade() -> None:
    op.drop_index("ix_early_receipts_ref", table_name="early_receipts")
    op.drop_table("early_receipts")
