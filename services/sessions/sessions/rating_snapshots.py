"""The ratings table: the latest rating of each subject for a year, and its review flag."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa

from sessions.domain import RatingAssigned, RatingFlaggedForReview
from sessions.tables import ratings


def save_rating_events(conn: sa.Connection, round_id: str, events: Iterable[Any]) -> None:
    for event in events:
        key = (
            (ratings.c.subject_kind == event.subject_kind.value)
            & (ratings.c.subject_id == event.subject_id)
            & (ratings.c.year == event.year)
        )
        if isinstance(event, RatingAssigned):
            conn.execute(ratings.delete().where(key))
            conn.execute(
                ratings.insert().values(
                    subject_kind=event.subject_kind.value,
                    subject_id=event.subject_id,
                    year=event.year,
                    round_id=round_id,
                    org_id=event.org_id,
                    grassroots_org_id=event.grassroots_org_id,
                    level=event.level.value,
                    score=event.score,
                    rule_set=event.rule_set,
                    rated_on=event.rated_on.isoformat(),
                    flagged_for_review=False,
                    review_reason=None,
                )
            )
        elif isinstance(event, RatingFlaggedForReview):
            conn.execute(
                ratings.update().where(key).values(flagged_for_review=True, review_reason=event.reason)
            )


def public_rating(row: sa.Row[Any]) -> dict[str, Any]:
    return {
        "subject_kind": row.subject_kind,
        "subject_id": row.subject_id,
        "year": row.year,
        "org_id": row.org_id,
        "grassroots_org_id": row.grassroots_org_id,
        "level": row.level,
        "score": row.score,
        "rule_set": row.rule_set,
        "rated_on": row.rated_on,
        "flagged_for_review": row.flagged_for_review,
        "review_reason": row.review_reason,
    }
