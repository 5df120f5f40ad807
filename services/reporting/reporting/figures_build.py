"""Pre-aggregated figures for a whole store at once, in memory (bulk rebuild, migration).

A unit's own figures are gathered by day and stamp (`ByUnit`), then credited up the tree
twice: by day for today's tree (`below_by_unit`) and by month and stamp along the tree as
it stood (`stamped_by_unit`). Months and years are summed only as rows are written
(`spread_below`, `spread_stamped`): the sums are the same as rollup.py's live ones, for
a fraction of the work.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from .rollup import (
    REGISTER,
    GroupKey,
    Post,
    Row,
    group_keys,
    group_totals,
    stamp_of,
)

Figures = dict[tuple[str, ...], list[int]]
"""One unit's figures: (metric, day, extra, stamp), (metric, day, extra) or
(metric, month, extra, stamp) -> [value, n]"""
ByUnit = dict[str, Figures]

# How a metric's facts count, by its name alone: as they are, and in which kind of group.
RATING, MEMBER, HELD = "rating", "member", "held"
MIXED = "*"  # a rating group whose facts were recorded in more than one month


def _metric_kind(metric: str) -> tuple[bool, str | None]:
    keys = group_keys(Row(metric, "", "0000-00-00", 0, "", "", "", 0, ""))
    return not metric.startswith(("ratings.", "units.")), keys[0][0] if keys else None


class FigureBuilder:
    """Feed fact rows (in log order) and posts; `own_by_unit()` gives every unit's own
    figures, exactly as rollup.py counts them live.

    Plain facts add to their (day, stamp) as they arrive; a rating group keeps its rows
    (nearly always one); the other groups keep their rows and are counted at the end."""

    def __init__(self) -> None:
        self.own: ByUnit = {}  # plain facts by unit, (metric, day, "", stamp)
        # (source, ref) -> [stamp, or MIXED, [(position, org_id, metric, day, value, recorded_at)]]
        self.ratings: dict[tuple[str, str], list[Any]] = {}
        self.groups: dict[GroupKey, list[Row]] = {}
        self.posts: dict[str, list[Post]] = {}
        self.kinds: dict[str, tuple[bool, str | None]] = {}

    def fact(self, row: Row) -> None:
        self.count(*row)

    def kind_of(self, metric: str) -> tuple[bool, str | None]:
        """(counted as it is, the kind of group it is read in, if any)."""
        kind = self.kinds.get(metric)
        if kind is None:
            kind = self.kinds[metric] = _metric_kind(metric)
        return kind

    def count(
        self,
        metric: str,
        org_id: str,
        on_date: str,
        value: int,
        subject_id: str | None,
        ref: str | None,
        source: str,
        position: int,
        recorded_at: str,
    ) -> None:
        """One fact row, in log order."""
        plain_too, group = self.kind_of(metric)
        if plain_too:
            unit = self.own.get(org_id)
            if unit is None:
                unit = self.own[org_id] = {}
            key = (metric, on_date, "", stamp_of(recorded_at))
            slot = unit.get(key)
            if slot is None:
                unit[key] = [value, 1]
            else:
                slot[0] += value
                slot[1] += 1
        if group is not None:
            self.add_grouped(
                group, metric, org_id, on_date, value, subject_id, ref, source, position, recorded_at
            )

    def add_grouped(
        self,
        group: str,
        metric: str,
        org_id: str,
        on_date: str,
        value: int,
        subject_id: str | None,
        ref: str | None,
        source: str,
        position: int,
        recorded_at: str,
    ) -> None:
        if group == RATING:  # a later rating of the subject replaces the earlier ones
            rated = (source, ref or "")
            entry = self.ratings.get(rated)
            row = (position, org_id, metric, on_date, value, recorded_at)
            if entry is None:
                self.ratings[rated] = [recorded_at[:7], [row]]  # rollup.stamp_of
            else:
                if entry[0] != recorded_at[:7]:
                    entry[0] = MIXED
                entry[1].append(row)
        elif group != MEMBER or subject_id is not None:
            row = Row(metric, org_id, on_date, value, subject_id, ref, source, position, recorded_at)
            for key in group_keys(row):
                self.groups.setdefault(key, []).append(row)

    def post(self, post: Post) -> None:
        self.posts.setdefault(post.member_id, []).append(post)

    def own_by_unit(self) -> ByUnit:
        """Every unit's own figures by day and stamp (consumes what was fed)."""
        out, self.own = self.own, {}

        def put(org_id: str, key: tuple[str, str, str, str], value: int, n: int) -> None:
            into = out.get(org_id)
            if into is None:
                into = out[org_id] = {}
            slot = into.get(key)
            if slot is None:
                into[key] = [value, n]
            else:
                slot[0] += value
                slot[1] += n

        for (source, ref), (stamp, rows) in self.ratings.items():
            if len(rows) == 1:  # nearly always: one rating of the subject for the year
                _, org_id, metric, day, value, _ = rows[0]
                put(org_id, (metric, day, "", stamp), value, 1)
                continue
            if stamp != MIXED:  # rollup.by_stamp of one stamp: the latest rating's facts
                latest = max(row[0] for row in rows)
                for position, org_id, metric, day, value, _ in rows:
                    if position == latest:
                        put(org_id, (metric, day, "", stamp), value, 1)
                continue
            group = [Row(m, o, d, v, None, ref, source, p, at) for p, o, m, d, v, at in rows]
            for (org_id, metric, day, extra, at), (value, n) in group_totals(
                ("rating", source, ref), group
            ).items():
                put(org_id, (metric, day, extra, at), value, n)
        for key, rows in self.groups.items():
            posts = self.posts.get(key[1], []) if key[0] == MEMBER else []
            for (org_id, metric, day, extra, stamp), (value, n) in group_totals(key, rows, posts).items():
                put(org_id, (metric, day, extra, stamp), value, n)
        self.ratings, self.groups = {}, {}
        return out


