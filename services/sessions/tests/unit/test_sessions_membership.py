"""Rosters: enrolment, transfers, status changes and the end of a membership."""

from __future__ import annotations

from datetime import date

import pytest

from sessions.domain import (
    CellPost,
    CellRoster,
    Conflict,
    InvalidInput,
    Member,
    MemberEnrolled,
    MembershipEndReason,
    MembershipKind,
    MemberStatus,
    NotFound,
    event_from_payload,
)
from sessions.domain.membership import CommitteePost

ON_COMMUNE_COMMITTEE = (CommitteePost("xa-an-binh", "Đảng ủy viên"),)


def enrol_with_seats(tree, seats, org_id="chi-bo-1"):
    return Member.enrol(
        "dv-009",
        "Trần Thị Bình",
        org_id,
        MembershipKind.FULL,
        date(2012, 5, 19),
        tree,
        date(2020, 1, 1),
        committee_posts=seats,
    )


def test_enrolling_a_member_records_who_they_are_and_which_cell_they_join(tree):
    member = Member.enrol(
        member_id="dv-001",
        full_name="Nguyễn Văn An",
        org_id="chi-bo-1",
        membership=MembershipKind.FULL,
        admitted_on=date(2012, 5, 19),
        organisations=tree,
        enrolled_on=date(2020, 1, 1),
        posts_in_cell=(CellPost.SECRETARY,),
        posts_outside_cell=("Chủ tịch UBND xã",),
        committee_posts=(CommitteePost("xa-an-binh", "Phó Bí thư Đảng ủy"),),
    )

    [event] = member.pending_events
    assert isinstance(event, MemberEnrolled)
    assert event.to_payload() == {
        "member_id": "dv-001",
        "full_name": "Nguyễn Văn An",
        "org_id": "chi-bo-1",
        "membership": "full",
        "admitted_on": "2012-05-19",
        "enrolled_on": "2020-01-01",
        "posts_in_cell": ["secretary"],
        "posts_outside_cell": ["Chủ tịch UBND xã"],
        "committee_posts": [{"org_id": "xa-an-binh", "title": "Phó Bí thư Đảng ủy"}],
    }
    assert member.committee_posts == (CommitteePost("xa-an-binh", "Phó Bí thư Đảng ủy"),)
    assert member.cell_on(date(2024, 6, 1)) == "chi-bo-1"
    assert member.cell_on(date(2019, 12, 31)) is None


@pytest.mark.parametrize(
    ("org_id", "error", "words"),
    [
        ("chi-bo-khong-co", NotFound, "not in the organisation tree"),
        ("xa-an-binh", InvalidInput, "not a party cell"),
        ("chi-bo-cu", Conflict, "dissolved on 2024-01-01"),
    ],
)
def test_a_member_joins_only_a_live_cell(tree, org_id, error, words):
    with pytest.raises(error) as refused:
        Member.enrol("dv-9", "Trần Thị Bình", org_id, MembershipKind.FULL, date(2024, 3, 1), tree)

    assert refused.value.field == "org_id"
    assert words in refused.value.message


def test_a_member_cannot_join_a_cell_before_being_admitted(tree):
    with pytest.raises(InvalidInput) as refused:
        Member.enrol(
            "dv-9",
            "Trần Thị Bình",
            "chi-bo-1",
            MembershipKind.PROBATIONARY,
            admitted_on=date(2024, 3, 1),
            organisations=tree,
            enrolled_on=date(2024, 2, 1),
        )
    assert refused.value.field == "admitted_on"


def test_a_blank_name_is_refused(tree):
    with pytest.raises(InvalidInput) as refused:
        Member.enrol("dv-9", "  ", "chi-bo-1", MembershipKind.FULL, date(2024, 3, 1), tree)
    assert refused.value.field == "full_name"


