"""Keeping the pre-aggregated figures in step with the facts and the tree, in SQL.

Live: `changing_figures` reads the groups an event touches before and after it is
written and adds the difference to the unit's own figures and to every ancestor's
`below` figures. The tree: a unit that arrives under, or moves to, new ancestors takes
its own and below figures along (`spread`). `recompute_figures` rebuilds both tables
from the facts, for a migration and as the reference the tests compare against.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from eventlog.engine import is_postgres

from .rollup import (
    BASE_OF,
    PAIRS,
    GroupKey,
    Post,
    Row,
    Totals,
    add,
    as_below,
    group_contributions,
    group_keys,
    is_member_check,
    plain,
)
from .tables import MEMBER_CHECKS, ancestry, below_figures, facts, member_posts, unit_figures

ROW_COLUMNS = (
    facts.c.metric,
    facts.c.org_id,
    facts.c.on_date,
    facts.c.value,
    facts.c.subject_id,
    facts.c.ref,
    facts.c.source,
    facts.c.position,
)
KEY = ("org_id", "metric", "month", "extra")
FIGURES_LOCK = 0x0E9_0471


def _rows(conn: sa.Connection, *where: Any) -> list[Row]:
    return [Row(*row) for row in conn.execute(sa.select(*ROW_COLUMNS).where(*where))]


def _posts(conn: sa.Connection, member: str) -> list[Post]:
    m = member_posts.c
    return [
        Post(*row)
        for row in conn.execute(
            sa.select(m.member_id, m.valid_from, m.committee, m.position).where(m.member_id == member)
        )
    ]


def _group(conn: sa.Connection, key: GroupKey) -> Totals:
    f = facts.c
    kind = key[0]
    totals: Totals = {}
    if kind == "event":
        add(totals, plain(_rows(conn, f.source == key[1], f.position == int(key[2]))))
        return totals
    if kind == "rating":
        rows = _rows(conn, f.ref == key[2], f.metric.like("ratings.%"), f.source == key[1])
    elif kind == "member":
        rows = [
            r
            for r in _rows(conn, f.subject_id == key[1], sa.text(MEMBER_CHECKS))
            if is_member_check(r.metric)
        ]
        add(totals, group_contributions(key, rows, _posts(conn, key[1])))
        return totals
    elif kind == "pair":
        base = BASE_OF[key[1]]
        rows = _rows(conn, f.ref == key[2], f.metric.in_([base, PAIRS[base][0]]))
    else:  # held: one unit's sessions in one year
        rows = _rows(
            conn,
            f.org_id == key[1],
            f.metric == "sessions.held",
            f.on_date.between(f"{key[2]}-01-01", f"{key[2]}-12-31"),
        )
    add(totals, group_contributions(key, rows))
    return totals


def group_keys_of(fact_rows: Iterable[dict[str, Any]], posts: Iterable[dict[str, Any]]) -> set[GroupKey]:
    keys: set[GroupKey] = set()
    for row in fact_rows:
        keys.add(("event", row["source"], str(row["position"])))
        keys.update(
            group_keys(
                Row(
                    row["metric"],
                    row["org_id"],
                    row["on_date"],
                    row["value"],
                    row["subject_id"],
                    row["ref"],
                    row["source"],
                    row["position"],
                )
            )
        )
    keys.update(("member", post["member_id"]) for post in posts)
    return keys


def changing_figures(conn: sa.Connection, keys: set[GroupKey], write: Callable[[], None]) -> None:
    """Run `write` and add what it changed in the groups `keys` to the figures.

    Consumers of different sources apply at once; on PostgreSQL (read committed) a
    registration and a fact of the same unit in two transactions would each miss the
    other's share, so every change of the figures holds one lock until it commits.
    """
    if is_postgres(conn):
        conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({FIGURES_LOCK})")
    before: Totals = {}
    for key in keys:
        add_totals(before, _group(conn, key))
    write()
    delta: Totals = {}
    for key in keys:
        add_totals(delta, _group(conn, key))
    add_totals(delta, before, -1)
    changed = {k: v for k, v in delta.items() if v[0] or v[1]}
    if changed:
        add_figures(conn, unit_figures, changed)
        add_figures(conn, below_figures, _lifted(conn, changed))


def add_totals(into: Totals, other: Totals, sign: int = 1) -> None:
    for key, (value, n) in other.items():
        slot = into.setdefault(key, [0, 0])
        slot[0] += sign * value
        slot[1] += sign * n


def _lifted(conn: sa.Connection, own: Totals) -> Totals:
    """The same totals credited to each unit's strict ancestors on the current tree."""
    orgs = sorted({key[0] for key in own})
    above: dict[str, list[str]] = {}
    for org_id, ancestor_id in conn.execute(
        sa.select(ancestry.c.org_id, ancestry.c.ancestor_id).where(
            ancestry.c.org_id.in_(orgs),
            ancestry.c.valid_to.is_(None),
            ancestry.c.ancestor_id != ancestry.c.org_id,
        )
    ):
        above.setdefault(org_id, []).append(ancestor_id)
    out: Totals = {}
    for (org_id, metric, month, extra), (value, n) in own.items():
        for ancestor_id in above.get(org_id, ()):
            for kept in as_below(metric, month, extra):
                slot = out.setdefault((ancestor_id, *kept), [0, 0])
                slot[0] += value
                slot[1] += n
    return out


