"""A campaign plan (kế hoạch) issued by a party body, with its tasks."""

from __future__ import annotations

from collections.abc import Container, Sequence
from datetime import date

from plans.domain.aggregate import Aggregate
from plans.domain.copy_detection import CopyAssessment, CopyDetectionPolicy, assess_copy
from plans.domain.errors import InvalidCommand, TaskAlreadyCompleted, UnknownTask
from plans.domain.payload import DomainEvent
from plans.domain.plan_events import (
    PlanFlaggedAsCopy,
    PlanIssued,
    PlanTaskAssigned,
    PlanTaskCompleted,
)
from plans.domain.plan_rules import (
    ParentPlanMustComeFromAncestor,
    UnitsMustBeInsideIssuerSubtree,
)
from plans.domain.plan_task import PlanTask, TaskSpec
from plans.domain.rules import DateMustNotPrecede, ValueMustBeGiven, check_rules


class Plan(Aggregate):
    plan_id: str
    org_id: str
    number: str
    issued_on: date
    title: str
    implements_documents: tuple[str, ...]
    parent_plan_id: str | None
    required_unit_ids: tuple[str, ...]
    deadline: date
    tasks: dict[str, PlanTask]
    flagged_as_copy: PlanFlaggedAsCopy | None

    @classmethod
    def issue(
        cls,
        *,
        plan_id: str,
        org_id: str,
        number: str,
        issued_on: date,
        title: str,
        implements_documents: Sequence[str],
        required_unit_ids: Sequence[str],
        deadline: date,
        tasks: Sequence[TaskSpec],
        issuer_subtree: Container[str],
        parent_plan: Plan | None = None,
        issuer_ancestors: Container[str] = (),
    ) -> Plan:
        """Issue a plan; every required unit must sit inside ``issuer_subtree`` and a
        parent plan must come from one of ``issuer_ancestors``."""
        check_rules(
            ValueMustBeGiven("plan_id", plan_id),
            ValueMustBeGiven("org_id", org_id),
            ValueMustBeGiven("number", number),
            ValueMustBeGiven("title", title),
            DateMustNotPrecede("deadline", deadline, issued_on, "issue date"),
            UnitsMustBeInsideIssuerSubtree(org_id, list(required_unit_ids), issuer_subtree),
        )
        if parent_plan is not None:
            check_rules(
                ParentPlanMustComeFromAncestor(
                    parent_plan.plan_id, parent_plan.org_id, org_id, issuer_ancestors
                )
            )
        seen: set[str] = set()
        for index, spec in enumerate(tasks):
            spec.check(deadline, seen, field_prefix=f"tasks[{index}].")
            seen.add(spec.task_id)
        plan = cls.__new__(cls)
        Aggregate.__init__(plan)
        plan._record(
            PlanIssued(
                plan_id=plan_id,
                org_id=org_id,
                number=number.strip(),
                issued_on=issued_on,
                title=title.strip(),
                implements_documents=tuple(d.strip() for d in implements_documents if d.strip()),
                parent_plan_id=parent_plan.plan_id if parent_plan else None,
                required_unit_ids=tuple(dict.fromkeys(required_unit_ids)),
                deadline=deadline,
            )
        )
        for spec in tasks:
            plan._record(plan._assigned(spec, issued_on))
        return plan

    def assign_task(self, spec: TaskSpec, assigned_on: date) -> DomainEvent:
        """Add a task after the plan was issued (its deadline still bounded by the plan's)."""
        spec.check(self.deadline, self.tasks)
        check_rules(DateMustNotPrecede("assigned_on", assigned_on, self.issued_on, "plan's issue date"))
        return self._record(self._assigned(spec, assigned_on))

    def complete_task(self, task_id: str, note: str, completed_on: date) -> DomainEvent:
        """Record that a task is done, with a note on what was achieved. Only once."""
        task = self.task(task_id)
        if task.is_completed:
            raise TaskAlreadyCompleted(
                f"task_id {task_id!r} was already completed on {task.completed_on}.",
                field="task_id",
                rule="TaskIsCompletedOnce",
            )
        check_rules(
            ValueMustBeGiven("note", note),
            DateMustNotPrecede("completed_on", completed_on, self.issued_on, "plan's issue date"),
        )
        return self._record(
            PlanTaskCompleted(
                plan_id=self.plan_id,
                org_id=self.org_id,
                task_id=task_id,
                completed_on=completed_on,
                note=note.strip(),
            )
        )

    def check_against_parent(
        self, parent_plan: Plan, checked_on: date, policy: CopyDetectionPolicy | None = None
    ) -> CopyAssessment:
        """Compare this plan's tasks with its parent's; record PlanFlaggedAsCopy (once)
        when too many of them merely restate the parent's."""
        if parent_plan.plan_id != self.parent_plan_id:
            raise InvalidCommand(
                f"parent_plan_id: plan {self.plan_id!r} implements {self.parent_plan_id!r}, "
                f"not {parent_plan.plan_id!r}.",
                field="parent_plan_id",
                rule="CompareOnlyWithOwnParentPlan",
            )
        assessment = assess_copy(
            [(t.task_id, t.title) for t in self.tasks.values()],
            [(t.task_id, t.title) for t in parent_plan.tasks.values()],
            policy,
        )
        if assessment.flagged and self.flagged_as_copy is None:
            self._record(
                PlanFlaggedAsCopy(
                    plan_id=self.plan_id,
                    org_id=self.org_id,
                    parent_plan_id=parent_plan.plan_id,
                    parent_org_id=parent_plan.org_id,
                    flagged_on=checked_on,
                    similarity=assessment.similarity,
                    copied_share=assessment.copied_share,
                    matches=assessment.matches,
                    method=assessment.policy.method,
                    pair_threshold=assessment.policy.pair_threshold,
                    share_threshold=assessment.policy.share_threshold,
                )
            )
        return assessment

    def task(self, task_id: str) -> PlanTask:
        try:
            return self.tasks[task_id]
        except KeyError:
            raise UnknownTask(
                f"task_id {task_id!r} is not a task of plan {self.plan_id!r}.", field="task_id"
            ) from None

    def overdue_tasks(self, on: date) -> list[PlanTask]:
        """Tasks whose deadline had passed on ``on`` without being completed."""
        return [task for task in self.tasks.values() if task.is_overdue(on)]

    def _assigned(self, spec: TaskSpec, assigned_on: date) -> PlanTaskAssigned:
        return PlanTaskAssigned(
            plan_id=self.plan_id,
            org_id=self.org_id,
            task_id=spec.task_id,
            title=spec.title.strip(),
            owner=(spec.owner or "").strip(),
            deadline=spec.deadline,
            expected_result=spec.expected_result,
            assigned_on=assigned_on,
        )

    def _when(self, event: DomainEvent) -> None:
        if isinstance(event, PlanIssued):
            self.plan_id, self.org_id, self.number = event.plan_id, event.org_id, event.number
            self.issued_on, self.title, self.deadline = event.issued_on, event.title, event.deadline
            self.implements_documents = event.implements_documents
            self.parent_plan_id = event.parent_plan_id
            self.required_unit_ids = event.required_unit_ids
            self.tasks, self.flagged_as_copy = {}, None
        elif isinstance(event, PlanTaskAssigned):
            self.tasks[event.task_id] = PlanTask(
                event.task_id, event.title, event.owner, event.deadline, event.expected_result
            )
        elif isinstance(event, PlanTaskCompleted):
            task = self.tasks[event.task_id]
            task.completed_on, task.completion_note = event.completed_on, event.note
        elif isinstance(event, PlanFlaggedAsCopy):
            self.flagged_as_copy = event
        else:
            raise TypeError(f"Plan cannot apply {type(event).__name__}")
