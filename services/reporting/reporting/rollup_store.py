"""Keeping the pre-aggregated figures in step with the facts and the tree, in SQL.

Live: `changing_figures` reads the groups an event touches before and after it is
written and adds the difference to the unit's own figures, to every current ancestor's
`below` figures and, along every ancestry row the unit ever had, to the `stamped`
figures. The tree: a unit that arrives under, or moves to, new ancestors takes its
figures along (`spread`), from the stamp the change was recorded at. `recompute_figures`
rebuilds all three from the facts, posts and ancestry, for a migration and as the
reference the tests compare against.
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
    below_spans,
    group_keys,
    group_totals,
    is_member_check,
    plain,
    stamp_of,
    stamped_spans,
)
from .tables import (
    MEMBER_CHECKS,
    ancestry,
    below_figures,
    facts,
    member_posts,
    recorded_months,
    stamped_figures,
    unit_figures,
)

ROW_COLUMNS = (
    facts.c.metric,
    facts.c.org_id,
    facts.c.on_date,
    facts.c.value,
    facts.c.subject_id,
    facts.c.ref,
    facts.c.source,
    facts.c.position,
    facts.c.recorded_at,
)
OWN_KEY = ("org_id", "metric", "day", "extra", "stamp")
BELOW_KEY = ("org_id", "metric", "span", "extra")
STAMPED_KEY = ("org_id", "metric", "span", "extra", "stamp")
FIGURES_LOCK = 0x0E9_0471

Below = dict[tuple[str, str, str, str], list[int]]
"""(org_id, metric, span, extra) -> [value, n]"""
Stamped = dict[tuple[str, str, str, str, str], list[int]]
"""(org_id, metric, span, extra, stamp) -> [value, n]"""


# Built once: each event reads two to four groups before and after it writes, and building
# a statement's expressions cost half as much as running it (indexed, a handful of rows).
_F = facts.c
_EVENT_ROWS = sa.select(*ROW_COLUMNS).where(
    _F.source == sa.bindparam("source"), _F.position == sa.bindparam("position")
)
_RATING_ROWS = sa.select(*ROW_COLUMNS).where(
    _F.ref == sa.bindparam("ref"), _F.metric.like("ratings.%"), _F.source == sa.bindparam("source")
)
_MEMBER_ROWS = sa.select(*ROW_COLUMNS).where(_F.subject_id == sa.bindparam("member"), sa.text(MEMBER_CHECKS))
_PAIR_ROWS = sa.select(*ROW_COLUMNS).where(
    _F.ref == sa.bindparam("ref"), _F.metric.in_(sa.bindparam("metrics", expanding=True))
)
_HELD_ROWS = sa.select(*ROW_COLUMNS).where(_F.org_id == sa.bindparam("org_id"), _F.metric == "sessions.held")
_POSTS = sa.select(
    member_posts.c.member_id, member_posts.c.valid_from, member_posts.c.committee, member_posts.c.position
).where(member_posts.c.member_id == sa.bindparam("member"))


def _rows(conn: sa.Connection, statement: sa.Select, **params: Any) -> list[Row]:
    return [Row(*row) for row in conn.execute(statement, params)]


def _posts(conn: sa.Connection, member: str) -> list[Post]:
    return [Post(*row) for row in conn.execute(_POSTS, {"member": member})]


def _group(conn: sa.Connection, key: GroupKey) -> Totals:
    kind = key[0]
    if kind == "event":
        return plain(_rows(conn, _EVENT_ROWS, source=key[1], position=int(key[2])))
    if kind == "rating":
        rows = _rows(conn, _RATING_ROWS, ref=key[2], source=key[1])
    elif kind == "member":
        rows = [r for r in _rows(conn, _MEMBER_ROWS, member=key[1]) if is_member_check(r.metric)]
        return group_totals(key, rows, _posts(conn, key[1]))
    elif kind == "pair":
        base = BASE_OF[key[1]]
        rows = _rows(conn, _PAIR_ROWS, ref=key[2], metrics=[base, PAIRS[base][0]])
    else:  # held: one unit's sessions
        rows = _rows(conn, _HELD_ROWS, org_id=key[1])
    return group_totals(key, rows)


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
                    row["recorded_at"],
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
        add(before, _group(conn, key))
    write()
    delta: Totals = {}
    for key in keys:
        add(delta, _group(conn, key))
    add(delta, before, -1)
    changed = {k: v for k, v in delta.items() if v[0] or v[1]}
    if changed:
        add_figures(conn, unit_figures, OWN_KEY, changed)
        current, stamped = _lifted(conn, changed)
        add_figures(conn, below_figures, BELOW_KEY, current)
        add_figures(conn, stamped_figures, STAMPED_KEY, stamped)


def _lifted(conn: sa.Connection, own: Totals) -> tuple[Below, Stamped]:
    """The same figures credited to each unit's strict ancestors: on the current tree by
    span, and along every ancestry row the unit ever had by stamp."""
    orgs = sorted({key[0] for key in own})
    a = ancestry.c
    above: dict[str, list[tuple[str, str, str | None, bool]]] = {}
    for org_id, ancestor_id, recorded_at, closed_at, valid_to in conn.execute(
        sa.select(a.org_id, a.ancestor_id, a.recorded_at, a.closed_at, a.valid_to).where(
            a.org_id.in_(orgs), a.ancestor_id != a.org_id
        )
    ):
        above.setdefault(org_id, []).append(
            (
                ancestor_id,
                stamp_of(recorded_at),
                None if closed_at is None else stamp_of(closed_at),
                valid_to is None,
            )
        )
    current: Below = {}
    stamped: Stamped = {}
    for (org_id, metric, day, extra, stamp), (value, n) in own.items():
        for ancestor_id, since, until, open_now in above.get(org_id, ()):
            if open_now:
                for span in below_spans(day):
                    _put(current, (ancestor_id, metric, span, extra), value, n)
            for span in stamped_spans(day):
                _put(stamped, (ancestor_id, metric, span, extra, max(stamp, since)), value, n)
                if until is not None:
                    _put(stamped, (ancestor_id, metric, span, extra, max(stamp, until)), -value, -n)
    return current, stamped


def _put(into: dict, key: tuple, value: int, n: int) -> None:
    slot = into.get(key)
    if slot is None:
        into[key] = [value, n]
    else:
        slot[0] += value
        slot[1] += n


def add_figures(conn: sa.Connection, table: sa.Table, columns: Sequence[str], totals: dict) -> None:
    if not totals:
        return
    insert = (postgresql_insert if is_postgres(conn) else sqlite_insert)(table)
    statement = insert.on_conflict_do_update(
        index_elements=list(columns),
        set_={"value": table.c.value + insert.excluded.value, "n": table.c.n + insert.excluded.n},
    )
    conn.execute(
        statement,
        [dict(zip(columns, key, strict=True), value=v, n=n) for key, (v, n) in sorted(totals.items())],
    )


def record_instant(conn: sa.Connection, recorded_at: str) -> None:
    """Something that counts was recorded at `recorded_at`: widen its month's span (one
    statement on the driver's cursor: this runs once an event)."""
    if not recorded_at:
        return
    postgres = is_postgres(conn)
    low, high = ("LEAST", "GREATEST") if postgres else ("min", "max")
    mark = "%s" if postgres else "?"
    cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
    try:
        cursor.execute(
            "INSERT INTO report_recorded_months AS r (month, first_at, last_at)"
            f" VALUES ({mark}, {mark}, {mark})"
            f" ON CONFLICT (month) DO UPDATE SET first_at = {low}(r.first_at, excluded.first_at),"
            f" last_at = {high}(r.last_at, excluded.last_at)",
            (stamp_of(recorded_at), recorded_at, recorded_at),
        )
    finally:
        cursor.close()


