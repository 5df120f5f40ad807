"""Every event sealed with the service's key (eventlog.seal): a row written by anyone
without the key, however well chained, is named by verify_log.

Revision ID: 0004
Revises: 0003
"""

from alembic import op

from eventlog.migrations import add_event_seals

revision = "0004"
down_revision = "0003"


def upgrade() -> None:
    add_event_seals(op.get_bind(), "sessions")


def downgrade() -> None:
    op.drop_column("event_log", "seal")
