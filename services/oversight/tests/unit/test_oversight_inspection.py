"""Inspections walk their phases in order; supervisions take the lighter path."""

from dataclasses import replace
from datetime import date

import pytest

from oversight.domain.business_rule import check_rule
from oversight.domain.exceptions import InvalidValue, OutOfOrder, RuleBroken
from oversight.domain.findings import Finding
from oversight.domain.inspection import Inspection
from oversight.domain.inspection_decision import InspectionDecision
from oversight.domain.inspection_kinds import (
    InspectionKind as K,
)
from oversight.domain.inspection_kinds import (
    InspectionScope,
)
from oversight.domain.inspection_kinds import (
    OversightBodyType as B,
)
from oversight.domain.inspection_kinds import (
    OversightSubjectKind as S,
)
from oversight.domain.inspection_kinds import (
    Phase as P,
)
from oversight.domain.org_tree import OrgLevel, OrgNode, OrgTree
from oversight.inspections import SubjectMustBeWithinOversightBodysSubtree

DECISION = InspectionDecision(
    kind=K.INSPECTION_ON_SIGNS_OF_VIOLATION,
    deciding_body_org_id="huyen-uy-can-loc",
    deciding_body_type=B.INSPECTION_COMMISSION,
    subject_kind=S.MEMBER,
    subject_id="dv-pham-van-dung",
    subject_org_id="chi-bo-thon-2",
    content="Kiểm tra việc kê khai tài sản, thu nhập và thực hiện chức trách được giao",
    period_from=date(2022, 1, 1),
    period_to=date(2023, 12, 31),
    team=("Nguyễn Văn Hải", "Trần Thị Lan", "Lê Minh Tuấn"),
    planned_duration_days=30,
    decision_number="45-QĐ/UBKT",
    decided_on=date(2024, 3, 4),
)
WALK = [P.NOTIFIED, P.SELF_REPORT_RECEIVED, P.VERIFIED, P.DRAFT_DISCUSSED]
FINDINGS = (
    Finding(
        "hc-01",
        "member",
        "dv-pham-van-dung",
        "chi-bo-thon-2",
        ("QD37-9",),
        "Kê khai tài sản không trung thực",
    ),
    Finding(
        "hc-02", "organisation", "chi-bo-thon-2", "chi-bo-thon-2", ("NQ04-4",), "Buông lỏng quản lý đảng viên"
    ),
)


def walked_to_draft(decision=DECISION):
    inspection = Inspection.open("kt-2024-07", decision)
    for day, phase in enumerate(WALK, start=5):
        inspection.record_phase(phase, date(2024, 3, day))
    return inspection


def concluded(inspection=None):
    inspection = inspection or walked_to_draft()
    inspection.conclude(
        date(2024, 4, 10), "Có vi phạm đến mức phải xem xét kỷ luật", FINDINGS, True, True, "2024.1"
    )
    return inspection


def test_opening_records_the_decision_and_the_team():
    (event,) = Inspection.open("kt-2024-07", DECISION).new_events
    assert event.event_type == "InspectionOpened"
    assert event.decision_number == "45-QĐ/UBKT" and len(event.team) == 3 and event.org_id == "chi-bo-thon-2"


@pytest.mark.parametrize("team", [("A", "B"), ("A", "B", "C", "D", "E", "F"), ("A", "A", "B")])
def test_a_team_has_three_to_five_distinct_members(team):
    with pytest.raises(InvalidValue) as caught:
        Inspection.open("kt-x", replace(DECISION, team=team))
    assert caught.value.field == "team"


def test_a_regular_inspection_is_either_regular_or_thematic_and_others_have_no_scope():
    with pytest.raises(InvalidValue):
        Inspection.open("kt-x", replace(DECISION, kind=K.REGULAR_INSPECTION))
    with pytest.raises(InvalidValue):
        Inspection.open("kt-x", replace(DECISION, scope=InspectionScope.THEMATIC))
    opened = Inspection.open(
        "kt-x", replace(DECISION, kind=K.REGULAR_INSPECTION, scope=InspectionScope.THEMATIC)
    )
    assert opened.opened is not None and opened.opened.scope == "thematic"


def test_the_period_covered_must_be_in_order():
    with pytest.raises(InvalidValue) as caught:
        Inspection.open("kt-x", replace(DECISION, period_to=date(2021, 12, 31)))
    assert caught.value.field == "period_to"


def test_phases_are_recorded_in_order():
    inspection = walked_to_draft()
    assert inspection.phase is P.DRAFT_DISCUSSED
    assert [e.phase for e in inspection.new_events[1:]] == [p.value for p in WALK]


def test_a_phase_out_of_order_is_refused_with_the_expected_one():
    inspection = Inspection.open("kt-2024-07", DECISION)
    with pytest.raises(OutOfOrder) as caught:
        inspection.record_phase(P.VERIFIED, date(2024, 3, 6))
    assert caught.value.message == "The phase verified cannot follow opened: the next phase is notified."
    assert inspection.phase is P.OPENED and len(inspection.new_events) == 1


def test_a_phase_cannot_be_dated_before_the_previous_step():
    inspection = Inspection.open("kt-2024-07", DECISION)
    with pytest.raises(InvalidValue):
        inspection.record_phase(P.NOTIFIED, date(2024, 3, 1))


def test_concluding_before_the_draft_is_discussed_is_refused():
    inspection = Inspection.open("kt-2024-07", DECISION)
    with pytest.raises(OutOfOrder):
        concluded(inspection)


