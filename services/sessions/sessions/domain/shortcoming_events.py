"""ShortcomingRecorded: a shortcoming named for a collective or a member.

The oversight service publishes the same fact from inspections (`source`
"inspection"); this class reads both and writes the session side.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any, ClassVar

from .payload_fields import date_from_text, date_to_text, text_list


class SubjectKind(StrEnum):
    MEMBER = "member"
    ORGANISATION = "organisation"


@dataclass(frozen=True)
class ShortcomingRecorded:
    event_type: ClassVar[str] = "ShortcomingRecorded"
    schema_version: ClassVar[int] = 1

    shortcoming_id: str
    source: str  # "session" | "inspection"
    session_id: str | None
    inspection_id: str | None
    subject_kind: SubjectKind
    subject_id: str
    org_id: str
    codes: tuple[str, ...]
    catalogue_version: str
    description: str
    recorded_on: date

    def to_payload(self) -> dict[str, Any]:
        return {
            "shortcoming_id": self.shortcoming_id,
            "source": self.source,
            "session_id": self.session_id,
            "inspection_id": self.inspection_id,
            "subject_kind": self.subject_kind.value,
            "subject_id": self.subject_id,
            "org_id": self.org_id,
            "codes": list(self.codes),
            "catalogue_version": self.catalogue_version,
            "description": self.description,
            "recorded_on": date_to_text(self.recorded_on),
        }

    @classmethod
    def from_payload(cls, d: dict[str, Any]) -> ShortcomingRecorded:
        return cls(
            shortcoming_id=d["shortcoming_id"],
            source=d["source"],
            session_id=d.get("session_id"),
            inspection_id=d.get("inspection_id"),
            subject_kind=SubjectKind(d["subject_kind"]),
            subject_id=d["subject_id"],
            org_id=d["org_id"],
            codes=text_list(d["codes"]),
            catalogue_version=d["catalogue_version"],
            description=d.get("description", ""),
            recorded_on=date_from_text(d["recorded_on"]),
        )
