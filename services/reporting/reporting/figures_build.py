"""Pre-aggregated figures for a whole store at once, in memory (bulk rebuild, migration).

Figures are gathered by unit and by month (`Figures`), credited up the tree by month,
and spread into quarters and years only as they are written (`spread`): the sums are
the same, and the work is a third of summing every span all the way.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence

from .rollup import GroupKey, Post, Row, Totals, as_below, group_contributions, group_keys, spans_of

Figures = dict[tuple[str, str, str], list[int]]
"""(metric, month, extra) -> [value, n] of one unit"""
ByUnit = dict[str, Figures]

# How a metric's facts count, by its name alone: as they are, and in which kind of group.
RATING, MEMBER, HELD = "rating", "member", "held"


def _metric_kind(metric: str) -> tuple[bool, str | None]:
    keys = group_keys(Row(metric, "", "0000-00-00", 0, "", "", "", 0))
    return not metric.startswith(("ratings.", "units.")), keys[0][0] if keys else None


class FigureBuilder:
    """Feed fact rows (in log order) and posts; `own()` gives every unit's own figures.

    The groups of rollup.py are kept in the little each needs, as facts arrive: a plain
    fact adds to its month, a year of sessions held is a month mask, a rating group keeps
    only its latest event's facts. The groups that pair facts or need posts keep their
    rows and are read at the end.
    """

    def __init__(self) -> None:
        self.months: ByUnit = {}  # plain facts by unit, (metric, month, "")
        self.held: dict[tuple[str, str], int] = {}  # (org_id, year) -> month mask
        # (source, ref) -> [position, [(org_id, metric, month, value)]]
        self.latest: dict[tuple[str, str], list] = {}
        self.groups: dict[GroupKey, list[Row]] = {}
        self.posts: dict[str, list[Post]] = {}
        self.kinds: dict[str, tuple[bool, str | None]] = {}

    def fact(self, row: Row) -> None:
        self.count(
            row.metric, row.org_id, row.on_date, row.value, row.subject_id, row.ref, row.source, row.position
        )

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
    ) -> None:
        """One fact row, in log order."""
        plain_too, group = self.kind_of(metric)
        if plain_too:
            self.add_plain(org_id, metric, on_date, value)
        if group is not None:
            self.add_grouped(group, metric, org_id, on_date, value, subject_id, ref, source, position)

    def add_plain(self, org_id: str, metric: str, on_date: str, value: int) -> None:
        unit = self.months.get(org_id)
        if unit is None:
            unit = self.months[org_id] = {}
        key = (metric, on_date[:7], "")
        slot = unit.get(key)
        if slot is None:
            unit[key] = [value, 1]
        else:
            slot[0] += value
            slot[1] += 1

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
    ) -> None:
        if group == HELD:
            held = (org_id, on_date[:4])
            self.held[held] = self.held.get(held, 0) | 1 << (int(on_date[5:7]) - 1)
        elif group == RATING:  # a later rating of the subject replaces the earlier ones
            rated = (source, ref or "")
            latest = self.latest.get(rated)
            counted = (org_id, metric, on_date[:7], value)
            if latest is None or position > latest[0]:
                self.latest[rated] = [position, [counted]]
            elif position == latest[0]:
                latest[1].append(counted)
        elif group != MEMBER or subject_id is not None:
            row = Row(metric, org_id, on_date, value, subject_id, ref, source, position)
            for key in group_keys(row):
                self.groups.setdefault(key, []).append(row)

    def post(self, post: Post) -> None:
        self.posts.setdefault(post.member_id, []).append(post)

    def own_by_unit(self) -> ByUnit:
        """Every unit's own figures by month (consumes what was fed)."""
        out, self.months = self.months, {}

        def put(org_id: str, metric: str, month: str, extra: str, value: int) -> None:
            into = out.get(org_id)
            if into is None:
                into = out[org_id] = {}
            slot = into.get((metric, month, extra))
            if slot is None:
                into[(metric, month, extra)] = [value, 1]
            else:
                slot[0] += value
                slot[1] += 1

        for _, counted in self.latest.values():
            for org_id, metric, month, value in counted:
                put(org_id, metric, month, "", value)
        for (org_id, year), mask in self.held.items():
            put(org_id, "~units_held", year, str(mask), 1)
        for key, rows in self.groups.items():
            posts = self.posts.get(key[1], []) if key[0] == MEMBER else []
            for contribution in group_contributions(key, rows, posts):
                put(*contribution)
        self.held, self.latest, self.groups = {}, {}, {}
        return out

    def own(self) -> Totals:
        return flat(self.own_by_unit())


