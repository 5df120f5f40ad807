"""Who may impose which discipline: one test per row of the authority table (DOMAIN.md §6)."""

from datetime import date

import pytest

from oversight.domain.deciding_bodies import DecidingBody
from oversight.domain.deciding_bodies import DecidingBodyKind as K
from oversight.domain.discipline_case import DisciplineCase
from oversight.domain.discipline_decision import DisciplineDecision
from oversight.domain.discipline_forms import DisciplineForm as F
from oversight.domain.discipline_forms import DisciplineSubject
from oversight.domain.discipline_forms import DisciplineSubjectKind as S
from oversight.domain.discipline_proposal import DisciplineProposal
from oversight.domain.exceptions import InvalidValue, RuleBroken
from oversight.domain.limitation import Violation
from oversight.domain.org_tree import OrgLevel as L
from oversight.domain.org_tree import OrgNode, OrgTree, Post

TREE_2023 = OrgTree(
    [
        OrgNode("tinh-uy", L.PROVINCIAL),
        OrgNode("huyen-uy-a", L.DISTRICT, ("tinh-uy",)),
        OrgNode("huyen-uy-b", L.DISTRICT, ("tinh-uy",)),
        OrgNode("dang-uy-xa-a", L.GRASSROOTS, ("huyen-uy-a", "tinh-uy"), authorised_to_admit_members=True),
        OrgNode("dang-uy-xa-b", L.GRASSROOTS, ("huyen-uy-a", "tinh-uy")),
        OrgNode("dang-uy-xa-c", L.GRASSROOTS, ("huyen-uy-b", "tinh-uy")),
        OrgNode("chi-bo-1", L.CELL, ("dang-uy-xa-a", "huyen-uy-a", "tinh-uy")),
        OrgNode("chi-bo-2", L.CELL, ("dang-uy-xa-a", "huyen-uy-a", "tinh-uy")),
        OrgNode("chi-bo-3", L.CELL, ("dang-uy-xa-b", "huyen-uy-a", "tinh-uy")),
        OrgNode("chi-bo-9", L.CELL, ("dang-uy-xa-c", "huyen-uy-b", "tinh-uy")),
    ]
)
# After the 2025 reform there is no district: the commune committee sits under the province.
TREE_2025 = OrgTree(
    [
        OrgNode("tinh-uy", L.PROVINCIAL),
        OrgNode("dang-uy-xa-moi", L.GRASSROOTS, ("tinh-uy",), authorised_to_admit_members=True),
        OrgNode("chi-bo-moi", L.CELL, ("dang-uy-xa-moi", "tinh-uy")),
    ]
)

SECRETARY_OF_CELL_1 = (Post("chi-bo-1", "Bí thư chi bộ"),)
ON_COMMUNE_COMMITTEE = (Post("dang-uy-xa-a", "Đảng ủy viên"),)


def member(org_id="chi-bo-1", posts=(), kind=S.FULL_MEMBER, member_id="dv-nguyen-van-an"):
    return DisciplineSubject(kind, member_id, org_id, posts)


def organisation(org_id):
    return DisciplineSubject(S.ORGANISATION, org_id, org_id)


def case(subject, higher_task=False):
    return DisciplineCase(
        subject=subject,
        violations=(Violation(("QD37-3",), date(2023, 5, 2)),),
        discipline_warranted_on=date(2023, 9, 20),
        reason="Vi phạm nguyên tắc tập trung dân chủ",
        concerns_higher_level_task=higher_task,
    )


def impose(body_org, body_kind, subject, form, tree=TREE_2023, higher_task=False):
    return DisciplineDecision.impose(
        "qd-01", case(subject, higher_task), form, DecidingBody(body_org, body_kind), date(2023, 9, 25), tree
    )


def refusal(*args, **kwargs) -> RuleBroken:
    with pytest.raises(RuleBroken) as caught:
        impose(*args, **kwargs)
    return caught.value


# -- a cell ------------------------------------------------------------------------


