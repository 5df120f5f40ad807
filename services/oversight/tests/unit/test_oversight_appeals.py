"""Appeals: the one-month window, the right body at each level, and the three outcomes."""

from datetime import date

import pytest

from oversight.domain.appeals import AppealOutcome as O
from oversight.domain.deciding_bodies import DecidingBody
from oversight.domain.deciding_bodies import DecidingBodyKind as K
from oversight.domain.discipline_case import DisciplineCase
from oversight.domain.discipline_decision import DisciplineDecision, DisciplineStatus
from oversight.domain.discipline_forms import DisciplineForm as F
from oversight.domain.discipline_forms import DisciplineSubject
from oversight.domain.discipline_forms import DisciplineSubjectKind as S
from oversight.domain.exceptions import InvalidValue, OutOfOrder, RuleBroken
from oversight.domain.limitation import Violation
from oversight.domain.org_tree import OrgLevel as L
from oversight.domain.org_tree import OrgNode, OrgTree, Post

TREE = OrgTree(
    [
        OrgNode("tinh-uy", L.PROVINCIAL),
        OrgNode("huyen-uy", L.DISTRICT, ("tinh-uy",)),
        OrgNode("dang-uy-xa", L.GRASSROOTS, ("huyen-uy", "tinh-uy"), authorised_to_admit_members=True),
        OrgNode("chi-bo", L.CELL, ("dang-uy-xa", "huyen-uy", "tinh-uy")),
    ]
)
MEMBER = DisciplineSubject(S.FULL_MEMBER, "dv-le-van-cuong", "chi-bo", (Post("chi-bo", "Chi ủy viên"),))
RECEIVED = date(2024, 3, 15)


def decided_by(org_id, kind, form=F.WARNING, violation_on=date(2023, 6, 1)):
    case = DisciplineCase(MEMBER, (Violation(("QD37-14",), violation_on),), date(2024, 3, 1), "Nhận hối lộ")
    return DisciplineDecision.impose(
        "qd-kl-11", case, form, DecidingBody(org_id, kind), date(2024, 3, 12), TREE, received_on=RECEIVED
    )


def appealed(decision, lodged_on=date(2024, 3, 20)):
    decision.lodge_appeal("kn-01", lodged_on, "Hình thức kỷ luật quá nặng so với vi phạm", TREE)
    return decision


# -- the window --------------------------------------------------------------------


@pytest.mark.parametrize("lodged_on", [date(2024, 4, 14), date(2024, 4, 15)])
def test_an_appeal_within_one_month_of_receipt_is_accepted(lodged_on):
    decision = appealed(decided_by("chi-bo", K.CELL), lodged_on)
    assert decision.pending_appeal is not None and decision.pending_appeal.lodged_on == lodged_on


def test_an_appeal_the_day_after_the_month_is_refused():
    decision = decided_by("chi-bo", K.CELL)
    with pytest.raises(RuleBroken) as caught:
        appealed(decision, date(2024, 4, 16))
    assert caught.value.rule == "AppealMustBeLodgedWithinWindow"
    assert "by 2024-04-15" in caught.value.message
    assert decision.pending_appeal is None  # a refused command changes nothing


def test_an_appeal_before_receiving_the_decision_is_refused():
    with pytest.raises(RuleBroken):
        appealed(decided_by("chi-bo", K.CELL), date(2024, 3, 14))


# -- the right body ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("org_id", "kind", "hearer"),
    [
        ("chi-bo", K.CELL, ("dang-uy-xa", "grassroots_committee")),
        ("dang-uy-xa", K.GRASSROOTS_COMMITTEE, ("huyen-uy", "district_committee")),
        ("huyen-uy", K.DISTRICT_STANDING_COMMITTEE, ("tinh-uy", "provincial_committee")),
        ("huyen-uy", K.DISTRICT_INSPECTION_COMMISSION, ("huyen-uy", "district_committee")),
        ("tinh-uy", K.PROVINCIAL_INSPECTION_COMMISSION, ("tinh-uy", "provincial_committee")),
    ],
)
def test_each_appeal_goes_to_the_right_body(org_id, kind, hearer):
    event = appealed(decided_by(org_id, kind)).new_events[-1]
    assert event.event_type == "DisciplineAppealed"
    assert (event.appeal_to_org_id, event.appeal_to_body_kind) == hearer


