"""Compare two read stores figure by figure: every root's subtree, per child, all time,
counted from the facts; and, for the present, the pre-aggregated figures get_report reads."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from eventlog.engine import readonly

from .figures import Scope, count
from .report import normalise_instant
from .tables import FIGURE_TABLES, ancestry

ALL_TIME = ("0001-01-01", "9999-12-31")
PRE_AGGREGATED = "pre-aggregated:"


def snapshot(engine: sa.Engine, as_of: str | None = None, tree_date: str = "9999-12-31") -> dict[str, Any]:
    """{root: {child or "": {metric: value}}} for every root of the tree on `tree_date`.

    Without `as_of`, also {"pre-aggregated:<table>": {org_id: {"metric span extra stamp":
    value, "... (facts)": n}}} for every pre-aggregated table (they are kept for the
    present, "as of" reports read them for the past): a store whose fast path
    (get_report) drifted from its facts then differs too.
    """
    known_at = normalise_instant(as_of) if as_of else None
    if known_at:
        tree_date = known_at[:10]
    out: dict[str, Any] = {}
    with readonly(engine.connect()) as conn, conn.begin():
        for root in _roots(conn, Scope("", *ALL_TIME, tree_date, known_at)):
            figures = count(conn, Scope(root, *ALL_TIME, tree_date, known_at))
            out[root] = {child or "": values for child, values in figures.items() if values}
        if known_at is None:
            for table in FIGURE_TABLES:
                out[PRE_AGGREGATED + table.name] = pre_aggregated(conn, table)
    return out


def pre_aggregated(conn: sa.Connection, table: sa.Table) -> dict[str, dict[str, int]]:
    """A figure table's rows by unit; a row summed back to nothing is no row (a live store
    keeps it, a rebuilt one never wrote it)."""
    out: dict[str, dict[str, int]] = {}
    t = table.c
    where = t.day if "day" in t else t.span
    stamp = t.stamp if "stamp" in t else sa.literal("")
    for org_id, metric, span, extra, at, value, n in conn.execute(
        sa.select(t.org_id, t.metric, where, t.extra, stamp, t.value, t.n).where((t.value != 0) | (t.n != 0))
    ):
        key = " ".join(part for part in (metric, span, extra, at) if part)
        out.setdefault(org_id, {}).update({key: int(value), f"{key} (facts)": int(n)})
    return out


def differences(live: dict[str, Any], rebuilt: dict[str, Any], limit: int = 20) -> list[str]:
    """Human-readable differences, at most `limit` of them."""
    found: list[str] = []
    for root in sorted(set(live) | set(rebuilt)):
        a, b = live.get(root, {}), rebuilt.get(root, {})
        for child in sorted(set(a) | set(b)):
            for metric in sorted(set(a.get(child, {})) | set(b.get(child, {}))):
                x, y = a.get(child, {}).get(metric, 0), b.get(child, {}).get(metric, 0)
                if x != y:
                    found.append(f"{root} / {child or '(own)'} / {metric}: live {x}, rebuilt {y}")
                    if len(found) >= limit:
                        return found
    return found


def _roots(conn: sa.Connection, scope: Scope) -> list[str]:
    """Units with no ancestor but themselves on the day, as known then."""
    rows = conn.execute(
        sa.select(ancestry.c.org_id, sa.func.count())
        .where(scope.placed(ancestry))
        .group_by(ancestry.c.org_id)
        .having(sa.func.count() == 1)
    )
    return sorted(row[0] for row in rows)
