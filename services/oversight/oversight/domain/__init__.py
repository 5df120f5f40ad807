"""The oversight domain: inspections and supervisions, review suggestions, discipline and appeals.

Plain Python, no framework: aggregates record past-tense events and are rebuilt from them.
"""

from __future__ import annotations

from .discipline_events import AppealDecided, DisciplineAppealed, DisciplineImposed, DisciplineProposed
from .event_payload import DomainEvent
from .inspection_events import (
    InspectionConcluded,
    InspectionOpened,
    InspectionPhaseRecorded,
    SupervisionConducted,
)
from .programme_events import InspectionProgrammeAdopted, ProgrammeItemCarriedOut
from .review_events import ReviewSuggested, ReviewSuggestionAnswered
from .shortcoming_events import ShortcomingRecorded

EVENT_CLASSES: dict[str, type[DomainEvent]] = {
    cls.event_type: cls
    for cls in (
        InspectionOpened,
        InspectionPhaseRecorded,
        InspectionConcluded,
        SupervisionConducted,
        ShortcomingRecorded,
        InspectionProgrammeAdopted,
        ProgrammeItemCarriedOut,
        ReviewSuggested,
        ReviewSuggestionAnswered,
        DisciplineImposed,
        DisciplineProposed,
        DisciplineAppealed,
        AppealDecided,
    )
}


def event_from_payload(event_type: str, payload: dict[str, object]) -> DomainEvent:
    """Rebuild a stored event from its type name and payload."""
    result: DomainEvent = EVENT_CLASSES[event_type].from_payload(payload)
    return result


__all__ = ["EVENT_CLASSES", "event_from_payload"]
