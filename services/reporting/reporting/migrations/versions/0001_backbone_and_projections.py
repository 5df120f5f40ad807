"""The event backbone's tables and reporting's read projections.

Revision ID: 0001
Revises:
"""

from alembic import op

from eventlog.migrations import create_backbone_tables
from reporting.tables import PROJECTION_TABLES, metadata

revision = "0001"
down_revision = None


def upgrade() -> None:
    create_backbone_tables(op.get_bind())
    # Projections are rebuildable by design, so this migration builds them from the
    # table definitions; a later change to them is a new revision plus a replay.
    metadata.create_all(bind=op.get_bind(), tables=list(PROJECTION_TABLES))


def downgrade() -> None:
    metadata.drop_all(bind=op.get_bind(), tables=list(PROJECTION_TABLES))
