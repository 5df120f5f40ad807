"""Campaign plans over RPC: issuing, cascading, copy flags, overdue tasks and refusals."""

from __future__ import annotations

import json

import pytest
from nameko.exceptions import RemoteError

from plans.service import PlansService

TASKS = [
    ("t1", "Quán triệt Kết luận số 21-KL/TW đến 100% cán bộ, đảng viên", "2023-08-31"),
    ("t2", "Tổ chức sinh hoạt chuyên đề tự soi, tự sửa ở tất cả chi bộ", "2023-09-30"),
    ("t3", "Kiểm tra, giám sát việc khắc phục hạn chế, khuyết điểm sau kiểm điểm", "2023-11-30"),
]


def refusal(raised: pytest.ExceptionInfo[RemoteError]) -> dict:
    assert raised.value.exc_type == "CommandRefused"
    return json.loads(raised.value.value)


def tree(rpc) -> None:
    """Tỉnh ủy → two Huyện ủy → Đảng ủy xã with a cell."""
    for org_id, kind, parent in [
        ("tinh", "province", None),
        ("huyen-a", "district", "tinh"),
        ("huyen-b", "district", "tinh"),
        ("xa-1", "grassroots", "huyen-a"),
        ("cb-1", "cell", "xa-1"),
    ]:
        rpc.plans.register_organization(
            {
                "org_id": org_id,
                "kind": kind,
                "parent_id": parent,
                "name": f"Tổ chức {org_id}",
                "registered_on": "2020-01-01",
            }
        )


def plan(plan_id, org_id, tasks, units=(), parent=None, deadline="2023-12-31", **changes):
    return {
        "plan_id": plan_id,
        "org_id": org_id,
        "number": f"{plan_id}-KH",
        "title": "Kế hoạch",
        "issued_on": "2023-06-30",
        "implements_documents": ["21-KL/TW"],
        "parent_plan_id": parent,
        "required_unit_ids": list(units),
        "deadline": deadline,
        "tasks": [
            {"task_id": t, "title": title, "owner": "Văn phòng", "deadline": due} for t, title, due in tasks
        ],
        **changes,
    }


def test_a_copied_plan_is_flagged_and_the_cascade_shows_who_has_not_issued(system):
    system.start(PlansService)
    with system.rpc() as rpc:
        tree(rpc)
        rpc.plans.issue_plan(plan("kh-tinh", "tinh", TASKS, units=["huyen-a", "huyen-b"]))
        copied = [(f"c{i}", f"{i}. {title.upper()}", due) for i, (_, title, due) in enumerate(TASKS)]
        child = rpc.plans.issue_plan(plan("kh-a", "huyen-a", copied, parent="kh-tinh"))

        assert child["flagged_as_copy"] and child["copy_flag"]["copied_share"] == 1.0
        assert len(child["copy_flag"]["matches"]) == 3 and len(child["tasks"]) == 3
        types = [e["type"] for e in rpc.plans.read_events(0, 100)]
        assert types.count("PlanFlaggedAsCopy") == 1 and types.count("PlanTaskAssigned") == 6
        cascade = rpc.plans.get_cascade_status("kh-tinh")
        assert cascade["summary"] == "1/2" and cascade["missing"] == ["huyen-b"]
        assert cascade["issued"] == {"huyen-a": ["kh-a"]}
        assert rpc.plans.get_cascade_status("kh-tinh", "2023-06-01")["summary"] == "0/2"
        assert {p["plan_id"] for p in rpc.plans.list_plans("tinh")} == {"kh-tinh", "kh-a"}
        assert [p["plan_id"] for p in rpc.plans.list_plans("tinh", False)] == ["kh-tinh"]
        assert [p["plan_id"] for p in rpc.plans.list_plans(parent_plan_id="kh-tinh")] == ["kh-a"]
        assert rpc.plans.list_plans("huyen-b") == []


