"""Naming shortcomings in a held session, tied to the catalogue."""

from __future__ import annotations

from datetime import date, time

import pytest

from sessions.domain import (
    Attendance,
    CellRoster,
    Conflict,
    InvalidInput,
    Presence,
    SessionMinutes,
    SubjectKind,
    ThemedSession,
    load_catalogue,
)

HELD_ON = date(2024, 12, 20)


@pytest.fixture
def catalogue():
    return load_catalogue()


@pytest.fixture
def held_session(tree, enrol):
    members = [enrol("dv-01"), enrol("dv-02"), enrol("dv-03")]
    enrol("dv-99", org_id="chi-bo-2")
    session = ThemedSession.schedule("ss-1", "chi-bo-1", "Chuyên đề năm 2024", HELD_ON, tree)
    session.hold(
        SessionMinutes(
            held_on=HELD_ON,
            starts_at=time(8, 0),
            ends_at=time(10, 0),
            chair_id="dv-01",
            minute_taker_id="dv-02",
            attendance=tuple(Attendance(m.member_id, Presence.PRESENT) for m in members),
        ),
        CellRoster.from_members("chi-bo-1", HELD_ON, members),
        tree,
    )
    session.mark_saved()
    return session


def test_a_members_shortcoming_is_recorded_against_catalogue_items(held_session, catalogue):
    recorded = held_session.record_shortcoming(
        "hc-1",
        SubjectKind.MEMBER,
        "dv-03",
        ["NQ04-3", "RA-DUTIES"],
        "Chưa thường xuyên nghiên cứu, học tập nghị quyết",
        catalogue,
    )

    assert recorded.to_payload() == {
        "shortcoming_id": "hc-1",
        "source": "session",
        "session_id": "ss-1",
        "inspection_id": None,
        "subject_kind": "member",
        "subject_id": "dv-03",
        "org_id": "chi-bo-1",
        "codes": ["NQ04-3", "RA-DUTIES"],
        "catalogue_version": "2024.1",
        "description": "Chưa thường xuyên nghiên cứu, học tập nghị quyết",
        "recorded_on": "2024-12-20",
    }


def test_the_collective_shortcoming_belongs_to_the_cell_that_held_the_session(held_session, catalogue):
    recorded = held_session.record_shortcoming(
        "hc-2",
        SubjectKind.ORGANISATION,
        "chi-bo-1",
        ["NQ04-4"],
        "Sinh hoạt chi bộ còn hình thức",
        catalogue,
    )
    assert recorded.subject_kind == SubjectKind.ORGANISATION

    with pytest.raises(InvalidInput) as refused:
        held_session.record_shortcoming(
            "hc-3", SubjectKind.ORGANISATION, "chi-bo-2", ["NQ04-4"], "Sai chi bộ", catalogue
        )
    assert refused.value.field == "subject_id"


def test_a_member_outside_the_roster_cannot_be_named(held_session, catalogue):
    with pytest.raises(InvalidInput) as refused:
        held_session.record_shortcoming(
            "hc-4", SubjectKind.MEMBER, "dv-99", ["QD37-3"], "Không thuộc chi bộ", catalogue
        )
    assert refused.value.rule == "ShortcomingSubjectMustBelongToTheSession"


@pytest.mark.parametrize("codes", [["NQ04-28"], ["QD37-3", "QD37-3"], [], ["nq04-1"]])
def test_unknown_or_repeated_codes_are_refused(held_session, catalogue, codes):
    with pytest.raises(InvalidInput) as refused:
        held_session.record_shortcoming(
            "hc-5", SubjectKind.MEMBER, "dv-02", codes, "Mã không hợp lệ", catalogue
        )
    assert refused.value.field == "codes"
    assert held_session.pending_events == []


def test_shortcomings_are_named_only_once_and_only_after_the_session_is_held(held_session, catalogue, tree):
    held_session.record_shortcoming("hc-6", SubjectKind.MEMBER, "dv-02", ["QD37-1"], "Vi phạm", catalogue)
    with pytest.raises(Conflict):
        held_session.record_shortcoming("hc-6", SubjectKind.MEMBER, "dv-02", ["QD37-1"], "Lặp", catalogue)

    not_held = ThemedSession.schedule("ss-2", "chi-bo-1", "Chuyên đề", HELD_ON, tree)
    with pytest.raises(Conflict) as refused:
        not_held.record_shortcoming("hc-7", SubjectKind.MEMBER, "dv-02", ["QD37-1"], "Sớm", catalogue)
    assert refused.value.rule == "ShortcomingsAreNamedInAHeldSession"
