"""Rules a remediation item keeps."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from plans.domain.errors import (
    ActionDueBeforeOpening,
    ActionOwnerMissing,
    DomainError,
    ProgressPercentInvalid,
    RemediationItemClosed,
    RemediationPlanMissing,
)
from plans.domain.rules import BusinessRule


@dataclass(frozen=True)
class ItemMustBeOpen(BusinessRule):
    item_id: str
    remedied_on: date | None

    def is_broken(self) -> bool:
        return self.remedied_on is not None

    def error(self) -> DomainError:
        return RemediationItemClosed(
            f"item_id {self.item_id!r} was remedied on {self.remedied_on} and is closed; "
            "it takes no more plans or progress.",
            field="item_id",
            rule=self.name,
        )


@dataclass(frozen=True)
class PlanMustBeSubmitted(BusinessRule):
    item_id: str
    revision: int

    def is_broken(self) -> bool:
        return self.revision == 0

    def error(self) -> DomainError:
        return RemediationPlanMissing(
            f"item_id {self.item_id!r} has no remediation plan yet; submit one first.",
            field="item_id",
            rule=self.name,
        )


@dataclass(frozen=True)
class ActionMustHaveOwner(BusinessRule):
    index: int
    owner: str | None

    def is_broken(self) -> bool:
        return self.owner is None or not self.owner.strip()

    def error(self) -> DomainError:
        field = f"actions[{self.index}].owner"
        return ActionOwnerMissing(
            f"{field} is required: every remediation action needs someone responsible.",
            field=field,
            rule=self.name,
        )


@dataclass(frozen=True)
class ActionDueMustNotPrecedeOpening(BusinessRule):
    index: int
    due_on: date
    opened_on: date

    def is_broken(self) -> bool:
        return self.due_on < self.opened_on

    def error(self) -> DomainError:
        field = f"actions[{self.index}].due_on"
        return ActionDueBeforeOpening(
            f"{field} {self.due_on.isoformat()} is before the item was opened on "
            f"{self.opened_on.isoformat()}.",
            field=field,
            rule=self.name,
        )


@dataclass(frozen=True)
class PercentMustBeValid(BusinessRule):
    """0-100, and never below what was already reported."""

    percent: int | None
    last_percent: int | None

    def is_broken(self) -> bool:
        if self.percent is None:
            return False
        if not 0 <= self.percent <= 100:
            return True
        return self.last_percent is not None and self.percent < self.last_percent

    def error(self) -> DomainError:
        if self.percent is not None and 0 <= self.percent <= 100:
            reason = f"is below the {self.last_percent}% already reported"
        else:
            reason = "must be between 0 and 100"
        return ProgressPercentInvalid(f"percent {self.percent} {reason}.", field="percent", rule=self.name)