def test_a_transfer_moves_the_member_and_keeps_the_history(enrol, tree):
    member = enrol("dv-001", posts=(CellPost.DEPUTY,))

    moved = member.transfer("chi-bo-2", date(2024, 7, 1), tree)

    assert moved.from_org_id == "chi-bo-1" and moved.org_id == "chi-bo-2"
    assert member.cell_on(date(2024, 6, 30)) == "chi-bo-1"
    assert member.cell_on(date(2024, 7, 1)) == "chi-bo-2"
    assert member.period_on(date(2024, 7, 1)).posts_in_cell == ()
    assert [p.org_id for p in member.periods] == ["chi-bo-1", "chi-bo-2"]


@pytest.mark.parametrize(
    ("seats", "error", "words"),
    [
        ((CommitteePost("xa-khac", "Đảng ủy viên"),), NotFound, "not in the organisation tree"),
        ((CommitteePost("chi-bo-1", "Chi ủy viên"),), InvalidInput, "posts_in_cell"),
        ((CommitteePost("chi-bo-2", "Bí thư"),), InvalidInput, "not an organisation above cell"),
        ((CommitteePost("huyen-uy", " "),), InvalidInput, "must not be blank"),
        (ON_COMMUNE_COMMITTEE * 2, InvalidInput, "same seat twice"),
    ],
)
def test_a_committee_seat_names_a_known_organisation_above_the_cell_once(tree, seats, error, words):
    with pytest.raises(error) as refused:
        enrol_with_seats(tree, seats)
    assert refused.value.field == "committee_posts"
    assert words in refused.value.message


def test_committee_seats_on_the_district_and_province_are_accepted(tree):
    seats = (CommitteePost("huyen-uy", "Huyện ủy viên"), CommitteePost("tinh-uy", "Tỉnh ủy viên"))
    assert enrol_with_seats(tree, seats).committee_posts == seats


def test_committee_seats_are_kept_across_a_transfer_unless_replaced(tree):
    member = enrol_with_seats(tree, ON_COMMUNE_COMMITTEE)
    kept = member.transfer("chi-bo-2", date(2024, 7, 1), tree)
    assert kept.committee_posts == ON_COMMUNE_COMMITTEE
    with pytest.raises(InvalidInput) as not_above:  # the commune seat is not above this cell
        member.transfer("chi-bo-truong", date(2024, 8, 1), tree)
    assert not_above.value.field == "committee_posts"
    cleared = member.transfer("chi-bo-truong", date(2024, 8, 1), tree, committee_posts=())
    assert cleared.committee_posts == () and member.committee_posts == ()
    assert member.period_on(date(2024, 7, 15)).committee_posts == ON_COMMUNE_COMMITTEE
    replayed = Member.from_events(
        event_from_payload(e.event_type, e.to_payload()) for e in member.pending_events
    )
    assert replayed.periods == member.periods


def test_an_event_written_before_committee_seats_existed_reads_as_holding_none():
    old = {
        "member_id": "dv-1",
        "full_name": "A",
        "org_id": "chi-bo-1",
        "membership": "full",
        "admitted_on": "2010-01-01",
        "enrolled_on": "2020-01-01",
        "posts_in_cell": [],
        "posts_outside_cell": ["Chủ tịch Hội Nông dân xã"],
    }
    assert event_from_payload("MemberEnrolled", old).committee_posts == ()
    moved = {
        "member_id": "dv-1",
        "from_org_id": "chi-bo-1",
        "org_id": "chi-bo-2",
        "effective_on": "2024-01-01",
        "posts_in_cell": [],
    }
    assert event_from_payload("MemberTransferred", moved).committee_posts == ()


def test_a_transfer_to_the_same_cell_or_back_in_time_is_refused(enrol, tree):
    member = enrol("dv-001")
    member.change_status(MemberStatus.EXEMPTED, date(2024, 5, 1))

    with pytest.raises(InvalidInput) as same_cell:
        member.transfer("chi-bo-1", date(2024, 7, 1), tree)
    with pytest.raises(InvalidInput) as backwards:
        member.transfer("chi-bo-2", date(2024, 4, 1), tree)

    assert same_cell.value.field == "to_org_id"
    assert backwards.value.field == "effective_on"
    assert member.cell_on(date(2024, 8, 1)) == "chi-bo-1"