def add_figures(conn: sa.Connection, table: sa.Table, totals: Totals) -> None:
    if not totals:
        return
    insert = (postgresql_insert if is_postgres(conn) else sqlite_insert)(table)
    statement = insert.on_conflict_do_update(
        index_elements=list(KEY),
        set_={"value": table.c.value + insert.excluded.value, "n": table.c.n + insert.excluded.n},
    )
    conn.execute(
        statement, [dict(zip(KEY, key, strict=True), value=v, n=n) for key, (v, n) in sorted(totals.items())]
    )


def subtree_totals(conn: sa.Connection, org_id: str) -> Totals:
    """A unit's own figures plus those below it, keyed with the unit's id."""
    totals: Totals = {}
    for table in (unit_figures, below_figures):
        for metric, month, extra, value, n in conn.execute(
            sa.select(table.c.metric, table.c.month, table.c.extra, table.c.value, table.c.n).where(
                table.c.org_id == org_id
            )
        ):
            add_totals(totals, {(org_id, metric, month, extra): [value, n]})
    return totals


def spread(conn: sa.Connection, org_id: str, ancestors: Sequence[str], sign: int) -> None:
    """Credit (or, with sign -1, take back) the unit's subtree figures to `ancestors`."""
    if not ancestors:
        return
    moved = subtree_totals(conn, org_id)
    out: Totals = {}
    for (_, metric, month, extra), (value, n) in moved.items():
        for ancestor_id in ancestors:
            for kept in as_below(metric, month, extra):
                slot = out.setdefault((ancestor_id, *kept), [0, 0])
                slot[0] += sign * value
                slot[1] += sign * n
    add_figures(conn, below_figures, out)


def recompute_figures(conn: sa.Connection) -> None:
    """Both figure tables from scratch, from the facts, posts and current tree."""
    from .figures_build import below_of, own_of

    rows = _rows(conn)
    m = member_posts.c
    posts = [
        Post(*row) for row in conn.execute(sa.select(m.member_id, m.valid_from, m.committee, m.position))
    ]
    own = own_of(rows, posts)
    tree = [
        (row[0], row[1])
        for row in conn.execute(
            sa.select(ancestry.c.org_id, ancestry.c.ancestor_id).where(
                ancestry.c.valid_to.is_(None), ancestry.c.ancestor_id != ancestry.c.org_id
            )
        )
    ]
    conn.execute(unit_figures.delete())
    conn.execute(below_figures.delete())
    add_figures(conn, unit_figures, own)
    add_figures(conn, below_figures, below_of(own, tree))
