"""Which recorded ratings a change in discipline puts in doubt.

A discipline learnt after a rating may bar the level given (the member's own, the
organisation's own, or one that takes its units over the share allowed). A discipline
quashed on appeal may lift the bar that held a rating to "not completed". Either way the
rating is flagged for someone to look at again; nothing is changed by itself.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from .discipline_record import DisciplineRecord, DisciplineRegister
from .organisation_tree import OrganisationLookup
from .rating_bars import discipline_bars
from .rating_events import RatingAssigned, RatingFlaggedForReview
from .rating_rule_sets import RatingLevel, RatingRuleSet
from .rating_rules import DisciplineBar
from .shortcoming_events import SubjectKind

Subject = tuple[SubjectKind, str]


def flags_raised_by(
    rule_set: RatingRuleSet,
    discipline: DisciplineRecord,
    ratings: dict[Subject, RatingAssigned],
    flags: dict[Subject, list[RatingFlaggedForReview]],
    disciplines: DisciplineRegister,
    organisations: OrganisationLookup,
    flagged_on: date,
) -> list[RatingFlaggedForReview]:
    """A flag for each rating of the discipline's year that `discipline`, as now known
    (imposed, or quashed), puts in doubt and that it has not flagged already."""
    register = disciplines.with_record(discipline)
    raised = []
    for subject, rating in ratings.items():
        if rating.year != discipline.decided_on.year:
            continue
        if any(f.discipline_id == discipline.discipline_id for f in flags.get(subject, [])):
            continue
        judge = _lifted_by if discipline.quashed else _barred_by
        reason = judge(rule_set, discipline, rating, register, organisations)
        if reason is not None:
            raised.append(_flag(rating, discipline, reason, flagged_on))
    return raised


def _bars(
    rule_set: RatingRuleSet,
    rating: RatingAssigned,
    register: DisciplineRegister,
    organisations: OrganisationLookup,
) -> tuple[DisciplineBar, ...]:
    return discipline_bars(
        rule_set,
        rating.subject_kind,
        rating.subject_id,
        rating.year,
        rating.level,
        rating.rated_on,
        register,
        organisations,
    )


def _barred_by(
    rule_set: RatingRuleSet,
    discipline: DisciplineRecord,
    rating: RatingAssigned,
    register: DisciplineRegister,
    organisations: OrganisationLookup,
) -> str | None:
    """Why the discipline now bars the level the rating gave, or None."""
    for bar in _bars(rule_set, rating, register, organisations):
        if bar.is_broken() and bar.rests_on(discipline):
            return (
                f"{bar.name}: {discipline.describe()} falls in {rating.year}, so the rating "
                f"{rating.level.value} must be reviewed (at most not_completed). {bar.message}"
            )
    return None


def _lifted_by(
    rule_set: RatingRuleSet,
    discipline: DisciplineRecord,
    rating: RatingAssigned,
    register: DisciplineRegister,
    organisations: OrganisationLookup,
) -> str | None:
    """Why quashing the discipline lifts the bar that held the rating to not completed,
    or None: it was not in force when rated, did not hold it down, or another bar stays."""
    if rating.level != RatingLevel.NOT_COMPLETED or discipline.decided_on > rating.rated_on:
        return None
    in_force = register.with_record(replace(discipline, quashed=False))
    held = [
        b for b in _bars(rule_set, rating, in_force, organisations) if b.holds_down and b.rests_on(discipline)
    ]
    if not held or any(b.holds_down for b in _bars(rule_set, rating, register, organisations)):
        return None
    return (
        f"{held[0].name}: {discipline.describe()} was quashed on appeal, which lifts the bar "
        f"that held the rating to not_completed; it may now be raised and must be reviewed."
    )


def _flag(
    rating: RatingAssigned, discipline: DisciplineRecord, reason: str, flagged_on: date
) -> RatingFlaggedForReview:
    return RatingFlaggedForReview(
        subject_kind=rating.subject_kind,
        subject_id=rating.subject_id,
        org_id=rating.org_id,
        grassroots_org_id=rating.grassroots_org_id,
        year=rating.year,
        level=rating.level,
        rule_set=rating.rule_set,
        discipline_id=discipline.discipline_id,
        reason=reason,
        flagged_on=flagged_on,
    )
