"""Review suggestions stay open until answered; programmes show the share carried out."""

from datetime import date
from fractions import Fraction

import pytest

from oversight.domain.exceptions import InvalidValue, NotFound, OutOfOrder, RuleBroken
from oversight.domain.inspection import Inspection
from oversight.domain.inspection_decision import InspectionDecision
from oversight.domain.inspection_kinds import InspectionKind as K
from oversight.domain.inspection_kinds import OversightBodyType as B
from oversight.domain.inspection_kinds import OversightSubjectKind
from oversight.domain.org_tree import OrgLevel as L
from oversight.domain.org_tree import OrgNode, OrgTree
from oversight.domain.programme import InspectionProgramme
from oversight.domain.programme_events import ProgrammeItem
from oversight.domain.review_suggestion import AnsweredIn, ReviewSuggestion
from oversight.domain.review_suggestion import ReviewTargetKind as T

TREE = OrgTree(
    [
        OrgNode("huyen-uy", L.DISTRICT),
        OrgNode("dang-uy-xa", L.GRASSROOTS, ("huyen-uy",)),
        OrgNode("chi-bo", L.CELL, ("dang-uy-xa", "huyen-uy")),
        OrgNode("huyen-uy-khac", L.DISTRICT),
    ]
)


def suggest(target_org="chi-bo", body="huyen-uy"):
    return ReviewSuggestion.suggest(
        "gy-01",
        body,
        B.STANDING_COMMITTEE,
        T.MEMBER,
        "dv-hoang-thi-mai",
        target_org,
        ("Chậm triển khai chương trình cho vay vốn nông nghiệp",),
        date(2023, 10, 5),
        TREE.is_within,
    )


def test_a_body_suggests_a_review_to_a_member_of_its_subtree_and_it_stays_open():
    suggestion = suggest()
    (event,) = suggestion.new_events
    assert event.event_type == "ReviewSuggested" and event.org_id == "chi-bo"
    assert suggestion.is_open


def test_a_body_may_not_suggest_outside_its_subtree():
    with pytest.raises(RuleBroken) as caught:
        suggest(body="huyen-uy-khac")
    assert caught.value.rule == "ReviewTargetMustBeInSuggestingBodysSubtree"
    assert caught.value.field == "target_org_id"


def test_the_answer_closes_the_suggestion_with_its_reference():
    suggestion = suggest()
    event = suggestion.record_answer(
        date(2023, 12, 20), AnsweredIn.REVIEW, "Biên bản kiểm điểm cuối năm 2023"
    )
    assert (event.answered_in, event.reference) == ("review", "Biên bản kiểm điểm cuối năm 2023")
    assert not suggestion.is_open
    assert not ReviewSuggestion.from_events(suggestion.new_events).is_open


def test_a_suggestion_is_answered_once_and_not_before_it_was_made():
    suggestion = suggest()
    with pytest.raises(InvalidValue):
        suggestion.record_answer(date(2023, 10, 4), AnsweredIn.SESSION, "Biên bản sinh hoạt")
    with pytest.raises(InvalidValue):
        suggestion.record_answer(date(2023, 11, 4), AnsweredIn.SESSION, " ")
    suggestion.record_answer(date(2023, 11, 4), AnsweredIn.SESSION, "Biên bản sinh hoạt chuyên đề quý IV")
    with pytest.raises(OutOfOrder):
        suggestion.record_answer(date(2023, 11, 5), AnsweredIn.SESSION, "Biên bản khác")


ITEMS = tuple(
    ProgrammeItem(f"ct-{n}", kind, "Kiểm tra, giám sát theo chương trình năm", "chi-bo", month)
    for n, (kind, month) in enumerate(
        [
            ("regular_inspection", 3),
            ("thematic_supervision", 6),
            ("regular_supervision", 9),
            ("regular_inspection", 11),
        ]
    )
)


