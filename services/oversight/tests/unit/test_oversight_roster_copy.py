"""The roster copy reads members' committee seats, with their organisations, from sessions."""

import pytest

from eventlog.inbox import UnreadableEvent
from oversight.local_copies import RosterCopy

ENROLLED = {
    "member_id": "dv-001",
    "full_name": "Nguyễn Văn Hải",
    "org_id": "chi-bo-ap-3",
    "membership": "full",
    "admitted_on": "2010-02-03",
    "enrolled_on": "2020-01-01",
    "posts_in_cell": ["secretary"],
    "posts_outside_cell": ["Chủ tịch Hội Nông dân xã"],
    "committee_posts": [{"org_id": "dang-uy-xa-tan-phu", "title": "Đảng ủy viên", "since": "2020"}],
}


def read(event_type, payload):
    return RosterCopy().read({"type": event_type, "payload": payload})


def test_committee_seats_are_read_with_the_organisation_they_are_on():
    fact = read("MemberEnrolled", ENROLLED)
    assert fact["committee_posts"] == [{"org_id": "dang-uy-xa-tan-phu", "title": "Đảng ủy viên"}]
    assert fact["posts_outside_cell"] == ["Chủ tịch Hội Nông dân xã"]


def test_events_written_before_seats_were_published_hold_none_and_transfers_keep_ours():
    older = {k: v for k, v in ENROLLED.items() if k != "committee_posts"}
    assert read("MemberEnrolled", older)["committee_posts"] == []
    moved = {
        "member_id": "dv-001",
        "from_org_id": "chi-bo-ap-3",
        "org_id": "chi-bo-ap-4",
        "effective_on": "2025-12-01",
        "posts_in_cell": [],
    }
    assert "committee_posts" not in read("MemberTransferred", moved)
    assert read("MemberTransferred", {**moved, "committee_posts": []})["committee_posts"] == []


@pytest.mark.parametrize("seats", [[{"title": "Đảng ủy viên"}], ["Đảng ủy viên"], {"org_id": "x"}])
def test_a_seat_that_cannot_be_read_dead_letters_the_event_rather_than_dropping_the_seat(seats):
    with pytest.raises(UnreadableEvent):
        read("MemberEnrolled", {**ENROLLED, "committee_posts": seats})
