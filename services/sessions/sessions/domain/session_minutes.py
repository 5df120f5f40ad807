"""What the minutes (biên bản) of a held themed session say, as typed in."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time
from enum import StrEnum
from typing import Any

from .payload_fields import date_from_text, date_to_text, time_from_text, time_to_text


class Presence(StrEnum):
    PRESENT = "present"
    ABSENT_WITH_REASON = "absent_with_reason"
    ABSENT_WITHOUT_REASON = "absent_without_reason"


@dataclass(frozen=True)
class Attendance:
    """One roster member's attendance; `reason` is given for an excused absence."""

    member_id: str
    presence: Presence
    reason: str = ""

    def to_payload(self) -> dict[str, Any]:
        return {"member_id": self.member_id, "presence": self.presence.value, "reason": self.reason}

    @classmethod
    def from_payload(cls, d: dict[str, Any]) -> Attendance:
        return cls(d["member_id"], Presence(d["presence"]), d.get("reason", ""))


@dataclass(frozen=True)
class Guest:
    """A guest from a higher level: a name and the organisation they came from."""

    name: str
    org: str

    def to_payload(self) -> dict[str, Any]:
        return {"name": self.name, "org": self.org}

    @classmethod
    def from_payload(cls, d: dict[str, Any]) -> Guest:
        return cls(d["name"], d["org"])


@dataclass(frozen=True)
class Vote:
    """The vote on the session's resolution."""

    votes_for: int
    against: int
    abstain: int

    @property
    def cast(self) -> int:
        return self.votes_for + self.against + self.abstain

    def to_payload(self) -> dict[str, Any]:
        return {"for": self.votes_for, "against": self.against, "abstain": self.abstain}

    @classmethod
    def from_payload(cls, d: dict[str, Any]) -> Vote:
        return cls(int(d["for"]), int(d["against"]), int(d["abstain"]))


@dataclass(frozen=True)
class SessionMinutes:
    """The record of one sitting; figures derived from it are computed, not typed in."""

    held_on: date
    starts_at: time
    ends_at: time
    chair_id: str
    minute_taker_id: str
    attendance: tuple[Attendance, ...]
    speaking_turns: Mapping[str, int] = field(default_factory=dict)
    guests: tuple[Guest, ...] = ()
    combined_with_regular_session: bool = False
    place: str = ""
    report: str = ""
    conclusions: str = ""
    resolution: str | None = None
    vote: Vote | None = None

    @property
    def duration_minutes(self) -> int:
        start = datetime.combine(self.held_on, self.starts_at)
        end = datetime.combine(self.held_on, self.ends_at)
        return int((end - start).total_seconds() // 60)

    def presence_of(self, member_id: str) -> Presence | None:
        found = [a.presence for a in self.attendance if a.member_id == member_id]
        return found[0] if len(found) == 1 else None

    @property
    def present_ids(self) -> frozenset[str]:
        return frozenset(a.member_id for a in self.attendance if a.presence == Presence.PRESENT)

    def to_payload(self) -> dict[str, Any]:
        return {
            "held_on": date_to_text(self.held_on),
            "starts_at": time_to_text(self.starts_at),
            "ends_at": time_to_text(self.ends_at),
            "place": self.place,
            "chair_id": self.chair_id,
            "minute_taker_id": self.minute_taker_id,
            "guests": [g.to_payload() for g in self.guests],
            "combined_with_regular_session": self.combined_with_regular_session,
            "attendance": [a.to_payload() for a in self.attendance],
            "speaking_turns_by_member": dict(sorted(self.speaking_turns.items())),
            "report": self.report,
            "conclusions": self.conclusions,
            "resolution": self.resolution,
            "vote": None if self.vote is None else self.vote.to_payload(),
        }

    @classmethod
    def from_payload(cls, d: dict[str, Any]) -> SessionMinutes:
        return cls(
            held_on=date_from_text(d["held_on"]),
            starts_at=time_from_text(d["starts_at"]),
            ends_at=time_from_text(d["ends_at"]),
            place=d.get("place", ""),
            chair_id=d["chair_id"],
            minute_taker_id=d["minute_taker_id"],
            guests=tuple(Guest.from_payload(g) for g in d.get("guests", ())),
            combined_with_regular_session=bool(d.get("combined_with_regular_session", False)),
            attendance=tuple(Attendance.from_payload(a) for a in d["attendance"]),
            speaking_turns={k: int(v) for k, v in d.get("speaking_turns_by_member", {}).items()},
            report=d.get("report", ""),
            conclusions=d.get("conclusions", ""),
            resolution=d.get("resolution"),
            vote=None if d.get("vote") is None else Vote.from_payload(d["vote"]),
        )
