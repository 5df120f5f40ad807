"""A report: every figure of a node's subtree for a period, broken down by its children."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime
from typing import Any

import sqlalchemy as sa

from eventlog.engine import readonly
from eventlog.envelope import envelope_is_intact

from .facts import present_members
from .figures import DERIVED, RATING_LEVELS, RATING_TOTALS, Scope, count, count_behind, facts_behind
from .figures_fast import count_fast, driver_rows
from .periods import Period

log = logging.getLogger(__name__)

SessionsLog = Callable[[int, int], Sequence[dict[str, Any]]]
"""The sessions service's `read_events`: (after_position, limit) -> envelopes."""
ATTENDANCES = "sessions.attendances"
LOG_PAGE = 5000  # the most `read_events` returns at once


class UnknownOrganization(LookupError):
    """Reporting has seen no OrganizationRegistered for this id."""


class BadTreeDate(ValueError):
    """A tree date that is not an ISO date."""

    field = "tree_date"


def scope_of(org_id: str, period: Period, as_of: str | None, tree_date: str | None = None) -> Scope:
    """The tree date is given, or the as-of day, or today: a unit moved before it counts,
    with all its history, under its new parent; one moved after it, under its old one."""
    known_at = normalise_instant(as_of) if as_of else None
    if tree_date:
        try:
            day = date.fromisoformat(tree_date).isoformat()
        except (TypeError, ValueError) as exc:
            raise BadTreeDate(f"tree_date must be an ISO date, not {tree_date!r}") from exc
    else:
        day = known_at[:10] if known_at else datetime.now(UTC).date().isoformat()
    return Scope(org_id, period.start, period.end, day, known_at)


def normalise_instant(value: str) -> str:
    """Any ISO 8601 instant (a date means its end) -> the log's own UTC form."""
    if len(value) == 10:
        value = f"{value}T23:59:59.999999+00:00"
    moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


_RATED = {
    subject: (
        [f"ratings.{subject}.{level}" for level in RATING_LEVELS],
        [f"ratings.{subject}.{level}" for level in RATING_TOTALS["good_or_better"]],
    )
    for subject in ("member", "organisation")
}
_ZEROS = dict.fromkeys(DERIVED, 0)


def with_totals(figures: dict[str, int]) -> dict[str, float | int]:
    """Add the rating totals and the share rated good or better (a percentage)."""
    if not figures:  # most children of a wide node, in most periods
        return dict(_NOTHING)
    out: dict[str, float | int] = dict(sorted({**_ZEROS, **figures}.items()))
    for subject, (levels, good_levels) in _RATED.items():
        counts = [figures.get(level, 0) for level in levels]
        if not any(counts):
            continue
        rated = sum(counts)
        good = sum(figures.get(level, 0) for level in good_levels)
        out[f"ratings.{subject}.rated"] = rated
        out[f"ratings.{subject}.good_or_better"] = good
        out[f"ratings.{subject}.good_or_better_share"] = round(100.0 * good / rated, 1)
    return out


_NOTHING = dict(sorted(_ZEROS.items()))  # with_totals({}): nothing rated, so no totals


def build_report(
    engine: sa.Engine, org_id: str, period: Period, as_of: str | None, tree_date: str | None = None
) -> dict[str, Any]:
    scope = scope_of(org_id, period, as_of, tree_date)
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
        "children": [
            {**child, "figures": with_totals(by_child.get(child["org_id"], {}))} for child in children
        ],
    }


def drill_down(
    engine: sa.Engine,
    org_id: str,
    metric: str,
    period: Period,
    as_of: str | None,
    limit: int = 10_000,
    tree_date: str | None = None,
    sessions_log: SessionsLog | None = None,
) -> list[dict[str, Any]]:
    """The first `limit` facts behind a figure (see `drill_down_page` for the total)."""
    return drill_down_page(engine, org_id, metric, period, as_of, 0, limit, tree_date, sessions_log)["items"]


def drill_down_page(
    engine: sa.Engine,
    org_id: str,
    metric: str,
    period: Period,
    as_of: str | None,
    offset: int = 0,
    limit: int = 1000,
    tree_date: str | None = None,
    sessions_log: SessionsLog | None = None,
) -> dict[str, Any]:
    """{"items", "total", "truncated", "offset", "limit"}: `limit` facts behind a figure
    from `offset` on, how many there are in all, and whether more follow this page.
    Given the sessions log, each attendance row names the members present (`members`)."""
    scope = scope_of(org_id, period, as_of, tree_date)
    with readonly(engine.connect()) as conn, conn.begin():
        _organization(conn, org_id)
        items = facts_behind(conn, scope, metric, limit, offset)
        total = count_behind(conn, scope, metric)
    if sessions_log is not None:
        with_attendees(items, sessions_log)
    return {
        "items": items,
        "total": total,
        "truncated": offset + len(items) < total,
        "offset": offset,
        "limit": limit,
    }


def with_attendees(rows: list[dict[str, Any]], sessions_log: SessionsLog) -> list[dict[str, Any]]:
    """Add to each attendance row the members its SessionHeld marks present, read from the
    sessions log (reporting keeps the count, not the names); None when the event cannot be
    read or does not hash to what the log recorded. A few reads cover a page of rows."""
    attended = [r for r in rows if r["metric"] == ATTENDANCES and r["source"] == "sessions"]
    wanted = sorted({r["position"] for r in attended})
    found: dict[int, dict[str, Any]] = {}
    try:
        while wanted:
            first = wanted[0]
            window = [p for p in wanted if p - first < LOG_PAGE]
            found.update((e["position"], e) for e in sessions_log(first - 1, window[-1] - first + 1))
            wanted = wanted[len(window) :]
    except Exception as exc:  # the sessions service down: the counts still stand
        log.warning("attendance members unavailable: %s", exc)
    for row in attended:
        event = found.get(row["position"])
        intact = event is not None and event.get("event_id") == row["event_id"] and envelope_is_intact(event)
        row["members"] = present_members(event["payload"]) if intact and event else None
    return rows


def _organization(conn: sa.Connection, org_id: str) -> dict[str, Any]:
    rows = driver_rows(
        conn, "SELECT org_id, name, kind FROM report_organizations WHERE org_id = :org", {"org": org_id}
    )
    if not rows:
        raise UnknownOrganization(org_id)
    return dict(zip(("org_id", "name", "kind"), rows[0], strict=True))


# The node's children on the tree date, as known then: figures.Scope.placed, in SQL text.
_CHILDREN = (
    "SELECT o.org_id, o.name, o.kind FROM report_ancestry a"
    " JOIN report_organizations o ON o.org_id = a.org_id"
    " WHERE a.ancestor_id = :node AND a.via_child = a.org_id AND a.valid_from <= :tree_date"
    " AND (a.valid_to IS NULL OR a.valid_to > :tree_date{closed}){known}"
    " ORDER BY o.name, o.org_id"
)


def _children(conn: sa.Connection, s: Scope) -> list[dict[str, Any]]:
    as_of = s.known_at is not None
    sql = _CHILDREN.format(
        closed=" OR a.closed_at > :known_at" if as_of else "",
        known=" AND a.recorded_at <= :known_at" if as_of else "",
    )
    rows = driver_rows(conn, sql, {"node": s.node, "tree_date": s.tree_date, "known_at": s.known_at})
    return [{"org_id": org_id, "name": name, "kind": kind} for org_id, name, kind in rows]
