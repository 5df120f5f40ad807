"""A report from the pre-aggregated figures: one indexed read of the node's and its
children's own rows (by day) and of each child's rows of what is below it (by span),
instead of joining facts to the tree.

It answers exactly what `figures.count` answers, when it can:

- any period of days (a month, a quarter, 6 or 9 months, a year, a term across years):
  the days are tiled by whole years, whole months and single days (rollup.span_codes);
- "as of" an instant, for a period of whole months, when the instant ends its month's
  recordings (nothing that counts was recorded later that month) or comes before them:
  the stamped rows up to that month are the figures as the record then stood, on the
  tree as it then stood;
- "as of" an instant before the node itself was recorded: nothing (no unit comes under
  a node before it is registered), however long the record is now;
- on the tree of the tree date, when no unit's place in the tree starts after it (a
  move dated later than the tree date goes to `figures.count`, as does anything else).
"""

from __future__ import annotations

import json
import re
from typing import Any

import sqlalchemy as sa

from .figures import DERIVED, Figures, Scope
from .rollup import HELD, REGISTER, span_codes, stamp_of
from .tables import ancestry, below_figures, stamped_figures

DERIVED_OF = {
    "~units_required": "sessions.units_required",
    "~overdue": "tasks.overdue",
    HELD: "sessions.units_held",
    "~in_progress": "remediation.in_progress",
}

# Which rows count, by metric: a plain figure (its name does not start with "~") always; a unit
# once for its session after none since the period began; a task due before the tree
# date; an item not remedied by the period's end; every plan a unit was required to
# answer (issued or pending by its `early` flag).
_COUNTED = (
    "(metric NOT LIKE '~%' OR (metric = '~held' AND extra < :start)"
    " OR (metric = '~in_progress' AND extra > :end)"
    " OR (metric = '~overdue' AND extra < :today)"
    " OR metric = '~units_required_pair')"
)
_DAYS = (
    "SELECT org_id, metric, extra <= :end AS early, value, n FROM report_unit_figures"
    " WHERE org_id IN :own AND day >= :start AND day <= :end{stamp} AND " + _COUNTED
)
_SPANS = (
    "SELECT org_id, metric, extra <= :end, value, n FROM {below}"
    " WHERE org_id IN :children AND span IN :codes{stamp} AND " + _COUNTED
)
# Units registered by the period's end and not dissolved before it began.
_REGISTERED = (
    "SELECT org_id, metric, extra <= :end, value, n FROM {table}"
    " WHERE org_id IN :{ids} AND {where} >= :register_start AND {where} <= :register_end"
    " AND extra >= :start{stamp}"
)
_PLACE = re.compile(r"(IN )?:(\w+)")


def driver_rows(conn: sa.Connection, sql: str, params: dict[str, Any]) -> list[tuple[Any, ...]]:
    """Run `sql` (":name" placeholders, "IN :name" for a list) on the driver's own cursor
    in the connection's transaction: a report's few statements, without SQLAlchemy's
    per-statement and per-row work (a third of a district report's time)."""
    postgres = conn.dialect.name == "postgresql"
    bound: dict[str, Any] = {}
    placed: dict[str, str] = {}  # a placeholder used again is bound once

    def place(match: re.Match[str]) -> str:
        text = placed.get(match.group(0))
        if text is None:
            text = placed[match.group(0)] = _bind(match.group(2), bool(match.group(1)))
        return text

    def _bind(name: str, listed: bool) -> str:
        value = params[name]
        if not listed:
            bound[name] = value
            return f"%({name})s" if postgres else f":{name}"
        values = list(value) or [""]
        if postgres:
            bound[name] = values
            return f"= ANY(%({name})s)"
        # One parameter however long the list (a province's children are thousands
        # of placeholders otherwise, and SQLite prepares each statement afresh).
        bound[name] = json.dumps(values)
        return f"IN (SELECT value FROM json_each(:{name}))"

    text = _PLACE.sub(place, sql.replace("%", "%%") if postgres else sql)  # a literal % for psycopg2
    cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
    try:
        cursor.execute(text, bound)
        return cursor.fetchall()
    finally:
        cursor.close()


