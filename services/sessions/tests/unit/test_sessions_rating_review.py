"""Ratings flagged for review when discipline changes after they were recorded: a unit's
discipline that takes its parent over the share allowed, and a discipline quashed on
appeal that had held a rating to "not completed"."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from sessions.domain import (
    DisciplineRecord,
    DisciplineRegister,
    KnownOrganisation,
    OrganisationTreeCopy,
    RatingLevel,
    RatingRound,
    SubjectKind,
)

GOOD, COMPLETED, NOT_COMPLETED = RatingLevel.GOOD, RatingLevel.COMPLETED, RatingLevel.NOT_COMPLETED
RATED = date(2024, 12, 15)
LEARNT = date(2025, 1, 6)


def discipline(member_id=None, org_id="chi-bo-1", on=date(2024, 5, 2), form="reprimand", **flags):
    return DisciplineRecord(f"kl-{member_id or org_id}-{on}", member_id, org_id, on, form, **flags)


def quashed(record: DisciplineRecord) -> DisciplineRecord:
    return replace(record, quashed=True)


@pytest.fixture
def five_cells() -> OrganisationTreeCopy:
    """A commune with five cells: one disciplined cell is 20%, not more than 20%."""
    return OrganisationTreeCopy(
        [
            KnownOrganisation("huyen", "Huyện ủy", "district", None),
            KnownOrganisation("xa", "Đảng bộ xã", "grassroots", "huyen"),
            *(KnownOrganisation(f"cb-{n}", f"Chi bộ {n}", "cell", "xa") for n in range(1, 6)),
        ]
    )


def flagged(flags) -> list[tuple[SubjectKind, str]]:
    return [(f.subject_kind, f.subject_id) for f in flags]


def test_a_unit_disciplined_after_the_rating_flags_the_parents_collective_rating(tree):
    rating_round = RatingRound("xa-an-binh", 2024)
    rating_round.rate_collective("xa-an-binh", RATED, DisciplineRegister(), tree, level=GOOD)
    rating_round.rate_collective("chi-bo-1", RATED, DisciplineRegister(), tree, level=GOOD)

    late = discipline(org_id="chi-bo-2", on=date(2024, 12, 20))
    [flag] = rating_round.flag_for_review(late, LEARNT, DisciplineRegister(), tree)

    assert flagged([flag]) == [(SubjectKind.ORGANISATION, "xa-an-binh")]
    assert (flag.level, flag.discipline_id) == (GOOD, late.discipline_id)
    assert flag.reason.startswith("QD124-2023: ManyDisciplinedUnitsMeanNotCompleted")
    assert "1 of the 2 units under xa-an-binh (chi-bo-2)" in flag.reason
    assert not rating_round.is_flagged(SubjectKind.ORGANISATION, "chi-bo-1")


def test_a_parent_is_flagged_only_once_its_units_pass_the_share(five_cells):
    rating_round = RatingRound("xa", 2024)
    rating_round.rate_collective("xa", RATED, DisciplineRegister(), five_cells, level=COMPLETED)
    first = discipline(org_id="cb-1", on=date(2024, 6, 1))
    second = discipline(org_id="cb-2", on=date(2024, 9, 1))

    at_the_share = rating_round.flag_for_review(first, LEARNT, DisciplineRegister(), five_cells)
    past_the_share = rating_round.flag_for_review(second, LEARNT, DisciplineRegister([first]), five_cells)

    assert at_the_share == []
    assert flagged(past_the_share) == [(SubjectKind.ORGANISATION, "xa")]
    assert "2 of the 5 units under xa (cb-1, cb-2)" in past_the_share[0].reason


def test_a_units_discipline_does_not_flag_a_parent_rated_not_completed_or_another_year(tree):
    rating_round = RatingRound("xa-an-binh", 2024)
    rating_round.rate_collective("xa-an-binh", RATED, DisciplineRegister(), tree, level=NOT_COMPLETED)
    assert (
        rating_round.flag_for_review(discipline(org_id="chi-bo-2"), LEARNT, DisciplineRegister(), tree) == []
    )

    next_year = RatingRound("xa-an-binh", 2025)
    next_year.rate_collective("xa-an-binh", date(2025, 12, 1), DisciplineRegister(), tree, score=80)
    assert next_year.flag_for_review(discipline(org_id="chi-bo-2"), LEARNT, DisciplineRegister(), tree) == []


def test_a_quashed_discipline_flags_the_not_completed_rating_it_held_down(enrol, tree):
    warning = discipline("dv-01", on=date(2024, 4, 10), form="warning")
    register = DisciplineRegister([warning])
    rating_round = RatingRound("xa-an-binh", 2024)
    rating_round.rate_member(enrol("dv-01"), RATED, register, tree, level=NOT_COMPLETED)

    register.record(quashed(warning))
    [flag] = rating_round.flag_for_review(quashed(warning), LEARNT, register, tree)

    assert flagged([flag]) == [(SubjectKind.MEMBER, "dv-01")]
    assert (flag.level, flag.discipline_id) == (NOT_COMPLETED, warning.discipline_id)
    assert flag.reason.startswith("QD124-2023: DisciplinedMemberIsNotCompleted")
    assert "quashed on appeal" in flag.reason and "may now be raised" in flag.reason
    assert rating_round.flag_for_review(quashed(warning), LEARNT, register, tree) == []


def test_a_quash_flags_nothing_while_another_bar_stands_or_when_it_held_nothing_down(enrol, tree):
    warning = discipline("dv-01", on=date(2024, 4, 10), form="warning")
    reprimand = discipline("dv-01", on=date(2024, 8, 1))
    after_rating = discipline("dv-02", on=date(2024, 12, 20))
    remedied = discipline("dv-03", self_detected_and_remedied=True)
    register = DisciplineRegister([warning, reprimand])
    rating_round = RatingRound("xa-an-binh", 2024)
    rating_round.rate_member(enrol("dv-01"), RATED, register, tree, level=NOT_COMPLETED)
    rating_round.rate_member(enrol("dv-02"), RATED, register, tree, level=NOT_COMPLETED)
    rating_round.rate_member(enrol("dv-03"), RATED, register, tree, level=NOT_COMPLETED)

    for record in (warning, after_rating, remedied):
        register.record(quashed(record))
        assert rating_round.flag_for_review(quashed(record), LEARNT, register, tree) == []


def test_quashing_a_units_discipline_flags_the_parent_held_down_by_the_share(tree):
    unit = discipline(org_id="chi-bo-2", on=date(2024, 3, 3))
    register = DisciplineRegister([unit])
    rating_round = RatingRound("xa-an-binh", 2024)
    rating_round.rate_collective("xa-an-binh", RATED, register, tree, level=NOT_COMPLETED)
    rating_round.rate_collective("chi-bo-2", RATED, register, tree, level=NOT_COMPLETED)

    register.record(quashed(unit))
    flags = rating_round.flag_for_review(quashed(unit), LEARNT, register, tree)

    assert sorted(flagged(flags)) == [
        (SubjectKind.ORGANISATION, "chi-bo-2"),
        (SubjectKind.ORGANISATION, "xa-an-binh"),
    ]
    by_subject = {f.subject_id: f.reason for f in flags}
    assert by_subject["xa-an-binh"].startswith("QD124-2023: ManyDisciplinedUnitsMeanNotCompleted")
    assert by_subject["chi-bo-2"].startswith("QD124-2023: DisciplinedLeadershipMeansNotCompleted")
