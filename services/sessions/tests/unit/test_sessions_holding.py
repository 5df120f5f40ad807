"""Holding a themed session: the minutes, what is derived from them, what is refused."""

from __future__ import annotations

from datetime import date, time

import pytest

from sessions.domain import (
    Attendance,
    CellRoster,
    Conflict,
    Guest,
    InvalidInput,
    MembershipKind,
    MemberStatus,
    Presence,
    SessionHeld,
    SessionMinutes,
    ThemedSession,
    Vote,
    event_from_payload,
)

HELD_ON = date(2025, 11, 14)
PRESENT = Presence.PRESENT


@pytest.fixture
def members(enrol):
    """Chi bộ thôn 1: ten full members, two probationary, one exempted, one attached
    elsewhere, one suspended (15 on the roll)."""
    people = [enrol(f"dv-{n:02}") for n in range(1, 11)]
    people += [
        enrol(f"dv-{n:02}", membership=MembershipKind.PROBATIONARY, admitted_on=date(2025, 3, 3))
        for n in (11, 12)
    ]
    for n, status in (
        (13, MemberStatus.EXEMPTED),
        (14, MemberStatus.ATTACHED_ELSEWHERE),
        (15, MemberStatus.SUSPENDED),
    ):
        person = enrol(f"dv-{n:02}")
        person.change_status(status, date(2025, 1, 10))
        people.append(person)
    return people


@pytest.fixture
def roster(members) -> CellRoster:
    return CellRoster.from_members("chi-bo-1", HELD_ON, members)


@pytest.fixture
def session(tree) -> ThemedSession:
    scheduled = ThemedSession.schedule(
        "ss-2025-q4",
        "chi-bo-1",
        "Tự soi, tự sửa: học tập và làm theo Bác",
        date(2025, 11, 14),
        tree,
        plan_id="87-KH/HU",
        pilot=True,
    )
    scheduled.mark_saved()
    return scheduled


def attendance(*, absent_with_reason=("dv-13", "dv-14", "dv-15"), absent_without_reason=("dv-10",)):
    rows = []
    for n in range(1, 16):
        member_id = f"dv-{n:02}"
        if member_id in absent_with_reason:
            rows.append(Attendance(member_id, Presence.ABSENT_WITH_REASON, "Ốm, có đơn xin vắng"))
        elif member_id in absent_without_reason:
            rows.append(Attendance(member_id, Presence.ABSENT_WITHOUT_REASON))
        else:
            rows.append(Attendance(member_id, PRESENT))
    return tuple(rows)


def minutes(**changes) -> SessionMinutes:
    values = dict(
        held_on=HELD_ON,
        starts_at=time(14, 0),
        ends_at=time(16, 0),
        chair_id="dv-01",
        minute_taker_id="dv-02",
        attendance=attendance(),
        speaking_turns={"dv-01": 3, "dv-03": 2, "dv-04": 1, "dv-11": 1},
        guests=(Guest("Lê Văn Hùng", "Đảng ủy xã An Bình"),),
        place="Nhà văn hóa thôn 1",
        report="Báo cáo kiểm điểm tập thể chi ủy",
        conclusions="Chi bộ thống nhất các hạn chế đã nêu",
        resolution="Nghị quyết chuyên đề quý IV",
        vote=Vote(votes_for=11, against=0, abstain=0),
    )
    values.update(changes)
    return SessionMinutes(**values)


def test_a_held_session_carries_the_figures_reporting_needs(session, roster, tree):
    held = session.hold(minutes(), roster, tree)

    payload = held.to_payload()
    assert payload["org_id"] == "chi-bo-1" and payload["held_on"] == "2025-11-14"
    assert payload["plan_id"] == "87-KH/HU" and payload["pilot"] is True
    assert {
        k: payload[k]
        for k in (
            "members_total",
            "full_members",
            "probationary_members",
            "exempted",
            "attached_elsewhere",
            "suspended",
            "present",
            "absent_with_reason",
            "absent_without_reason",
            "speaking_turns",
        )
    } == {
        "members_total": 15,
        "full_members": 13,
        "probationary_members": 2,
        "exempted": 1,
        "attached_elsewhere": 1,
        "suspended": 1,
        "present": 11,
        "absent_with_reason": 3,
        "absent_without_reason": 1,
        "speaking_turns": 7,
    }
    assert payload["absent_without_reason_members"] == [
        {"member_id": "dv-10", "full_name": "Đảng viên dv-10"}
    ]
    assert payload["duration_minutes"] == 120
    assert payload["non_compliant"] is False


def test_the_resolution_passes_with_more_than_half_of_the_members_who_count(session, roster, tree):
    # 15 on the roll; the exempted absentee, the member attached elsewhere and the
    # suspended member do not count, so 12 count and 7 votes are needed.
    held = session.hold(minutes(vote=Vote(7, 4, 0)), roster, tree)
    assert held.figures.members_counted_for_vote == 12
    assert held.resolution_passed is True


def test_the_resolution_fails_at_exactly_half(session, roster, tree):
    held = session.hold(minutes(vote=Vote(6, 5, 0)), roster, tree)
    assert held.resolution_passed is False


def test_an_exempted_member_who_attends_counts_towards_the_majority(session, roster, tree):
    held = session.hold(
        minutes(attendance=attendance(absent_with_reason=("dv-14", "dv-15")), vote=Vote(7, 0, 0)),
        roster,
        tree,
    )
    assert held.figures.members_counted_for_vote == 13
    assert held.resolution_passed is True