def _query(below: str, stamped: str) -> str:
    """The figures of the node's and its children's own rows by day, and of the children's
    rows by span, summed per (unit, metric, early)."""
    stamp = f" AND stamp {stamped} :stamp" if stamped else ""
    parts = [
        _DAYS.format(stamp=stamp),
        _REGISTERED.format(table="report_unit_figures", ids="own", where="day", stamp=stamp),
        _SPANS.format(below=below, stamp=stamp),
        _REGISTERED.format(table=below, ids="children", where="span", stamp=stamp),
    ]
    return (
        f"SELECT org_id, {_NAMED} AS name, sum(value), sum(n) FROM ("
        + " UNION ALL ".join(parts)
        + ") AS f GROUP BY 1, 2"
    )


# The figure a row counts for: its metric, or the derived figure its "~" metric makes.
_NAMED = (
    "CASE metric WHEN '~units_required_pair' THEN"
    " CASE WHEN early THEN 'plans.units_issued' ELSE 'plans.units_pending' END"
    + "".join(f" WHEN '{metric}' THEN '{name}'" for metric, name in DERIVED_OF.items())
    + " ELSE metric END"
)


_PLAN = (
    "SELECT (SELECT max(valid_from) FROM report_ancestry),"
    " (SELECT min(recorded_at) FROM report_ancestry WHERE org_id = :node AND ancestor_id = :node),"
    " (SELECT first_at FROM report_recorded_months WHERE month = :month),"
    " (SELECT last_at FROM report_recorded_months WHERE month = :month)"
)


NOTHING_KNOWN: dict[str, Any] = {}


def _plan(conn: sa.Connection, s: Scope) -> dict[str, Any] | None:
    """What the pre-aggregates need to answer `s` (or None when only `count` can): the
    spans that tile its days, which figure table and, "as of", which stamps."""
    as_of = s.known_at is not None
    known_at = s.known_at or ""
    month = stamp_of(known_at)
    latest, node_known, first, last = driver_rows(conn, _PLAN, {"node": s.node, "month": month})[0]
    if as_of and (node_known is None or node_known > known_at):
        # The node itself was not known yet, nor was anything below it (a unit comes
        # under a node only after the node is registered): the facts say nothing.
        return NOTHING_KNOWN
    codes = span_codes(s.start, s.end, days=not as_of)
    if codes is None:
        return None
    if latest is not None and latest > s.tree_date:
        return None  # a unit's place in the tree starts after the tree date
    plan = {
        "codes": codes,
        "below": below_figures.name,
        "stamped": "",
        "stamp": month,
        "start": s.start,
        "end": s.end,
        "today": s.tree_date,
        "register_start": REGISTER,
        "register_end": REGISTER + s.end,
    }
    if not as_of:
        return plan
    if first is None or known_at < first:
        stamped = "<"  # nothing of its month was recorded by then
    elif known_at >= last:
        stamped = "<="  # everything of its month was
    else:
        return None  # part of its month was: only the facts can say
    return {**plan, "below": stamped_figures.name, "stamped": stamped}


def can_answer(conn: sa.Connection, s: Scope) -> bool:
    return _plan(conn, s) is not None


def count_fast(conn: sa.Connection, s: Scope, children: list[str] | None = None) -> Figures | None:
    """Every figure of the node's subtree per child, or None when only `count` can say.
    `children`: the node's children on the tree date (as known "as of"), when the caller
    has them already."""
    plan = _plan(conn, s)
    if plan is None:
        return None
    if plan is NOTHING_KNOWN:
        return {}
    dialect = conn.dialect.name
    if dialect == "postgresql":
        # A few thousand index rows: starting parallel workers costs more than the read
        # (measured: 7 ms of a 20 ms report on a busy two-core machine).
        conn.exec_driver_sql("SET LOCAL max_parallel_workers_per_gather = 0")
    if children is None:
        children = [
            row[0]
            for row in conn.execute(
                sa.select(ancestry.c.org_id).where(
                    ancestry.c.ancestor_id == s.node,
                    ancestry.c.via_child == ancestry.c.org_id,
                    s.placed(ancestry),
                )
            )
        ]
    rows = driver_rows(
        conn,
        _query(plan["below"], plan["stamped"]),
        {**plan, "own": [s.node, *children], "children": children},
    )
    out: Figures = {}
    node = s.node
    for org_id, name, value, n in rows:
        if n <= 0 and name not in DERIVED:  # every fact behind it was taken back (a replaced rating)
            continue
        child = None if org_id == node else org_id
        figures = out.get(child)
        if figures is None:
            figures = out[child] = {}
        figures[name] = int(value)
    return out