def test_an_adapted_plan_is_not_flagged(system):
    system.start(PlansService)
    with system.rpc() as rpc:
        tree(rpc)
        rpc.plans.issue_plan(plan("kh-tinh", "tinh", TASKS, units=["huyen-a"]))
        own = [
            ("a1", "Khảo sát việc học tập nghị quyết ở các chi bộ nông thôn", "2023-09-15"),
            ("a2", "Chi bộ ấp Phú Hòa tổ chức sinh hoạt điểm trước ngày 15/8", "2023-08-15"),
        ]
        child = rpc.plans.issue_plan(plan("kh-a", "huyen-a", own, parent="kh-tinh"))

        assert child["flagged_as_copy"] is False and child["copy_flag"] is None
        assert "PlanFlaggedAsCopy" not in [e["type"] for e in rpc.plans.read_events(0, 100)]


def test_the_configured_copy_thresholds_judge_an_issued_plan(system):
    system.start(PlansService, COPY_SHARE_THRESHOLD="0.6")
    with system.rpc() as rpc:
        tree(rpc)
        rpc.plans.issue_plan(plan("kh-tinh", "tinh", TASKS, units=["huyen-a"]))
        # Two of three tasks restated: 0.67, under the default share of 0.7, over 0.6.
        partly = [(f"c{i}", f"{i}. {title.upper()}", due) for i, (_, title, due) in enumerate(TASKS[:2])]
        partly.append(("own", "Chi bộ ấp Phú Hòa rà soát 46 hồ sơ vay vốn chậm giải ngân", "2023-09-30"))
        child = rpc.plans.issue_plan(plan("kh-a", "huyen-a", partly, parent="kh-tinh"))

        assert child["flagged_as_copy"] is True
        assert child["copy_flag"]["copied_share"] == 0.6667
        assert (child["copy_flag"]["share_threshold"], child["copy_flag"]["pair_threshold"]) == (0.6, 0.8)


def test_completed_tasks_leave_the_overdue_list(system):
    system.start(PlansService)
    with system.rpc() as rpc:
        tree(rpc)
        rpc.plans.issue_plan(plan("kh-a", "huyen-a", TASKS))
        done = rpc.plans.complete_task(
            {"plan_id": "kh-a", "task_id": "t1", "note": "Đã quán triệt", "completed_on": "2023-08-20"}
        )

        assert done["tasks"][0]["completed_on"] == "2023-08-20" and done["version"] == 5
        overdue = rpc.plans.list_overdue_tasks("tinh", "2023-10-01")
        assert [t["task_id"] for t in overdue] == ["t2"]
        assert rpc.plans.list_overdue_tasks("huyen-b", "2023-10-01") == []
        assert len(rpc.plans.list_overdue_tasks("huyen-a", "2024-01-01")) == 2


def test_refusals_name_the_field_and_write_nothing(system):
    system.start(PlansService)
    with system.rpc() as rpc:
        tree(rpc)
        rpc.plans.issue_plan(plan("kh-a", "huyen-a", TASKS))
        rpc.plans.complete_task(
            {"plan_id": "kh-a", "task_id": "t1", "note": "Xong", "completed_on": "2023-08-20"}
        )
        head = rpc.plans.log_head()
        ownerless = plan("kh-x", "xa-1", TASKS)
        ownerless["tasks"][1]["owner"] = " "
        attempts = {
            "required_unit_ids": plan("kh-x", "huyen-a", TASKS, units=["xa-1", "huyen-b"]),
            "tasks[1].owner": ownerless,
            "tasks[2].deadline": plan("kh-x", "xa-1", TASKS, deadline="2023-10-31"),
            "parent_plan_id": plan("kh-x", "xa-1", TASKS, parent="kh-none"),
            "org_id": plan("kh-x", "nowhere", TASKS),
        }
        for field, command in attempts.items():
            with pytest.raises(RemoteError) as refused:
                rpc.plans.issue_plan(command)
            assert refusal(refused)["field"] == field and refusal(refused)["status"] in (404, 422)
        with pytest.raises(RemoteError) as again:
            rpc.plans.complete_task(
                {"plan_id": "kh-a", "task_id": "t1", "note": "Lại", "completed_on": "2023-08-21"}
            )
        with pytest.raises(RemoteError) as unknown:
            rpc.plans.get_plan("kh-x")

        assert refusal(again)["status"] == 409 and refusal(again)["field"] == "task_id"
        assert refusal(unknown)["status"] == 404
        assert rpc.plans.log_head() == head
