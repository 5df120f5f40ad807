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
    return [
        "OrganizationRegistered",
        payload(
            "OrganizationRegistered",
            org_id=org_id,
            kind=kind,
            name=org_id.title(),
            parent_id=parent,
            registered_on="2020-01-01",
        ),
    ]


def tree() -> Batch:
    return {
        "plans": [
            org("province", "province", None),
            org("district", "district", "province"),
            org("commune-1", "grassroots", "district"),
            org("commune-2", "grassroots", "district"),
            org("cell-1", "cell", "commune-1"),
            org("cell-2", "cell", "commune-1"),
            org("cell-3", "cell", "commune-2"),
        ]
    }


def attendees(session_id: str, present: int) -> list[str]:
    """The members a session's minutes mark present."""
    return [f"{session_id}-dv-{n}" for n in range(present)]


def session(session_id: str, org_id: str, held_on: str, present: int, pilot: bool = False) -> list[Any]:
    """Minutes whose attendance list agrees with the count: `present` members there, one away."""
    attendance = [
        {"member_id": m, "presence": "present", "reason": ""} for m in attendees(session_id, present)
    ]
    attendance.append({"member_id": f"{session_id}-away", "presence": "absent_with_reason", "reason": "Ốm"})
    return [
        "SessionHeld",
        payload(
            "SessionHeld",
            session_id=session_id,
            org_id=org_id,
            held_on=held_on,
            present=present,
            absent_with_reason=1,
            absent_without_reason=0,
            absent_without_reason_members=[],
            members_total=present + 1,
            attendance=attendance,
            speaking_turns_by_member={},
            pilot=pilot,
            non_compliant=False,
            non_compliance=[],
        ),
    ]


def shortcoming(sc_id: str, org_id: str, codes: list[str], on: str, source: str = "session") -> list[Any]:
    return [
        "ShortcomingRecorded",
        payload(
            "ShortcomingRecorded",
            shortcoming_id=sc_id,
            org_id=org_id,
            codes=codes,
            recorded_on=on,
            source=source,
            subject_kind="member",
            subject_id=f"m-{sc_id}",
        ),
    ]


def first_half() -> Batch:
    """Events of 2025's first half."""
    return {
        "plans": [
            [
                "PlanIssued",
                payload(
                    "PlanIssued",
                    plan_id="kh-d",
                    org_id="district",
                    issued_on="2025-02-01",
                    parent_plan_id=None,
                    required_unit_ids=["commune-1", "commune-2"],
                ),
            ],
            [
                "PlanIssued",
                payload(
                    "PlanIssued",
                    plan_id="kh-c1",
                    org_id="commune-1",
                    issued_on="2025-02-20",
                    parent_plan_id="kh-d",
                    required_unit_ids=[],
                ),
            ],
            [
                "PlanTaskAssigned",
                payload(
                    "PlanTaskAssigned",
                    plan_id="kh-c1",
                    org_id="commune-1",
                    task_id="t1",
                    deadline="2025-03-31",
                    assigned_on="2025-02-20",
                ),
            ],
            [
                "PlanTaskAssigned",
                payload(
                    "PlanTaskAssigned",
                    plan_id="kh-c1",
                    org_id="commune-1",
                    task_id="t2",
                    deadline="2025-03-31",
                    assigned_on="2025-02-20",
                ),
            ],
            [
                "PlanTaskCompleted",
                payload(
                    "PlanTaskCompleted",
                    plan_id="kh-c1",
                    org_id="commune-1",
                    task_id="t1",
                    completed_on="2025-03-15",
                ),
            ],
        ],
        "sessions": [
            [
                "MemberEnrolled",
                payload(
                    "MemberEnrolled",
                    member_id="dv-1",
                    org_id="cell-1",
                    posts_in_cell=["secretary"],
                    enrolled_on="2020-01-01",
                ),
            ],
            session("s-1", "cell-1", "2025-03-10", 15, pilot=True),
            session("s-2", "cell-2", "2025-04-12", 9),
            shortcoming("sc-1", "cell-1", ["NQ04-3", "RA-DISCIPLINE"], "2025-03-10"),
            shortcoming("sc-2", "cell-2", ["NQ04-12"], "2025-04-12"),
        ],
        "oversight": [
            [
                "InspectionOpened",
                payload(
                    "InspectionOpened",
                    inspection_id="kt-1",
                    subject_id="dv-1",
                    org_id="cell-1",
                    decided_on="2025-05-04",
                ),
            ],
            [
                "DisciplineImposed",
                payload(
                    "DisciplineImposed",
                    decision_id="d-1",
                    subject_kind="full_member",
                    subject_id="dv-1",
                    org_id="cell-1",
                    form="warning",
                    status="enforced",
                    decided_on="2025-06-01",
                ),
            ],
        ],
    }