def spread(figures: Figures) -> Iterator[tuple[str, str, str, int, int]]:
    """A unit's figures by month, with each plain month summed into its quarter and year
    too (a derived "~" figure stays where it is), as rollup.add keeps them live:
    (metric, month or span, extra, value, n), each key once."""
    wider: Figures = {}
    for (metric, month, extra), (value, n) in figures.items():
        yield metric, month, extra, value, n
        if metric.startswith("~"):
            continue
        _, quarter, year = spans_of(month)
        for span in (quarter, year):
            slot = wider.get((metric, span, extra))
            if slot is None:
                wider[(metric, span, extra)] = [value, n]
            else:
                slot[0] += value
                slot[1] += n
    for (metric, span, extra), (value, n) in wider.items():
        yield metric, span, extra, value, n


def flat(by_unit: ByUnit) -> Totals:
    return {
        (org_id, metric, month, extra): [value, n]
        for org_id, figures in by_unit.items()
        for metric, month, extra, value, n in spread(figures)
    }


def own_of(rows: Iterable[Row], posts: Iterable[Post]) -> Totals:
    builder = FigureBuilder()
    for post in posts:
        builder.post(post)
    for row in rows:
        builder.fact(row)
    return builder.own()


def _credit(into: Figures, figures: Figures, as_kept: bool) -> None:
    """Add a unit's figures to an ancestor's; `as_kept`: already in their `below` form."""
    for key, (value, n) in figures.items():
        for kept in (key,) if as_kept or key[0] != "~units_held" else as_below(*key):
            slot = into.get(kept)
            if slot is None:
                into[kept] = [value, n]
            else:
                slot[0] += value
                slot[1] += n


def below_by_unit(own: ByUnit, tree: Sequence[tuple[str, str]]) -> ByUnit:
    """Each unit's own figures credited to its strict ancestors: `tree` holds the current
    (org_id, ancestor_id) pairs, the unit's own pair left out.

    Summed up the tree one level at a time (a unit's total goes to its parent only),
    which is the same as crediting every ancestor when each unit's ancestors are its
    parent's plus the parent; a tree that is not like that is credited unit by unit.
    """
    above: dict[str, set[str]] = {}
    for org_id, ancestor_id in tree:
        above.setdefault(org_id, set()).add(ancestor_id)
    parent: dict[str, str] = {}
    for org_id, ancestors in above.items():
        nearest = [a for a in ancestors if len(above.get(a, ())) == len(ancestors) - 1]
        if len(nearest) != 1 or above.get(nearest[0], set()) != ancestors - {nearest[0]}:
            return _credited_one_by_one(own, above)
        parent[org_id] = nearest[0]
    below: ByUnit = {}
    for org_id in sorted(parent, key=lambda org: len(above[org]), reverse=True):
        into = below.setdefault(parent[org_id], {})
        _credit(into, own.get(org_id, {}), as_kept=False)
        _credit(into, below.get(org_id, {}), as_kept=True)
    return below


def _credited_one_by_one(own: ByUnit, above: dict[str, set[str]]) -> ByUnit:
    below: ByUnit = {}
    for org_id, figures in own.items():
        for ancestor_id in above.get(org_id, ()):
            _credit(below.setdefault(ancestor_id, {}), figures, as_kept=False)
    return below


def below_of(own: Totals, tree: Sequence[tuple[str, str]]) -> Totals:
    """`below_by_unit` for totals already spread into quarters and years."""
    by_unit: ByUnit = {}
    for (org_id, metric, month, extra), slot in own.items():
        by_unit.setdefault(org_id, {})[(metric, month, extra)] = slot
    return {
        (org_id, *key): slot
        for org_id, figures in below_by_unit(by_unit, tree).items()
        for key, slot in figures.items()
    }