@pytest.mark.parametrize("form", [F.REPRIMAND, F.WARNING])
def test_a_cell_reprimands_or_warns_its_own_member(form):
    decision = impose("chi-bo-1", K.CELL, member(), form)
    assert decision.form is form and decision.is_in_force


def test_a_cell_may_not_discipline_a_member_of_another_cell():
    error = refusal("chi-bo-2", K.CELL, member("chi-bo-1"), F.REPRIMAND)
    assert error.rule == "SubjectMustBeWithinDecidingBodySubtree"
    assert error.allowed_instead == "the cell of 'chi-bo-1' may"


def test_a_cell_may_not_discipline_for_a_task_assigned_by_a_higher_level():
    error = refusal("chi-bo-1", K.CELL, member(), F.WARNING, higher_task=True)
    assert error.rule == "CellMayNotDisciplineForTasksAssignedByAHigherLevel"
    assert error.allowed_instead == "the grassroots committee may, on the cell's proposal"


def test_a_cell_may_not_expel_a_commune_committee_member_and_says_who_may():
    error = refusal("chi-bo-1", K.CELL, member(posts=ON_COMMUNE_COMMITTEE), F.EXPULSION)
    assert (
        error.message == "a cell may not expel; the district standing committee may, on the cell's proposal."
    )
    assert error.rule == "CellMayOnlyReprimandOrWarn"
    assert error.field == "deciding_body_kind"


def test_a_cell_may_not_remove_from_post_but_the_grassroots_committee_may():
    error = refusal("chi-bo-1", K.CELL, member(posts=SECRETARY_OF_CELL_1), F.REMOVAL_FROM_POST)
    assert error.message == (
        "a cell may not remove from post; the grassroots committee may, on the cell's proposal."
    )


def test_a_cell_may_not_discipline_an_organisation():
    error = refusal("chi-bo-1", K.CELL, organisation("chi-bo-1"), F.REPRIMAND)
    assert error.rule == "OrganisationIsDisciplinedByAHigherLevel"


# -- a grassroots committee --------------------------------------------------------


@pytest.mark.parametrize("form", [F.REPRIMAND, F.WARNING])
def test_a_grassroots_committee_reprimands_or_warns_members_of_its_subtree(form):
    assert impose("dang-uy-xa-a", K.GRASSROOTS_COMMITTEE, member("chi-bo-2"), form).form is form


def test_a_grassroots_committee_removes_a_lower_committee_member_from_post():
    decision = impose(
        "dang-uy-xa-a", K.GRASSROOTS_COMMITTEE, member(posts=SECRETARY_OF_CELL_1), F.REMOVAL_FROM_POST
    )
    assert decision.form is F.REMOVAL_FROM_POST


def test_a_grassroots_committee_may_not_remove_its_own_committee_member():
    error = refusal(
        "dang-uy-xa-a", K.GRASSROOTS_COMMITTEE, member(posts=ON_COMMUNE_COMMITTEE), F.REMOVAL_FROM_POST
    )
    assert error.rule == "GrassrootsCommitteeMembersAreRemovedOrExpelledByTheLevelAbove"
    assert error.allowed_instead == "the district standing committee may, on the cell's proposal"


def test_a_grassroots_committee_authorised_to_admit_may_expel():
    assert impose("dang-uy-xa-a", K.GRASSROOTS_COMMITTEE, member(), F.EXPULSION).form is F.EXPULSION


def test_a_grassroots_committee_not_authorised_to_admit_may_not_expel():
    error = refusal("dang-uy-xa-b", K.GRASSROOTS_COMMITTEE, member("chi-bo-3"), F.EXPULSION)
    assert error.rule == "GrassrootsCommitteeMayExpelOnlyIfAuthorisedToAdmit"
    assert (
        error.allowed_instead == "the district standing committee may, on the grassroots committee's proposal"
    )


def test_even_an_authorised_grassroots_committee_may_not_expel_its_own_committee_member():
    error = refusal("dang-uy-xa-a", K.GRASSROOTS_COMMITTEE, member(posts=ON_COMMUNE_COMMITTEE), F.EXPULSION)
    assert error.rule == "GrassrootsCommitteeMembersAreRemovedOrExpelledByTheLevelAbove"