def second_half() -> Batch:
    """Events of 2025's second half: commune-2 moves, cell-3 holds its session, ratings."""
    rating = [
        "RatingAssigned",
        payload("RatingAssigned", subject_id="dv-1", org_id="cell-1", year=2025, level="excellent"),
    ]
    rerating = [
        "RatingAssigned",
        payload("RatingAssigned", subject_id="dv-1", org_id="cell-1", year=2025, level="completed"),
    ]
    other = [
        "RatingAssigned",
        payload("RatingAssigned", subject_id="dv-2", org_id="cell-3", year=2025, level="good"),
    ]
    return {
        "plans": [
            [
                "OrganizationMoved",
                payload(
                    "OrganizationMoved",
                    org_id="commune-2",
                    previous_parent_id="district",
                    parent_id="province",
                    moved_on="2025-07-01",
                ),
            ]
        ],
        "sessions": [
            session("s-3", "cell-3", "2025-10-02", 7),
            rating,
            rerating,
            other,
            shortcoming("sc-3", "cell-3", ["QD37-14"], "2025-10-02"),
        ],
        "oversight": [shortcoming("sc-4", "cell-1", ["NQ04-20"], "2025-11-05", source="inspection")],
    }


def earlier_years() -> Batch:
    """A term's worth of history, 2020-09..2024, on the same tree: one session before the
    term 2020-10-01..2025-09-30 begins, then sessions, shortcomings, ratings (one replaced),
    an inspection, a discipline, a supervision and a plan with a late task in its years."""

    def rating(subject: str, org_id: str, year: int, level: str, kind: str = "member") -> list[Any]:
        return [
            "RatingAssigned",
            payload(
                "RatingAssigned", subject_kind=kind, subject_id=subject, org_id=org_id, year=year, level=level
            ),
        ]

    return {
        "plans": [
            [
                "PlanIssued",
                payload(
                    "PlanIssued",
                    plan_id="kh-2021",
                    org_id="district",
                    issued_on="2021-02-01",
                    parent_plan_id=None,
                    required_unit_ids=["commune-1", "commune-2"],
                ),
            ],
            [
                "PlanIssued",
                payload(
                    "PlanIssued",
                    plan_id="kh-2021-c1",
                    org_id="commune-1",
                    issued_on="2021-03-01",
                    parent_plan_id="kh-2021",
                    required_unit_ids=[],
                ),
            ],
            [
                "PlanTaskAssigned",
                payload(
                    "PlanTaskAssigned",
                    plan_id="kh-2021-c1",
                    org_id="commune-1",
                    task_id="t1",
                    deadline="2021-06-30",
                    assigned_on="2021-03-01",
                ),
            ],
            [
                "PlanTaskCompleted",
                payload(
                    "PlanTaskCompleted",
                    plan_id="kh-2021-c1",
                    org_id="commune-1",
                    task_id="t1",
                    completed_on="2021-08-01",
                ),
            ],
        ],
        "sessions": [
            session("s-2020-09", "cell-1", "2020-09-20", 11),  # before the term
            session("s-2020-11", "cell-2", "2020-11-15", 8),
            *[
                session(
                    f"s-{year}-{cell}", cell, f"{year}-0{n + 3}-1{n}", 6 + n + year % 3, pilot=year == 2024
                )
                for year in (2021, 2022, 2023, 2024)
                for n, cell in enumerate(("cell-1", "cell-3"))
            ],
            shortcoming("sc-2021", "cell-1", ["NQ04-3", "NQ04-12"], "2021-05-01"),
            shortcoming("sc-2023", "cell-3", ["QD37-14"], "2023-06-01"),
            rating("dv-1", "cell-1", 2021, "good"),
            rating("dv-1", "cell-1", 2023, "excellent"),
            rating("dv-1", "cell-1", 2023, "not_completed"),  # replaces the one above
            rating("dv-2", "cell-3", 2022, "good"),
            rating("cell-2", "commune-1", 2024, "excellent", kind="organisation"),
        ],
        "oversight": [
            [
                "InspectionOpened",
                payload(
                    "InspectionOpened",
                    inspection_id="kt-2022",
                    subject_id="dv-1",
                    subject_kind="member",
                    org_id="cell-1",
                    decided_on="2022-04-04",
                ),
            ],
            [
                "DisciplineImposed",
                payload(
                    "DisciplineImposed",
                    decision_id="d-2023",
                    subject_kind="full_member",
                    subject_id="dv-1",
                    org_id="cell-1",
                    form="reprimand",
                    status="enforced",
                    decided_on="2023-02-01",
                ),
            ],
            [
                "SupervisionConducted",
                payload(
                    "SupervisionConducted",
                    inspection_id="gs-2024",
                    subject_id="cell-3",
                    subject_kind="organisation",
                    org_id="cell-3",
                    conducted_on="2024-09-09",
                    violation_signs_found=True,
                ),
            ],
        ],
    }


Stream = list[tuple[str, list[list[Any]]]]


