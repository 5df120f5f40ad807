"""Facts about yearly ratings."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, ClassVar

from .payload_fields import date_from_text, date_to_text
from .rating_rule_sets import RatingLevel
from .shortcoming_events import SubjectKind


@dataclass(frozen=True)
class RatingAssigned:
    """`subject_id` was rated `level` for `year` under `rule_set` on `rated_on`."""

    event_type: ClassVar[str] = "RatingAssigned"
    schema_version: ClassVar[int] = 1

    subject_kind: SubjectKind
    subject_id: str
    org_id: str
    grassroots_org_id: str | None
    year: int
    level: RatingLevel
    score: float | None
    rule_set: str
    rated_on: date

    def to_payload(self) -> dict[str, Any]:
        return {
            "subject_kind": self.subject_kind.value,
            "subject_id": self.subject_id,
            "org_id": self.org_id,
            "grassroots_org_id": self.grassroots_org_id,
            "year": self.year,
            "level": self.level.value,
            "score": self.score,
            "rule_set": self.rule_set,
            "rated_on": date_to_text(self.rated_on),
        }

    @classmethod
    def from_payload(cls, d: dict[str, Any]) -> RatingAssigned:
        return cls(
            subject_kind=SubjectKind(d["subject_kind"]),
            subject_id=d["subject_id"],
            org_id=d["org_id"],
            grassroots_org_id=d.get("grassroots_org_id"),
            year=int(d["year"]),
            level=RatingLevel(d["level"]),
            score=None if d.get("score") is None else float(d["score"]),
            rule_set=d["rule_set"],
            rated_on=date_from_text(d["rated_on"]),
        )


@dataclass(frozen=True)
class RatingFlaggedForReview:
    """A discipline learnt after the rating contradicts it; someone must look again."""

    event_type: ClassVar[str] = "RatingFlaggedForReview"
    schema_version: ClassVar[int] = 1

    subject_kind: SubjectKind
    subject_id: str
    org_id: str
    grassroots_org_id: str | None
    year: int
    level: RatingLevel
    rule_set: str
    discipline_id: str
    reason: str
    flagged_on: date

    def to_payload(self) -> dict[str, Any]:
        return {
            "subject_kind": self.subject_kind.value,
            "subject_id": self.subject_id,
            "org_id": self.org_id,
            "grassroots_org_id": self.grassroots_org_id,
            "year": self.year,
            "level": self.level.value,
            "rule_set": self.rule_set,
            "discipline_id": self.discipline_id,
            "reason": self.reason,
            "flagged_on": date_to_text(self.flagged_on),
        }

    @classmethod
    def from_payload(cls, d: dict[str, Any]) -> RatingFlaggedForReview:
        return cls(
            subject_kind=SubjectKind(d["subject_kind"]),
            subject_id=d["subject_id"],
            org_id=d["org_id"],
            grassroots_org_id=d.get("grassroots_org_id"),
            year=int(d["year"]),
            level=RatingLevel(d["level"]),
            rule_set=d["rule_set"],
            discipline_id=d["discipline_id"],
            reason=d["reason"],
            flagged_on=date_from_text(d["flagged_on"]),
        )
