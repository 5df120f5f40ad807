"""Themed sessions over RPC: full minutes, derived figures, refusals, shortcomings."""

from __future__ import annotations

from typing import Any

import pytest
from nameko.exceptions import RemoteError

MEMBERS = [f"dv-{n:02d}" for n in range(1, 16)]
TURNS = {"dv-01": 3, "dv-02": 2, "dv-03": 2, "dv-04": 2} | {m: 1 for m in MEMBERS[4:14]}


def minutes(session_id: str, **changes: Any) -> dict[str, Any]:
    """Minutes of a sitting with all 15 members present and 19 speaking turns."""
    return {
        "session_id": session_id,
        "held_on": "2025-11-14",
        "starts_at": "19:00",
        "ends_at": "20:45",
        "place": "Nhà văn hóa thôn 1",
        "chair_id": "dv-01",
        "minute_taker_id": "dv-02",
        "guests": [{"name": "Đ/c Trần Văn B", "org": "Đảng ủy xã An Bình"}],
        "attendance": [{"member_id": m, "presence": "present"} for m in MEMBERS],
        "speaking_turns": TURNS,
        "report": "Báo cáo kiểm điểm tập thể chi bộ",
        "conclusions": "Chi bộ thống nhất khắc phục",
        "resolution": "Nghị quyết chuyên đề",
        "vote": {"for": 14, "against": 1, "abstain": 0},
    } | changes


@pytest.fixture
def cell_with_session(system, seeded) -> None:
    enrol = seeded
    with system.rpc() as rpc:
        enrol(rpc, 1, posts=("secretary",))
        for n in range(2, 16):
            enrol(rpc, n)
        rpc.sessions.schedule_session(
            {
                "session_id": "ss-1",
                "org_id": "cb1",
                "pilot": True,
                "theme": "Tự soi, tự sửa 2025",
                "scheduled_on": "2025-11-14",
            }
        )


def test_a_session_held_with_full_minutes_publishes_its_figures(system, cell_with_session):
    with system.rpc() as rpc:
        held = rpc.sessions.hold_session(minutes("ss-1"))
        rpc.sessions.schedule_session(
            {"session_id": "ss-2", "org_id": "cb1", "theme": "Sinh hoạt ngắn", "scheduled_on": "2025-11-20"}
        )
        short = rpc.sessions.hold_session(minutes("ss-2", held_on="2025-11-20", ends_at="20:00"))

        assert held["summary"] == "15/15 present, 19 speaking turns"
        assert held["resolution_passed"] is True and held["non_compliant"] is False
        assert short["non_compliant"] is True
        assert short["non_compliance"][0]["rule"] == "42-HD/BTCTW"
        [event] = [
            e
            for e in rpc.sessions.read_events(0, 100)
            if e["type"] == "SessionHeld" and e["stream_id"] == "session-ss-1"
        ]
        figures = event["payload"]
        assert (figures["present"], figures["members_total"], figures["speaking_turns"]) == (15, 15, 19)
        assert figures["resolution_passed"] is True and figures["pilot"] is True
        stored = rpc.sessions.get_session("ss-1")
        assert stored["minutes"]["chair_id"] == "dv-01" and stored["present"] == 15
        listed = rpc.sessions.list_sessions({"org_id": "xa", "subtree": True, "held": True})
        assert [s["session_id"] for s in listed["sessions"]] == ["ss-1", "ss-2"]
        assert rpc.sessions.list_sessions({"pilot": True})["total"] == 1