def test_an_inspection_commission_decision_goes_first_to_the_committee_of_the_same_level_then_up():
    decision = appealed(decided_by("huyen-uy", K.DISTRICT_INSPECTION_COMMISSION))
    decision.decide_appeal(O.UPHELD, date(2024, 4, 10), DecidingBody("huyen-uy", K.DISTRICT_COMMITTEE), TREE)
    second = decision.lodge_appeal("kn-02", date(2024, 5, 2), "Đề nghị cấp trên xem xét lại", TREE)
    assert (second.appeal_to_org_id, second.appeal_to_body_kind) == ("tinh-uy", "provincial_committee")
    decision.decide_appeal(
        O.UPHELD, date(2024, 6, 1), DecidingBody("tinh-uy", K.PROVINCIAL_INSPECTION_COMMISSION), TREE
    )
    assert len(decision.appeals_decided) == 2


def test_the_wrong_body_may_not_decide_an_appeal_and_is_told_who_may():
    decision = appealed(decided_by("huyen-uy", K.DISTRICT_INSPECTION_COMMISSION))
    with pytest.raises(RuleBroken) as caught:
        decision.decide_appeal(
            O.QUASHED, date(2024, 4, 10), DecidingBody("tinh-uy", K.PROVINCIAL_INSPECTION_COMMISSION), TREE
        )
    assert caught.value.rule == "AppealIsDecidedByTheRightBody"
    assert "the district committee of 'huyen-uy'" in caught.value.message
    assert decision.pending_appeal is not None


def test_an_appeal_against_the_top_of_the_tree_leaves_this_system():
    decision = decided_by("tinh-uy", K.PROVINCIAL_STANDING_COMMITTEE)
    with pytest.raises(RuleBroken) as caught:
        appealed(decision)
    assert "Central Inspection Commission" in caught.value.message


# -- outcomes ----------------------------------------------------------------------


def test_the_decision_applies_while_the_appeal_is_pending():
    decision = appealed(decided_by("dang-uy-xa", K.GRASSROOTS_COMMITTEE))
    assert decision.is_in_force and decision.form is F.WARNING


def test_an_upheld_decision_stays_as_it_was():
    decision = appealed(decided_by("dang-uy-xa", K.GRASSROOTS_COMMITTEE))
    event = decision.decide_appeal(
        O.UPHELD, date(2024, 4, 20), DecidingBody("huyen-uy", K.DISTRICT_COMMITTEE), TREE
    )
    assert (event.outcome, event.new_form) == ("upheld", None)
    assert decision.form is F.WARNING and decision.is_in_force and decision.pending_appeal is None


def test_a_changed_decision_takes_the_new_form():
    decision = appealed(decided_by("dang-uy-xa", K.GRASSROOTS_COMMITTEE))
    event = decision.decide_appeal(
        O.CHANGED,
        date(2024, 4, 20),
        DecidingBody("huyen-uy", K.DISTRICT_STANDING_COMMITTEE),
        TREE,
        new_form=F.REPRIMAND,
    )
    assert (
        event.new_form == "reprimand" and event.subject_id == "dv-le-van-cuong" and event.org_id == "chi-bo"
    )
    assert decision.form is F.REPRIMAND and decision.is_in_force


def test_a_quashed_decision_no_longer_applies():
    decision = appealed(decided_by("dang-uy-xa", K.GRASSROOTS_COMMITTEE))
    decision.decide_appeal(
        O.QUASHED, date(2024, 4, 20), DecidingBody("huyen-uy", K.DISTRICT_INSPECTION_COMMISSION), TREE
    )
    assert decision.status is DisciplineStatus.QUASHED and not decision.is_in_force


def test_a_change_needs_a_new_form_that_suits_the_subject():
    decision = appealed(decided_by("dang-uy-xa", K.GRASSROOTS_COMMITTEE))
    hearer = DecidingBody("huyen-uy", K.DISTRICT_COMMITTEE)
    with pytest.raises(InvalidValue):
        decision.decide_appeal(O.CHANGED, date(2024, 4, 20), hearer, TREE)
    with pytest.raises(RuleBroken):
        decision.decide_appeal(O.CHANGED, date(2024, 4, 20), hearer, TREE, new_form=F.DISSOLUTION)
    with pytest.raises(InvalidValue):
        decision.decide_appeal(O.UPHELD, date(2024, 4, 20), hearer, TREE, new_form=F.REPRIMAND)


