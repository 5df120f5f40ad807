"""Typed errors the plans domain raises when a command is refused.

Every error carries a stable ``code``, a clear English ``message``, the offending
input ``field`` (or None) and the name of the ``rule`` that was broken, so the gateway
can answer 404 / 409 / 422 with the field and the reason. A refused command changes
nothing.
"""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """Base of every refusal in the plans domain."""

    code = "domain_error"

    def __init__(self, message: str, *, field: str | None = None, rule: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.rule = rule

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "message": self.message, "field": self.field, "rule": self.rule}


class NotFound(DomainError):
    """The thing the command is about does not exist (HTTP 404)."""

    code = "not_found"


class InvalidCommand(DomainError):
    """The command's input breaks a rule whatever the current state (HTTP 422)."""

    code = "invalid_command"


class Conflict(DomainError):
    """The command is valid but the current state refuses it (HTTP 409)."""

    code = "conflict"


class MissingValue(InvalidCommand):
    code = "missing_value"


class DateOutOfOrder(InvalidCommand):
    code = "date_out_of_order"


# --- organisation tree -------------------------------------------------------------


class UnknownOrganization(NotFound):
    code = "unknown_organization"


class UnknownParent(InvalidCommand):
    code = "unknown_parent"


class WrongParentKind(InvalidCommand):
    code = "wrong_parent_kind"


class ParentDissolved(Conflict):
    code = "parent_dissolved"


class MoveWouldCreateCycle(InvalidCommand):
    code = "move_would_create_cycle"


class OrganizationHasActiveChildren(Conflict):
    code = "organization_has_active_children"


class OrganizationAlreadyDissolved(Conflict):
    code = "organization_already_dissolved"


class OrganizationAlreadyRegistered(Conflict):
    code = "organization_already_registered"


class NothingToChange(Conflict):
    code = "nothing_to_change"


# --- campaign plans ----------------------------------------------------------------


class TaskOwnerMissing(InvalidCommand):
    code = "task_owner_missing"


class TaskDeadlineAfterPlanDeadline(InvalidCommand):
    code = "task_deadline_after_plan_deadline"


class DuplicateTaskId(InvalidCommand):
    code = "duplicate_task_id"


class UnitOutsideIssuerSubtree(InvalidCommand):
    code = "unit_outside_issuer_subtree"


class ParentPlanNotFromAncestor(InvalidCommand):
    code = "parent_plan_not_from_ancestor"


class UnknownTask(NotFound):
    code = "unknown_task"


class TaskAlreadyCompleted(Conflict):
    code = "task_already_completed"


# --- remediation -------------------------------------------------------------------


class InvalidShortcoming(InvalidCommand):
    code = "invalid_shortcoming"


class RemediationItemClosed(Conflict):
    code = "remediation_item_closed"


class RemediationPlanMissing(Conflict):
    code = "remediation_plan_missing"


class ActionOwnerMissing(InvalidCommand):
    code = "action_owner_missing"


class ActionDueBeforeOpening(InvalidCommand):
    code = "action_due_before_opening"


class ProgressPercentInvalid(InvalidCommand):
    code = "progress_percent_invalid"


# --- lookups by the service ----------------------------------------------------------


class UnknownPlan(NotFound):
    code = "unknown_plan"


class UnknownParentPlan(InvalidCommand):
    code = "unknown_parent_plan"


class PlanAlreadyIssued(Conflict):
    code = "plan_already_issued"


class UnknownRemediationItem(NotFound):
    code = "unknown_remediation_item"
