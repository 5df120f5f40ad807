"""A shortcoming's whole life across three real services, on a throwaway vhost.

Sessions names a shortcoming in a held themed session; plans opens a remediation item
for it, takes the plan and closes it as remedied; reporting counts the remedied item for
the cell and every body above it. The services run as in-process containers on both
backends (the `system` fixture), which is what the HTTP-level end-to-end tests run too,
without the gateway and the processes.
"""

from __future__ import annotations

from typing import Any

from nameko.exceptions import RemoteError

from plans.service import PlansService
from reporting.service import ReportingService
from sessions.service import SessionsService
from testing_support.services import eventually

TREE = (  # org_id, kind, parent
    ("hn", "province", None),
    ("kb", "district", "hn"),
    ("xa", "grassroots", "kb"),
    ("cb1", "cell", "xa"),
    ("cb2", "cell", "xa"),
)
MEMBERS = ("dv-01", "dv-02", "dv-03")
YEAR_2025 = {"kind": "year", "year": 2025}
ITEM = "sessions:hc-1"


def register_tree(rpc: Any) -> None:
    for org_id, kind, parent_id in TREE:
        rpc.plans.register_organization(
            {
                "org_id": org_id,
                "kind": kind,
                "parent_id": parent_id,
                "name": f"Tổ chức {org_id}",
                "registered_on": "2020-01-01",
            }
        )


def sessions_knows(rpc: Any, org_id: str) -> bool:
    try:
        rpc.sessions.get_roster(org_id, "2024-01-01")
        return True
    except RemoteError:
        return False


def hold_a_session_naming_a_shortcoming(rpc: Any) -> None:
    """Cell cb1 enrols three members, holds session ss-1 and names dv-02's shortcoming."""
    for n, member in enumerate(MEMBERS, start=1):
        rpc.sessions.enrol_member(
            {
                "member_id": member,
                "full_name": f"Đảng viên {n:02d}",
                "org_id": "cb1",
                "membership": "full",
                "admitted_on": "2010-03-02",
                "enrolled_on": "2020-01-01",
                "posts_in_cell": ["secretary"] if n == 1 else [],
            }
        )
    rpc.sessions.schedule_session(
        {"session_id": "ss-1", "org_id": "cb1", "theme": "Tự soi, tự sửa 2025", "scheduled_on": "2025-11-14"}
    )
    rpc.sessions.hold_session(
        {
            "session_id": "ss-1",
            "held_on": "2025-11-14",
            "starts_at": "19:00",
            "ends_at": "20:45",
            "chair_id": "dv-01",
            "minute_taker_id": "dv-02",
            "attendance": [{"member_id": m, "presence": "present"} for m in MEMBERS],
            "speaking_turns": {m: 1 for m in MEMBERS},
            "report": "Báo cáo kiểm điểm tập thể chi bộ",
            "conclusions": "Chi bộ thống nhất khắc phục",
        }
    )
    rpc.sessions.record_shortcomings(
        {
            "session_id": "ss-1",
            "shortcomings": [
                {
                    "shortcoming_id": "hc-1",
                    "subject_kind": "member",
                    "subject_id": "dv-02",
                    "codes": ["NQ04-3"],
                    "description": "Chưa tích cực học tập nghị quyết",
                }
            ],
        }
    )


def remediation_item(rpc: Any) -> dict[str, Any] | None:
    try:
        return rpc.plans.get_remediation_item(ITEM)
    except RemoteError as error:
        if '"status": 404' in (error.value or ""):
            return None
        raise


def figure(rpc: Any, org_id: str, metric: str) -> int:
    return int(rpc.reporting.get_report(org_id, YEAR_2025)["figures"].get(metric, 0))


def reporting_has_read_all_of_plans(rpc: Any) -> bool:
    return rpc.reporting.backbone_status()["consumed"].get("plans") == rpc.plans.log_head()


def test_a_shortcoming_named_in_a_session_is_remedied_and_counted_in_reports(system):
    system.start(PlansService, REMEDIATION_OVERDUE_INTERVAL=3600)  # no overdue report midway
    system.start(SessionsService)
    system.start(ReportingService)
    with system.rpc() as rpc:
        register_tree(rpc)
        eventually(lambda: sessions_knows(rpc, "cb1"))
        hold_a_session_naming_a_shortcoming(rpc)

        opened = eventually(lambda: remediation_item(rpc))
        assert (opened["status"], opened["org_id"], opened["subject_id"]) == ("opened", "cb1", "dv-02")
        assert (opened["recorded_on"], opened["catalogue_codes"]) == ("2025-11-14", ["NQ04-3"])
        eventually(lambda: figure(rpc, "hn", "remediation.opened") == 1)
        assert figure(rpc, "hn", "remediation.remedied") == 0

        rpc.plans.submit_remediation_plan(
            {
                "item_id": ITEM,
                "submitted_on": "2025-11-20",
                "actions": [
                    {"description": "Viết thu hoạch", "owner": "Đảng viên 02", "due_on": "2025-12-05"}
                ],
            }
        )
        closed = rpc.plans.mark_shortcoming_remedied(
            {"item_id": ITEM, "note": "Đã viết thu hoạch", "remedied_on": "2025-12-01"}
        )
        assert closed["status"] == "remedied"

        eventually(lambda: reporting_has_read_all_of_plans(rpc))
        remedied_in = {org: figure(rpc, org, "remediation.remedied") for org in ("cb1", "xa", "hn", "cb2")}
        assert remedied_in == {"cb1": 1, "xa": 1, "hn": 1, "cb2": 0}  # the cell and every body above
        assert figure(rpc, "hn", "remediation.in_progress") == 0
        [fact] = rpc.reporting.drill_down("hn", "remediation.remedied", YEAR_2025)
        [remedied] = [e for e in rpc.plans.read_events(0, 1000) if e["type"] == "ShortcomingRemedied"]
        assert remedied["payload"]["item_id"] == ITEM
        assert {key: fact[key] for key in ("source", "position", "event_id", "event_type", "org_id")} == {
            "source": "plans",
            "position": remedied["position"],
            "event_id": remedied["event_id"],
            "event_type": "ShortcomingRemedied",
            "org_id": "cb1",
        }
        assert rpc.reporting.dead_letter_count() == 0
