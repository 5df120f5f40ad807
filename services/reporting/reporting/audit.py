"""Compare two read stores figure by figure: every root's subtree, per child, all time."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from eventlog.engine import readonly

from .figures import Scope, count
from .report import normalise_instant
from .tables import ancestry

ALL_TIME = ("0001-01-01", "9999-12-31")


def snapshot(engine: sa.Engine, as_of: str | None = None, tree_date: str = "9999-12-31") -> dict[str, Any]:
    """{root: {child or "": {metric: value}}} for every root of the tree on `tree_date`."""
    known_at = normalise_instant(as_of) if as_of else None
    if known_at:
        tree_date = known_at[:10]
    out: dict[str, Any] = {}
    with readonly(engine.connect()) as conn, conn.begin():
        for root in _roots(conn, Scope("", *ALL_TIME, tree_date, known_at)):
            figures = count(conn, Scope(root, *ALL_TIME, tree_date, known_at))
            out[root] = {child or "": values for child, values in figures.items() if values}
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
    rows = conn.execute(sa.select(ancestry.c.org_id, sa.func.count()).where(scope.placed(ancestry))
                        .group_by(ancestry.c.org_id).having(sa.func.count() == 1))
    return sorted(row[0] for row in rows)
