"""The event backbone's tables, the local copies of the org tree and members, and snapshots.

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
        "org_nodes",
        sa.Column("org_id", sa.String(64), primary_key=True),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("name", sa.String(300), nullable=False),
        sa.Column("parent_id", sa.String(64), nullable=True, index=True),
        sa.Column("path", sa.String(2000), nullable=False),
        sa.Column("level", sa.Integer, nullable=False),
        sa.Column("authorised_to_admit_members", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("dissolved_on", sa.String(10), nullable=True),
    )
    op.create_table(
        "members",
        sa.Column("member_id", sa.String(64), primary_key=True),
        sa.Column("org_id", sa.String(64), nullable=False, index=True),
        sa.Column("membership", sa.String(20), nullable=False),
        sa.Column("posts_in_cell", sa.Text, nullable=False),
        sa.Column("posts_outside_cell", sa.Text, nullable=False),
        sa.Column("status", sa.String(30), nullable=False),
        sa.Column("ended_on", sa.String(10), nullable=True),
    )
    op.create_table(
        "inspections",
        sa.Column("inspection_id", sa.String(64), primary_key=True),
        sa.Column("kind", sa.String(60), nullable=False, index=True),
        sa.Column("deciding_body_org_id", sa.String(64), nullable=False),
        sa.Column("subject_kind", sa.String(20), nullable=False),
        sa.Column("subject_id", sa.String(64), nullable=False),
        sa.Column("org_id", sa.String(64), nullable=False, index=True),
        sa.Column("decided_on", sa.String(10), nullable=False),
        sa.Column("phase", sa.String(30), nullable=False),
        sa.Column("archive_deadline", sa.String(10), nullable=True),
        sa.Column("archived_on", sa.String(10), nullable=True),
        sa.Column("discipline_warranted", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("version", sa.Integer, nullable=False),
    )
    op.create_table(
        "programmes",
        sa.Column("programme_id", sa.String(64), primary_key=True),
        sa.Column("org_id", sa.String(64), nullable=False, index=True),
        sa.Column("year", sa.Integer, nullable=False),
        sa.Column("items_planned", sa.Integer, nullable=False),
        sa.Column("items_carried_out", sa.Integer, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
    )
    op.create_table(
        "review_suggestions",
        sa.Column("suggestion_id", sa.String(64), primary_key=True),
        sa.Column("suggesting_body_org_id", sa.String(64), nullable=False),
        sa.Column("target_kind", sa.String(20), nullable=False),
        sa.Column("target_id", sa.String(64), nullable=False),
        sa.Column("org_id", sa.String(64), nullable=False, index=True),
        sa.Column("suggested_on", sa.String(10), nullable=False),
        sa.Column("answered_on", sa.String(10), nullable=True),
        sa.Column("version", sa.Integer, nullable=False),
    )
    op.create_table(
        "discipline_decisions",
        sa.Column("decision_id", sa.String(64), primary_key=True),
        sa.Column("subject_kind", sa.String(30), nullable=False),
        sa.Column("subject_id", sa.String(64), nullable=False, index=True),
        sa.Column("org_id", sa.String(64), nullable=False, index=True),
        sa.Column("form", sa.String(30), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("deciding_body_org_id", sa.String(64), nullable=False),
        sa.Column("deciding_body_kind", sa.String(40), nullable=False),
        sa.Column("decided_on", sa.String(10), nullable=False),
        sa.Column("rule_set", sa.String(60), nullable=False),
        sa.Column("pending_appeal_id", sa.String(64), nullable=True),
        sa.Column("version", sa.Integer, nullable=False),
    )
    op.create_table(
        "discipline_proposals",
        sa.Column("proposal_id", sa.String(64), primary_key=True),
        sa.Column("subject_kind", sa.String(30), nullable=False),
        sa.Column("subject_id", sa.String(64), nullable=False),
        sa.Column("org_id", sa.String(64), nullable=False, index=True),
        sa.Column("form", sa.String(30), nullable=False),
        sa.Column("proposed_to_org_id", sa.String(64), nullable=False),
        sa.Column("proposed_to_body_kind", sa.String(40), nullable=False),
        sa.Column("proposed_on", sa.String(10), nullable=False),
    )
    op.create_index("ix_org_nodes_path", "org_nodes", ["path"], postgresql_ops={"path": "text_pattern_ops"})


def downgrade() -> None:
    op.drop_table("discipline_proposals")
    op.drop_table("discipline_decisions")
    op.drop_table("review_suggestions")
    op.drop_table("programmes")
    op.drop_table("inspections")
    op.drop_table("members")
    op.drop_table("org_nodes")
