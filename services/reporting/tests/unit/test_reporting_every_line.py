"""Every line of DOMAIN.md §8 moves by exactly what one event says, in the live
projection, in the pre-aggregates and in the drill-down: a second campaign adds one
event per line that the main campaign leaves untouched, and each delta is hand-counted."""

from __future__ import annotations

from pathlib import Path

import pytest

from reporting.figures import facts_behind
from reporting.periods import period_of
from reporting.report import build_report, scope_of

from ..producers import payload
from . import test_reporting_pre_aggregates as base

YEAR = period_of({"kind": "year", "year": 2025})
MEMBER = {"subject_kind": "member", "subject_id": "dv-1", "org_id": "cell-1"}


def one_more_of_each() -> dict[str, list]:
    return {
        "plans": [
            [
                "PlanFlaggedAsCopy",
                payload("PlanFlaggedAsCopy", plan_id="kh-c1", org_id="commune-1", flagged_on="2025-03-01"),
            ],
            [
                "RemediationOverdue",
                payload("RemediationOverdue", item_id="r-9", detected_on="2025-06-01", **MEMBER),
            ],
        ],
        "sessions": [
            [
                "SessionHeld",
                payload(
                    "SessionHeld",
                    session_id="s-9",
                    org_id="cell-1",
                    held_on="2025-05-05",
                    present=3,
                    pilot=False,
                    non_compliant=True,
                ),
            ],
        ],
        "oversight": [
            [
                "InspectionConcluded",
                payload(
                    "InspectionConcluded",
                    inspection_id="kt-1",
                    concluded_on="2025-05-20",
                    violation_found=True,
                    **MEMBER,
                ),
            ],
            [
                "DisciplineImposed",
                payload(
                    "DisciplineImposed",
                    decision_id="d-2",
                    subject_kind="organisation",
                    subject_id="cell-2",
                    org_id="commune-1",
                    form="reprimand",
                    status="enforced",
                    decided_on="2025-06-01",
                ),
            ],
            [
                "DisciplineAppealed",
                payload(
                    "DisciplineAppealed",
                    appeal_id="a-1",
                    subject_kind="full_member",
                    subject_id="dv-1",
                    org_id="cell-1",
                    lodged_on="2025-06-10",
                ),
            ],
            [
                "AppealDecided",
                payload(
                    "AppealDecided",
                    appeal_id="a-1",
                    subject_kind="full_member",
                    subject_id="dv-1",
                    org_id="cell-1",
                    decided_on="2025-07-10",
                    outcome="upheld",
                ),
            ],
        ],
    }


EXPECTED_DELTAS = {
    "plans.flagged_as_copy": 1,
    "remediation.overdue": 1,
    "sessions.held": 1,
    "sessions.non_compliant": 1,
    "sessions.attendances": 3,
    "inspections.concluded.member": 1,
    "inspected.violation_found.member": 1,
    "inspected.violation_found.member.committee": 1,  # dv-1 sits on the cell committee
    "discipline.organisation.reprimand": 1,
    "appeals.lodged": 1,
    "appeals.decided.upheld": 1,
}


def _report(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, with_more: bool) -> tuple[dict, object]:
    if with_more:
        plain = base.extra_events
        monkeypatch.setattr(
            base, "extra_events", lambda: {k: plain()[k] + one_more_of_each()[k] for k in plain()}
        )
    engine = base._applied(tmp_path, base.ORDERS[0])
    return build_report(engine, "province", YEAR, None)["figures"], engine


def test_each_line_moves_by_what_its_event_says(tmp_path, monkeypatch):
    (tmp_path / "before").mkdir()
    (tmp_path / "after").mkdir()
    before, first = _report(tmp_path / "before", monkeypatch, with_more=False)
    after, engine = _report(tmp_path / "after", monkeypatch, with_more=True)
    first.dispose()
    deltas = {
        m: after.get(m, 0) - before.get(m, 0)
        for m in set(after) | set(before)
        if not m.endswith("_share") and after.get(m, 0) != before.get(m, 0)
    }
    assert deltas == EXPECTED_DELTAS
    with engine.connect() as conn:
        scope = scope_of("province", YEAR, None)
        for metric in EXPECTED_DELTAS:
            rows = facts_behind(conn, scope, metric, 10_000)
            assert sum(r["value"] for r in rows) == after[metric], metric
    engine.dispose()


def test_a_share_drills_down_to_every_rating_it_divides_among(tmp_path, monkeypatch):
    figures, engine = _report(tmp_path, monkeypatch, with_more=False)
    with engine.connect() as conn:
        share = "ratings.member.good_or_better_share"
        rows = facts_behind(conn, scope_of("province", YEAR, None), share, 1000)
    engine.dispose()
    assert len(rows) == figures["ratings.member.rated"] > 0
    good = sum(1 for r in rows if r["metric"] in ("ratings.member.good", "ratings.member.excellent"))
    assert round(100.0 * good / len(rows), 1) == figures["ratings.member.good_or_better_share"]


def _overturned(outcome: str, new_form: str | None) -> dict[str, list]:
    decided = {"decision_id": "d-9", "subject_kind": "full_member", "subject_id": "dv-1", "org_id": "cell-1"}
    return {
        "plans": [],
        "sessions": [],
        "oversight": [
            [
                "DisciplineImposed",
                payload(
                    "DisciplineImposed", form="warning", status="enforced", decided_on="2025-03-01", **decided
                ),
            ],
            [
                "AppealDecided",
                payload(
                    "AppealDecided",
                    appeal_id="a-9",
                    outcome=outcome,
                    new_form=new_form,
                    decided_on="2026-02-01",
                    form_in_force="warning",
                    decision_decided_on="2025-03-01",
                    **decided,
                ),
            ],
        ],
    }


@pytest.mark.parametrize(
    ("outcome", "new_form", "expected"),
    [
        ("quashed", None, {}),
        ("changed", "reprimand", {"discipline.member.reprimand": 1}),
        ("upheld", None, {"discipline.member.warning": 1}),
    ],
)
def test_an_appeal_decides_what_the_year_of_the_decision_counts(
    tmp_path, monkeypatch, outcome, new_form, expected
):
    """The decision of 2025, quashed or changed on appeal in 2026: the 2025 report counts
    what is in force, and the drill-down shows both the decision and its reversal."""
    (tmp_path / "before").mkdir()
    (tmp_path / "after").mkdir()
    before, first = _report(tmp_path / "before", monkeypatch, with_more=False)
    first.dispose()
    plain = base.extra_events
    monkeypatch.setattr(
        base, "extra_events", lambda: {k: plain()[k] + _overturned(outcome, new_form)[k] for k in plain()}
    )
    engine = base._applied(tmp_path / "after", base.ORDERS[0])
    after = build_report(engine, "province", YEAR, None)["figures"]
    deltas = {
        m: after.get(m, 0) - before.get(m, 0)
        for m in set(after) | set(before)
        if m.startswith("discipline.") and after.get(m, 0) != before.get(m, 0)
    }
    assert deltas == expected
    with engine.connect() as conn:
        rows = facts_behind(conn, scope_of("province", YEAR, None), "discipline.member.warning", 100)
    engine.dispose()
    reversals = [r["value"] for r in rows if r["event_type"] == "AppealDecided" and r["subject_id"] == "dv-1"]
    assert reversals == ([] if outcome == "upheld" else [-1])
