"""The event backbone's tables, the local copies and the sessions snapshots.

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
        "organisations",
        sa.Column("org_id", sa.String(64), primary_key=True),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("name", sa.String(300), nullable=False),
        sa.Column("parent_id", sa.String(64), nullable=True, index=True),
        sa.Column("registered_on", sa.String(10), nullable=True),
        sa.Column("dissolved_on", sa.String(10), nullable=True),
    )
    op.create_table(
        "disciplines",
        sa.Column("decision_id", sa.String(100), primary_key=True),
        sa.Column("member_id", sa.String(100), nullable=True, index=True),
        sa.Column("org_id", sa.String(64), nullable=False, index=True),
        sa.Column("decided_on", sa.String(10), nullable=False),
        sa.Column("year", sa.Integer, nullable=False, index=True),
        sa.Column("form", sa.String(30), nullable=False),
        sa.Column("self_detected_and_remedied", sa.Boolean, nullable=False),
        sa.Column("quashed", sa.Boolean, nullable=False),
        sa.Column("enforced", sa.Boolean, nullable=False),
    )
    op.create_table(
        "members",
        sa.Column("member_id", sa.String(100), primary_key=True),
        sa.Column("full_name", sa.String(300), nullable=False),
        sa.Column("org_id", sa.String(64), nullable=False, index=True),
        sa.Column("membership", sa.String(20), nullable=False),
        sa.Column("status", sa.String(30), nullable=False),
        sa.Column("admitted_on", sa.String(10), nullable=False),
        sa.Column("enrolled_on", sa.String(10), nullable=False),
        sa.Column("ended_on", sa.String(10), nullable=True),
        sa.Column("posts_in_cell", sa.String(200), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
    )
    op.create_table(
        "membership_periods",
        sa.Column("member_id", sa.String(100), primary_key=True),
        sa.Column("starts_on", sa.String(10), primary_key=True),
        sa.Column("org_id", sa.String(64), nullable=False, index=True),
        sa.Column("ends_on", sa.String(10), nullable=True),
    )
    op.create_table(
        "themed_sessions",
        sa.Column("session_id", sa.String(100), primary_key=True),
        sa.Column("org_id", sa.String(64), nullable=False, index=True),
        sa.Column("theme", sa.String(500), nullable=False),
        sa.Column("plan_id", sa.String(100), nullable=True),
        sa.Column("pilot", sa.Boolean, nullable=False),
        sa.Column("scheduled_on", sa.String(10), nullable=False),
        sa.Column("held_on", sa.String(10), nullable=True),
        sa.Column("members_total", sa.Integer, nullable=True),
        sa.Column("present", sa.Integer, nullable=True),
        sa.Column("speaking_turns", sa.Integer, nullable=True),
        sa.Column("resolution_passed", sa.Boolean, nullable=True),
        sa.Column("non_compliant", sa.Boolean, nullable=True),
        sa.Column("version", sa.Integer, nullable=False),
    )
    op.create_table(
        "shortcomings",
        sa.Column("shortcoming_id", sa.String(100), primary_key=True),
        sa.Column("session_id", sa.String(100), nullable=False, index=True),
        sa.Column("org_id", sa.String(64), nullable=False),
        sa.Column("subject_kind", sa.String(20), nullable=False),
        sa.Column("subject_id", sa.String(100), nullable=False),
        sa.Column("codes", sa.String(500), nullable=False),
        sa.Column("catalogue_version", sa.String(50), nullable=False),
        sa.Column("description", sa.Text, nullable=False),
        sa.Column("recorded_on", sa.String(10), nullable=False),
    )
    op.create_table(
        "ratings",
        sa.Column("subject_kind", sa.String(20), primary_key=True),
        sa.Column("subject_id", sa.String(100), primary_key=True),
        sa.Column("year", sa.Integer, primary_key=True),
        sa.Column("round_id", sa.String(200), nullable=False),
        sa.Column("org_id", sa.String(64), nullable=False, index=True),
        sa.Column("grassroots_org_id", sa.String(64), nullable=True),
        sa.Column("level", sa.String(20), nullable=False),
        sa.Column("score", sa.Float, nullable=True),
        sa.Column("rule_set", sa.String(50), nullable=False),
        sa.Column("rated_on", sa.String(10), nullable=False),
        sa.Column("flagged_for_review", sa.Boolean, nullable=False),
        sa.Column("review_reason", sa.Text, nullable=True),
    )


def downgrade() -> None:
    for table in (
        "ratings",
        "shortcomings",
        "themed_sessions",
        "membership_periods",
        "members",
        "disciplines",
        "organisations",
    ):
        op.drop_table(table)