def test_only_one_appeal_is_pending_at_a_time_and_none_without_an_appeal():
    decision = decided_by("chi-bo", K.CELL)
    with pytest.raises(OutOfOrder):
        decision.decide_appeal(
            O.UPHELD, date(2024, 4, 1), DecidingBody("dang-uy-xa", K.GRASSROOTS_COMMITTEE), TREE
        )
    appealed(decision)
    with pytest.raises(OutOfOrder):
        appealed(decision, date(2024, 3, 21))


def test_a_time_barred_decision_cannot_be_appealed():
    decision = decided_by(
        "huyen-uy", K.DISTRICT_INSPECTION_COMMISSION, F.REPRIMAND, violation_on=date(2018, 1, 1)
    )
    assert decision.status is DisciplineStatus.TIME_BARRED
    with pytest.raises(OutOfOrder):
        appealed(decision)


def test_the_decision_is_rebuilt_from_its_events():
    original = appealed(decided_by("dang-uy-xa", K.GRASSROOTS_COMMITTEE))
    original.decide_appeal(
        O.CHANGED,
        date(2024, 4, 20),
        DecidingBody("huyen-uy", K.DISTRICT_COMMITTEE),
        TREE,
        new_form=F.REPRIMAND,
    )
    rebuilt = DisciplineDecision.from_events(original.new_events)
    assert (rebuilt.form, rebuilt.status, rebuilt.decided_by) == (
        original.form,
        original.status,
        original.decided_by,
    )
    assert [e.event_type for e in original.new_events] == [
        "DisciplineImposed",
        "DisciplineAppealed",
        "AppealDecided",
    ]


# -- a changed form must be within the hearer's authority --------------------------

NOT_ADMITTING = OrgTree(
    [
        OrgNode("tinh-uy", L.PROVINCIAL),
        OrgNode("huyen-uy", L.DISTRICT, ("tinh-uy",)),
        OrgNode("dang-uy-xa", L.GRASSROOTS, ("huyen-uy", "tinh-uy")),  # not authorised to admit
        OrgNode("chi-bo", L.CELL, ("dang-uy-xa", "huyen-uy", "tinh-uy")),
    ]
)


def warned_by_the_cell(tree, subject=MEMBER):
    case = DisciplineCase(subject, (Violation(("QD37-3",), date(2023, 6, 1)),), date(2024, 3, 1), "Vi phạm")
    decision = DisciplineDecision.impose(
        "qd-kl-12",
        case,
        F.WARNING,
        DecidingBody("chi-bo", K.CELL),
        date(2024, 3, 12),
        tree,
        received_on=RECEIVED,
    )
    decision.lodge_appeal("kn-01", date(2024, 3, 20), "Đề nghị xem xét lại", tree)
    return decision


def test_a_grassroots_committee_not_authorised_to_admit_may_not_turn_a_warning_into_an_expulsion():
    decision = warned_by_the_cell(NOT_ADMITTING)
    with pytest.raises(RuleBroken) as caught:
        decision.decide_appeal(
            O.CHANGED,
            date(2024, 4, 10),
            DecidingBody("dang-uy-xa", K.GRASSROOTS_COMMITTEE),
            NOT_ADMITTING,
            new_form=F.EXPULSION,
            posts=MEMBER.posts,
        )
    assert caught.value.rule == "AppealMayChangeTheFormOnlyWithinTheHearersAuthority"
    assert caught.value.field == "new_form"
    assert "GrassrootsCommitteeMayExpelOnlyIfAuthorisedToAdmit" in caught.value.message
    assert caught.value.allowed_instead == (
        "the district standing committee may, on the grassroots committee's proposal"
    )
    assert decision.pending_appeal is not None and decision.form is F.WARNING


def test_a_grassroots_committee_may_not_remove_its_own_committee_member_on_appeal():
    on_committee = (Post("dang-uy-xa", "Đảng ủy viên"),)
    subject = DisciplineSubject(S.FULL_MEMBER, "dv-le-van-cuong", "chi-bo", on_committee)
    decision = warned_by_the_cell(TREE, subject)
    hearer = DecidingBody("dang-uy-xa", K.GRASSROOTS_COMMITTEE)
    with pytest.raises(RuleBroken) as caught:
        decision.decide_appeal(
            O.CHANGED, date(2024, 4, 10), hearer, TREE, new_form=F.REMOVAL_FROM_POST, posts=on_committee
        )
    assert "GrassrootsCommitteeMembersAreRemovedOrExpelledByTheLevelAbove" in caught.value.message
    assert caught.value.allowed_instead == "the district standing committee may, on the cell's proposal"
    lighter = decision.decide_appeal(
        O.CHANGED, date(2024, 4, 10), hearer, TREE, new_form=F.REPRIMAND, posts=on_committee
    )
    assert lighter.new_form == "reprimand"


