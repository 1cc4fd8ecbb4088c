"""rate counts: the rate limits' hits per agent, tenant and second, in the database, so every
relay process on it counts against the same limits

Revision ID: 0011
Revises: 0010
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "rate_counts",
        sa.Column("tenant", sa.String(length=100), nullable=False),
        sa.Column("agent", sa.String(length=200), nullable=False),
        sa.Column("second", sa.BigInteger(), nullable=False),
        sa.Column("hits", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("tenant", "agent", "second"),
    )
    op.create_index("ix_rate_counts_second", "rate_counts", ["second"])


def downgrade() -> None:
    op.drop_index("ix_rate_counts_second", table_name="rate_counts")
    op.drop_table("rate_counts")
