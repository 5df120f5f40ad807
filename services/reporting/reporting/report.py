"""A report: every figure of a node's subtree for a period, broken down by its children."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa

from eventlog.engine import readonly

from .figures import DERIVED, RATING_LEVELS, RATING_TOTALS, Scope, count, facts_behind
from .figures_fast import count_fast
from .periods import Period
from .tables import ancestry, organizations


class UnknownOrganization(LookupError):
    """Reporting has seen no OrganizationRegistered for this id."""


def scope_of(org_id: str, period: Period, as_of: str | None) -> Scope:
    """The tree date is the as-of day (today by default): a unit moved before it counts,
    with all its history, under its new parent."""
    known_at = normalise_instant(as_of) if as_of else None
    tree_date = known_at[:10] if known_at else datetime.now(UTC).date().isoformat()
    return Scope(org_id, period.start, period.end, tree_date, known_at)


def normalise_instant(value: str) -> str:
    """Any ISO 8601 instant (a date means its end) -> the log's own UTC form."""
    if len(value) == 10:
        value = f"{value}T23:59:59.999999+00:00"
    moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def with_totals(figures: dict[str, int]) -> dict[str, float | int]:
    """Add the rating totals and the share rated good or better (a percentage)."""
    out: dict[str, float | int] = dict(sorted({**dict.fromkeys(DERIVED, 0), **figures}.items()))
    for subject in ("member", "organisation"):
        levels = [figures.get(f"ratings.{subject}.{level}", 0) for level in RATING_LEVELS]
        if not any(levels):
            continue
        rated = sum(levels)
        good = sum(figures.get(f"ratings.{subject}.{lv}", 0) for lv in RATING_TOTALS["good_or_better"])
        out[f"ratings.{subject}.rated"] = rated
        out[f"ratings.{subject}.good_or_better"] = good
        out[f"ratings.{subject}.good_or_better_share"] = round(100.0 * good / rated, 1)
    return out


def build_report(engine: sa.Engine, org_id: str, period: Period, as_of: str | None) -> dict[str, Any]:
    scope = scope_of(org_id, period, as_of)
    with readonly(engine.connect()) as conn, conn.begin():
        node = _organization(conn, org_id)
        children = _children(conn, scope)
        fast = count_fast(conn, scope, [child["org_id"] for child in children])
        by_child = fast if fast is not None else count(conn, scope)
    total: dict[str, int] = {}
    for figures in by_child.values():
        for metric, value in figures.items():
            total[metric] = total.get(metric, 0) + value
    return {
        "org": node,
        "period": {"start": period.start, "end": period.end, "label": period.label},
        "as_of": scope.known_at,
        "tree_date": scope.tree_date,
        "figures": with_totals(total),
        "own": with_totals(by_child.get(None, {})),
        "children": [{**child, "figures": with_totals(by_child.get(child["org_id"], {}))}
                     for child in children],
    }


def drill_down(engine: sa.Engine, org_id: str, metric: str, period: Period, as_of: str | None,
               limit: int = 10_000) -> list[dict[str, Any]]:
    scope = scope_of(org_id, period, as_of)
    with readonly(engine.connect()) as conn, conn.begin():
        _organization(conn, org_id)
        return facts_behind(conn, scope, metric, limit)


def _organization(conn: sa.Connection, org_id: str) -> dict[str, Any]:
    row = conn.execute(sa.select(organizations).where(organizations.c.org_id == org_id)).first()
    if row is None:
        raise UnknownOrganization(org_id)
    return {"org_id": row.org_id, "name": row.name, "kind": row.kind}


def _children(conn: sa.Connection, s: Scope) -> list[dict[str, Any]]:
    query = (sa.select(organizations.c.org_id, organizations.c.name, organizations.c.kind)
             .select_from(ancestry.join(organizations, organizations.c.org_id == ancestry.c.org_id))
             .where(ancestry.c.ancestor_id == s.node, ancestry.c.via_child == ancestry.c.org_id,
                    s.placed(ancestry))
             .order_by(organizations.c.name, organizations.c.org_id))
    return [dict(row._mapping) for row in conn.execute(query)]
