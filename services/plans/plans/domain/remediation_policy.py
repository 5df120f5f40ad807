"""How remediation items are identified, when they fall due, and their statuses."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from plans.domain.shortcoming import RecordedShortcoming


class RemediationStatus(StrEnum):
    OPENED = "opened"
    PLAN_SUBMITTED = "plan_submitted"
    IN_PROGRESS = "in_progress"
    REMEDIED = "remedied"


@dataclass(frozen=True)
class RemediationPolicy:
    """How long a subject has to remedy a shortcoming unless told otherwise."""

    default_days: int = 30

    def due_on(self, recorded_on: date) -> date:
        return recorded_on + timedelta(days=self.default_days)


def item_id_for(shortcoming: RecordedShortcoming) -> str:
    """One item per shortcoming: redelivering ShortcomingRecorded opens nothing new."""
    return f"{shortcoming.source_service}:{shortcoming.shortcoming_id}"
