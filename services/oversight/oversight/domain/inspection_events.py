"""Events of an inspection or supervision file."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .event_payload import DomainEvent


@dataclass(frozen=True)
class InspectionOpened(DomainEvent):
    """A body decided to inspect or supervise; org_id is the subject's organisation."""

    event_type = "InspectionOpened"

    inspection_id: str
    kind: str
    scope: str | None
    deciding_body_org_id: str
    deciding_body_type: str
    subject_kind: str
    subject_id: str
    org_id: str
    content: str
    period_from: date
    period_to: date
    team: tuple[str, ...]
    planned_duration_days: int
    decision_number: str
    decided_on: date
    programme_item_id: str | None = None


@dataclass(frozen=True)
class InspectionPhaseRecorded(DomainEvent):
    """The file moved to its next phase."""

    event_type = "InspectionPhaseRecorded"

    inspection_id: str
    kind: str
    phase: str
    recorded_on: date
    org_id: str
    deciding_body_org_id: str


@dataclass(frozen=True)
class InspectionConcluded(DomainEvent):
    """The body concluded: shortcomings found, whether a violation warrants discipline."""

    event_type = "InspectionConcluded"

    inspection_id: str
    kind: str
    subject_kind: str
    subject_id: str
    org_id: str
    deciding_body_org_id: str
    concluded_on: date
    conclusion: str
    violation_found: bool
    discipline_warranted: bool
    shortcoming_ids: tuple[str, ...]


@dataclass(frozen=True)
class SupervisionConducted(DomainEvent):
    """A supervision was carried out; signs of violation lead to an inspection, not discipline."""

    event_type = "SupervisionConducted"

    inspection_id: str
    kind: str
    subject_kind: str
    subject_id: str
    org_id: str
    deciding_body_org_id: str
    conducted_on: date
    conclusion: str
    violation_signs_found: bool
    shortcoming_ids: tuple[str, ...]
