"""Facts about themed sessions (sinh hoạt chuyên đề)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, ClassVar

from .meeting_duration import NonCompliance
from .payload_fields import date_from_text, date_to_text
from .session_figures import AttendanceFigures
from .session_minutes import SessionMinutes


@dataclass(frozen=True)
class SessionScheduled:
    """Cell `org_id` will hold a themed session on `scheduled_on`."""

    event_type: ClassVar[str] = "SessionScheduled"
    schema_version: ClassVar[int] = 1

    session_id: str
    org_id: str
    theme: str
    scheduled_on: date
    plan_id: str | None = None
    pilot: bool = False

    def to_payload(self) -> dict[str, Any]:
        return {
            "session_id": self.session_id,
            "org_id": self.org_id,
            "theme": self.theme,
            "scheduled_on": date_to_text(self.scheduled_on),
            "plan_id": self.plan_id,
            "pilot": self.pilot,
        }

    @classmethod
    def from_payload(cls, d: dict[str, Any]) -> SessionScheduled:
        return cls(
            session_id=d["session_id"],
            org_id=d["org_id"],
            theme=d["theme"],
            scheduled_on=date_from_text(d["scheduled_on"]),
            plan_id=d.get("plan_id"),
            pilot=bool(d.get("pilot", False)),
        )


@dataclass(frozen=True)
class SessionHeld:
    """Cell `org_id` held the session on `held_on`; carries the minutes and the figures
    derived from them (attendance, speaking turns, the resolution's fate, breaches)."""

    event_type: ClassVar[str] = "SessionHeld"
    schema_version: ClassVar[int] = 1

    session_id: str
    org_id: str
    theme: str
    plan_id: str | None
    pilot: bool
    minutes: SessionMinutes
    figures: AttendanceFigures
    resolution_passed: bool | None
    non_compliance: tuple[NonCompliance, ...] = ()

    @property
    def held_on(self) -> date:
        return self.minutes.held_on

    @property
    def non_compliant(self) -> bool:
        return bool(self.non_compliance)

    def to_payload(self) -> dict[str, Any]:
        return {
            "session_id": self.session_id,
            "org_id": self.org_id,
            "theme": self.theme,
            "plan_id": self.plan_id,
            "pilot": self.pilot,
            **self.minutes.to_payload(),
            "duration_minutes": self.minutes.duration_minutes,
            **self.figures.to_payload(),
            "resolution_passed": self.resolution_passed,
            "non_compliant": self.non_compliant,
            "non_compliance": [n.to_payload() for n in self.non_compliance],
        }

    @classmethod
    def from_payload(cls, d: dict[str, Any]) -> SessionHeld:
        return cls(
            session_id=d["session_id"],
            org_id=d["org_id"],
            theme=d["theme"],
            plan_id=d.get("plan_id"),
            pilot=bool(d.get("pilot", False)),
            minutes=SessionMinutes.from_payload(d),
            figures=AttendanceFigures.from_payload(d),
            resolution_passed=d.get("resolution_passed"),
            non_compliance=tuple(NonCompliance.from_payload(n) for n in d.get("non_compliance", ())),
        )
