"""Reporting's read projections: every one of them can be dropped and rebuilt from events."""

from __future__ import annotations

import sqlalchemy as sa

metadata = sa.MetaData()

organizations = sa.Table(
    "report_organizations",
    metadata,
    sa.Column("org_id", sa.String(64), primary_key=True),
    sa.Column("kind", sa.String(20), nullable=False),
    sa.Column("name", sa.String(300), nullable=False),
    sa.Column("parent_id", sa.String(64), nullable=True),
    sa.Column("registered_on", sa.String(10), nullable=False),
    sa.Column("dissolved_on", sa.String(10), nullable=True),
)

# Who is above whom, by date: one row per (unit, ancestor) for each stretch of time the
# unit sat under that ancestor. `via_child` is the ancestor's child the unit sits under
# (NULL on the unit's own row), so a report groups a subtree by child in one query.
# A move closes the moved subtree's rows above the unit and opens new ones: facts are
# kept against the unit, so its history follows it from the date of the move.
ancestry = sa.Table(
    "report_ancestry",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("org_id", sa.String(64), nullable=False),
    sa.Column("ancestor_id", sa.String(64), nullable=False),
    sa.Column("via_child", sa.String(64), nullable=True),
    sa.Column("valid_from", sa.String(10), nullable=False),
    sa.Column("valid_to", sa.String(10), nullable=True),
    # When reporting learnt of the row and of its end: an "as of" report sees the tree
    # as it was known then (a move recorded later, even if dated earlier, is unseen).
    sa.Column("recorded_at", sa.String(32), nullable=False),
    sa.Column("closed_at", sa.String(32), nullable=True),
    sa.Index("ix_report_ancestry_ancestor", "ancestor_id", "org_id"),
    sa.Index("ix_report_ancestry_org", "org_id", "valid_to"),
    # max(valid_from) tells a report whether a move dated after today exists.
    sa.Index("ix_report_ancestry_valid_from", "valid_from"),
)

# metric LIKE 'inspected.%' OR LIKE 'supervised.%', without a % (DDL runs unescaped)
MEMBER_CHECKS = (
    "((metric >= 'inspected.' AND metric < 'inspected/')"
    " OR (metric >= 'supervised.' AND metric < 'supervised/'))"
)

# One row per countable fact, tied to the event it came from, so every figure can be
# drilled down to its events. `ref` pairs facts (a task and its completion, a required
# unit and its plan, the ratings of one subject and year).
facts = sa.Table(
    "report_facts",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("metric", sa.String(120), nullable=False),
    sa.Column("org_id", sa.String(64), nullable=False),
    sa.Column("on_date", sa.String(10), nullable=False),
    sa.Column("value", sa.Integer, nullable=False),
    sa.Column("subject_kind", sa.String(30), nullable=True),
    sa.Column("subject_id", sa.String(200), nullable=True),
    sa.Column("ref", sa.String(200), nullable=True),
    # Set on facts counted once per subject (a remediation item's first plan): unique.
    sa.Column("once_key", sa.String(250), nullable=True),
    sa.Column("source", sa.String(50), nullable=False),
    sa.Column("position", sa.BigInteger, nullable=False),
    sa.Column("event_id", sa.String(64), nullable=False),
    sa.Column("event_type", sa.String(100), nullable=False),
    sa.Column("recorded_at", sa.String(32), nullable=False),
    sa.Index("ix_report_facts_org_date", "org_id", "on_date"),
    sa.Index("ix_report_facts_ref_metric", "ref", "metric"),
    sa.Index("ix_report_facts_source_position", "source", "position"),
    # Partial indexes: only the few rows that need them, so a rebuild builds them fast.
    sa.Index(
        "ix_report_facts_once_key",
        "once_key",
        unique=True,
        postgresql_where=sa.text("once_key IS NOT NULL"),
        sqlite_where=sa.text("once_key IS NOT NULL"),
    ),
    sa.Index(
        "ix_report_facts_member_checks",
        "subject_id",
        postgresql_where=sa.text(MEMBER_CHECKS),
        sqlite_where=sa.text(MEMBER_CHECKS),
    ),
)

# Which members held a cell-committee post, from when: "of which committee members".
member_posts = sa.Table(
    "report_member_posts",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("member_id", sa.String(64), nullable=False),
    sa.Column("valid_from", sa.String(10), nullable=False),
    sa.Column("committee", sa.Boolean, nullable=False),
    sa.Column("position", sa.BigInteger, nullable=False),
    sa.Index("ix_report_member_posts_member", "member_id", "valid_from"),
)


def _figures_table(name: str) -> sa.Table:
    """Pre-aggregated figures by (unit, metric, month, extra): `value` summed, `n` facts.

    `extra` holds what a derived figure also needs to know: the month a pairing fact
    came (a plan cascaded, an item remedied), a task's due day, a year's month mask.
    """
    return sa.Table(
        name,
        metadata,
        sa.Column("org_id", sa.String(64), primary_key=True),
        sa.Column("metric", sa.String(130), primary_key=True),
        sa.Column("month", sa.String(7), primary_key=True),
        sa.Column("extra", sa.String(10), primary_key=True),
        sa.Column("value", sa.BigInteger, nullable=False),
        sa.Column("n", sa.BigInteger, nullable=False),
    )


# A unit's own facts, whether or not the unit is known to the tree yet...
unit_figures = _figures_table("report_unit_figures")
# ...and the sum of its strict descendants' own figures on the current tree: a report
# reads one row range per child (own + below) instead of joining facts to ancestry.
below_figures = _figures_table("report_below_figures")

PROJECTION_TABLES = (organizations, ancestry, facts, member_posts, unit_figures, below_figures)
