"""Every event the sessions domain writes, by `event_type`, for reading them back."""

from __future__ import annotations

from typing import Any

from .member_events import (
    MemberEnrolled,
    MembershipEnded,
    MemberStatusChanged,
    MemberTransferred,
)
from .rating_events import RatingAssigned, RatingFlaggedForReview
from .session_events import SessionHeld, SessionScheduled
from .shortcoming_events import ShortcomingRecorded

EVENT_TYPES: dict[str, Any] = {
    cls.event_type: cls
    for cls in (
        MemberEnrolled,
        MemberTransferred,
        MemberStatusChanged,
        MembershipEnded,
        SessionScheduled,
        SessionHeld,
        ShortcomingRecorded,
        RatingAssigned,
        RatingFlaggedForReview,
    )
}


def event_from_payload(event_type: str, payload: dict[str, Any]) -> Any:
    """Rebuild a domain event from its stored type and payload."""
    return EVENT_TYPES[event_type].from_payload(payload)
