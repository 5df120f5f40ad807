"""Snapshot tables for campaign plans, their tasks, and remediation items.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"


def upgrade() -> None:
    op.create_table(
        "plans",
        sa.Column("plan_id", sa.String(64), primary_key=True),
        sa.Column("org_id", sa.String(64), nullable=False, index=True),
        sa.Column("number", sa.String(100), nullable=False),
        sa.Column("title", sa.String(1000), nullable=False),
        sa.Column("issued_on", sa.String(10), nullable=False),
        sa.Column("deadline", sa.String(10), nullable=False),
        sa.Column("parent_plan_id", sa.String(64), nullable=True, index=True),
        sa.Column("implements_documents", sa.Text, nullable=False),
        sa.Column("required_unit_ids", sa.Text, nullable=False),
        sa.Column("copy_flag", sa.Text, nullable=True),
        sa.Column("version", sa.Integer, nullable=False),
    )
    op.create_table(
        "plan_tasks",
        sa.Column("plan_id", sa.String(64), primary_key=True),
        sa.Column("task_id", sa.String(64), primary_key=True),
        sa.Column("org_id", sa.String(64), nullable=False, index=True),
        sa.Column("title", sa.String(2000), nullable=False),
        sa.Column("owner", sa.String(300), nullable=False),
        sa.Column("deadline", sa.String(10), nullable=False, index=True),
        sa.Column("expected_result", sa.String(2000), nullable=True),
        sa.Column("completed_on", sa.String(10), nullable=True),
        sa.Column("completion_note", sa.Text, nullable=True),
    )
    op.create_table(
        "remediation_items",
        sa.Column("item_id", sa.String(200), primary_key=True),
        sa.Column("shortcoming_id", sa.String(100), nullable=False),
        sa.Column("source_service", sa.String(50), nullable=False),
        sa.Column("subject_kind", sa.String(20), nullable=False),
        sa.Column("subject_id", sa.String(100), nullable=False),
        sa.Column("org_id", sa.String(64), nullable=False, index=True),
        sa.Column("catalogue_codes", sa.Text, nullable=False),
        sa.Column("description", sa.Text, nullable=False),
        sa.Column("recorded_on", sa.String(10), nullable=False),
        sa.Column("opened_on", sa.String(10), nullable=False),
        sa.Column("due_on", sa.String(10), nullable=False, index=True),
        sa.Column("status", sa.String(20), nullable=False, index=True),
        sa.Column("actions", sa.Text, nullable=False),
        sa.Column("revision", sa.Integer, nullable=False),
        sa.Column("last_percent", sa.Integer, nullable=True),
        sa.Column("remedied_on", sa.String(10), nullable=True),
        sa.Column("overdue_reported", sa.Boolean, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("remediation_items")
    op.drop_table("plan_tasks")
    op.drop_table("plans")