def test_a_transfer_into_a_dissolved_cell_is_refused(enrol, tree):
    member = enrol("dv-001")
    with pytest.raises(Conflict) as refused:
        member.transfer("chi-bo-cu", date(2024, 7, 1), tree)
    assert refused.value.field == "to_org_id"
    assert member.pending_events == []


def test_status_changes_are_dated_and_must_change_something(enrol):
    member = enrol("dv-001")

    member.change_status(MemberStatus.EXEMPTED, date(2024, 2, 1), reason="Tuổi cao, sức yếu")

    assert member.status_on(date(2024, 1, 31)) == MemberStatus.ACTIVE
    assert member.status_on(date(2024, 2, 1)) == MemberStatus.EXEMPTED
    with pytest.raises(Conflict) as refused:
        member.change_status(MemberStatus.EXEMPTED, date(2024, 3, 1))
    assert refused.value.field == "status"


def test_an_ended_membership_takes_the_member_off_every_roster_for_good(enrol, tree):
    member = enrol("dv-001")

    member.end_membership(MembershipEndReason.DECEASED, date(2024, 9, 9))

    assert member.cell_on(date(2024, 9, 8)) == "chi-bo-1"
    assert member.cell_on(date(2024, 9, 9)) is None
    with pytest.raises(Conflict):
        member.transfer("chi-bo-2", date(2024, 10, 1), tree)
    with pytest.raises(Conflict):
        member.change_status(MemberStatus.SUSPENDED, date(2024, 10, 1))


def test_a_member_is_rebuilt_from_its_stored_events(enrol, tree):
    member = enrol("dv-001")
    member.transfer("chi-bo-2", date(2024, 7, 1), tree)
    member.change_status(MemberStatus.ATTACHED_ELSEWHERE, date(2024, 8, 1))
    stored = [
        MemberEnrolled(
            "dv-001",
            "Đảng viên dv-001",
            "chi-bo-1",
            MembershipKind.FULL,
            date(2010, 3, 2),
            date(2020, 1, 1),
        ),
        *member.pending_events,
    ]

    replayed = Member.from_events(event_from_payload(e.event_type, e.to_payload()) for e in stored)

    assert replayed.version == 3
    assert replayed.periods == member.periods
    assert replayed.status_on(date(2024, 8, 2)) == MemberStatus.ATTACHED_ELSEWHERE


def test_the_roster_of_a_day_lists_who_was_in_the_cell_then(enrol, tree):
    an = enrol("dv-001")
    binh = enrol("dv-002")
    cuong = enrol("dv-003", org_id="chi-bo-2")
    binh.transfer("chi-bo-2", date(2024, 6, 1), tree)
    an.change_status(MemberStatus.EXEMPTED, date(2024, 3, 1))

    may = CellRoster.from_members("chi-bo-1", date(2024, 5, 31), [an, binh, cuong])
    june = CellRoster.from_members("chi-bo-1", date(2024, 6, 1), [an, binh, cuong])

    assert may.member_ids == {"dv-001", "dv-002"}
    assert june.member_ids == {"dv-001"}
    assert june.entry("dv-001").status == MemberStatus.EXEMPTED


def test_the_roster_shows_the_posts_outside_the_cell(tree):
    member = Member.enrol(
        "dv-009",
        "Trần Thị Bình",
        "chi-bo-1",
        MembershipKind.FULL,
        date(2012, 5, 19),
        tree,
        date(2020, 1, 1),
        posts_outside_cell=("Chủ tịch Hội Phụ nữ xã",),
        committee_posts=ON_COMMUNE_COMMITTEE,
    )
    [entry] = CellRoster.from_members("chi-bo-1", date(2024, 1, 1), [member]).entries
    assert entry.committee_posts == ON_COMMUNE_COMMITTEE
    assert entry.posts_outside_cell == ("Chủ tịch Hội Phụ nữ xã",)
