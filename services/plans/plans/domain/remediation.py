"""A remediation item: one recorded shortcoming followed until it is remedied."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from plans.domain.aggregate import Aggregate
from plans.domain.errors import MissingValue
from plans.domain.payload import DomainEvent
from plans.domain.remediation_events import (
    RemediationAction,
    RemediationOpened,
    RemediationOverdue,
    RemediationPlanSubmitted,
    RemediationProgressReported,
    ShortcomingRemedied,
)
from plans.domain.remediation_policy import RemediationPolicy, RemediationStatus, item_id_for
from plans.domain.remediation_rules import (
    ActionDueMustNotPrecedeOpening,
    ActionMustHaveOwner,
    ItemMustBeOpen,
    PercentMustBeValid,
    PlanMustBeSubmitted,
)
from plans.domain.rules import DateMustNotPrecede, ValueMustBeGiven, check_rules
from plans.domain.shortcoming import RecordedShortcoming, SubjectKind


@dataclass(frozen=True)
class ActionSpec:
    """A remediation action as the subject submits it."""

    description: str
    owner: str | None
    due_on: date


class RemediationItem(Aggregate):
    item_id: str
    shortcoming: RecordedShortcoming
    opened_on: date
    due_on: date
    status: RemediationStatus
    actions: tuple[RemediationAction, ...]
    revision: int
    progress: list[RemediationProgressReported]
    remedied_on: date | None
    overdue_reported: bool

    @classmethod
    def open(
        cls,
        shortcoming: RecordedShortcoming,
        policy: RemediationPolicy | None = None,
        opened_on: date | None = None,
    ) -> RemediationItem:
        """Open an item for a shortcoming; it is due ``policy.default_days`` after recording."""
        policy = policy or RemediationPolicy()
        opened_on = opened_on or shortcoming.recorded_on
        check_rules(DateMustNotPrecede("opened_on", opened_on, shortcoming.recorded_on, "recording date"))
        item = cls.__new__(cls)
        Aggregate.__init__(item)
        s = shortcoming
        item._record(
            RemediationOpened(
                item_id=item_id_for(s),
                shortcoming_id=s.shortcoming_id,
                source_service=s.source_service,
                subject_kind=s.subject_kind,
                subject_id=s.subject_id,
                org_id=s.org_id,
                catalogue_codes=s.catalogue_codes,
                description=s.description,
                recorded_on=s.recorded_on,
                opened_on=opened_on,
                due_on=policy.due_on(s.recorded_on),
            )
        )
        return item

    @property
    def org_id(self) -> str:
        return self.shortcoming.org_id

    @property
    def last_percent(self) -> int | None:
        known = [p.percent for p in self.progress if p.percent is not None]
        return known[-1] if known else None

    def submit_plan(self, actions: Sequence[ActionSpec], submitted_on: date) -> DomainEvent:
        """Submit (or revise) the plan: each action has a description, an owner and a due date."""
        check_rules(
            ItemMustBeOpen(self.item_id, self.remedied_on),
            DateMustNotPrecede("submitted_on", submitted_on, self.opened_on, "item's opening date"),
        )
        if not actions:
            raise MissingValue(
                "actions is required: a remediation plan needs at least one action.",
                field="actions",
                rule="PlanMustHaveActions",
            )
        for index, action in enumerate(actions):
            check_rules(
                ValueMustBeGiven(f"actions[{index}].description", action.description),
                ActionMustHaveOwner(index, action.owner),
                ActionDueMustNotPrecedeOpening(index, action.due_on, self.opened_on),
            )
        return self._record(
            RemediationPlanSubmitted(
                item_id=self.item_id,
                shortcoming_id=self.shortcoming.shortcoming_id,
                org_id=self.org_id,
                subject_kind=self.shortcoming.subject_kind,
                subject_id=self.shortcoming.subject_id,
                submitted_on=submitted_on,
                actions=tuple(
                    RemediationAction(a.description.strip(), (a.owner or "").strip(), a.due_on)
                    for a in actions
                ),
                revision=self.revision + 1,
            )
        )

    def report_progress(self, note: str, reported_on: date, percent: int | None = None) -> DomainEvent:
        """Report what was done; ``percent`` (0-100) may not go down."""
        check_rules(
            ItemMustBeOpen(self.item_id, self.remedied_on),
            PlanMustBeSubmitted(self.item_id, self.revision),
            ValueMustBeGiven("note", note),
            PercentMustBeValid(percent, self.last_percent),
            DateMustNotPrecede("reported_on", reported_on, self.opened_on, "item's opening date"),
        )
        return self._record(
            RemediationProgressReported(
                item_id=self.item_id,
                shortcoming_id=self.shortcoming.shortcoming_id,
                org_id=self.org_id,
                reported_on=reported_on,
                note=note.strip(),
                percent=percent,
            )
        )

    def mark_remedied(self, remedied_on: date, note: str) -> DomainEvent:
        """Close the item: the shortcoming is remedied."""
        check_rules(
            ItemMustBeOpen(self.item_id, self.remedied_on),
            PlanMustBeSubmitted(self.item_id, self.revision),
            ValueMustBeGiven("note", note),
            DateMustNotPrecede("remedied_on", remedied_on, self.opened_on, "item's opening date"),
        )
        s = self.shortcoming
        return self._record(
            ShortcomingRemedied(
                item_id=self.item_id,
                shortcoming_id=s.shortcoming_id,
                source_service=s.source_service,
                org_id=s.org_id,
                subject_kind=s.subject_kind,
                subject_id=s.subject_id,
                catalogue_codes=s.catalogue_codes,
                remedied_on=remedied_on,
                note=note.strip(),
                was_overdue=remedied_on > self.due_on,
            )
        )

    def is_overdue(self, on: date) -> bool:
        """Past its due date on ``on`` and not remedied by then."""
        remedied_by_then = self.remedied_on is not None and self.remedied_on <= on
        return on > self.due_on and not remedied_by_then

    def check_overdue(self, on: date) -> DomainEvent | None:
        """Record RemediationOverdue the first time the item is found overdue; never again."""
        if self.overdue_reported or self.remedied_on is not None or not self.is_overdue(on):
            return None
        s = self.shortcoming
        return self._record(
            RemediationOverdue(
                item_id=self.item_id,
                shortcoming_id=s.shortcoming_id,
                org_id=s.org_id,
                subject_kind=s.subject_kind,
                subject_id=s.subject_id,
                due_on=self.due_on,
                detected_on=on,
                days_overdue=(on - self.due_on).days,
            )
        )

    def _when(self, event: DomainEvent) -> None:
        if isinstance(event, RemediationOpened):
            self.item_id, self.opened_on, self.due_on = event.item_id, event.opened_on, event.due_on
            self.shortcoming = RecordedShortcoming(
                event.shortcoming_id,
                event.source_service,
                SubjectKind(event.subject_kind),
                event.subject_id,
                event.org_id,
                event.catalogue_codes,
                event.description,
                event.recorded_on,
            )
            self.status, self.actions, self.revision = RemediationStatus.OPENED, (), 0
            self.progress, self.remedied_on, self.overdue_reported = [], None, False
        elif isinstance(event, RemediationPlanSubmitted):
            self.actions, self.revision = event.actions, event.revision
            if self.status is RemediationStatus.OPENED:
                self.status = RemediationStatus.PLAN_SUBMITTED
        elif isinstance(event, RemediationProgressReported):
            self.progress.append(event)
            self.status = RemediationStatus.IN_PROGRESS
        elif isinstance(event, ShortcomingRemedied):
            self.remedied_on, self.status = event.remedied_on, RemediationStatus.REMEDIED
        elif isinstance(event, RemediationOverdue):
            self.overdue_reported = True
        else:
            raise TypeError(f"RemediationItem cannot apply {type(event).__name__}")
