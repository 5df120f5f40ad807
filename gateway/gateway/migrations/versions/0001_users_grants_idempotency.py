"""The gateway's own tables (it has no event log): users, grants, idempotency.

Revision ID: 0001
Revises:
"""

from alembic import op

from gateway.tables import metadata

revision = "0001"
down_revision = None


def upgrade() -> None:
    metadata.create_all(bind=op.get_bind())


def downgrade() -> None:
    metadata.drop_all(bind=op.get_bind())
