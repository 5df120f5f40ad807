"""Drill-down answers "which ones?": the rows behind every figure add up to it, a cut page
says so and how many there are in all, attendances name the members present, and a
report (and its drill-down) can be attributed by the tree as it stood before a move."""

from __future__ import annotations

from collections import defaultdict

import pytest
import sqlalchemy as sa

from reporting.figures import RATING_TOTALS, Scope, count, rule_for
from reporting.figures_fast import count_fast
from reporting.periods import period_of
from reporting.report import (
    ATTENDANCES,
    BadTreeDate,
    build_report,
    drill_down,
    drill_down_page,
    scope_of,
)

from .. import campaign
from ..stores import Fed
from . import test_reporting_pre_aggregates as base
from .test_reporting_every_line import one_more_of_each

YEAR = period_of({"kind": "year", "year": 2025})
CAMPAIGN = (campaign.tree(), campaign.first_half(), campaign.second_half())


@pytest.fixture
def fed(tmp_path):
    fed = Fed(tmp_path, CAMPAIGN)
    yield fed
    fed.close()


@pytest.fixture
def everything(tmp_path):
    """The campaign, its extra events (pairings, a dissolution, moves, late posts) and
    one more event for every line of DOMAIN.md §8."""
    fed = Fed(tmp_path, (*CAMPAIGN, base.extra_events(), one_more_of_each()))
    yield fed
    fed.close()


def measured(metric: str, rows: list[dict], figures: dict) -> object:
    """What the rows behind a figure say it is, by the figure's own rule."""
    if metric.endswith("_share"):  # the rows are every rating the share divides among
        if not rows:
            return None
        subject = metric.split(".")[1]
        good = {f"ratings.{subject}.{level}" for level in RATING_TOTALS["good_or_better"]}
        assert len(rows) == figures[f"ratings.{subject}.rated"], metric
        return round(100.0 * sum(r["metric"] in good for r in rows) / len(rows), 1)
    if rule_for(metric).measure == "units":
        return len({r["org_id"] for r in rows})
    return sum(r["value"] for r in rows)


def test_every_figure_of_a_province_year_adds_up_from_its_drill_down(everything):
    report = build_report(everything.engine, "province", YEAR, None)
    shown = {None: report["own"], **{c["org_id"]: c["figures"] for c in report["children"]}}
    nonzero = [m for m, v in report["figures"].items() if v]
    assert len(nonzero) >= 45, nonzero  # the test covers the lines, not a handful of them
    for metric, figure in report["figures"].items():
        page = drill_down_page(everything.engine, "province", metric, YEAR, None, 0, 100_000)
        rows = page["items"]
        assert (page["total"], page["truncated"]) == (len(rows), False), metric
        assert measured(metric, rows, report["figures"]) == figure, metric
        by_child: dict[str | None, list[dict]] = defaultdict(list)
        for row in rows:
            by_child[row["via_child"]].append(row)
        assert set(by_child) <= set(shown), metric
        for child, figures in shown.items():
            absent = None if metric.endswith("_share") else 0  # a child shows no line it has no facts for
            assert measured(metric, by_child[child], figures) == figures.get(metric, absent), (metric, child)


def test_a_cut_drill_down_says_so_and_pages_through_every_row(everything):
    engine, metric = everything.engine, "shortcomings.recorded"
    whole = drill_down_page(engine, "province", metric, YEAR, None, 0, 1000)
    total = whole["total"]
    assert total == len(whole["items"]) >= 4 and whole["truncated"] is False
    pages = [
        drill_down_page(engine, "province", metric, YEAR, None, offset, 3) for offset in range(0, total, 3)
    ]
    assert [p["truncated"] for p in pages] == [True] * (len(pages) - 1) + [False]
    assert {p["total"] for p in pages} == {total}
    assert [p["offset"] for p in pages] == list(range(0, total, 3)) and {p["limit"] for p in pages} == {3}
    assert [row for p in pages for row in p["items"]] == whole["items"]
    beyond = drill_down_page(engine, "province", metric, YEAR, None, total, 3)
    assert (beyond["items"], beyond["total"], beyond["truncated"]) == ([], total, False)
    assert drill_down(engine, "province", metric, YEAR, None, 2) == whole["items"][:2]  # the list, as before


