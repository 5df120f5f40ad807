"""Events of discipline decisions, proposals and appeals."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .event_payload import DomainEvent


@dataclass(frozen=True)
class DisciplineImposed(DomainEvent):
    """A competent body voted a form; status says whether it is enforced or time-barred."""

    event_type = "DisciplineImposed"

    decision_id: str
    subject_kind: str
    subject_id: str
    org_id: str
    deciding_body_org_id: str
    deciding_body_kind: str
    form: str
    decided_on: date
    violation_codes: tuple[str, ...]
    rule_set: str
    status: str
    self_detected_and_remedied: bool
    received_on: date
    reason: str
    discipline_warranted_on: date | None = None
    limitation_clock_started_on: date | None = None
    limitation_expires_on: date | None = None
    inspection_id: str | None = None
    proposal_id: str | None = None


@dataclass(frozen=True)
class DisciplineProposed(DomainEvent):
    """A body without the authority to decide proposed a form to the body that has it."""

    event_type = "DisciplineProposed"

    proposal_id: str
    subject_kind: str
    subject_id: str
    org_id: str
    proposing_body_org_id: str
    proposing_body_kind: str
    form: str
    proposed_on: date
    violation_codes: tuple[str, ...]
    proposed_to_org_id: str
    proposed_to_body_kind: str
    why_not_decided: str
    reason: str
    inspection_id: str | None = None
    rule_set: str | None = None  # in force on proposed_on; None only in events written before it


@dataclass(frozen=True)
class DisciplineAppealed(DomainEvent):
    """The subject appealed a decision; it stays in force meanwhile."""

    event_type = "DisciplineAppealed"

    decision_id: str
    appeal_id: str
    subject_kind: str
    subject_id: str
    org_id: str
    lodged_on: date
    appealed_form: str
    appeal_to_org_id: str
    appeal_to_body_kind: str
    grounds: str


@dataclass(frozen=True)
class AppealDecided(DomainEvent):
    """The appeal body upheld, changed or quashed the decision."""

    event_type = "AppealDecided"

    decision_id: str
    appeal_id: str
    outcome: str
    new_form: str | None
    decided_on: date
    deciding_body_org_id: str
    deciding_body_kind: str
    subject_kind: str
    subject_id: str
    org_id: str
    reason: str = ""
    rule_set: str | None = None  # in force on decided_on; None only in events written before it
    # What the appeal overturns, so a report can take it back where it was counted: the
    # form in force until this decision (after any earlier change) and the date of the
    # decision under appeal. None only in events written before they were added.
    form_in_force: str | None = None
    decision_decided_on: date | None = None
