"""The plans domain: the organisation tree, campaign plans and their cascade, copy
detection, and remediation of recorded shortcomings. Standard library only."""

from plans.domain.copy_detection import CopyAssessment, CopyDetectionPolicy, TaskMatch, assess_copy
from plans.domain.errors import DomainError
from plans.domain.event_types import EVENT_TYPES, event_from_payload
from plans.domain.organization import Organization, OrganizationVersion
from plans.domain.organization_events import (
    OrganizationDissolved,
    OrganizationMoved,
    OrganizationRegistered,
    OrganizationRenamed,
)
from plans.domain.organization_kind import OrgKind
from plans.domain.organization_rules import check_can_dissolve, check_can_move, check_can_register
from plans.domain.organization_tree import OrganizationTree
from plans.domain.payload import DomainEvent
from plans.domain.plan import Plan
from plans.domain.plan_cascade import CascadeStatus, cascade_status
from plans.domain.plan_events import (
    PlanFlaggedAsCopy,
    PlanIssued,
    PlanTaskAssigned,
    PlanTaskCompleted,
)
from plans.domain.plan_task import PlanTask, TaskSpec
from plans.domain.remediation import ActionSpec, RemediationItem
from plans.domain.remediation_events import (
    RemediationAction,
    RemediationOpened,
    RemediationOverdue,
    RemediationPlanSubmitted,
    RemediationProgressReported,
    ShortcomingRemedied,
)
from plans.domain.remediation_policy import RemediationPolicy, RemediationStatus
from plans.domain.shortcoming import RecordedShortcoming, SubjectKind
from plans.domain.task_similarity import task_similarity
from plans.domain.task_text import normalise_task_text

__all__ = [
    "EVENT_TYPES",
    "ActionSpec",
    "CascadeStatus",
    "CopyAssessment",
    "CopyDetectionPolicy",
    "DomainError",
    "DomainEvent",
    "OrgKind",
    "Organization",
    "OrganizationDissolved",
    "OrganizationMoved",
    "OrganizationRegistered",
    "OrganizationRenamed",
    "OrganizationTree",
    "OrganizationVersion",
    "Plan",
    "PlanFlaggedAsCopy",
    "PlanIssued",
    "PlanTask",
    "PlanTaskAssigned",
    "PlanTaskCompleted",
    "RecordedShortcoming",
    "RemediationAction",
    "RemediationItem",
    "RemediationOpened",
    "RemediationOverdue",
    "RemediationPlanSubmitted",
    "RemediationPolicy",
    "RemediationProgressReported",
    "RemediationStatus",
    "ShortcomingRemedied",
    "SubjectKind",
    "TaskMatch",
    "TaskSpec",
    "assess_copy",
    "cascade_status",
    "check_can_dissolve",
    "check_can_move",
    "check_can_register",
    "event_from_payload",
    "normalise_task_text",
    "task_similarity",
]
