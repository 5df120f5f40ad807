"""The decision that opens an inspection or supervision, and the rules it must satisfy."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .exceptions import InvalidValue
from .inspection_kinds import InspectionKind, InspectionScope, OversightBodyType, OversightSubjectKind

TEAM_SIZE = range(3, 6)


@dataclass(frozen=True)
class InspectionDecision:
    """Decision and plan: who decided, on whom, about what, over which period, by whom."""

    kind: InspectionKind
    deciding_body_org_id: str
    deciding_body_type: OversightBodyType
    subject_kind: OversightSubjectKind
    subject_id: str
    subject_org_id: str
    content: str
    period_from: date
    period_to: date
    team: tuple[str, ...]
    planned_duration_days: int
    decision_number: str
    decided_on: date
    scope: InspectionScope | None = None
    programme_item_id: str | None = None

    def check(self) -> None:
        """Raise InvalidValue naming the first offending field."""
        for name in ("deciding_body_org_id", "subject_id", "subject_org_id", "content", "decision_number"):
            if not str(getattr(self, name)).strip():
                raise InvalidValue(f"The {name} of the inspection decision must not be empty.", field=name)
        self._check_scope()
        if (
            self.kind is InspectionKind.INSPECTION_OF_LOWER_BODY_DISCIPLINE_WORK
            and self.subject_kind is not OversightSubjectKind.ORGANISATION
        ):
            raise InvalidValue(
                "An inspection of a lower body's inspection and discipline work needs an organisation "
                "as subject_kind.",
                field="subject_kind",
            )
        if self.period_to < self.period_from:
            raise InvalidValue(
                "The period covered must not end (period_to) before it starts.", field="period_to"
            )
        self._check_team()
        if self.planned_duration_days <= 0:
            raise InvalidValue(
                "The planned_duration_days must be a positive number of days.", field="planned_duration_days"
            )

    def _check_scope(self) -> None:
        if self.kind is InspectionKind.REGULAR_INSPECTION and self.scope is None:
            raise InvalidValue("A regular inspection needs a scope: regular or thematic.", field="scope")
        if self.kind is not InspectionKind.REGULAR_INSPECTION and self.scope is not None:
            raise InvalidValue(
                f"Only a regular inspection has a scope; a {self.kind.value} does not.", field="scope"
            )

    def _check_team(self) -> None:
        names = [name.strip() for name in self.team]
        if len(names) not in TEAM_SIZE:
            raise InvalidValue(f"The team must have 3 to 5 members; {len(names)} were named.", field="team")
        if any(not name for name in names) or len(set(names)) != len(names):
            raise InvalidValue("Each team member must be named once, with a non-empty name.", field="team")
