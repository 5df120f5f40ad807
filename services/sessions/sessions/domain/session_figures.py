"""Figures derived from held minutes and the roster of the day (what reporting counts)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .membership import MembershipKind, MemberStatus
from .roster import CellRoster
from .session_minutes import Presence, SessionMinutes

# Members who do not count towards the majority of a resolution, whatever they did.
NOT_COUNTED_FOR_VOTES = frozenset({MemberStatus.SUSPENDED, MemberStatus.ATTACHED_ELSEWHERE})


@dataclass(frozen=True)
class AbsentMember:
    member_id: str
    full_name: str

    def to_payload(self) -> dict[str, Any]:
        return {"member_id": self.member_id, "full_name": self.full_name}

    @classmethod
    def from_payload(cls, d: dict[str, Any]) -> AbsentMember:
        return cls(d["member_id"], d["full_name"])


@dataclass(frozen=True)
class AttendanceFigures:
    members_total: int
    full_members: int
    probationary_members: int
    exempted: int
    suspended: int
    attached_elsewhere: int
    present: int
    absent_with_reason: int
    absent_without_reason: int
    absent_without_reason_members: tuple[AbsentMember, ...]
    speaking_turns: int
    speakers: int
    members_counted_for_vote: int

    def to_payload(self) -> dict[str, Any]:
        payload: dict[str, Any] = dict(self.__dict__)
        payload["absent_without_reason_members"] = [
            m.to_payload() for m in self.absent_without_reason_members
        ]
        return payload

    @classmethod
    def from_payload(cls, d: dict[str, Any]) -> AttendanceFigures:
        values = {name: d[name] for name in cls.__dataclass_fields__}
        values["absent_without_reason_members"] = tuple(
            AbsentMember.from_payload(m) for m in d["absent_without_reason_members"]
        )
        return cls(**values)


def members_counted_for_vote(roster: CellRoster, minutes: SessionMinutes) -> int:
    """Roster members who count towards a majority: exempted absentees, members
    attached elsewhere and suspended members do not."""
    counted = 0
    for entry in roster.entries:
        present = minutes.presence_of(entry.member_id) == Presence.PRESENT
        if entry.status in NOT_COUNTED_FOR_VOTES:
            continue
        if entry.status == MemberStatus.EXEMPTED and not present:
            continue
        counted += 1
    return counted


def resolution_passed(roster: CellRoster, minutes: SessionMinutes) -> bool | None:
    """More than half of the members who count voted for it; None without a resolution."""
    if minutes.vote is None:
        return None
    return minutes.vote.votes_for * 2 > members_counted_for_vote(roster, minutes)


def count_attendance(roster: CellRoster, minutes: SessionMinutes) -> AttendanceFigures:
    by_presence = {p: [a for a in minutes.attendance if a.presence == p] for p in Presence}
    without_reason = tuple(
        AbsentMember(a.member_id, entry.full_name if (entry := roster.entry(a.member_id)) else "")
        for a in by_presence[Presence.ABSENT_WITHOUT_REASON]
    )
    return AttendanceFigures(
        members_total=len(roster.entries),
        full_members=roster.count_of(MembershipKind.FULL),
        probationary_members=roster.count_of(MembershipKind.PROBATIONARY),
        exempted=roster.count_with(MemberStatus.EXEMPTED),
        suspended=roster.count_with(MemberStatus.SUSPENDED),
        attached_elsewhere=roster.count_with(MemberStatus.ATTACHED_ELSEWHERE),
        present=len(by_presence[Presence.PRESENT]),
        absent_with_reason=len(by_presence[Presence.ABSENT_WITH_REASON]),
        absent_without_reason=len(without_reason),
        absent_without_reason_members=without_reason,
        speaking_turns=sum(minutes.speaking_turns.values()),
        speakers=len(minutes.speaking_turns),
        members_counted_for_vote=members_counted_for_vote(roster, minutes),
    )
