"""Review suggestions: open until the collective or member answers them."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import TypeVar

from .business_rule import check_rule
from .event_payload import DomainEvent
from .exceptions import InvalidValue, OutOfOrder
from .inspection_kinds import OversightBodyType
from .review_events import ReviewSuggested, ReviewSuggestionAnswered

E = TypeVar("E", bound=DomainEvent)

# is_within(org_id, root_id): True when org_id is root_id or below it.
SubtreePredicate = Callable[[str, str], bool]


class ReviewTargetKind(StrEnum):
    COLLECTIVE = "collective"
    MEMBER = "member"


class AnsweredIn(StrEnum):
    SESSION = "session"
    REVIEW = "review"


@dataclass(frozen=True)
class ReviewTargetMustBeInSuggestingBodysSubtree:
    """A body may suggest reviews only to collectives and members below it."""

    body_org_id: str
    target_org_id: str
    is_within: SubtreePredicate
    field: str | None = "target_org_id"

    def is_broken(self) -> bool:
        return not self.is_within(self.target_org_id, self.body_org_id)

    def message(self) -> str:
        return (
            f"The target's organisation {self.target_org_id!r} is outside the subtree of the "
            f"suggesting body's organisation {self.body_org_id!r}; only a body above it may suggest a review."
        )


class ReviewSuggestion:
    """One suggestion; rebuilt from its events."""

    def __init__(self) -> None:
        self.suggested: ReviewSuggested | None = None
        self.answer: ReviewSuggestionAnswered | None = None
        self.new_events: list[DomainEvent] = []

    @classmethod
    def suggest(
        cls,
        suggestion_id: str,
        body_org_id: str,
        body_type: OversightBodyType,
        target_kind: ReviewTargetKind,
        target_id: str,
        target_org_id: str,
        points: tuple[str, ...],
        suggested_on: date,
        is_within: SubtreePredicate,
    ) -> ReviewSuggestion:
        for name, value in (("suggestion_id", suggestion_id), ("target_id", target_id)):
            if not value.strip():
                raise InvalidValue(f"The {name} must not be empty.", field=name)
        if not points or any(not p.strip() for p in points):
            raise InvalidValue(
                "A review suggestion needs at least one non-empty point to review.", field="points"
            )
        check_rule(ReviewTargetMustBeInSuggestingBodysSubtree(body_org_id, target_org_id, is_within))
        suggestion = cls()
        suggestion._record(
            ReviewSuggested(
                suggestion_id=suggestion_id,
                suggesting_body_org_id=body_org_id,
                suggesting_body_type=body_type.value,
                target_kind=target_kind.value,
                target_id=target_id,
                org_id=target_org_id,
                points=tuple(p.strip() for p in points),
                suggested_on=suggested_on,
            )
        )
        return suggestion

    def record_answer(
        self, answered_on: date, answered_in: AnsweredIn, reference: str
    ) -> ReviewSuggestionAnswered:
        """Close the suggestion with the session or review that answered it."""
        suggested = self.suggested
        if suggested is None:
            raise OutOfOrder("This review suggestion was never made.", field="suggestion_id")
        if self.answer is not None:
            raise OutOfOrder(
                f"The suggestion {suggested.suggestion_id!r} was already answered on "
                f"{self.answer.answered_on.isoformat()}.",
                field="suggestion_id",
            )
        if answered_on < suggested.suggested_on:
            raise InvalidValue(
                "The answered_on date must not be before the suggestion was made.", field="answered_on"
            )
        if not reference.strip():
            raise InvalidValue(
                "The reference to the session or review that answered must not be empty.", field="reference"
            )
        return self._record(
            ReviewSuggestionAnswered(
                suggestion_id=suggested.suggestion_id,
                target_kind=suggested.target_kind,
                target_id=suggested.target_id,
                org_id=suggested.org_id,
                answered_on=answered_on,
                answered_in=answered_in.value,
                reference=reference.strip(),
            )
        )

    @property
    def is_open(self) -> bool:
        return self.suggested is not None and self.answer is None

    @classmethod
    def from_events(cls, events: Iterable[DomainEvent]) -> ReviewSuggestion:
        suggestion = cls()
        for event in events:
            suggestion.apply(event)
        return suggestion

    def apply(self, event: DomainEvent) -> None:
        if isinstance(event, ReviewSuggested):
            self.suggested = event
        elif isinstance(event, ReviewSuggestionAnswered):
            self.answer = event

    def _record(self, event: E) -> E:
        self.apply(event)
        self.new_events.append(event)
        return event
