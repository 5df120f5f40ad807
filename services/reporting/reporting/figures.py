"""Counting facts for a node's subtree and period, and listing the facts behind a figure.

Every figure is a selection of fact rows (so drill-down lists exactly what was counted)
measured as a sum of values or a count of distinct units. The tree is resolved at
query time: a unit's facts count under the ancestors it has on the tree date.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from .tables import ancestry, facts, member_posts

f, a = facts, ancestry
later = facts.alias("later")


@dataclass(frozen=True)
class Scope:
    """Whose facts (node's subtree on `tree_date`), which days, known by when."""

    node: str
    start: str
    end: str
    tree_date: str
    known_at: str | None  # ISO instant: facts recorded after it are not yet known

    def known(self, table: Any) -> Any:
        return sa.true() if self.known_at is None else table.c.recorded_at <= self.known_at

    def placed(self, tree: Any) -> Any:
        """Ancestry rows in force on the tree date, as known at `known_at`."""
        ended = tree.c.valid_to.is_(None) | (tree.c.valid_to > self.tree_date)
        if self.known_at is not None:
            ended = ended | (tree.c.closed_at > self.known_at)
        return sa.and_(tree.c.valid_from <= self.tree_date, ended, self.known(tree))


Conditions = Callable[[Scope], list[Any]]


def _in_period(s: Scope) -> Any:
    return f.c.on_date.between(s.start, s.end)


def _paired(metric: str, by_subject: bool = False, until: str = "end") -> Callable[[Scope], Any]:
    """EXISTS a fact of `metric` with the same ref (and subject) dated by the period end
    (or by the counted fact's own date)."""

    def exists(s: Scope) -> Any:
        cond = [
            later.c.metric == metric,
            later.c.ref == f.c.ref,
            s.known(later),
            later.c.on_date <= (s.end if until == "end" else f.c.on_date),
        ]
        if by_subject:
            cond.append(later.c.subject_id == f.c.subject_id)
        return sa.exists().where(*cond)

    return exists


@dataclass(frozen=True)
class Rule:
    """A figure: which base facts, under which extra conditions, measured how."""

    base: str
    where: Conditions
    measure: str = "sum"  # or "units": distinct units that have such a fact


_units_issued = _paired("plans.cascaded", by_subject=True)
_task_done = _paired("tasks.completed", until="own date")
_remedied = _paired("remediation.remedied")
_dissolved = _paired("units.dissolved")

DERIVED: dict[str, Rule] = {
    "sessions.units_held": Rule("sessions.held", lambda s: [_in_period(s)], "units"),
    "sessions.units_required": Rule(
        "units.registered.cell",
        lambda s: [
            f.c.on_date <= s.end,
            ~sa.exists().where(
                later.c.metric == "units.dissolved",
                later.c.ref == f.c.ref,
                later.c.on_date < s.start,
                s.known(later),
            ),
        ],
    ),
    "plans.units_issued": Rule("plans.units_required", lambda s: [_in_period(s), _units_issued(s)]),
    "plans.units_pending": Rule("plans.units_required", lambda s: [_in_period(s), ~_units_issued(s)]),
    "tasks.overdue": Rule("tasks.due", lambda s: [_in_period(s), f.c.on_date < s.tree_date, ~_task_done(s)]),
    "remediation.in_progress": Rule("remediation.submitted", lambda s: [_in_period(s), ~_remedied(s)]),
}


RATING_LEVELS = ("excellent", "good", "completed", "not_completed")
RATING_TOTALS = {"rated": RATING_LEVELS, "good_or_better": ("excellent", "good")}


def _latest_rating(s: Scope) -> Any:
    """A later rating of the same subject and year replaces the earlier one."""
    return ~sa.exists().where(
        later.c.ref == f.c.ref,
        later.c.metric.like("ratings.%"),
        later.c.source == f.c.source,
        later.c.position > f.c.position,
        s.known(later),
    )


def _committee_member() -> Any:
    """The inspected member held a cell-committee post on the fact's date."""
    held = (
        sa.select(member_posts.c.committee)
        .where(member_posts.c.member_id == f.c.subject_id, member_posts.c.valid_from <= f.c.on_date)
        .order_by(member_posts.c.valid_from.desc(), member_posts.c.position.desc())
        .limit(1)
        .scalar_subquery()
    )
    return held == sa.true()


def rule_for(metric: str) -> Rule:
    """The rule behind any figure name a report shows."""
    if metric in DERIVED:
        return DERIVED[metric]
    if metric.endswith(".committee"):
        return Rule(metric.removesuffix(".committee"), lambda s: [_in_period(s), _committee_member()])
    if metric.startswith("ratings."):
        subject, _, level = metric.removeprefix("ratings.").partition(".")
        if level.endswith("_share"):  # a share drills down to every rating it divides among
            level = "rated"
        if level in RATING_TOTALS:
            levels = [f"ratings.{subject}.{lv}" for lv in RATING_TOTALS[level]]
            return Rule(
                f"ratings.{subject}.*", lambda s: [_in_period(s), _latest_rating(s), f.c.metric.in_(levels)]
            )
        return Rule(metric, lambda s: [_in_period(s), _latest_rating(s)])
    return Rule(metric, lambda s: [_in_period(s)])


def _scoped(s: Scope, *columns: Any) -> sa.Select:
    return (
        sa.select(*columns)
        .select_from(f.join(a, a.c.org_id == f.c.org_id))
        .where(a.c.ancestor_id == s.node, s.placed(a), s.known(f))
    )


def _measure(rule: Rule) -> Any:
    return sa.func.count(sa.distinct(f.c.org_id)) if rule.measure == "units" else sa.func.sum(f.c.value)


Figures = dict[str | None, dict[str, int]]
"""{child org id (None: the node's own facts): {metric: value}}"""


def count(conn: sa.Connection, s: Scope) -> Figures:
    """Every figure of the node's subtree, per child of the node."""
    out: Figures = {}

    def add(rows: Any, rename: Callable[[str], str] = lambda m: m) -> None:
        for child, metric, value in rows:
            out.setdefault(child, {})[rename(metric)] = int(value or 0)

    plain = ~f.c.metric.like("ratings.%") & ~f.c.metric.like("units.%")
    add(
        conn.execute(
            _scoped(s, a.c.via_child, f.c.metric, sa.func.sum(f.c.value))
            .where(plain, _in_period(s))
            .group_by(a.c.via_child, f.c.metric)
        )
    )
    add(
        conn.execute(
            _scoped(s, a.c.via_child, f.c.metric, sa.func.sum(f.c.value))
            .where(f.c.metric.like("ratings.%"), _in_period(s), _latest_rating(s))
            .group_by(a.c.via_child, f.c.metric)
        )
    )
    members = sa.or_(f.c.metric.like("inspected.%.member"), f.c.metric.like("supervised.%.member"))
    add(
        conn.execute(
            _scoped(s, a.c.via_child, f.c.metric, sa.func.sum(f.c.value))
            .where(members, _in_period(s), _committee_member())
            .group_by(a.c.via_child, f.c.metric)
        ),
        lambda m: f"{m}.committee",
    )
    for name, rule in DERIVED.items():
        query = (
            _scoped(s, a.c.via_child, _measure(rule))
            .where(f.c.metric == rule.base, *rule.where(s))
            .group_by(a.c.via_child)
        )
        for child, value in conn.execute(query):
            out.setdefault(child, {})[name] = int(value or 0)
    return out


def _behind(s: Scope, metric: str, *columns: Any) -> sa.Select:
    """The fact rows a figure selects, before it measures them."""
    rule = rule_for(metric)
    base = f.c.metric.like(rule.base.replace("*", "%")) if "*" in rule.base else f.c.metric == rule.base
    return _scoped(s, *columns).where(base, *rule.where(s))


BEHIND_COLUMNS = (
    f.c.source,
    f.c.position,
    f.c.event_id,
    f.c.event_type,
    f.c.metric,
    f.c.org_id,
    f.c.on_date,
    f.c.value,
    f.c.subject_kind,
    f.c.subject_id,
    f.c.recorded_at,
    a.c.via_child,
)


def facts_behind(
    conn: sa.Connection,
    s: Scope,
    metric: str,
    limit: int,
    offset: int = 0,
) -> list[dict[str, Any]]:
    """The fact rows (and so the events) a figure was computed from, in log order."""
    query = (
        _behind(s, metric, *BEHIND_COLUMNS)
        .order_by(f.c.source, f.c.position, f.c.metric)
        .limit(limit)
        .offset(offset)
    )
    return [dict(row._mapping) for row in conn.execute(query)]


def count_behind(conn: sa.Connection, s: Scope, metric: str) -> int:
    """How many fact rows `facts_behind` would list without a limit."""
    return int(
        conn.execute(sa.select(sa.func.count()).select_from(_behind(s, metric, f.c.id).subquery())).scalar()
        or 0
    )