def test_a_grassroots_committee_may_not_discipline_a_cell_as_an_organisation():
    error = refusal("dang-uy-xa-a", K.GRASSROOTS_COMMITTEE, organisation("chi-bo-1"), F.REPRIMAND)
    assert error.rule == "GrassrootsCommitteeMayNotDisciplineOrganisations"
    assert "the district standing committee may" in error.message


# -- district and provincial bodies ------------------------------------------------


def test_the_district_standing_committee_removes_a_commune_committee_member():
    decision = impose(
        "huyen-uy-a", K.DISTRICT_STANDING_COMMITTEE, member(posts=ON_COMMUNE_COMMITTEE), F.REMOVAL_FROM_POST
    )
    assert decision.form is F.REMOVAL_FROM_POST


@pytest.mark.parametrize(
    "kind", [K.DISTRICT_COMMITTEE, K.DISTRICT_STANDING_COMMITTEE, K.DISTRICT_INSPECTION_COMMISSION]
)
def test_district_bodies_may_expel_within_their_subtree(kind):
    assert impose("huyen-uy-a", kind, member("chi-bo-3"), F.EXPULSION).form is F.EXPULSION


def test_a_district_committee_dissolves_a_cell_below_it():
    decision = impose("huyen-uy-a", K.DISTRICT_COMMITTEE, organisation("chi-bo-3"), F.DISSOLUTION)
    assert decision.subject_kind is S.ORGANISATION and decision.form is F.DISSOLUTION


def test_a_district_body_may_not_reach_into_another_district():
    error = refusal("huyen-uy-a", K.DISTRICT_INSPECTION_COMMISSION, member("chi-bo-9"), F.WARNING)
    assert error.rule == "SubjectMustBeWithinDecidingBodySubtree"


@pytest.mark.parametrize(
    "kind", [K.PROVINCIAL_COMMITTEE, K.PROVINCIAL_STANDING_COMMITTEE, K.PROVINCIAL_INSPECTION_COMMISSION]
)
def test_provincial_bodies_may_impose_every_form_below_them(kind):
    assert impose("tinh-uy", kind, organisation("huyen-uy-b"), F.WARNING).form is F.WARNING
    assert impose("tinh-uy", kind, member("chi-bo-9", ON_COMMUNE_COMMITTEE), F.EXPULSION).form is F.EXPULSION


def test_without_districts_the_provincial_standing_committee_removes_commune_committee_members():
    subject = member("chi-bo-moi", (Post("dang-uy-xa-moi", "Phó Bí thư Đảng ủy"),))
    error = refusal("chi-bo-moi", K.CELL, subject, F.REMOVAL_FROM_POST, tree=TREE_2025)
    assert error.message == (
        "a cell may not remove from post; the provincial standing committee may, on the cell's proposal."
    )


def test_a_body_kind_must_match_the_level_of_its_organisation():
    with pytest.raises(InvalidValue) as caught:
        impose("huyen-uy-a", K.CELL, member(), F.REPRIMAND)
    assert caught.value.field == "deciding_body_kind"


# -- forms by subject --------------------------------------------------------------


def test_a_probationary_member_is_struck_off_not_expelled():
    with pytest.raises(RuleBroken) as caught:
        impose("huyen-uy-a", K.DISTRICT_STANDING_COMMITTEE, member(kind=S.PROBATIONARY_MEMBER), F.EXPULSION)
    assert "struck off" in caught.value.message
    assert caught.value.rule == "DisciplineFormMustSuitSubject"
    assert caught.value.allowed_instead == (
        "reprimand or warning (or striking off the rolls, xóa tên, which is not a discipline form)"
    )


def test_a_probationary_member_cannot_be_removed_from_post():
    with pytest.raises(RuleBroken):
        impose(
            "huyen-uy-a",
            K.DISTRICT_STANDING_COMMITTEE,
            member(kind=S.PROBATIONARY_MEMBER, posts=SECRETARY_OF_CELL_1),
            F.REMOVAL_FROM_POST,
        )


