"""The plans service's state tables: snapshots kept beside the event log, same transaction."""

import sqlalchemy as sa

metadata = sa.MetaData()

organizations = sa.Table(
    "organizations",
    metadata,
    sa.Column("org_id", sa.String(64), primary_key=True),
    sa.Column("kind", sa.String(20), nullable=False),
    sa.Column("name", sa.String(300), nullable=False),
    sa.Column("code", sa.String(50), nullable=True),
    sa.Column("parent_id", sa.String(64), nullable=True, index=True),
    # "/root/.../org_id/": a subtree is one scan of this index, at any depth (plans.subtree).
    sa.Column("path", sa.String(2000), nullable=False),
    sa.Column("depth", sa.Integer, nullable=False),
    sa.Column("registered_on", sa.String(10), nullable=False),
    sa.Column("dissolved_on", sa.String(10), nullable=True),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Index("ix_organizations_path", "path", postgresql_ops={"path": "text_pattern_ops"}),
)

plans = sa.Table(
    "plans",
    metadata,
    sa.Column("plan_id", sa.String(64), primary_key=True),
    sa.Column("org_id", sa.String(64), nullable=False, index=True),
    sa.Column("number", sa.String(100), nullable=False),
    sa.Column("title", sa.String(1000), nullable=False),
    sa.Column("issued_on", sa.String(10), nullable=False),
    sa.Column("deadline", sa.String(10), nullable=False),
    sa.Column("parent_plan_id", sa.String(64), nullable=True, index=True),
    sa.Column("implements_documents", sa.Text, nullable=False),  # JSON list
    sa.Column("required_unit_ids", sa.Text, nullable=False),  # JSON list
    sa.Column("copy_flag", sa.Text, nullable=True),  # JSON of PlanFlaggedAsCopy, if flagged
    sa.Column("version", sa.Integer, nullable=False),
)

plan_tasks = sa.Table(
    "plan_tasks",
    metadata,
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

remediation_items = sa.Table(
    "remediation_items",
    metadata,
    sa.Column("item_id", sa.String(200), primary_key=True),
    sa.Column("shortcoming_id", sa.String(100), nullable=False),
    sa.Column("source_service", sa.String(50), nullable=False),
    sa.Column("subject_kind", sa.String(20), nullable=False),
    sa.Column("subject_id", sa.String(100), nullable=False),
    sa.Column("org_id", sa.String(64), nullable=False, index=True),
    sa.Column("catalogue_codes", sa.Text, nullable=False),  # JSON list
    sa.Column("description", sa.Text, nullable=False),
    sa.Column("recorded_on", sa.String(10), nullable=False),
    sa.Column("opened_on", sa.String(10), nullable=False),
    sa.Column("due_on", sa.String(10), nullable=False, index=True),
    sa.Column("status", sa.String(20), nullable=False, index=True),
    sa.Column("actions", sa.Text, nullable=False),  # JSON list of the latest plan's actions
    sa.Column("revision", sa.Integer, nullable=False),
    sa.Column("last_percent", sa.Integer, nullable=True),
    sa.Column("remedied_on", sa.String(10), nullable=True),
    sa.Column("overdue_reported", sa.Boolean, nullable=False),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Index("ix_remediation_items_subject", "subject_id", "subject_kind"),
)
