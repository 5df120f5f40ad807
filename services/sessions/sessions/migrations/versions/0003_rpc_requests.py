"""The answers of applied commands, by request id: a redelivered command is answered, not
executed again (ADR 060).

Revision ID: 0003
Revises: 0002
"""

from alembic import op

from eventlog.migrations import create_rpc_requests_table

revision = "0003"
down_revision = "0002"


def upgrade() -> None:
    create_rpc_requests_table(op.get_bind())


def downgrade() -> None:
    op.drop_table("rpc_requests")
