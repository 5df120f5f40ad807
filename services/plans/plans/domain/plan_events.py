"""Facts about campaign plans and their tasks."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from plans.domain.copy_detection import TaskMatch
from plans.domain.payload import DomainEvent


@dataclass(frozen=True)
class PlanIssued(DomainEvent):
    event_type = "PlanIssued"

    plan_id: str
    org_id: str  # the issuing body
    number: str  # e.g. "87-KH/HU"
    issued_on: date
    title: str
    implements_documents: tuple[str, ...]  # e.g. ("21-KL/TW", "37-QĐ/TW")
    parent_plan_id: str | None
    required_unit_ids: tuple[str, ...]
    deadline: date


@dataclass(frozen=True)
class PlanTaskAssigned(DomainEvent):
    event_type = "PlanTaskAssigned"

    plan_id: str
    org_id: str
    task_id: str
    title: str
    owner: str
    deadline: date
    expected_result: str | None
    assigned_on: date


@dataclass(frozen=True)
class PlanTaskCompleted(DomainEvent):
    event_type = "PlanTaskCompleted"

    plan_id: str
    org_id: str
    task_id: str
    completed_on: date
    note: str


@dataclass(frozen=True)
class PlanFlaggedAsCopy(DomainEvent):
    event_type = "PlanFlaggedAsCopy"

    plan_id: str
    org_id: str
    parent_plan_id: str
    parent_org_id: str
    flagged_on: date
    similarity: float
    copied_share: float
    matches: tuple[TaskMatch, ...]
    method: str
    pair_threshold: float
    share_threshold: float