def test_impossible_minutes_are_refused_naming_the_field(system, cell_with_session, refusal):
    missing = [{"member_id": m, "presence": "present"} for m in MEMBERS[1:]]
    absent_chair = [{"member_id": "dv-01", "presence": "absent_with_reason", "reason": "Ốm"}] + [
        {"member_id": m, "presence": "present"} for m in MEMBERS[1:]
    ]
    turns_without_chair = {k: v for k, v in TURNS.items() if k != "dv-01"}
    with system.rpc() as rpc:
        head = rpc.sessions.log_head()
        with pytest.raises(RemoteError) as someone_missing:
            rpc.sessions.hold_session(minutes("ss-1", attendance=missing))
        with pytest.raises(RemoteError) as chair_absent:
            rpc.sessions.hold_session(
                minutes("ss-1", attendance=absent_chair, speaking_turns=turns_without_chair)
            )
        with pytest.raises(RemoteError) as malformed:
            rpc.sessions.hold_session(minutes("ss-1", starts_at="seven", vote={"for": -1}))

        assert (refusal(someone_missing)["status"], refusal(someone_missing)["field"]) == (400, "attendance")
        assert "dv-01" in refusal(someone_missing)["message"]
        assert refusal(chair_absent)["field"] == "chair_id"
        assert refusal(chair_absent)["rule"] == "ChairMustBePresent"
        assert {"starts_at", "vote"} <= set(refusal(malformed)["fields"])
        assert rpc.sessions.log_head() == head
        assert rpc.sessions.get_session("ss-1")["held_on"] is None


def test_shortcomings_are_tied_to_catalogue_codes(system, cell_with_session, refusal):
    with system.rpc() as rpc:
        with pytest.raises(RemoteError) as not_held:
            rpc.sessions.record_shortcomings(
                {
                    "session_id": "ss-1",
                    "shortcomings": [
                        {
                            "subject_kind": "organisation",
                            "subject_id": "cb1",
                            "codes": ["NQ04-4"],
                            "description": "Sinh hoạt hình thức",
                        }
                    ],
                }
            )
        rpc.sessions.hold_session(minutes("ss-1"))
        head = rpc.sessions.log_head()
        with pytest.raises(RemoteError) as unknown_code:
            rpc.sessions.record_shortcomings(
                {
                    "session_id": "ss-1",
                    "shortcomings": [
                        {
                            "subject_kind": "organisation",
                            "subject_id": "cb1",
                            "codes": ["NQ04-4"],
                            "description": "Sinh hoạt hình thức",
                        },
                        {
                            "subject_kind": "member",
                            "subject_id": "dv-07",
                            "codes": ["NQ04-99"],
                            "description": "Ngại học tập",
                        },
                    ],
                }
            )
        assert rpc.sessions.log_head() == head
        recorded = rpc.sessions.record_shortcomings(
            {
                "session_id": "ss-1",
                "shortcomings": [
                    {
                        "subject_kind": "organisation",
                        "subject_id": "cb1",
                        "codes": ["NQ04-4"],
                        "description": "Sinh hoạt hình thức",
                        "shortcoming_id": "hc-1",
                    },
                    {
                        "subject_kind": "member",
                        "subject_id": "dv-07",
                        "codes": ["NQ04-3", "QD37-3"],
                        "description": "Ngại học tập nghị quyết",
                        "shortcoming_id": "hc-2",
                    },
                ],
            }
        )
        catalogue = rpc.sessions.get_catalogue()
        stored = rpc.sessions.get_session("ss-1")["shortcomings"]

    assert refusal(not_held)["status"] == 409
    detail = refusal(unknown_code)
    assert (detail["status"], detail["field"], detail["rule"]) == (
        400,
        "shortcomings.1.codes",
        "CodesMustBeInCatalogue",
    )
    assert "NQ04-99" in detail["message"]
    assert [s["codes"] for s in recorded["shortcomings"]] == [["NQ04-4"], ["NQ04-3", "QD37-3"]]
    assert recorded["shortcomings"][0]["catalogue_version"] == catalogue["version"] == "2024.1"
    assert {"NQ04-27", "QD37-19"} <= {i["code"] for i in catalogue["items"]}
    assert [(s["subject_id"], s["codes"]) for s in stored] == [
        ("cb1", ["NQ04-4"]),
        ("dv-07", ["NQ04-3", "QD37-3"]),
    ]