def own_of(rows: Iterable[Row], posts: Iterable[Post]) -> ByUnit:
    builder = FigureBuilder()
    for post in posts:
        builder.post(post)
    for row in rows:
        builder.fact(row)
    return builder.own_by_unit()


# -- crediting up the tree ----------------------------------------------------------------

# org_id, ancestor_id, via_child, valid_from, valid_to, recorded_at, closed_at
AncestryRow = Sequence[Any]


def _parents(tree: Iterable[tuple[str, str]]) -> tuple[dict[str, str], dict[str, set[str]]] | None:
    """Each unit's parent, when the current (org_id, ancestor_id) pairs (a unit's own pair
    left out) are those of a tree: every unit's ancestors are its parent's plus the parent."""
    above: dict[str, set[str]] = {}
    for org_id, ancestor_id in tree:
        above.setdefault(org_id, set()).add(ancestor_id)
    parent: dict[str, str] = {}
    for org_id, ancestors in above.items():
        nearest = [a for a in ancestors if len(above.get(a, ())) == len(ancestors) - 1]
        if len(nearest) != 1 or above.get(nearest[0], set()) != ancestors - {nearest[0]}:
            return None
        parent[org_id] = nearest[0]
    return parent, above


def _credit(into: Figures, figures: Figures) -> None:
    for key, (value, n) in figures.items():
        slot = into.get(key)
        if slot is None:
            into[key] = [value, n]
        else:
            slot[0] += value
            slot[1] += n


def _credit_days(into: Figures, own: Figures, sign: int = 1) -> None:
    """A unit's own figures (metric, day, extra, stamp) as (metric, day, extra)."""
    for (metric, day, extra, _), (value, n) in own.items():
        key = (metric, day, extra)
        slot = into.get(key)
        if slot is None:
            into[key] = [sign * value, sign * n]
        else:
            slot[0] += sign * value
            slot[1] += sign * n


def _credit_months(into: Figures, own: Figures, floor: str, sign: int = 1) -> None:
    """A unit's own figures (metric, day, extra, stamp) as (metric, month, extra, stamp),
    from stamp `floor` on: a register row keeps its day."""
    for (metric, day, extra, stamp), (value, n) in own.items():
        key = (
            metric,
            day if day[0] == REGISTER else day[:7],
            extra,
            floor if stamp < floor else stamp,
        )
        slot = into.get(key)
        if slot is None:
            into[key] = [sign * value, sign * n]
        else:
            slot[0] += sign * value
            slot[1] += sign * n


def below_by_unit(own: ByUnit, tree: Sequence[tuple[str, str]]) -> ByUnit:
    """Each unit's own figures (by day and stamp) credited by day to its strict ancestors:
    `tree` holds the current (org_id, ancestor_id) pairs, the unit's own pair left out.

    Summed up the tree one level at a time (a unit's total goes to its parent only),
    which is the same as crediting every ancestor when each unit's ancestors are its
    parent's plus the parent; a tree that is not like that is credited unit by unit.
    """
    levels = _parents(tree)
    below: ByUnit = {}
    if levels is None:
        for org_id, ancestor_id in tree:
            _credit_days(below.setdefault(ancestor_id, {}), own.get(org_id, {}))
        return below
    parent, above = levels
    for org_id in sorted(parent, key=lambda org: len(above[org]), reverse=True):
        into = below.setdefault(parent[org_id], {})
        _credit_days(into, own.get(org_id, {}))
        _credit(into, below.get(org_id, {}))
    return below