def stream(rounds: int = 20) -> Stream:
    """Rounds of (source, events), each written at once by its producer: new cells
    registered in plans while sessions and oversight already speak of them, plans and the
    plans of the cells they require, tasks done late or never, members enrolled (some
    with committee posts) after their inspection, re-ratings, a commune that moves with
    its new cells halfway through, and a cell dissolved."""
    out: Stream = [("plans", [org("commune-3", "grassroots", "district")])]
    for r in range(rounds):
        cell, month, day = f"cell-n{r}", f"{r % 12 + 1:02d}", f"{r % 27 + 1:02d}"
        on, year = f"{2025 + r // 12}-{month}-{day}", 2025 + r // 12
        plans = [
            org(cell, "cell", "commune-3" if r % 2 else "commune-1"),
            [
                "PlanIssued",
                payload(
                    "PlanIssued",
                    plan_id=f"kh-n{r}",
                    org_id="commune-1",
                    issued_on=on,
                    parent_plan_id="kh-d",
                    required_unit_ids=[cell],
                ),
            ],
            [
                "PlanTaskAssigned",
                payload(
                    "PlanTaskAssigned",
                    plan_id=f"kh-n{r}",
                    org_id="commune-1",
                    task_id="t",
                    deadline=on,
                    assigned_on=on,
                ),
            ],
        ]
        if r >= 2:
            plans.append(
                [
                    "PlanIssued",
                    payload(
                        "PlanIssued",
                        plan_id=f"kh-c{r - 2}",
                        org_id=f"cell-n{r - 2}",
                        issued_on=on,
                        parent_plan_id=f"kh-n{r - 2}",
                        required_unit_ids=[],
                    ),
                ]
            )
        if r % 2:  # the previous round's task, done after its deadline
            plans.append(
                [
                    "PlanTaskCompleted",
                    payload(
                        "PlanTaskCompleted",
                        plan_id=f"kh-n{r - 1}",
                        org_id="commune-1",
                        task_id="t",
                        completed_on=on,
                    ),
                ]
            )
        if r == rounds // 2:
            plans.append(
                [
                    "OrganizationMoved",
                    payload(
                        "OrganizationMoved",
                        org_id="commune-3",
                        previous_parent_id="district",
                        parent_id="province",
                        moved_on=on,
                    ),
                ]
            )
        if r == rounds * 3 // 4:
            plans.append(
                ["OrganizationDissolved", payload("OrganizationDissolved", org_id="cell-n1", dissolved_on=on)]
            )
        member = f"m-{r}"
        sessions = [
            session(f"s-n{r}", cell, on, 3 + r % 5, pilot=r % 4 == 0),
            shortcoming(f"sc-n{r}", cell, [f"NQ04-{r % 27 + 1}"], on),
            [
                "RatingAssigned",
                payload(
                    "RatingAssigned",
                    subject_kind="member",
                    subject_id=member,
                    org_id=cell,
                    year=year,
                    level=("good", "excellent")[r % 2],
                ),
            ],
        ]
        if r >= 1:
            sessions.append(session(f"s-n{r}-again", f"cell-n{r - 1}", on, 4))
            sessions.append(
                [
                    "MemberEnrolled",
                    payload(
                        "MemberEnrolled",
                        member_id=f"m-{r - 1}",
                        org_id=f"cell-n{r - 1}",
                        enrolled_on="2024-01-01",
                        posts_in_cell=["deputy"] if r % 3 == 0 else [],
                    ),
                ]
            )
        if r >= 2 and r % 3 == 2:  # a re-rating replaces the first one
            sessions.append(
                [
                    "RatingAssigned",
                    payload(
                        "RatingAssigned",
                        subject_kind="member",
                        subject_id=f"m-{r - 2}",
                        org_id=f"cell-n{r - 2}",
                        year=2025 + (r - 2) // 12,
                        level="completed",
                    ),
                ]
            )
        oversight = [
            [
                "InspectionOpened",
                payload(
                    "InspectionOpened",
                    inspection_id=f"kt-n{r}",
                    subject_kind="member",
                    subject_id=member,
                    org_id=cell,
                    decided_on=on,
                ),
            ]
        ]
        if r >= 1:
            oversight.append(
                [
                    "InspectionConcluded",
                    payload(
                        "InspectionConcluded",
                        inspection_id=f"kt-n{r - 1}",
                        subject_kind="member",
                        subject_id=f"m-{r - 1}",
                        org_id=f"cell-n{r - 1}",
                        concluded_on=on,
                        violation_found=r % 2 == 0,
                    ),
                ]
            )
        if r % 3 == 0:
            oversight.append(
                [
                    "DisciplineImposed",
                    payload(
                        "DisciplineImposed",
                        decision_id=f"d-n{r}",
                        subject_kind="full_member",
                        subject_id=member,
                        org_id=cell,
                        form="warning",
                        status="enforced",
                        decided_on=on,
                    ),
                ]
            )
            oversight.append(
                [
                    "SupervisionConducted",
                    payload(
                        "SupervisionConducted",
                        inspection_id=f"gs-n{r}",
                        subject_kind="member",
                        subject_id=member,
                        org_id=cell,
                        conducted_on=on,
                        violation_signs_found=True,
                    ),
                ]
            )
        out += [("plans", plans), ("sessions", sessions), ("oversight", oversight)]
    return out
