"""A task of a campaign plan: clear person, clear task, clear responsibility."""

from __future__ import annotations

from collections.abc import Container
from dataclasses import dataclass
from datetime import date

from plans.domain.plan_rules import (
    TaskDeadlineMustNotExceedPlanDeadline,
    TaskIdMustBeNew,
    TaskMustHaveOwner,
)
from plans.domain.rules import ValueMustBeGiven, check_rules


@dataclass(frozen=True)
class TaskSpec:
    """A task as a command asks for it."""

    task_id: str
    title: str
    owner: str | None
    deadline: date
    expected_result: str | None = None

    def check(self, plan_deadline: date, existing_ids: Container[str], field_prefix: str = "") -> None:
        """Refuse a task with no id, title or owner, a reused id, or a late deadline."""
        check_rules(
            ValueMustBeGiven(f"{field_prefix}task_id", self.task_id),
            TaskIdMustBeNew(field_prefix, self.task_id, existing_ids),
            ValueMustBeGiven(f"{field_prefix}title", self.title),
            TaskMustHaveOwner(field_prefix, self.owner),
            TaskDeadlineMustNotExceedPlanDeadline(field_prefix, self.deadline, plan_deadline),
        )


@dataclass
class PlanTask:
    """A task as the plan holds it."""

    task_id: str
    title: str
    owner: str
    deadline: date
    expected_result: str | None
    completed_on: date | None = None
    completion_note: str | None = None

    @property
    def is_completed(self) -> bool:
        return self.completed_on is not None

    def is_overdue(self, on: date) -> bool:
        """Deadline passed on ``on`` and not completed by then."""
        done_by_then = self.completed_on is not None and self.completed_on <= on
        return self.deadline < on and not done_by_then