def stamped_by_unit(own: ByUnit, rows: Sequence[AncestryRow]) -> ByUnit:
    """Each unit's own figures (by day and stamp) credited by month and stamp along every
    ancestry row, open or closed: a figure stamped s counts under an ancestor from stamp
    max(s, the row's recorded stamp) and, when the row was closed by a move, no more from
    max(s, its closed stamp) on.

    One level at a time when no row was ever closed and each unit's rows were recorded
    in one stamp no earlier than its parent's (a tree built by registrations in log
    order); otherwise row by row."""
    stamps: dict[str, str] = {}
    pairs: list[tuple[str, str]] = []
    level_by_level = True
    for org_id, ancestor_id, _, _, _, recorded_at, closed_at in rows:
        if org_id == ancestor_id:
            continue
        if closed_at is not None:
            level_by_level = False
            break
        stamp = stamp_of(recorded_at or "")
        if stamps.setdefault(org_id, stamp) != stamp:
            level_by_level = False
            break
        pairs.append((org_id, ancestor_id))
    levels = _parents(pairs) if level_by_level else None
    if levels is None or any(stamps.get(p, "") > stamps[o] for o, p in levels[0].items()):
        below: ByUnit = {}
        for org_id, ancestor_id, _, _, _, recorded_at, closed_at in rows:
            figures = own.get(org_id)
            if org_id == ancestor_id or not figures:
                continue
            into = below.setdefault(ancestor_id, {})
            _credit_months(into, figures, stamp_of(recorded_at or ""))
            if closed_at is not None:
                _credit_months(into, figures, stamp_of(closed_at), -1)
        return below
    parent, above = levels
    below = {}
    for org_id in sorted(parent, key=lambda org: len(above[org]), reverse=True):
        into = below.setdefault(parent[org_id], {})
        floor = stamps[org_id]
        _credit_months(into, own.get(org_id, {}), floor)
        # what is below it was stamped no earlier than its children's rows, so no earlier
        # than its own: as it is
        _credit(into, below.get(org_id, {}))
    return below


# -- rows as they are written -------------------------------------------------------------


def spread_below(figures: Figures) -> Iterator[tuple[str, str, str, int, int]]:
    """A unit's below figures by day, with each day summed into its month and year too
    (a register row stays as it is), as rollup.below_spans keeps them live:
    (span, metric, extra, value, n), each key once."""
    wider: Figures = {}
    for (metric, day, extra), (value, n) in figures.items():
        yield day, metric, extra, value, n
        if day[0] == REGISTER:
            continue
        for span in (day[:7], f"{day[:4]}-Y"):
            slot = wider.get((span, metric, extra))
            if slot is None:
                wider[(span, metric, extra)] = [value, n]
            else:
                slot[0] += value
                slot[1] += n
    for (span, metric, extra), (value, n) in wider.items():
        yield span, metric, extra, value, n


def spread_stamped(figures: Figures) -> Iterator[tuple[str, str, str, str, int, int]]:
    """A unit's stamped figures by month, each month summed into its year too, as
    rollup.stamped_spans keeps them live: (span, metric, extra, stamp, value, n)."""
    wider: Figures = {}
    for (metric, month, extra, stamp), (value, n) in figures.items():
        yield month, metric, extra, stamp, value, n
        if month[0] == REGISTER:
            continue
        key = (f"{month[:4]}-Y", metric, extra, stamp)
        slot = wider.get(key)
        if slot is None:
            wider[key] = [value, n]
        else:
            slot[0] += value
            slot[1] += n
    for (span, metric, extra, stamp), (value, n) in wider.items():
        yield span, metric, extra, stamp, value, n


def all_figures(own: ByUnit, ancestry_rows: Sequence[AncestryRow]) -> tuple[ByUnit, ByUnit, ByUnit]:
    """(own, below, stamped) for a whole store: what recompute and the tests compare."""
    current = [(row[0], row[1]) for row in ancestry_rows if row[4] is None and row[0] != row[1]]
    return own, below_by_unit(own, current), stamped_by_unit(own, ancestry_rows)
