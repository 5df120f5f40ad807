"""The sessions service's state tables, kept beside its event log in the same transaction.

`organisations` and `disciplines` are local copies of other services' facts (built from
their events); the rest are snapshots of this service's own streams, kept for queries.
Dates are ISO text, as in the event payloads.
"""

import sqlalchemy as sa

metadata = sa.MetaData()

organisations = sa.Table(
    "organisations",
    metadata,
    sa.Column("org_id", sa.String(64), primary_key=True),
    sa.Column("kind", sa.String(20), nullable=False),
    sa.Column("name", sa.String(300), nullable=False),
    sa.Column("parent_id", sa.String(64), nullable=True, index=True),
    sa.Column("registered_on", sa.String(10), nullable=True),
    sa.Column("dissolved_on", sa.String(10), nullable=True),
)

disciplines = sa.Table(
    "disciplines",
    metadata,
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

members = sa.Table(
    "members",
    metadata,
    sa.Column("member_id", sa.String(100), primary_key=True),
    sa.Column("full_name", sa.String(300), nullable=False),
    sa.Column("org_id", sa.String(64), nullable=False, index=True),
    sa.Column("membership", sa.String(20), nullable=False),
    sa.Column("status", sa.String(30), nullable=False),
    sa.Column("admitted_on", sa.String(10), nullable=False),
    sa.Column("enrolled_on", sa.String(10), nullable=False),
    sa.Column("ended_on", sa.String(10), nullable=True),
    sa.Column("posts_in_cell", sa.String(200), nullable=False),  # comma-separated
    sa.Column("posts_outside_cell", sa.Text, nullable=False, server_default="[]"),  # JSON list
    sa.Column("committee_posts", sa.Text, nullable=False, server_default="[]"),  # JSON objects
    sa.Column("version", sa.Integer, nullable=False),
)

# Who was in which cell when: finds the members whose aggregates make a roster on a day.
membership_periods = sa.Table(
    "membership_periods",
    metadata,
    sa.Column("member_id", sa.String(100), primary_key=True),
    sa.Column("starts_on", sa.String(10), primary_key=True),
    sa.Column("org_id", sa.String(64), nullable=False, index=True),
    sa.Column("ends_on", sa.String(10), nullable=True),
)

themed_sessions = sa.Table(
    "themed_sessions",
    metadata,
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

shortcomings = sa.Table(
    "shortcomings",
    metadata,
    sa.Column("shortcoming_id", sa.String(100), primary_key=True),
    sa.Column("session_id", sa.String(100), nullable=False, index=True),
    sa.Column("org_id", sa.String(64), nullable=False),
    sa.Column("subject_kind", sa.String(20), nullable=False),
    sa.Column("subject_id", sa.String(100), nullable=False),
    sa.Column("codes", sa.String(500), nullable=False),  # comma-separated
    sa.Column("catalogue_version", sa.String(50), nullable=False),
    sa.Column("description", sa.Text, nullable=False),
    sa.Column("recorded_on", sa.String(10), nullable=False),
)

ratings = sa.Table(
    "ratings",
    metadata,
    sa.Column("subject_kind", sa.String(20), primary_key=True),
    sa.Column("subject_id", sa.String(100), primary_key=True),
    sa.Column("year", sa.Integer, primary_key=True),
    sa.Column("round_id", sa.String(200), nullable=False),  # the rating round's stream
    sa.Column("org_id", sa.String(64), nullable=False, index=True),
    sa.Column("grassroots_org_id", sa.String(64), nullable=True),
    sa.Column("level", sa.String(20), nullable=False),
    sa.Column("score", sa.Float, nullable=True),
    sa.Column("rule_set", sa.String(50), nullable=False),
    sa.Column("rated_on", sa.String(10), nullable=False),
    sa.Column("flagged_for_review", sa.Boolean, nullable=False),
    sa.Column("review_reason", sa.Text, nullable=True),
)
