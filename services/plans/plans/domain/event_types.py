"""Every event type the plans service records, by name, for decoding stored events."""

from __future__ import annotations

from typing import Any

from plans.domain.organization_events import (
    OrganizationDissolved,
    OrganizationMoved,
    OrganizationRegistered,
    OrganizationRenamed,
)
from plans.domain.payload import DomainEvent
from plans.domain.plan_events import (
    PlanFlaggedAsCopy,
    PlanIssued,
    PlanTaskAssigned,
    PlanTaskCompleted,
)
from plans.domain.remediation_events import (
    RemediationOpened,
    RemediationOverdue,
    RemediationPlanSubmitted,
    RemediationProgressReported,
    ShortcomingRemedied,
)

EVENT_TYPES: dict[str, type[DomainEvent]] = {
    cls.event_type: cls
    for cls in (
        OrganizationRegistered,
        OrganizationRenamed,
        OrganizationMoved,
        OrganizationDissolved,
        PlanIssued,
        PlanTaskAssigned,
        PlanTaskCompleted,
        PlanFlaggedAsCopy,
        RemediationOpened,
        RemediationPlanSubmitted,
        RemediationProgressReported,
        ShortcomingRemedied,
        RemediationOverdue,
    )
}


def event_from_payload(event_type: str, payload: dict[str, Any], schema_version: int = 1) -> DomainEvent:
    """Rebuild a stored event; later schema versions will be upcast here first."""
    try:
        cls = EVENT_TYPES[event_type]
    except KeyError:
        raise ValueError(f"unknown plans event type {event_type!r}") from None
    if schema_version != cls.schema_version:
        raise ValueError(f"{event_type} v{schema_version} has no upcaster to v{cls.schema_version}")
    return cls.from_payload(payload)
