"""Rosters over RPC: enrolment, transfers, statuses, the roster of a day, refusals."""

from __future__ import annotations

import pytest
from nameko.exceptions import RemoteError

from sessions.service import SessionsService
from testing_support.services import eventually
from testing_support.stand_ins import publish_tree, start_stand_in


def test_a_cells_roster_is_enrolled_moved_and_read_as_of_a_day(system, seeded):
    enrol = seeded
    with system.rpc() as rpc:
        enrol(rpc, 1, posts=("secretary",))
        for n in range(2, 6):
            enrol(rpc, n)
        enrol(rpc, 6, membership="probationary", admitted_on="2024-01-10", enrolled_on="2024-01-10")
        rpc.sessions.transfer_member({"member_id": "dv-05", "to_org_id": "cb2", "effective_on": "2024-03-01"})
        rpc.sessions.change_member_status(
            {"member_id": "dv-04", "status": "exempted", "effective_on": "2024-02-01", "reason": "Tuổi cao"}
        )
        ended = rpc.sessions.end_membership(
            {"member_id": "dv-03", "reason": "withdrew", "ended_on": "2024-05-01", "expected_version": 1}
        )

        before = rpc.sessions.get_roster("cb1", "2024-02-15")
        after = rpc.sessions.get_roster("cb1", "2024-06-01")
        assert [e["member_id"] for e in before["entries"]] == [f"dv-{n:02d}" for n in range(1, 7)]
        assert before["probationary_members"] == 1
        assert {e["member_id"]: e["status"] for e in before["entries"]}["dv-04"] == "exempted"
        assert [e["member_id"] for e in after["entries"]] == ["dv-01", "dv-02", "dv-04", "dv-06"]
        assert ended["ended_on"] == "2024-05-01" and ended["version"] == 2
        moved = rpc.sessions.get_member("dv-05")
        assert moved["org_id"] == "cb2"
        assert [p["org_id"] for p in moved["periods"]] == ["cb1", "cb2"]

        page = rpc.sessions.list_members({"org_id": "xa", "subtree": True, "limit": 2})
        assert page["total"] == 5 and len(page["members"]) == 2
        assert rpc.sessions.list_members({"org_id": "cb2"})["members"][0]["member_id"] == "dv-05"


def test_roster_refusals_name_the_field_and_write_nothing(system, seeded, refusal):
    enrol = seeded
    with system.rpc() as rpc:
        enrol(rpc, 1, posts=("secretary",))
        head = rpc.sessions.log_head()

        with pytest.raises(RemoteError) as twice:
            enrol(rpc, 1)
        with pytest.raises(RemoteError) as second_secretary:
            enrol(rpc, 2, posts=("secretary",))
        with pytest.raises(RemoteError) as unknown_cell:
            enrol(rpc, 3, cell="cb9")
        with pytest.raises(RemoteError) as not_a_cell:
            enrol(rpc, 3, cell="xa")
        with pytest.raises(RemoteError) as bad_input:
            rpc.sessions.enrol_member({"member_id": "x y", "membership": "honorary", "extra": 1})
        with pytest.raises(RemoteError) as stale:
            rpc.sessions.transfer_member(
                {
                    "member_id": "dv-01",
                    "to_org_id": "cb2",
                    "effective_on": "2024-03-01",
                    "expected_version": 7,
                }
            )

        assert (refusal(twice)["status"], refusal(twice)["rule"]) == (409, "MemberIsEnrolledOnce")
        assert refusal(second_secretary)["rule"] == "OneSecretaryPerCell"
        assert refusal(second_secretary)["field"] == "posts_in_cell"
        assert (refusal(unknown_cell)["status"], refusal(unknown_cell)["field"]) == (404, "org_id")
        assert refusal(not_a_cell)["status"] == 400
        detail = refusal(bad_input)
        assert detail["status"] == 400
        assert {"member_id", "membership", "extra", "org_id", "full_name"} <= set(detail["fields"])
        assert refusal(stale)["status"] == 409
        assert rpc.sessions.log_head() == head
        assert rpc.sessions.get_member("dv-01")["org_id"] == "cb1"


def test_a_sessions_service_started_late_catches_up_on_the_tree(system):
    """The tree was published before sessions' queue existed: it is read from the source's
    log over RPC (the stand-in serves `read_events` as plans does)."""
    start_stand_in(system, "plans")
    with system.rpc() as rpc:
        publish_tree(rpc, (("hn", "province", None), ("kb", "district", "hn"), ("cb1", "cell", "kb")))
        system.start(SessionsService)  # its queue did not exist when the tree was published

        def copied() -> bool:
            try:
                return rpc.sessions.get_roster("cb1", "2024-01-01")["members_total"] == 0
            except RemoteError:
                return False

        assert eventually(copied, timeout=15)
        assert rpc.sessions.dead_letter_count() == 0


def test_posts_outside_the_cell_are_kept_and_returned(system, seeded, refusal):
    enrol = seeded
    seat = {"org_id": "xa", "title": "Phó Bí thư Đảng ủy"}
    with system.rpc() as rpc:
        enrolled = enrol(
            rpc,
            1,
            posts=("secretary",),
            committee_posts=[seat],
            posts_outside_cell=["Chủ tịch Hội Nông dân xã"],
        )
        assert enrolled["committee_posts"] == [seat]
        assert enrolled["posts_outside_cell"] == ["Chủ tịch Hội Nông dân xã"]
        [entry] = rpc.sessions.get_roster("cb1", "2024-01-01")["entries"]
        assert entry["committee_posts"] == [seat]
        assert entry["posts_outside_cell"] == ["Chủ tịch Hội Nông dân xã"]
        assert rpc.sessions.list_members({"org_id": "cb1"})["members"][0]["committee_posts"] == [seat]
        [published] = [e for e in rpc.sessions.read_events(0, 100) if e["type"] == "MemberEnrolled"]
        assert published["payload"]["committee_posts"] == [seat]

        moved = rpc.sessions.transfer_member(
            {"member_id": "dv-01", "to_org_id": "cb2", "effective_on": "2024-03-01"}
        )
        assert moved["committee_posts"] == [seat]  # a seat on the commune committee is kept
        head = rpc.sessions.log_head()
        with pytest.raises(RemoteError) as below_the_cell:
            enrol(rpc, 2, committee_posts=[{"org_id": "cb2", "title": "Bí thư"}])
        with pytest.raises(RemoteError) as unknown:
            enrol(rpc, 2, committee_posts=[{"org_id": "xa9", "title": "Đảng ủy viên"}])
        with pytest.raises(RemoteError) as untitled:
            enrol(rpc, 2, committee_posts=[{"org_id": "xa"}])
        assert (refusal(below_the_cell)["status"], refusal(below_the_cell)["field"]) == (
            400,
            "committee_posts",
        )
        assert (refusal(unknown)["status"], refusal(unknown)["field"]) == (404, "committee_posts")
        assert refusal(untitled)["status"] == 400 and "committee_posts" in refusal(untitled)["fields"]
        assert rpc.sessions.log_head() == head
