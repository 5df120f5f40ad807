"""What changes with the rule set in force: Regulation 132 (2018) before Regulation 124
(2023) had no exception for a fault the member found and remedied."""

from __future__ import annotations

from datetime import date

import pytest

from sessions.domain import (
    DisciplineRecord,
    DisciplineRegister,
    InvalidInput,
    Member,
    MembershipKind,
    OrganisationTreeCopy,
    RatingLevel,
    RatingRound,
    RuleViolated,
    rule_set_for_year,
)


def member_since_2015(tree: OrganisationTreeCopy) -> Member:
    return Member.enrol(
        member_id="dv-01",
        full_name="Đảng viên dv-01",
        org_id="chi-bo-1",
        membership=MembershipKind.FULL,
        admitted_on=date(2010, 3, 2),
        organisations=tree,
        enrolled_on=date(2015, 1, 1),
    )


def remedied_reprimand(year: int) -> DisciplineRecord:
    return DisciplineRecord(
        f"kl-{year}", "dv-01", "chi-bo-1", date(year, 5, 2), "reprimand", self_detected_and_remedied=True
    )


def test_before_2023_a_remedied_fault_still_holds_the_member_to_not_completed(tree):
    register = DisciplineRegister([remedied_reprimand(2019)])

    with pytest.raises(RuleViolated) as refused:
        RatingRound("xa-an-binh", 2019).rate_member(
            member_since_2015(tree), date(2019, 12, 15), register, tree, level=RatingLevel.COMPLETED
        )

    assert refused.value.rule == "QD132-2018: DisciplinedMemberIsNotCompleted"
    assert "unless" not in refused.value.message


def test_from_2023_the_same_remedied_fault_is_excused(enrol, tree):
    register = DisciplineRegister([remedied_reprimand(2023)])

    rating = RatingRound("xa-an-binh", 2023).rate_member(
        enrol("dv-01"), date(2023, 12, 15), register, tree, level=RatingLevel.COMPLETED
    )

    assert (rating.level, rating.rule_set) == (RatingLevel.COMPLETED, "QD124-2023")


def test_before_2023_a_remedied_fault_learnt_late_flags_the_rating(tree):
    rating_round = RatingRound("xa-an-binh", 2019)
    rating_round.rate_member(
        member_since_2015(tree), date(2019, 12, 15), DisciplineRegister(), tree, level=RatingLevel.GOOD
    )

    [flag] = rating_round.flag_for_review(
        remedied_reprimand(2019), date(2020, 1, 5), DisciplineRegister(), tree
    )

    assert (flag.subject_id, flag.rule_set) == ("dv-01", "QD132-2018")


def test_before_2023_excellent_members_are_capped_by_the_good_ones(tree):
    best = member_since_2015(tree)
    with pytest.raises(RuleViolated) as refused:
        RatingRound("xa-an-binh", 2019).rate_member(
            best, date(2019, 12, 15), DisciplineRegister(), tree, level=RatingLevel.EXCELLENT
        )
    assert refused.value.rule == "QD132-2018 / 21-HD/BTCTW (2019): ExcellentMembersAreCappedByGood"


def test_each_rule_set_judges_from_the_year_it_took_effect():
    assert [(r.name, r.effective_on) for r in map(rule_set_for_year, (2018, 2023, 2025))] == [
        ("QD132-2018", date(2018, 3, 8)),
        ("QD124-2023", date(2023, 10, 4)),
        ("QD366-2025", date(2025, 8, 30)),
    ]


def test_a_year_before_every_rule_set_is_refused_not_judged_by_a_later_one():
    with pytest.raises(InvalidInput) as refused:
        RatingRound("xa-an-binh", 2017)
    assert (refused.value.field, refused.value.rule) == ("year", "RatingYearMustHaveARuleSetInForce")
    assert "QD132-2018, in force from 2018-03-08" in refused.value.message