def supervision(inspection_id, conducted_on=date(2024, 3, 1), body="dang-uy-xa", item_id=None):
    """A supervision file of `body` on the cell, carried out on `conducted_on` (None: not yet)."""
    decision = InspectionDecision(
        kind=K.REGULAR_SUPERVISION,
        deciding_body_org_id=body,
        deciding_body_type=B.COMMITTEE,
        subject_kind=OversightSubjectKind.ORGANISATION,
        subject_id="chi-bo",
        subject_org_id="chi-bo",
        content="Giám sát việc thực hiện chương trình năm",
        period_from=date(2023, 1, 1),
        period_to=date(2023, 12, 31),
        team=("Nguyễn Văn Hải", "Trần Thị Lan", "Lê Minh Tuấn"),
        planned_duration_days=20,
        decision_number="05-QĐ/ĐU",
        decided_on=date(2024, 2, 1),
        programme_item_id=item_id,
    )
    file = Inspection.open(inspection_id, decision)
    if conducted_on is not None:
        file.conduct_supervision(conducted_on, "Không phát hiện dấu hiệu vi phạm", (), False, "")
    return file


def test_the_share_of_the_programme_carried_out():
    programme = InspectionProgramme.adopt(
        "ctkt-2024", "dang-uy-xa", B.COMMITTEE, 2024, ITEMS, date(2024, 1, 15)
    )
    programme.record_item_carried_out("ct-0", supervision("kt-2024-01"), date(2024, 3, 20))
    programme.record_item_carried_out("ct-1", supervision("gs-2024-02"), date(2024, 6, 18))
    assert programme.share_carried_out == Fraction(1, 2)
    assert [i.item_id for i in programme.items_not_carried_out()] == ["ct-2", "ct-3"]
    assert InspectionProgramme.from_events(programme.new_events).share_carried_out == Fraction(1, 2)


def test_programme_items_are_carried_out_once_within_the_year():
    programme = InspectionProgramme.adopt(
        "ctkt-2024", "dang-uy-xa", B.COMMITTEE, 2024, ITEMS, date(2024, 1, 15)
    )
    with pytest.raises(NotFound):
        programme.record_item_carried_out("ct-9", supervision("kt-x"), date(2024, 3, 1))
    with pytest.raises(InvalidValue):
        programme.record_item_carried_out("ct-0", supervision("kt-x"), date(2025, 1, 2))
    programme.record_item_carried_out("ct-0", supervision("kt-x"), date(2024, 3, 1))
    with pytest.raises(OutOfOrder):
        programme.record_item_carried_out("ct-0", supervision("kt-y"), date(2024, 3, 2))


@pytest.mark.parametrize(
    ("file", "words"),
    [
        (
            supervision("gs-1", conducted_on=None),
            "at phase opened; an item is carried out once its file is carried out",
        ),
        (supervision("gs-2", conducted_on=date(2024, 3, 5)), "finished on 2024-03-05, after carried_out_on"),
        (supervision("gs-3", body="huyen-uy"), "opened by a body of 'huyen-uy', not of 'dang-uy-xa'"),
    ],
)
def test_only_a_finished_file_of_the_programmes_own_body_carries_an_item_out(file, words):
    programme = InspectionProgramme.adopt(
        "ctkt-2024", "dang-uy-xa", B.COMMITTEE, 2024, ITEMS, date(2024, 1, 15)
    )
    with pytest.raises(RuleBroken) as caught:
        programme.record_item_carried_out("ct-1", file, date(2024, 3, 4))
    assert caught.value.rule == "ProgrammeItemIsCarriedOutByAFinishedFileOfTheBody"
    assert caught.value.field == "inspection_id" and words in caught.value.message
    assert programme.carried_out == {} and programme.new_events[1:] == []


def test_a_file_opened_for_another_item_does_not_carry_this_one_out():
    programme = InspectionProgramme.adopt(
        "ctkt-2024", "dang-uy-xa", B.COMMITTEE, 2024, ITEMS, date(2024, 1, 15)
    )
    with pytest.raises(InvalidValue) as caught:
        programme.record_item_carried_out("ct-1", supervision("gs-1", item_id="ct-2"), date(2024, 3, 4))
    assert "opened for programme item 'ct-2'" in caught.value.message
    programme.record_item_carried_out("ct-2", supervision("gs-1", item_id="ct-2"), date(2024, 3, 4))


def test_a_programme_item_has_a_known_kind_and_month():
    bad = (ProgrammeItem("ct-0", "audit", "x", "chi-bo", 3),)
    with pytest.raises(InvalidValue):
        InspectionProgramme.adopt("ctkt-2024", "dang-uy-xa", B.COMMITTEE, 2024, bad, date(2024, 1, 15))
