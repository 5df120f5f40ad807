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


def _figures(name: str, where: str, stamped: bool) -> sa.Table:
    """Pre-aggregated figures: `value` summed, `n` facts (rollup.py says what each holds).

    `where` is the day the facts are dated (a unit's own figures) or the span a figure is
    summed in above a unit (a day, "2025-03", "2025-Y"); `stamp` the month the facts were
    recorded in. The key starts (org_id, where): a report reads a range per unit.
    """
    columns = [
        sa.Column("org_id", sa.String(64), primary_key=True),
        sa.Column(where, sa.String(11), primary_key=True),
        sa.Column("metric", sa.String(130), primary_key=True),
        sa.Column("extra", sa.String(11), primary_key=True),
    ]
    if stamped:
        columns.append(sa.Column("stamp", sa.String(10), primary_key=True))
    return sa.Table(
        name,
        metadata,
        *columns,
        sa.Column("value", sa.BigInteger, nullable=False),
        sa.Column("n", sa.BigInteger, nullable=False),
    )


# A unit's own facts, whether or not the unit is known to the tree yet, by day and stamp...
unit_figures = _figures("report_unit_figures", "day", stamped=True)
# ...the sum of its strict descendants' own figures on the current tree, by day, month and
# year: a report reads one row range per child (own + below) instead of joining facts to
# ancestry...
below_figures = _figures("report_below_figures", "span", stamped=False)
# ...and the same by month and year and by stamp, credited along the tree as it stood at
# each stamp (a move counts under the old parent before the stamp it was recorded at):
# an "as of" report sums the stamps up to its instant.
stamped_figures = _figures("report_stamped_figures", "span", stamped=True)

# The first and last instant anything that counts was recorded at, per month (facts and
# changes of the tree): an "as of" instant is a whole number of stamps when nothing was
# recorded in its month after it (or before it).
recorded_months = sa.Table(
    "report_recorded_months",
    metadata,
    sa.Column("month", sa.String(10), primary_key=True),
    sa.Column("first_at", sa.String(32), nullable=False),
    sa.Column("last_at", sa.String(32), nullable=False),
)

FIGURE_TABLES = (unit_figures, below_figures, stamped_figures)
PROJECTION_TABLES = (
    organizations,
    ancestry,
    facts,
    member_posts,
    unit_figures,
    below_figures,
    stamped_figures,
    recorded_months,
)


# The facts' columns in the order the live projection and the bulk rebuild write them.
FACT_COLUMNS = (
    "metric",
    "org_id",
    "on_date",
    "value",
    "subject_kind",
    "subject_id",
    "ref",
    "once_key",
    "source",
    "position",
    "event_id",
    "event_type",
    "recorded_at",
)
