"""Rules a campaign plan and its tasks must keep."""

from __future__ import annotations

from collections.abc import Container, Sequence
from dataclasses import dataclass
from datetime import date

from plans.domain.errors import (
    DomainError,
    DuplicateTaskId,
    ParentPlanNotFromAncestor,
    TaskDeadlineAfterPlanDeadline,
    TaskOwnerMissing,
    UnitOutsideIssuerSubtree,
)
from plans.domain.rules import BusinessRule


@dataclass(frozen=True)
class UnitsMustBeInsideIssuerSubtree(BusinessRule):
    issuer_id: str
    unit_ids: Sequence[str]
    issuer_subtree: Container[str]

    def outside(self) -> list[str]:
        return [unit for unit in self.unit_ids if unit not in self.issuer_subtree]

    def is_broken(self) -> bool:
        return bool(self.outside())

    def error(self) -> DomainError:
        return UnitOutsideIssuerSubtree(
            f"required_unit_ids: {', '.join(self.outside())} are not inside the subtree of "
            f"the issuing organisation {self.issuer_id!r}.",
            field="required_unit_ids",
            rule=self.name,
        )


@dataclass(frozen=True)
class ParentPlanMustComeFromAncestor(BusinessRule):
    parent_plan_id: str
    parent_issuer_id: str
    issuer_id: str
    issuer_ancestors: Container[str]

    def is_broken(self) -> bool:
        return self.parent_issuer_id not in self.issuer_ancestors

    def error(self) -> DomainError:
        return ParentPlanNotFromAncestor(
            f"parent_plan_id {self.parent_plan_id!r} was issued by {self.parent_issuer_id!r}, "
            f"which is not a higher body of {self.issuer_id!r}.",
            field="parent_plan_id",
            rule=self.name,
        )


@dataclass(frozen=True)
class TaskMustHaveOwner(BusinessRule):
    field_prefix: str
    owner: str | None

    def is_broken(self) -> bool:
        return self.owner is None or not self.owner.strip()

    def error(self) -> DomainError:
        field = f"{self.field_prefix}owner"
        return TaskOwnerMissing(
            f"{field} is required: every task needs a responsible person.",
            field=field,
            rule=self.name,
        )


@dataclass(frozen=True)
class TaskDeadlineMustNotExceedPlanDeadline(BusinessRule):
    field_prefix: str
    task_deadline: date
    plan_deadline: date

    def is_broken(self) -> bool:
        return self.task_deadline > self.plan_deadline

    def error(self) -> DomainError:
        field = f"{self.field_prefix}deadline"
        return TaskDeadlineAfterPlanDeadline(
            f"{field} {self.task_deadline.isoformat()} is after the plan's deadline "
            f"{self.plan_deadline.isoformat()}.",
            field=field,
            rule=self.name,
        )


@dataclass(frozen=True)
class TaskIdMustBeNew(BusinessRule):
    field_prefix: str
    task_id: str
    existing: Container[str]

    def is_broken(self) -> bool:
        return self.task_id in self.existing

    def error(self) -> DomainError:
        field = f"{self.field_prefix}task_id"
        return DuplicateTaskId(
            f"{field} {self.task_id!r} is already used by another task of this plan.",
            field=field,
            rule=self.name,
        )
