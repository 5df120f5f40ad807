"""The inspection (or supervision) file: opened by decision, walked through its phases."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import TypeVar

from .calendar_periods import working_days_after
from .event_payload import DomainEvent
from .exceptions import InvalidValue, OutOfOrder
from .findings import Finding, check_conclusion
from .inspection_decision import InspectionDecision
from .inspection_events import (
    InspectionConcluded,
    InspectionOpened,
    InspectionPhaseRecorded,
    SupervisionConducted,
)
from .inspection_kinds import InspectionKind, Phase
from .phase_path import check_next_phase
from .rule_sets import DEFAULT_RULE_SETS, RuleSetCatalogue
from .shortcoming_events import ShortcomingRecorded

E = TypeVar("E", bound=DomainEvent)


class Inspection:
    """One inspection or supervision file; state is rebuilt from its events."""

    def __init__(self) -> None:
        self.opened: InspectionOpened | None = None
        self.phase = Phase.OPENED
        self.phase_dates: dict[Phase, date] = {}
        self.shortcoming_ids: tuple[str, ...] = ()
        self.discipline_warranted = False
        self.new_events: list[DomainEvent] = []

    # -- commands -------------------------------------------------------------

    @classmethod
    def open(cls, inspection_id: str, decision: InspectionDecision) -> Inspection:
        if not inspection_id.strip():
            raise InvalidValue("The inspection_id must not be empty.", field="inspection_id")
        decision.check()
        inspection = cls()
        inspection._record(
            InspectionOpened(
                inspection_id=inspection_id,
                kind=decision.kind.value,
                scope=decision.scope.value if decision.scope else None,
                deciding_body_org_id=decision.deciding_body_org_id,
                deciding_body_type=decision.deciding_body_type.value,
                subject_kind=decision.subject_kind.value,
                subject_id=decision.subject_id,
                org_id=decision.subject_org_id,
                content=decision.content,
                period_from=decision.period_from,
                period_to=decision.period_to,
                team=tuple(name.strip() for name in decision.team),
                planned_duration_days=decision.planned_duration_days,
                decision_number=decision.decision_number,
                decided_on=decision.decided_on,
                programme_item_id=decision.programme_item_id,
            )
        )
        return inspection

    def record_phase(self, phase: Phase, on: date) -> InspectionPhaseRecorded:
        """Move to the next phase; concluding and conducting have their own commands."""
        if phase in (Phase.CONCLUDED, Phase.CONDUCTED):
            raise InvalidValue(
                f"The phase {phase.value} is recorded with its findings, by conclude or conduct_supervision.",
                field="phase",
            )
        return self._advance(phase, on)

    def conclude(
        self,
        concluded_on: date,
        conclusion: str,
        findings: tuple[Finding, ...],
        violation_found: bool,
        discipline_warranted: bool,
        catalogue_version: str,
    ) -> list[DomainEvent]:
        """Conclude an inspection; each finding is published as a ShortcomingRecorded."""
        opened = self._opened()
        check_conclusion(conclusion, findings, catalogue_version)
        if discipline_warranted and not violation_found:
            raise InvalidValue(
                "Discipline can be warranted only when a violation was found.", field="discipline_warranted"
            )
        self._check_next(Phase.CONCLUDED, concluded_on)
        events: list[DomainEvent] = [self._advance(Phase.CONCLUDED, concluded_on)]
        events.append(
            self._record(
                InspectionConcluded(
                    inspection_id=opened.inspection_id,
                    kind=opened.kind,
                    subject_kind=opened.subject_kind,
                    subject_id=opened.subject_id,
                    org_id=opened.org_id,
                    deciding_body_org_id=opened.deciding_body_org_id,
                    concluded_on=concluded_on,
                    conclusion=conclusion,
                    violation_found=violation_found,
                    discipline_warranted=discipline_warranted,
                    shortcoming_ids=tuple(f.shortcoming_id for f in findings),
                )
            )
        )
        events += self._record_shortcomings(findings, catalogue_version, concluded_on)
        return events

    def conduct_supervision(
        self,
        conducted_on: date,
        conclusion: str,
        findings: tuple[Finding, ...],
        violation_signs_found: bool,
        catalogue_version: str,
    ) -> list[DomainEvent]:
        """The lighter path of a supervision: carried out, with its findings."""
        opened = self._opened()
        check_conclusion(conclusion, findings, catalogue_version)
        self._check_next(Phase.CONDUCTED, conducted_on)
        events: list[DomainEvent] = [self._advance(Phase.CONDUCTED, conducted_on)]
        events.append(
            self._record(
                SupervisionConducted(
                    inspection_id=opened.inspection_id,
                    kind=opened.kind,
                    subject_kind=opened.subject_kind,
                    subject_id=opened.subject_id,
                    org_id=opened.org_id,
                    deciding_body_org_id=opened.deciding_body_org_id,
                    conducted_on=conducted_on,
                    conclusion=conclusion,
                    violation_signs_found=violation_signs_found,
                    shortcoming_ids=tuple(f.shortcoming_id for f in findings),
                )
            )
        )
        events += self._record_shortcomings(findings, catalogue_version, conducted_on)
        return events

    # -- questions ------------------------------------------------------------

    @property
    def is_supervision(self) -> bool:
        return InspectionKind(self._opened().kind).is_supervision

    @property
    def finished_on(self) -> date | None:
        """When the file was concluded (an inspection) or carried out (a supervision)."""
        return self.phase_dates.get(Phase.CONCLUDED) or self.phase_dates.get(Phase.CONDUCTED)

    def archive_deadline(
        self, holidays: Iterable[date] = (), rule_sets: RuleSetCatalogue = DEFAULT_RULE_SETS
    ) -> date | None:
        """The last working day to archive, counted from the conclusion notice."""
        notified_on = self.phase_dates.get(Phase.CONCLUSION_NOTIFIED)
        if notified_on is None:
            return None
        days = rule_sets.in_force_on(notified_on, field="conclusion_notified").archive_within_working_days
        return working_days_after(notified_on, days, holidays)

    def is_archive_late(
        self, as_of: date, holidays: Iterable[date] = (), rule_sets: RuleSetCatalogue = DEFAULT_RULE_SETS
    ) -> bool:
        """Late when not archived by the deadline (or archived after it)."""
        deadline = self.archive_deadline(holidays, rule_sets)
        if deadline is None:
            return False
        archived_on = self.phase_dates.get(Phase.ARCHIVED)
        return (archived_on or as_of) > deadline

    # -- state ----------------------------------------------------------------

    @classmethod
    def from_events(cls, events: Iterable[DomainEvent]) -> Inspection:
        inspection = cls()
        for event in events:
            inspection.apply(event)
        return inspection

    def apply(self, event: DomainEvent) -> None:
        if isinstance(event, InspectionOpened):
            self.opened = event
            self.phase_dates[Phase.OPENED] = event.decided_on
        elif isinstance(event, InspectionPhaseRecorded):
            self.phase = Phase(event.phase)
            self.phase_dates[self.phase] = event.recorded_on
        elif isinstance(event, InspectionConcluded):
            self.shortcoming_ids = event.shortcoming_ids
            self.discipline_warranted = event.discipline_warranted
        elif isinstance(event, SupervisionConducted):
            self.shortcoming_ids = event.shortcoming_ids

    # -- inner workings -------------------------------------------------------

    def _opened(self) -> InspectionOpened:
        if self.opened is None:
            raise OutOfOrder("This inspection has not been opened.", field="inspection_id")
        return self.opened

    def _check_next(self, phase: Phase, on: date) -> None:
        check_next_phase(self.phase, phase, on, max(self.phase_dates.values()), self.is_supervision)

    def _advance(self, phase: Phase, on: date) -> InspectionPhaseRecorded:
        opened = self._opened()
        self._check_next(phase, on)
        return self._record(
            InspectionPhaseRecorded(
                inspection_id=opened.inspection_id,
                kind=opened.kind,
                phase=phase.value,
                recorded_on=on,
                org_id=opened.org_id,
                deciding_body_org_id=opened.deciding_body_org_id,
            )
        )

    def _record_shortcomings(
        self, findings: tuple[Finding, ...], catalogue_version: str, on: date
    ) -> list[DomainEvent]:
        inspection_id = self._opened().inspection_id
        return [
            self._record(ShortcomingRecorded.from_finding(inspection_id, f, catalogue_version, on))
            for f in findings
        ]

    def _record(self, event: E) -> E:
        self.apply(event)
        self.new_events.append(event)
        return event
