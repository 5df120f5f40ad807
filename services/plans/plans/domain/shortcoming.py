"""A shortcoming recorded by another service (sessions or oversight), as plans reads it.

Read tolerantly: unknown fields are ignored, both spellings of "organisation" are
accepted, and the source service comes from the exchange the event arrived on when the
payload does not say.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any

from plans.domain.errors import InvalidShortcoming


class SubjectKind(StrEnum):
    MEMBER = "member"
    ORGANISATION = "organisation"


@dataclass(frozen=True)
class RecordedShortcoming:
    shortcoming_id: str
    source_service: str
    subject_kind: SubjectKind
    subject_id: str
    org_id: str
    catalogue_codes: tuple[str, ...]
    description: str
    recorded_on: date

    @classmethod
    def from_event_payload(cls, payload: dict[str, Any], source_service: str) -> RecordedShortcoming:
        """Read a ShortcomingRecorded payload; refuse one that cannot open an item."""
        for name in ("shortcoming_id", "subject_id", "org_id", "recorded_on"):
            if not payload.get(name):
                raise InvalidShortcoming(
                    f"{name} is missing from the ShortcomingRecorded payload.", field=name
                )
        kind = str(payload.get("subject_kind", "")).lower().replace("organization", "organisation")
        if kind not in {k.value for k in SubjectKind}:
            raise InvalidShortcoming(
                f"subject_kind {payload.get('subject_kind')!r} must be member or organisation.",
                field="subject_kind",
            )
        try:
            recorded_on = date.fromisoformat(str(payload["recorded_on"])[:10])
        except ValueError:
            raise InvalidShortcoming(
                f"recorded_on {payload['recorded_on']!r} is not a YYYY-MM-DD date.",
                field="recorded_on",
            ) from None
        # sessions' ShortcomingRecorded v1 calls the catalogue items "codes"
        codes = payload.get("catalogue_codes") or payload.get("codes") or ()
        return cls(
            shortcoming_id=str(payload["shortcoming_id"]),
            source_service=str(payload.get("source_service") or source_service),
            subject_kind=SubjectKind(kind),
            subject_id=str(payload["subject_id"]),
            org_id=str(payload["org_id"]),
            catalogue_codes=tuple(str(c) for c in codes),
            description=str(payload.get("description") or ""),
            recorded_on=recorded_on,
        )
