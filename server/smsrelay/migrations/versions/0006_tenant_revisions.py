"""tenants in the database: every revision of a tenant's configuration, and its token secrets

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "tenant_revisions",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("tenant", sa.String(length=100), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("document", sa.Text(), nullable=False),
        sa.Column("author", sa.String(length=200), nullable=False),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("created_at", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("tenant", "revision", name="uq_tenant_revisions"),
    )
    op.create_index("ix_tenant_revisions_author", "tenant_revisions", ["author", "created_at"])
    op.create_table(
        "tenant_secrets",
        sa.Column("tenant", sa.String(length=100), nullable=False),
        sa.Column("kid", sa.String(length=100), nullable=False),
        sa.Column("secret", sa.Text(), nullable=False),
        sa.Column("created_at", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("tenant", "kid"),
    )


def downgrade() -> None:
    op.drop_table("tenant_secrets")
    op.drop_index("ix_tenant_revisions_author", table_name="tenant_revisions")
    op.drop_table("tenant_revisions")
