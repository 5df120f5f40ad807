"""The sessions service's local record of discipline, built from the oversight
service's DisciplineImposed and AppealDecided events. Ratings need it."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from .payload_fields import date_from_text

MEMBER_SUBJECT_KINDS = frozenset({"member", "full_member", "probationary_member"})


@dataclass(frozen=True)
class DisciplineRecord:
    """One discipline decision as far as rating cares.

    `member_id` is set for a member's discipline; for an organisation's, it is None and
    `org_id` is the disciplined organisation. A quashed or time-barred (never enforced)
    decision does not count against anyone.
    """

    discipline_id: str
    member_id: str | None
    org_id: str
    decided_on: date
    form: str
    self_detected_and_remedied: bool = False
    quashed: bool = False
    enforced: bool = True

    @property
    def counts(self) -> bool:
        return self.enforced and not self.quashed

    @property
    def counts_against_member_rating(self) -> bool:
        return self.counts and not self.self_detected_and_remedied

    def describe(self) -> str:
        return f"{self.form} decided on {self.decided_on} ({self.discipline_id})"

    @classmethod
    def from_discipline_imposed(cls, payload: dict[str, Any]) -> DisciplineRecord:
        """Read an oversight DisciplineImposed payload, ignoring fields we do not use."""
        is_member = payload.get("subject_kind") in MEMBER_SUBJECT_KINDS
        return cls(
            discipline_id=payload["decision_id"],
            member_id=payload["subject_id"] if is_member else None,
            org_id=payload["org_id"] if is_member else payload["subject_id"],
            decided_on=date_from_text(payload["decided_on"]),
            form=payload["form"],
            self_detected_and_remedied=bool(payload.get("self_detected_and_remedied", False)),
            enforced=payload.get("status", "enforced") != "time_barred",
        )


class DisciplineRegister:
    """All discipline records known to the sessions service."""

    def __init__(self, records: list[DisciplineRecord] | None = None) -> None:
        self._by_id: dict[str, DisciplineRecord] = {r.discipline_id: r for r in records or []}

    def record(self, record: DisciplineRecord) -> None:
        self._by_id[record.discipline_id] = record

    def with_record(self, record: DisciplineRecord) -> DisciplineRegister:
        """A copy of this register in which `record` replaces any record of that id."""
        return DisciplineRegister([*self._by_id.values(), record])

    def apply_appeal_decided(self, payload: dict[str, Any]) -> None:
        """An appeal quashed a decision or changed its form (oversight AppealDecided)."""
        found = self._by_id.get(payload["decision_id"])
        if found is None:
            return
        if payload.get("outcome") == "quashed":
            self._by_id[found.discipline_id] = replace(found, quashed=True)
        elif payload.get("outcome") == "changed" and payload.get("new_form"):
            self._by_id[found.discipline_id] = replace(found, form=payload["new_form"])

    def against_member(
        self, member_id: str, year: int, remedied_excused: bool = True
    ) -> list[DisciplineRecord]:
        """Decisions in `year` that bar the member from a rating above not completed; a
        fault the member found and remedied is excused only where `remedied_excused`."""
        return [
            r
            for r in self._by_id.values()
            if r.member_id == member_id
            and r.decided_on.year == year
            and (r.counts_against_member_rating if remedied_excused else r.counts)
        ]

    def against_organisation(self, org_id: str, year: int) -> list[DisciplineRecord]:
        """Decisions in `year` against the organisation itself (its leadership)."""
        return [
            r
            for r in self._by_id.values()
            if r.member_id is None and r.org_id == org_id and r.decided_on.year == year and r.counts
        ]
