"""The event backbone's tables and the organisation tree.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

from eventlog.migrations import create_backbone_tables

revision = "0001"
down_revision = None


def upgrade() -> None:
    create_backbone_tables(op.get_bind())
    op.create_table(
        "organizations",
        sa.Column("org_id", sa.String(64), primary_key=True),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("name", sa.String(300), nullable=False),
        sa.Column("code", sa.String(50), nullable=True),
        sa.Column("parent_id", sa.String(64), nullable=True, index=True),
        sa.Column("path", sa.String(2000), nullable=False),
        sa.Column("depth", sa.Integer, nullable=False),
        sa.Column("registered_on", sa.String(10), nullable=False),
        sa.Column("dissolved_on", sa.String(10), nullable=True),
        sa.Column("version", sa.Integer, nullable=False),
    )
    op.create_index(
        "ix_organizations_path", "organizations", ["path"], postgresql_ops={"path": "text_pattern_ops"}
    )


def downgrade() -> None:
    op.drop_table("organizations")
