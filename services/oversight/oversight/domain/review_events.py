"""Events of review suggestions (gợi ý kiểm điểm)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .event_payload import DomainEvent


@dataclass(frozen=True)
class ReviewSuggested(DomainEvent):
    """A body told a collective or member in its subtree what to review themselves on."""

    event_type = "ReviewSuggested"

    suggestion_id: str
    suggesting_body_org_id: str
    suggesting_body_type: str
    target_kind: str
    target_id: str
    org_id: str
    points: tuple[str, ...]
    suggested_on: date


@dataclass(frozen=True)
class ReviewSuggestionAnswered(DomainEvent):
    """The target answered the suggestion in a session or a yearly review."""

    event_type = "ReviewSuggestionAnswered"

    suggestion_id: str
    target_kind: str
    target_id: str
    org_id: str
    answered_on: date
    answered_in: str
    reference: str
