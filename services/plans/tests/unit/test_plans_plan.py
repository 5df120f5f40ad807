"""Campaign plans: issuing with clear people and deadlines, cascading, completing tasks."""

from datetime import date

import pytest

from plans.domain import (
    Plan,
    PlanIssued,
    PlanTaskAssigned,
    PlanTaskCompleted,
    TaskSpec,
    cascade_status,
)
from plans.domain.errors import (
    DateOutOfOrder,
    DuplicateTaskId,
    MissingValue,
    ParentPlanNotFromAncestor,
    TaskAlreadyCompleted,
    TaskDeadlineAfterPlanDeadline,
    TaskOwnerMissing,
    UnitOutsideIssuerSubtree,
    UnknownTask,
)

D = date
DISTRICT_SUBTREE = {"huyen-ct", "xa-tp", "xa-tl", "xa-dp", "cb-phu-hoa"}


def district_plan(**changes: object) -> Plan:
    """Huyện ủy Châu Thành's plan 87-KH/HU implementing Conclusion 21-KL/TW."""
    arguments: dict[str, object] = dict(
        plan_id="kh-87",
        org_id="huyen-ct",
        number="87-KH/HU",
        issued_on=D(2023, 6, 30),
        title="Kế hoạch thực hiện Kết luận 21-KL/TW về xây dựng, chỉnh đốn Đảng",
        implements_documents=["21-KL/TW", "37-QĐ/TW"],
        required_unit_ids=["xa-tp", "xa-tl", "xa-dp"],
        deadline=D(2023, 12, 31),
        tasks=[
            TaskSpec(
                "t1",
                "Quán triệt Kết luận 21-KL/TW",
                "Ban Tuyên giáo Huyện ủy",
                D(2023, 8, 31),
                "100% đảng viên được quán triệt",
            ),
            TaskSpec("t2", "Sinh hoạt chuyên đề tự soi, tự sửa", "Bí thư các chi bộ", D(2023, 9, 30)),
            TaskSpec("t3", "Sơ kết 6 tháng", "Văn phòng Huyện ủy", D(2023, 12, 31)),
        ],
        issuer_subtree=DISTRICT_SUBTREE,
    )
    arguments.update(changes)
    return Plan.issue(**arguments)  # type: ignore[arg-type]


def commune_plan(plan_id: str, org_id: str, issued_on: date, parent: Plan) -> Plan:
    return Plan.issue(
        plan_id=plan_id,
        org_id=org_id,
        number="12-KH/ĐU",
        issued_on=issued_on,
        title="Kế hoạch của Đảng ủy xã thực hiện Kế hoạch 87-KH/HU",
        implements_documents=["21-KL/TW", "87-KH/HU"],
        required_unit_ids=[],
        deadline=D(2023, 12, 15),
        tasks=[TaskSpec("x1", "Quán triệt tại chi bộ", "Bí thư Đảng ủy", D(2023, 9, 15))],
        issuer_subtree={org_id},
        parent_plan=parent,
        issuer_ancestors={"huyen-ct", "tinh-hg"},
    )


def test_issuing_a_plan_records_the_plan_and_one_assignment_per_task() -> None:
    plan = district_plan()

    events = plan.collect_events()

    assert events[0] == PlanIssued(
        plan_id="kh-87",
        org_id="huyen-ct",
        number="87-KH/HU",
        issued_on=D(2023, 6, 30),
        title="Kế hoạch thực hiện Kết luận 21-KL/TW về xây dựng, chỉnh đốn Đảng",
        implements_documents=("21-KL/TW", "37-QĐ/TW"),
        parent_plan_id=None,
        required_unit_ids=("xa-tp", "xa-tl", "xa-dp"),
        deadline=D(2023, 12, 31),
    )
    assert [e.task_id for e in events[1:] if isinstance(e, PlanTaskAssigned)] == ["t1", "t2", "t3"]
    assert events[1].owner == "Ban Tuyên giáo Huyện ủy"
    assert Plan.from_events(events).tasks["t1"].expected_result == "100% đảng viên được quán triệt"


def test_a_task_without_a_responsible_person_is_refused() -> None:
    tasks = [
        TaskSpec("t1", "Quán triệt", "Ban Tuyên giáo", D(2023, 8, 1)),
        TaskSpec("t2", "Sinh hoạt chuyên đề", "  ", D(2023, 9, 1)),
    ]

    with pytest.raises(TaskOwnerMissing) as refused:
        district_plan(tasks=tasks)

    assert refused.value.field == "tasks[1].owner"
    assert "responsible person" in refused.value.message


def test_a_task_due_after_the_plan_deadline_is_refused() -> None:
    tasks = [TaskSpec("t1", "Sơ kết", "Văn phòng", D(2024, 1, 15))]

    with pytest.raises(TaskDeadlineAfterPlanDeadline) as refused:
        district_plan(tasks=tasks)

    assert refused.value.field == "tasks[0].deadline"
    assert "2024-01-15 is after the plan's deadline 2023-12-31" in refused.value.message


