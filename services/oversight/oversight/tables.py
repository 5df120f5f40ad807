"""The oversight service's own tables: local copies of other services' data, and snapshots.

Local copies (`org_nodes`, `members`) are written only by the projections of the plans
and sessions events; snapshots are written in the transaction that appends the events
they summarise. Dates are stored as ISO strings, lists as JSON text.
"""

import sqlalchemy as sa

metadata = sa.MetaData()

org_nodes = sa.Table(
    "org_nodes",
    metadata,
    sa.Column("org_id", sa.String(64), primary_key=True),
    sa.Column("kind", sa.String(20), nullable=False),
    sa.Column("name", sa.String(300), nullable=False),
    sa.Column("parent_id", sa.String(64), nullable=True, index=True),
    # "/root/.../org_id/": lineage and subtree without walking the tree.
    sa.Column("path", sa.String(2000), nullable=False),
    sa.Column("level", sa.Integer, nullable=False),
    sa.Column("authorised_to_admit_members", sa.Boolean, nullable=False, default=False),
    sa.Column("dissolved_on", sa.String(10), nullable=True),
    sa.Index("ix_org_nodes_path", "path", postgresql_ops={"path": "text_pattern_ops"}),
)

members = sa.Table(
    "members",
    metadata,
    sa.Column("member_id", sa.String(64), primary_key=True),
    sa.Column("org_id", sa.String(64), nullable=False, index=True),
    sa.Column("membership", sa.String(20), nullable=False),
    sa.Column("posts_in_cell", sa.Text, nullable=False),
    sa.Column("posts_outside_cell", sa.Text, nullable=False),
    # [{"org_id", "title"}]: seats on committees above the cell, which authority turns on.
    sa.Column("committee_posts", sa.Text, nullable=False, server_default="[]"),
    sa.Column("status", sa.String(30), nullable=False),
    sa.Column("ended_on", sa.String(10), nullable=True),
)

inspections = sa.Table(
    "inspections",
    metadata,
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
    sa.Column("discipline_warranted", sa.Boolean, nullable=False, default=False),
    sa.Column("version", sa.Integer, nullable=False),
)

programmes = sa.Table(
    "programmes",
    metadata,
    sa.Column("programme_id", sa.String(64), primary_key=True),
    sa.Column("org_id", sa.String(64), nullable=False, index=True),
    sa.Column("body_type", sa.String(30), nullable=True),
    sa.Column("year", sa.Integer, nullable=False),
    sa.Column("items_planned", sa.Integer, nullable=False),
    sa.Column("items_carried_out", sa.Integer, nullable=False),
    sa.Column("version", sa.Integer, nullable=False),
    # One programme per body and year; the use case refuses a second one by name first.
    sa.Index("ux_programmes_body_year", "org_id", "body_type", "year", unique=True),
)

review_suggestions = sa.Table(
    "review_suggestions",
    metadata,
    sa.Column("suggestion_id", sa.String(64), primary_key=True),
    sa.Column("suggesting_body_org_id", sa.String(64), nullable=False),
    sa.Column("target_kind", sa.String(20), nullable=False),
    sa.Column("target_id", sa.String(64), nullable=False),
    sa.Column("org_id", sa.String(64), nullable=False, index=True),
    sa.Column("suggested_on", sa.String(10), nullable=False),
    sa.Column("answered_on", sa.String(10), nullable=True),
    sa.Column("version", sa.Integer, nullable=False),
)

discipline_decisions = sa.Table(
    "discipline_decisions",
    metadata,
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

discipline_proposals = sa.Table(
    "discipline_proposals",
    metadata,
    sa.Column("proposal_id", sa.String(64), primary_key=True),
    sa.Column("subject_kind", sa.String(30), nullable=False),
    sa.Column("subject_id", sa.String(64), nullable=False),
    sa.Column("org_id", sa.String(64), nullable=False, index=True),
    sa.Column("form", sa.String(30), nullable=False),
    sa.Column("proposed_to_org_id", sa.String(64), nullable=False),
    sa.Column("proposed_to_body_kind", sa.String(40), nullable=False),
    sa.Column("proposed_on", sa.String(10), nullable=False),
)

OVERSIGHT_TABLES = (
    org_nodes,
    members,
    inspections,
    programmes,
    review_suggestions,
    discipline_decisions,
    discipline_proposals,
)
