"""A term report (nhiệm kỳ) spans years and starts and ends on any day: it is read from
the pre-aggregates (whole years, whole months and single days), and its figures are what
the facts say and the sums of the figures of the periods that tile it, wherever a
figure is a count of events."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from reporting.figures import count
from reporting.figures_fast import count_fast
from reporting.periods import period_of
from reporting.report import build_report, scope_of
from reporting.tables import organizations

from .. import campaign
from ..stores import Fed
from . import test_reporting_pre_aggregates as base

TERM = {"kind": "term", "from": "2020-10-01", "to": "2025-09-30"}
TILES = [
    {"kind": "quarter", "year": 2020, "quarter": 4},
    *[{"kind": "year", "year": year} for year in range(2021, 2025)],
    {"kind": "nine_months", "year": 2025},
]
# Figures about units or pairings, not counts of events: a unit that held sessions in two
# years is one unit of the term; a plan cascaded in the next year is pending in its own.
NOT_ADDITIVE = {
    "sessions.units_held",
    "sessions.units_required",
    "plans.units_issued",
    "plans.units_pending",
    "remediation.in_progress",
}


@pytest.fixture
def fed(tmp_path):
    fed = Fed(
        tmp_path,
        (
            campaign.tree(),
            campaign.earlier_years(),
            campaign.first_half(),
            campaign.second_half(),
            base.extra_events(),
        ),
        spread=True,
    )
    yield fed
    fed.close()


def _lines(report: dict) -> dict[str | None, dict]:
    """The total (None), the node's own ("") and each child's figures."""
    children = {c["org_id"]: c["figures"] for c in report["children"]}
    return {None: report["figures"], "": report["own"], **children}


def test_a_term_is_the_sum_of_the_periods_that_tile_it(fed):
    with fed.engine.connect() as conn:
        nodes = sorted(row[0] for row in conn.execute(sa.select(organizations.c.org_id)))
        for spec in (TERM, *TILES):
            for node in nodes:
                scope = scope_of(node, period_of(spec), None)
                fast = count_fast(conn, scope)
                assert fast is not None and base._shown(fast) == base._shown(count(conn, scope)), (node, spec)
    compared = 0
    for node in nodes:
        term = _lines(build_report(fed.engine, node, period_of(TERM), None))
        tiles = [_lines(build_report(fed.engine, node, period_of(spec), None)) for spec in TILES]
        for line, figures in term.items():
            metrics = set(figures) | {m for tile in tiles for m in tile[line]}
            for metric in metrics:
                parts = [tile[line].get(metric, 0) for tile in tiles]
                value = figures.get(metric, 0)
                if metric == "sessions.units_held":  # once, however many years it held one
                    assert max(parts) <= value <= sum(parts), (node, line, metric, value, parts)
                elif metric not in NOT_ADDITIVE and not metric.endswith("_share"):
                    assert value == sum(parts), (node, line, metric, value, parts)
                    compared += value > 0
    assert compared > 200, compared
    province = build_report(fed.engine, "province", period_of(TERM), None)["figures"]
    # hand-counted: 8 sessions in 2021-24, one in Nov 2020, two in 2025 by September
    # (the one of Sept 2020 and the one of October 2025 fall outside the term)
    assert province["sessions.held"] == 11 and province["sessions.pilot"] == 3
    assert province["sessions.units_held"] == 3
    # dv-1's 2023 rating was replaced; the 2025 ratings are dated 31 December, after the term
    assert province["ratings.member.rated"] == 3 and province["ratings.member.not_completed"] == 1
    assert province["ratings.member.good_or_better_share"] == 66.7
    assert province["tasks.overdue"] == 2 and province["discipline.member.reprimand"] == 1