def test_an_authorised_grassroots_committee_may_change_a_warning_into_an_expulsion():
    decision = warned_by_the_cell(TREE)
    decision.decide_appeal(
        O.CHANGED,
        date(2024, 4, 10),
        DecidingBody("dang-uy-xa", K.GRASSROOTS_COMMITTEE),
        TREE,
        new_form=F.EXPULSION,
        posts=MEMBER.posts,
    )
    assert decision.form is F.EXPULSION


# -- the rule set each decision on an appeal records ---------------------------------


@pytest.mark.parametrize(
    ("decided_on", "rule_set"),
    [(date(2024, 4, 20), "QD69-2022"), (date(2025, 3, 1), "QD69-2022-amended-2025")],
)
def test_the_decision_on_an_appeal_records_the_rule_set_in_force_on_its_date(decided_on, rule_set):
    decision = appealed(decided_by("dang-uy-xa", K.GRASSROOTS_COMMITTEE))
    event = decision.decide_appeal(O.UPHELD, decided_on, DecidingBody("huyen-uy", K.DISTRICT_COMMITTEE), TREE)
    assert event.rule_set == rule_set and event.to_payload()["rule_set"] == rule_set


# -- refusals say what would have been allowed ---------------------------------------


def test_a_late_appeal_is_told_the_window_it_had():
    with pytest.raises(RuleBroken) as caught:
        appealed(decided_by("chi-bo", K.CELL), date(2024, 4, 16))
    assert caught.value.allowed_instead == "an appeal lodged from 2024-03-15 to 2024-04-15"


# -- appeal paths at the district and without districts ----------------------------

TREE_2025 = OrgTree(
    [
        OrgNode("tinh-uy", L.PROVINCIAL),
        OrgNode("dang-uy-xa-moi", L.GRASSROOTS, ("tinh-uy",), authorised_to_admit_members=True),
        OrgNode("chi-bo-moi", L.CELL, ("dang-uy-xa-moi", "tinh-uy")),
    ]
)


def test_an_appeal_against_a_district_committees_decision_goes_to_the_province():
    decision = appealed(decided_by("huyen-uy", K.DISTRICT_COMMITTEE))
    assert (decision.pending_appeal.appeal_to_org_id, decision.pending_appeal.appeal_to_body_kind) == (
        "tinh-uy",
        "provincial_committee",
    )
    with pytest.raises(RuleBroken) as caught:  # not the district's own bodies
        decision.decide_appeal(
            O.QUASHED, date(2024, 4, 10), DecidingBody("huyen-uy", K.DISTRICT_COMMITTEE), TREE
        )
    assert caught.value.rule == "AppealIsDecidedByTheRightBody"
    assert "the provincial committee of 'tinh-uy'" in caught.value.message
    decision.decide_appeal(
        O.QUASHED, date(2024, 4, 10), DecidingBody("tinh-uy", K.PROVINCIAL_STANDING_COMMITTEE), TREE
    )
    assert decision.status is DisciplineStatus.QUASHED


def test_without_districts_an_appeal_against_a_grassroots_decision_goes_straight_to_the_province():
    subject = DisciplineSubject(S.FULL_MEMBER, "dv-tran-thi-mai", "chi-bo-moi")
    case = DisciplineCase(subject, (Violation(("QD37-3",), date(2025, 6, 1)),), date(2025, 8, 1), "Vi phạm")
    decision = DisciplineDecision.impose(
        "qd-kl-2025-01",
        case,
        F.WARNING,
        DecidingBody("dang-uy-xa-moi", K.GRASSROOTS_COMMITTEE),
        date(2025, 8, 5),
        TREE_2025,
    )
    appeal = decision.lodge_appeal("kn-2025-01", date(2025, 8, 20), "Quá nặng", TREE_2025)
    assert (appeal.appeal_to_org_id, appeal.appeal_to_body_kind) == ("tinh-uy", "provincial_committee")
    event = decision.decide_appeal(
        O.CHANGED,
        date(2025, 9, 15),
        DecidingBody("tinh-uy", K.PROVINCIAL_INSPECTION_COMMISSION),
        TREE_2025,
        new_form=F.REPRIMAND,
    )
    assert (event.deciding_body_org_id, event.rule_set) == ("tinh-uy", "QD296-2025")
    assert decision.form is F.REPRIMAND
