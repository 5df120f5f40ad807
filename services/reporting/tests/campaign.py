"""A small campaign told as events: a province, a district, two communes and three cells.

province
 └─ district
     ├─ commune-1 ─┬─ cell-1 (secretary dv-1 inspected)
     │             └─ cell-2
     └─ commune-2 ── cell-3        (commune-2 moves under the province on 2025-07-01)
"""

from __future__ import annotations

from typing import Any

from .producers import payload

Batch = dict[str, list[list[Any]]]


def org(org_id: str, kind: str, parent: str | None) -> list[Any]:
    return ["OrganizationRegistered", payload("OrganizationRegistered", org_id=org_id, kind=kind,
                                              name=org_id.title(), parent_id=parent,
                                              registered_on="2020-01-01")]


def tree() -> Batch:
    return {"plans": [org("province", "province", None), org("district", "district", "province"),
                      org("commune-1", "grassroots", "district"), org("commune-2", "grassroots", "district"),
                      org("cell-1", "cell", "commune-1"), org("cell-2", "cell", "commune-1"),
                      org("cell-3", "cell", "commune-2")]}


def session(session_id: str, org_id: str, held_on: str, present: int, pilot: bool = False) -> list[Any]:
    return ["SessionHeld", payload("SessionHeld", session_id=session_id, org_id=org_id, held_on=held_on,
                                   present=present, pilot=pilot, non_compliant=False, non_compliance=[])]


def shortcoming(sc_id: str, org_id: str, codes: list[str], on: str, source: str = "session") -> list[Any]:
    return ["ShortcomingRecorded", payload("ShortcomingRecorded", shortcoming_id=sc_id, org_id=org_id,
                                           codes=codes, recorded_on=on, source=source,
                                           subject_kind="member", subject_id=f"m-{sc_id}")]


def first_half() -> Batch:
    """Events of 2025's first half."""
    return {
        "plans": [
            ["PlanIssued", payload("PlanIssued", plan_id="kh-d", org_id="district", issued_on="2025-02-01",
                                   parent_plan_id=None, required_unit_ids=["commune-1", "commune-2"])],
            ["PlanIssued", payload("PlanIssued", plan_id="kh-c1", org_id="commune-1",
                                   issued_on="2025-02-20", parent_plan_id="kh-d", required_unit_ids=[])],
            ["PlanTaskAssigned", payload("PlanTaskAssigned", plan_id="kh-c1", org_id="commune-1",
                                         task_id="t1", deadline="2025-03-31", assigned_on="2025-02-20")],
            ["PlanTaskAssigned", payload("PlanTaskAssigned", plan_id="kh-c1", org_id="commune-1",
                                         task_id="t2", deadline="2025-03-31", assigned_on="2025-02-20")],
            ["PlanTaskCompleted", payload("PlanTaskCompleted", plan_id="kh-c1", org_id="commune-1",
                                          task_id="t1", completed_on="2025-03-15")],
        ],
        "sessions": [
            ["MemberEnrolled", payload("MemberEnrolled", member_id="dv-1", org_id="cell-1",
                                       posts_in_cell=["secretary"], enrolled_on="2020-01-01")],
            session("s-1", "cell-1", "2025-03-10", 15, pilot=True),
            session("s-2", "cell-2", "2025-04-12", 9),
            shortcoming("sc-1", "cell-1", ["NQ04-3", "RA-DISCIPLINE"], "2025-03-10"),
            shortcoming("sc-2", "cell-2", ["NQ04-12"], "2025-04-12"),
        ],
        "oversight": [
            ["InspectionOpened", payload("InspectionOpened", inspection_id="kt-1", subject_id="dv-1",
                                         org_id="cell-1", decided_on="2025-05-04")],
            ["DisciplineImposed", payload("DisciplineImposed", decision_id="d-1", subject_kind="full_member",
                                          subject_id="dv-1", org_id="cell-1", form="warning",
                                          status="enforced", decided_on="2025-06-01")],
        ],
    }


def second_half() -> Batch:
    """Events of 2025's second half: commune-2 moves, cell-3 holds its session, ratings."""
    rating = ["RatingAssigned", payload("RatingAssigned", subject_id="dv-1", org_id="cell-1",
                                        year=2025, level="excellent")]
    rerating = ["RatingAssigned", payload("RatingAssigned", subject_id="dv-1", org_id="cell-1",
                                          year=2025, level="completed")]
    other = ["RatingAssigned", payload("RatingAssigned", subject_id="dv-2", org_id="cell-3",
                                       year=2025, level="good")]
    return {
        "plans": [["OrganizationMoved", payload("OrganizationMoved", org_id="commune-2",
                                                previous_parent_id="district", parent_id="province",
                                                moved_on="2025-07-01")]],
        "sessions": [session("s-3", "cell-3", "2025-10-02", 7), rating, rerating, other,
                     shortcoming("sc-3", "cell-3", ["QD37-14"], "2025-10-02")],
        "oversight": [shortcoming("sc-4", "cell-1", ["NQ04-20"], "2025-11-05", source="inspection")],
    }
