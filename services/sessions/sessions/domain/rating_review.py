"""Which recorded ratings a newly learnt discipline puts in doubt."""

from __future__ import annotations

from datetime import date

from .discipline_record import DisciplineRecord
from .rating_events import RatingAssigned, RatingFlaggedForReview
from .rating_rule_sets import RatingLevel
from .shortcoming_events import SubjectKind

Subject = tuple[SubjectKind, str]


def contradicts(
    discipline: DisciplineRecord,
    rating: RatingAssigned,
    earlier_flags: list[RatingFlaggedForReview],
) -> bool:
    """The discipline, in the rating's year, bars the level given and was not flagged yet."""
    if rating.level == RatingLevel.NOT_COMPLETED or discipline.decided_on.year != rating.year:
        return False
    if any(f.discipline_id == discipline.discipline_id for f in earlier_flags):
        return False
    if rating.subject_kind == SubjectKind.MEMBER:
        return discipline.member_id == rating.subject_id and discipline.counts_against_member_rating
    return (
        discipline.member_id is None
        and discipline.org_id == rating.subject_id
        and discipline.counts
    )


def flags_raised_by(
    discipline: DisciplineRecord,
    ratings: dict[Subject, RatingAssigned],
    flags: dict[Subject, list[RatingFlaggedForReview]],
    flagged_on: date,
) -> list[RatingFlaggedForReview]:
    raised = []
    for subject, rating in ratings.items():
        if not contradicts(discipline, rating, flags.get(subject, [])):
            continue
        reason = (
            f"{rating.rule_set}: {discipline.describe()} falls in {rating.year}, so the "
            f"rating {rating.level.value} must be reviewed (at most not_completed)."
        )
        raised.append(
            RatingFlaggedForReview(
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
        )
    return raised
