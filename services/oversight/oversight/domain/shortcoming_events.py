"""ShortcomingRecorded as oversight publishes it (the sessions service owns the contract)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .event_payload import DomainEvent
from .findings import Finding

SOURCE_INSPECTION = "inspection"


@dataclass(frozen=True)
class ShortcomingRecorded(DomainEvent):
    """A shortcoming found by an inspection or supervision; session_id is always null here."""

    event_type = "ShortcomingRecorded"

    source: str
    session_id: str | None
    inspection_id: str
    shortcoming_id: str
    subject_kind: str
    subject_id: str
    org_id: str
    codes: tuple[str, ...]
    catalogue_version: str
    description: str
    recorded_on: date

    @classmethod
    def from_finding(
        cls, inspection_id: str, finding: Finding, catalogue_version: str, recorded_on: date
    ) -> ShortcomingRecorded:
        return cls(
            source=SOURCE_INSPECTION,
            session_id=None,
            inspection_id=inspection_id,
            shortcoming_id=finding.shortcoming_id,
            subject_kind=finding.subject_kind,
            subject_id=finding.subject_id,
            org_id=finding.org_id,
            codes=finding.codes,
            catalogue_version=catalogue_version,
            description=finding.description,
            recorded_on=recorded_on,
        )
