"""Which discipline rules bar a subject's rating above "not completed" in a year.

Rating and reviewing a rating both ask this, so they ask it in one place.
"""

from __future__ import annotations

from datetime import date

from .collective_rating_rules import (
    DisciplinedLeadershipMeansNotCompleted,
    ManyDisciplinedUnitsMeanNotCompleted,
)
from .discipline_record import DisciplineRegister
from .organisation_tree import OrganisationLookup
from .rating_rule_sets import RatingLevel, RatingRuleSet
from .rating_rules import DisciplineBar, DisciplinedMemberIsNotCompleted
from .shortcoming_events import SubjectKind


def discipline_bars(
    rule_set: RatingRuleSet,
    subject_kind: SubjectKind,
    subject_id: str,
    year: int,
    level: RatingLevel,
    on: date,
    disciplines: DisciplineRegister,
    organisations: OrganisationLookup,
) -> tuple[DisciplineBar, ...]:
    """The rules that judge `level` for the subject, as the register stands; a member's
    own discipline, or an organisation's own and its units' (those that exist `on`)."""
    if subject_kind == SubjectKind.MEMBER:
        against = disciplines.against_member(subject_id, year, rule_set.remedied_fault_excused)
        return (DisciplinedMemberIsNotCompleted(rule_set, year, level, against),)
    units = organisations.subordinate_units_of(subject_id, on)
    by_units = [d for unit in units for d in disciplines.against_organisation(unit, year)]
    return (
        DisciplinedLeadershipMeansNotCompleted(
            rule_set, subject_id, year, level, disciplines.against_organisation(subject_id, year)
        ),
        ManyDisciplinedUnitsMeanNotCompleted(rule_set, subject_id, year, level, len(units), by_units),
    )