def test_without_a_resolution_there_is_nothing_to_pass(session, roster, tree):
    held = session.hold(minutes(resolution=None, vote=None), roster, tree)
    assert held.resolution_passed is None


def test_a_short_session_after_guidance_42_is_flagged_not_refused(session, roster, tree):
    held = session.hold(minutes(ends_at=time(15, 15)), roster, tree)

    assert held.non_compliant
    [breach] = held.non_compliance
    assert breach.rule == "42-HD/BTCTW" and breach.code == "session_too_short"
    assert "75 minutes" in breach.message and "90" in breach.message


def test_a_combined_sitting_needs_120_minutes(session, roster, tree):
    held = session.hold(minutes(ends_at=time(15, 45), combined_with_regular_session=True), roster, tree)
    assert [b.rule for b in held.non_compliance] == ["42-HD/BTCTW"]
    assert "120" in held.non_compliance[0].message


@pytest.mark.parametrize(("held_on", "flagged"), [(date(2025, 10, 27), False), (date(2025, 10, 28), True)])
def test_a_short_session_is_flagged_from_the_day_guidance_42_took_effect(members, tree, held_on, flagged):
    session = ThemedSession.schedule("ss-old", "chi-bo-1", "Chuyên đề quý III", held_on, tree)
    roster = CellRoster.from_members("chi-bo-1", held_on, members)

    held = session.hold(minutes(held_on=held_on, ends_at=time(14, 45)), roster, tree)

    assert held.non_compliant is flagged
    assert [b.rule for b in held.non_compliance] == (["42-HD/BTCTW"] if flagged else [])


@pytest.mark.parametrize(
    ("ends_at", "combined", "flagged"),
    [
        (time(15, 29), False, True),
        (time(15, 30), False, False),
        (time(15, 59), True, True),
        (time(16, 0), True, False),
    ],
)
def test_a_held_session_of_exactly_the_minimum_is_compliant(
    session, roster, tree, ends_at, combined, flagged
):
    held = session.hold(minutes(ends_at=ends_at, combined_with_regular_session=combined), roster, tree)
    assert held.non_compliant is flagged


@pytest.mark.parametrize(
    ("rows", "words"),
    [
        (attendance()[1:], "missing roster members dv-01"),
        ((*attendance(), Attendance("dv-03", PRESENT)), "more than once dv-03"),
        ((*attendance(), Attendance("nguoi-ngoai", PRESENT)), "not on the roster nguoi-ngoai"),
    ],
)
def test_attendance_must_cover_the_roster_of_the_day_exactly(session, roster, tree, rows, words):
    with pytest.raises(InvalidInput) as refused:
        session.hold(minutes(attendance=rows), roster, tree)

    assert refused.value.field == "attendance"
    assert refused.value.rule == "AttendanceMustCoverRosterExactly"
    assert words in refused.value.message
    assert session.held is None and session.pending_events == []


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"chair_id": "dv-10"}, "chair_id"),
        ({"minute_taker_id": "dv-13"}, "minute_taker_id"),
        ({"starts_at": time(16, 0), "ends_at": time(14, 0)}, "ends_at"),
        ({"speaking_turns": {"dv-10": 1}}, "speaking_turns"),
        ({"speaking_turns": {"dv-01": 0}}, "speaking_turns"),
        ({"vote": None}, "vote"),
        ({"vote": Vote(20, 0, 0)}, "vote"),
        (
            {
                "attendance": (
                    Attendance("dv-13", Presence.ABSENT_WITH_REASON, ""),
                    *attendance()[:12],
                    *attendance()[13:],
                )
            },
            "attendance",
        ),
    ],
)
def test_impossible_minutes_are_refused_naming_the_field(session, roster, tree, changes, field):
    with pytest.raises(InvalidInput) as refused:
        session.hold(minutes(**changes), roster, tree)
    assert refused.value.field == field
    assert session.held is None


def test_a_session_is_held_only_once(session, roster, tree):
    session.hold(minutes(), roster, tree)
    with pytest.raises(Conflict):
        session.hold(minutes(), roster, tree)


def test_the_roster_must_be_the_cells_on_the_day_held(session, members, tree):
    wrong_day = CellRoster.from_members("chi-bo-1", date(2025, 11, 1), members)
    with pytest.raises(InvalidInput) as refused:
        session.hold(minutes(), wrong_day, tree)
    assert refused.value.rule == "RosterMustBeTheCellsOnTheDay"


def test_a_session_can_only_be_scheduled_for_a_cell(tree):
    with pytest.raises(InvalidInput):
        ThemedSession.schedule("ss-x", "xa-an-binh", "Chuyên đề", HELD_ON, tree)


def test_a_held_session_is_rebuilt_from_its_stored_events(tree, roster):
    session = ThemedSession.schedule("ss-1", "chi-bo-1", "Chuyên đề", HELD_ON, tree)
    session.hold(minutes(ends_at=time(15, 0)), roster, tree)

    replayed = ThemedSession.from_events(
        event_from_payload(e.event_type, e.to_payload()) for e in session.pending_events
    )

    assert isinstance(replayed.held, SessionHeld)
    assert replayed.held == session.held
    assert replayed.held.non_compliant
