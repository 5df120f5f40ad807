"""Facts about remediation (kế hoạch khắc phục) of recorded shortcomings."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from plans.domain.payload import DomainEvent
from plans.domain.shortcoming import SubjectKind


@dataclass(frozen=True)
class RemediationAction:
    """One step of a remediation plan: what, who, by when."""

    description: str
    owner: str
    due_on: date


@dataclass(frozen=True)
class RemediationOpened(DomainEvent):
    event_type = "RemediationOpened"

    item_id: str
    shortcoming_id: str
    source_service: str
    subject_kind: SubjectKind
    subject_id: str
    org_id: str
    catalogue_codes: tuple[str, ...]
    description: str
    recorded_on: date
    opened_on: date
    due_on: date


@dataclass(frozen=True)
class RemediationPlanSubmitted(DomainEvent):
    event_type = "RemediationPlanSubmitted"

    item_id: str
    shortcoming_id: str
    org_id: str
    subject_kind: SubjectKind
    subject_id: str
    submitted_on: date
    actions: tuple[RemediationAction, ...]
    revision: int  # 1 for the first plan, 2 for its first revision, ...


@dataclass(frozen=True)
class RemediationProgressReported(DomainEvent):
    event_type = "RemediationProgressReported"

    item_id: str
    shortcoming_id: str
    org_id: str
    reported_on: date
    note: str
    percent: int | None


@dataclass(frozen=True)
class ShortcomingRemedied(DomainEvent):
    event_type = "ShortcomingRemedied"

    item_id: str
    shortcoming_id: str
    source_service: str
    org_id: str
    subject_kind: SubjectKind
    subject_id: str
    catalogue_codes: tuple[str, ...]
    remedied_on: date
    note: str
    was_overdue: bool


@dataclass(frozen=True)
class RemediationOverdue(DomainEvent):
    event_type = "RemediationOverdue"

    item_id: str
    shortcoming_id: str
    org_id: str
    subject_kind: SubjectKind
    subject_id: str
    due_on: date
    detected_on: date
    days_overdue: int
