"""Pre-aggregated figures for a whole store at once, in memory (bulk rebuild, migration)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from .rollup import GroupKey, Post, Row, Totals, add, as_below, group_contributions, group_keys, spans_of


class FigureBuilder:
    """Feed fact rows (in log order) and posts; `own()` gives every unit's own figures."""

    def __init__(self) -> None:
        self.totals: Totals = {}
        self.groups: dict[GroupKey, list[Row]] = {}
        self.posts: dict[str, list[Post]] = {}
        self.kinds: dict[str, tuple[bool, bool]] = {}

    def kind_of(self, metric: str) -> tuple[bool, bool]:
        """(counted as it is, read in groups): it depends on the metric's name only."""
        probe = Row(metric, "", "0000-00-00", 0, "", "", "", 0)
        kind = self.kinds[metric] = (not metric.startswith(("ratings.", "units.")), bool(group_keys(probe)))
        return kind

    def fact(self, row: Row) -> None:
        plain_too, grouped = self.kinds.get(row.metric) or self.kind_of(row.metric)
        if plain_too:
            for span in spans_of(row.on_date[:7]):
                key = (row.org_id, row.metric, span, "")
                slot = self.totals.get(key)
                if slot is None:
                    self.totals[key] = [row.value, 1]
                else:
                    slot[0] += row.value
                    slot[1] += 1
        if grouped:
            self.group(row)

    def group(self, row: Row) -> None:
        for key in group_keys(row):
            self.groups.setdefault(key, []).append(row)

    def post(self, post: Post) -> None:
        self.posts.setdefault(post.member_id, []).append(post)

    def own(self) -> Totals:
        for key, rows in self.groups.items():
            posts = self.posts.get(key[1], []) if key[0] == "member" else []
            add(self.totals, group_contributions(key, rows, posts))
        self.groups = {}
        return self.totals


def own_of(rows: Iterable[Row], posts: Iterable[Post]) -> Totals:
    builder = FigureBuilder()
    for post in posts:
        builder.post(post)
    for row in rows:
        builder.fact(row)
    return builder.own()


def below_of(own: Totals, tree: Sequence[tuple[str, str]]) -> Totals:
    """Each unit's own figures credited to its strict ancestors: `tree` holds the current
    (org_id, ancestor_id) pairs, the unit's own pair left out.

    Summed up the tree one level at a time (a unit's total goes to its parent only),
    which is the same as crediting every ancestor when each unit's ancestors are its
    parent's plus the parent; a tree that is not like that is credited unit by unit.
    """
    above: dict[str, set[str]] = {}
    for org_id, ancestor_id in tree:
        above.setdefault(org_id, set()).add(ancestor_id)
    by_org: dict[str, dict[tuple[str, str, str], list[int]]] = {}
    for (org_id, metric, month, extra), slot in own.items():
        if org_id in above:
            into = by_org.setdefault(org_id, {})
            for kept in as_below(metric, month, extra):
                if kept in into:
                    into[kept] = [into[kept][0] + slot[0], into[kept][1] + slot[1]]
                else:
                    into[kept] = slot
    parent: dict[str, str] = {}
    for org_id, ancestors in above.items():
        nearest = [a for a in ancestors if len(above.get(a, ())) == len(ancestors) - 1]
        if len(nearest) != 1 or above.get(nearest[0], set()) != ancestors - {nearest[0]}:
            return _credited_one_by_one(by_org, above)
        parent[org_id] = nearest[0]
    below: dict[str, dict[tuple[str, str, str], list[int]]] = {}
    for org_id in sorted(parent, key=lambda org: len(above[org]), reverse=True):
        into = below.setdefault(parent[org_id], {})
        for part in (by_org.get(org_id, {}), below.get(org_id, {})):
            for key, (value, n) in part.items():
                slot = into.get(key)
                if slot is None:
                    into[key] = [value, n]
                else:
                    slot[0] += value
                    slot[1] += n
    return {(org_id, *key): slot for org_id, totals in below.items() for key, slot in totals.items()}


def _credited_one_by_one(by_org: dict[str, dict[tuple[str, str, str], list[int]]],
                         above: dict[str, set[str]]) -> Totals:
    out: Totals = {}
    for org_id, items in by_org.items():
        for ancestor_id in above[org_id]:
            for (metric, month, extra), (value, n) in items.items():
                key = (ancestor_id, metric, month, extra)
                slot = out.get(key)
                if slot is None:
                    out[key] = [value, n]
                else:
                    slot[0] += value
                    slot[1] += n
    return out