def test_removal_from_post_needs_a_post():
    with pytest.raises(RuleBroken) as caught:
        impose("huyen-uy-a", K.DISTRICT_STANDING_COMMITTEE, member(), F.REMOVAL_FROM_POST)
    assert "holds none" in caught.value.message
    assert caught.value.allowed_instead == "reprimand, warning or expulsion"


def test_an_organisation_is_dissolved_not_expelled():
    with pytest.raises(RuleBroken) as caught:
        impose("huyen-uy-a", K.DISTRICT_COMMITTEE, organisation("dang-uy-xa-b"), F.EXPULSION)
    assert "reprimand, warning, dissolution" in caught.value.message
    assert caught.value.allowed_instead == "reprimand, warning or dissolution"


# -- proposals ---------------------------------------------------------------------


def test_a_cell_without_authority_records_a_proposal_to_the_competent_body():
    proposal = DisciplineProposal.propose(
        "de-nghi-01",
        case(member(posts=ON_COMMUNE_COMMITTEE)),
        F.EXPULSION,
        DecidingBody("chi-bo-1", K.CELL),
        date(2023, 9, 22),
        TREE_2023,
    )
    (event,) = proposal.new_events
    assert event.event_type == "DisciplineProposed"
    assert (event.proposed_to_org_id, event.proposed_to_body_kind) == (
        "huyen-uy-a",
        "district_standing_committee",
    )
    assert event.why_not_decided == "a cell may not expel"
    assert event.rule_set == "QD69-2022"  # in force on the day of the proposal
    assert DisciplineProposal.from_events([event]).proposed_to == DecidingBody(
        "huyen-uy-a", K.DISTRICT_STANDING_COMMITTEE
    )


def test_a_body_with_authority_decides_rather_than_proposes():
    with pytest.raises(RuleBroken) as caught:
        DisciplineProposal.propose(
            "de-nghi-02",
            case(member()),
            F.REPRIMAND,
            DecidingBody("chi-bo-1", K.CELL),
            date(2023, 9, 22),
            TREE_2023,
        )
    assert caught.value.rule == "ProposalOnlyWithoutAuthority"
    assert caught.value.allowed_instead == "the cell of 'chi-bo-1' may decide it itself (impose_discipline)"


def proposed_expulsion(subject=None):
    return DisciplineProposal.propose(
        "de-nghi-03",
        case(subject or member(posts=ON_COMMUNE_COMMITTEE)),
        F.EXPULSION,
        DecidingBody("chi-bo-1", K.CELL),
        date(2023, 9, 22),
        TREE_2023,
    )


def answer(proposal, body_org, body_kind, subject=None):
    return DisciplineDecision.impose(
        "qd-02",
        case(subject or member(posts=ON_COMMUNE_COMMITTEE)),
        F.EXPULSION,
        DecidingBody(body_org, body_kind),
        date(2023, 9, 25),
        TREE_2023,
        proposal=proposal,
    )


def test_a_decision_answers_the_proposal_made_to_its_body():
    decision = answer(proposed_expulsion(), "huyen-uy-a", K.DISTRICT_STANDING_COMMITTEE)
    assert decision.new_events[0].proposal_id == "de-nghi-03"


def test_a_decision_may_not_answer_a_proposal_made_to_another_body():
    with pytest.raises(RuleBroken) as caught:
        answer(proposed_expulsion(), "huyen-uy-a", K.DISTRICT_INSPECTION_COMMISSION)
    assert caught.value.rule == "DecisionMustAnswerAProposalAddressedToTheBody"
    assert caught.value.field == "proposal_id"
    assert caught.value.allowed_instead == "the district standing committee of 'huyen-uy-a' may answer it"


def test_a_decision_may_not_answer_a_proposal_about_another_member():
    other = member(posts=ON_COMMUNE_COMMITTEE, member_id="dv-tran-van-binh")
    with pytest.raises(RuleBroken) as caught:
        answer(proposed_expulsion(), "huyen-uy-a", K.DISTRICT_STANDING_COMMITTEE, subject=other)
    assert "concerns 'dv-nguyen-van-an', not 'dv-tran-van-binh'" in caught.value.message