def test_other_malformed_plans_are_refused_with_the_field_named() -> None:
    with pytest.raises(DuplicateTaskId):
        district_plan(
            tasks=[TaskSpec("t1", "A", "B", D(2023, 8, 1)), TaskSpec("t1", "C", "D", D(2023, 8, 1))]
        )
    with pytest.raises(MissingValue) as no_number:
        district_plan(number="")
    assert no_number.value.field == "number"
    with pytest.raises(DateOutOfOrder) as early_deadline:
        district_plan(deadline=D(2023, 6, 1), tasks=[])
    assert early_deadline.value.field == "deadline"


def test_units_outside_the_issuers_subtree_cannot_be_required_to_act() -> None:
    with pytest.raises(UnitOutsideIssuerSubtree) as refused:
        district_plan(required_unit_ids=["xa-tp", "xa-hoa-an"])

    assert refused.value.field == "required_unit_ids"
    assert "xa-hoa-an" in refused.value.message and "xa-tp," not in refused.value.message


def test_a_plan_may_implement_only_a_plan_of_a_higher_body() -> None:
    parent = district_plan()

    child = commune_plan("kh-12", "xa-tp", D(2023, 7, 20), parent)
    assert child.parent_plan_id == "kh-87"

    with pytest.raises(ParentPlanNotFromAncestor) as refused:
        Plan.issue(
            plan_id="kh-x",
            org_id="xa-hoa-an",
            number="1-KH/ĐU",
            issued_on=D(2023, 7, 1),
            title="Kế hoạch",
            implements_documents=[],
            required_unit_ids=[],
            deadline=D(2023, 12, 1),
            tasks=[],
            issuer_subtree={"xa-hoa-an"},
            parent_plan=parent,
            issuer_ancestors={"huyen-nb", "tinh-hg"},
        )
    assert refused.value.field == "parent_plan_id"


def test_the_cascade_tells_which_required_units_issued_their_own_plan() -> None:
    parent = district_plan()
    plans = [
        commune_plan("kh-12", "xa-tp", D(2023, 7, 20), parent),
        commune_plan("kh-05", "xa-dp", D(2023, 8, 10), parent),
        commune_plan("kh-99", "cb-phu-hoa", D(2023, 7, 1), parent),  # not a required unit
    ]

    status = cascade_status(parent, plans)
    as_of_july = cascade_status(parent, plans, as_of=D(2023, 7, 31))

    assert status.issued == {"xa-tp": ("kh-12",), "xa-dp": ("kh-05",)}
    assert status.missing == ("xa-tl",)
    assert status.summary() == "2/3"
    assert as_of_july.missing == ("xa-tl", "xa-dp")


def test_a_task_is_completed_once_with_a_note() -> None:
    plan = district_plan()
    plan.collect_events()

    event = plan.complete_task("t1", "Đã quán triệt cho 1.245/1.260 đảng viên", D(2023, 8, 20))

    assert event == PlanTaskCompleted(
        "kh-87", "huyen-ct", "t1", D(2023, 8, 20), "Đã quán triệt cho 1.245/1.260 đảng viên"
    )
    with pytest.raises(TaskAlreadyCompleted):
        plan.complete_task("t1", "Lần nữa", D(2023, 8, 21))
    with pytest.raises(MissingValue) as no_note:
        plan.complete_task("t2", " ", D(2023, 8, 21))
    assert no_note.value.field == "note"
    with pytest.raises(UnknownTask):
        plan.complete_task("t9", "Xong", D(2023, 8, 21))
    assert plan.collect_events() == [event]


def test_overdue_tasks_are_those_past_their_deadline_and_not_completed_by_then() -> None:
    plan = district_plan()
    plan.complete_task("t1", "Hoàn thành", D(2023, 9, 5))  # late, but done

    assert [t.task_id for t in plan.overdue_tasks(D(2023, 9, 1))] == ["t1"]
    assert [t.task_id for t in plan.overdue_tasks(D(2023, 10, 1))] == ["t2"]
    assert plan.overdue_tasks(D(2023, 9, 30)) == []


def test_a_task_may_be_added_later_within_the_plan_deadline() -> None:
    plan = district_plan()

    plan.assign_task(
        TaskSpec("t4", "Kiểm tra việc khắc phục", "UBKT Huyện ủy", D(2023, 11, 30)), D(2023, 9, 1)
    )

    assert plan.task("t4").owner == "UBKT Huyện ủy"
    with pytest.raises(TaskDeadlineAfterPlanDeadline) as refused:
        plan.assign_task(TaskSpec("t5", "Tổng kết", "Văn phòng", D(2024, 2, 1)), D(2023, 9, 1))
    assert refused.value.field == "deadline"