def test_the_conclusion_publishes_each_shortcoming_tied_to_catalogue_codes():
    events = concluded().new_events
    assert [e.event_type for e in events[-4:]] == [
        "InspectionPhaseRecorded",
        "InspectionConcluded",
        "ShortcomingRecorded",
        "ShortcomingRecorded",
    ]
    shortcoming = events[-2].to_payload()
    assert shortcoming == {
        "source": "inspection",
        "session_id": None,
        "inspection_id": "kt-2024-07",
        "shortcoming_id": "hc-01",
        "subject_kind": "member",
        "subject_id": "dv-pham-van-dung",
        "org_id": "chi-bo-thon-2",
        "codes": ["QD37-9"],
        "catalogue_version": "2024.1",
        "description": "Kê khai tài sản không trung thực",
        "recorded_on": "2024-04-10",
    }
    assert events[-3].discipline_warranted is True


def test_a_finding_must_carry_a_catalogue_code():
    bad = (replace(FINDINGS[0], codes=("điều 5",)),)
    with pytest.raises(InvalidValue) as caught:
        walked_to_draft().conclude(date(2024, 4, 10), "Kết luận", bad, True, False, "2024.1")
    assert caught.value.field == "findings[0].codes"


def test_discipline_is_warranted_only_with_a_violation():
    with pytest.raises(InvalidValue):
        walked_to_draft().conclude(date(2024, 4, 10), "Không vi phạm", (), False, True, "2024.1")


# -- archiving within 15 working days of the conclusion notice ---------------------


def notified_on_friday():
    inspection = concluded()
    inspection.record_phase(P.CONCLUSION_NOTIFIED, date(2024, 4, 12))  # a Friday
    return inspection


def test_a_file_not_archived_after_fifteen_working_days_is_late():
    inspection = notified_on_friday()
    assert inspection.archive_deadline() == date(2024, 5, 3)
    assert not inspection.is_archive_late(date(2024, 5, 3))
    assert inspection.is_archive_late(date(2024, 5, 4))


def test_holidays_push_the_archive_deadline():
    holidays = (date(2024, 4, 18), date(2024, 4, 30), date(2024, 5, 1))  # Giỗ Tổ, 30/4, 1/5
    inspection = notified_on_friday()
    assert inspection.archive_deadline(holidays) == date(2024, 5, 8)
    assert not inspection.is_archive_late(date(2024, 5, 8), holidays)
    assert inspection.is_archive_late(date(2024, 5, 9), holidays)


def test_a_file_archived_in_time_is_never_late_and_nothing_follows_archiving():
    inspection = notified_on_friday()
    inspection.record_phase(P.ARCHIVED, date(2024, 5, 2))
    assert not inspection.is_archive_late(date(2025, 1, 1))
    with pytest.raises(OutOfOrder) as caught:
        inspection.record_phase(P.ARCHIVED, date(2024, 5, 3))
    assert "already archived" in caught.value.message


def test_a_file_without_a_conclusion_notice_is_not_yet_late():
    assert not concluded().is_archive_late(date(2030, 1, 1))


# -- supervisions ------------------------------------------------------------------

SUPERVISION = replace(
    DECISION,
    kind=K.THEMATIC_SUPERVISION,
    deciding_body_type=B.STANDING_COMMITTEE,
    subject_kind=S.ORGANISATION,
    subject_id="dang-uy-xa-thuan-thien",
    subject_org_id="dang-uy-xa-thuan-thien",
    content="Giám sát việc thực hiện Kết luận 21-KL/TW",
)


def test_a_supervision_is_conducted_with_its_findings():
    supervision = Inspection.open("gs-2024-02", SUPERVISION)
    finding = replace(FINDINGS[1], subject_id="dang-uy-xa-thuan-thien", org_id="dang-uy-xa-thuan-thien")
    events = supervision.conduct_supervision(date(2024, 5, 20), "Còn hạn chế", (finding,), True, "2024.1")
    assert [e.event_type for e in events] == [
        "InspectionPhaseRecorded",
        "SupervisionConducted",
        "ShortcomingRecorded",
    ]
    assert events[1].violation_signs_found and supervision.phase is P.CONDUCTED


def test_a_supervision_has_no_inspection_phases_and_an_inspection_is_not_conducted():
    supervision = Inspection.open("gs-2024-02", SUPERVISION)
    with pytest.raises(OutOfOrder):
        supervision.record_phase(P.SELF_REPORT_RECEIVED, date(2024, 5, 1))
    with pytest.raises(OutOfOrder):
        walked_to_draft().conduct_supervision(date(2024, 5, 20), "Còn hạn chế", (), False, "2024.1")


def test_an_inspection_is_rebuilt_from_its_events():
    original = notified_on_friday()
    rebuilt = Inspection.from_events(original.new_events)
    assert rebuilt.phase is P.CONCLUSION_NOTIFIED and rebuilt.shortcoming_ids == ("hc-01", "hc-02")
    assert rebuilt.archive_deadline() == original.archive_deadline()


def test_a_body_outside_the_subjects_lineage_is_told_which_bodies_may_inspect():
    tree = OrgTree(
        [
            OrgNode("huyen-uy", OrgLevel.DISTRICT),
            OrgNode("dang-uy-xa", OrgLevel.GRASSROOTS, ("huyen-uy",)),
            OrgNode("chi-bo-1", OrgLevel.CELL, ("dang-uy-xa", "huyen-uy")),
            OrgNode("chi-bo-2", OrgLevel.CELL, ("dang-uy-xa", "huyen-uy")),
        ]
    )
    with pytest.raises(RuleBroken) as caught:
        check_rule(SubjectMustBeWithinOversightBodysSubtree("chi-bo-2", "chi-bo-1", tree))
    assert caught.value.rule == "SubjectMustBeWithinOversightBodysSubtree"
    assert caught.value.allowed_instead == "a body of 'chi-bo-1', 'dang-uy-xa' or 'huyen-uy' may"