def _subtree_figures(conn: sa.Connection, org_id: str, below_too: bool) -> tuple[Below, Stamped]:
    """A unit's own figures plus (`below_too`) those below it, keyed with the unit's id: by
    span (today's tree) and by span and stamp (the tree as it stood)."""
    current: Below = {}
    stamped: Stamped = {}
    u = unit_figures.c
    for metric, day, extra, stamp, value, n in conn.execute(
        sa.select(u.metric, u.day, u.extra, u.stamp, u.value, u.n).where(u.org_id == org_id)
    ):
        for span in below_spans(day):
            _put(current, (org_id, metric, span, extra), value, n)
        for span in stamped_spans(day):
            _put(stamped, (org_id, metric, span, extra, stamp), value, n)
    if not below_too:
        return current, stamped
    b = below_figures.c
    for metric, span, extra, value, n in conn.execute(
        sa.select(b.metric, b.span, b.extra, b.value, b.n).where(b.org_id == org_id)
    ):
        _put(current, (org_id, metric, span, extra), value, n)
    s = stamped_figures.c
    for metric, span, extra, stamp, value, n in conn.execute(
        sa.select(s.metric, s.span, s.extra, s.stamp, s.value, s.n).where(s.org_id == org_id)
    ):
        _put(stamped, (org_id, metric, span, extra, stamp), value, n)
    return current, stamped