def test_attendances_name_the_members_the_minutes_mark_present(fed):
    reads = []
    log = fed.read_events("sessions")

    def sessions_log(after, limit):
        reads.append((after, limit))
        return log(after, limit)

    page = drill_down_page(fed.engine, "province", ATTENDANCES, YEAR, None, sessions_log=sessions_log)
    rows = page["items"]
    assert sorted((r["subject_id"], r["value"]) for r in rows) == [("s-1", 15), ("s-2", 9), ("s-3", 7)]
    for row in rows:
        assert row["members"] == campaign.attendees(row["subject_id"], row["value"])
    assert len(reads) == 1  # one read of the log covers the page
    assert (
        sum(len(r["members"]) for r in rows)
        == build_report(fed.engine, "province", YEAR, None)["figures"][ATTENDANCES]
    )

    def altered(after, limit):  # a copy that no longer hashes to what the log recorded
        events = log(after, limit)
        for event in events:
            event["payload"]["attendance"] = [{"member_id": "dv-x", "presence": "present", "reason": ""}]
        return events

    def down(after, limit):
        raise TimeoutError("sessions is not answering")

    for broken in (altered, down):
        rows = drill_down_page(fed.engine, "province", ATTENDANCES, YEAR, None, sessions_log=broken)["items"]
        assert [r["members"] for r in rows] == [None, None, None]
        assert sum(r["value"] for r in rows) == 31  # the counts stand without the names
    assert "members" not in drill_down(fed.engine, "province", ATTENDANCES, YEAR, None)[0]


def test_a_report_by_the_tree_as_it_stood_before_the_move(fed):
    engine = fed.engine
    before = build_report(engine, "province", YEAR, None, tree_date="2025-06-30")
    assert (before["tree_date"], before["as_of"]) == ("2025-06-30", None)
    assert [c["org_id"] for c in before["children"]] == ["district"]
    district = build_report(engine, "district", YEAR, None, tree_date="2025-06-30")
    children = {c["org_id"]: c["figures"] for c in district["children"]}
    assert set(children) == {"commune-1", "commune-2"}
    # cell-3's October session counts where commune-2 stood on 30 June, and every fact
    # known now is there (the ratings came in December) ...
    assert district["figures"]["sessions.held"] == 3 and children["commune-2"]["sessions.held"] == 1
    assert district["figures"]["ratings.member.rated"] == 2
    assert build_report(engine, "district", YEAR, None)["figures"]["sessions.held"] == 2
    # ... which "as of" that day cannot give: it also forgets what was recorded since.
    assert build_report(engine, "district", YEAR, "2025-06-30")["figures"].get("sessions.held", 0) == 0
    with engine.connect() as conn:
        scope = scope_of("district", YEAR, None, "2025-06-30")
        assert count_fast(conn, scope) is None  # the pre-aggregates hold today's tree only
        raw = count(conn, Scope("district", YEAR.start, YEAR.end, "2025-06-30", None))
        assert raw["commune-2"]["sessions.held"] == children["commune-2"]["sessions.held"]
        assert count_fast(conn, scope_of("district", YEAR, None, "2025-07-01")) is not None
    on_the_move = build_report(engine, "province", YEAR, None, tree_date="2025-07-01")
    today = build_report(engine, "province", YEAR, None)
    assert on_the_move["figures"] == today["figures"] and on_the_move["children"] == today["children"]
    rows = drill_down(engine, "district", "sessions.held", YEAR, None, tree_date="2025-06-30")
    assert sorted((r["org_id"], r["via_child"]) for r in rows) == [
        ("cell-1", "commune-1"),
        ("cell-2", "commune-1"),
        ("cell-3", "commune-2"),
    ]
    with pytest.raises(BadTreeDate):
        scope_of("district", YEAR, None, "30/06/2025")
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM dead_letters")).scalar() == 0
