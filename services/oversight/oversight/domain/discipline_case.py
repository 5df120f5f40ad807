"""What a discipline decision or proposal is about: the subject and the violations."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .discipline_forms import DisciplineSubject
from .exceptions import InvalidValue
from .limitation import Violation


@dataclass(frozen=True)
class DisciplineCase:
    """The subject, the violations found, and the date discipline was concluded to be warranted."""

    subject: DisciplineSubject
    violations: tuple[Violation, ...]
    discipline_warranted_on: date
    reason: str
    concerns_higher_level_task: bool = False
    inspection_id: str | None = None

    @property
    def violation_codes(self) -> tuple[str, ...]:
        codes: list[str] = []
        for violation in self.violations:
            codes.extend(c for c in violation.codes if c not in codes)
        return tuple(codes)

    def check(self) -> None:
        if not self.subject.subject_id.strip():
            raise InvalidValue("The subject_id must not be empty.", field="subject_id")
        if not self.reason.strip():
            raise InvalidValue("The reason for the discipline must not be empty.", field="reason")
        if not self.violations:
            raise InvalidValue("A discipline case needs at least one violation.", field="violations")
        for violation in self.violations:
            violation.check()
        latest = max(v.committed_on for v in self.violations)
        if self.discipline_warranted_on < latest:
            raise InvalidValue(
                "The discipline_warranted_on date must not be before the violation it concludes on.",
                field="discipline_warranted_on",
            )