def spread(
    conn: sa.Connection,
    org_id: str,
    ancestors: Sequence[str],
    sign: int,
    recorded_at: str,
    below_too: bool = True,
) -> None:
    """Credit (or, with sign -1, take back) the unit's subtree figures to `ancestors`, as
    of the instant the change of the tree was recorded at: today's tree at once; as it
    stood, from that instant's stamp (anything stamped later, from its own). A unit just
    registered has nothing below it (`below_too` False)."""
    if not ancestors:
        return
    current, stamped = _subtree_figures(conn, org_id, below_too)
    floor = stamp_of(recorded_at)
    below: Below = {}
    for (_, metric, span, extra), (value, n) in current.items():
        for ancestor_id in ancestors:
            _put(below, (ancestor_id, metric, span, extra), sign * value, sign * n)
    by_stamp: Stamped = {}
    for (_, metric, span, extra, stamp), (value, n) in stamped.items():
        for ancestor_id in ancestors:
            _put(by_stamp, (ancestor_id, metric, span, extra, max(stamp, floor)), sign * value, sign * n)
    add_figures(conn, below_figures, BELOW_KEY, below)
    add_figures(conn, stamped_figures, STAMPED_KEY, by_stamp)


def recompute_figures(conn: sa.Connection) -> None:
    """Every pre-aggregated table from scratch, from the facts, posts and ancestry."""
    from .figures_build import all_figures, own_of, spread_below, spread_stamped

    m = member_posts.c
    posts = [
        Post(*row) for row in conn.execute(sa.select(m.member_id, m.valid_from, m.committee, m.position))
    ]
    a = ancestry.c
    rows = conn.execute(
        sa.select(a.org_id, a.ancestor_id, a.via_child, a.valid_from, a.valid_to, a.recorded_at, a.closed_at)
    ).all()
    own, below, stamped = all_figures(own_of(_rows(conn, sa.select(*ROW_COLUMNS)), posts), rows)
    for table in (unit_figures, below_figures, stamped_figures, recorded_months):
        conn.execute(table.delete())
    add_figures(
        conn,
        unit_figures,
        OWN_KEY,
        {
            (org, metric, day, extra, stamp): s
            for org, f in own.items()
            for (metric, day, extra, stamp), s in f.items()
            if s[0] or s[1]
        },
    )
    add_figures(
        conn,
        below_figures,
        BELOW_KEY,
        {
            (org, metric, span, extra): [v, n]
            for org, f in below.items()
            for span, metric, extra, v, n in spread_below(f)
            if v or n
        },
    )
    add_figures(
        conn,
        stamped_figures,
        STAMPED_KEY,
        {
            (org, metric, span, extra, stamp): [v, n]
            for org, f in stamped.items()
            for span, metric, extra, stamp, v, n in spread_stamped(f)
            if v or n
        },
    )
    instants = [row[0] for row in conn.execute(sa.select(facts.c.recorded_at).distinct())]
    instants += [row[0] for row in conn.execute(sa.select(a.recorded_at).distinct())]
    instants += [
        row[0] for row in conn.execute(sa.select(a.closed_at).where(a.closed_at.is_not(None)).distinct())
    ]
    months: dict[str, list[str]] = {}
    for at in instants:
        if at:
            span = months.setdefault(stamp_of(at), [at, at])
            span[0], span[1] = min(span[0], at), max(span[1], at)
    if months:
        conn.execute(
            recorded_months.insert(),
            [{"month": month, "first_at": f, "last_at": last} for month, (f, last) in sorted(months.items())],
        )
