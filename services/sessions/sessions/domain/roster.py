"""A cell's roster as it stood on one day, built from member aggregates."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from .member import Member
from .membership import CellPost, CommitteePost, MembershipKind, MemberStatus


@dataclass(frozen=True)
class RosterEntry:
    """One member as the roster shows them on the roster's day."""

    member_id: str
    full_name: str
    membership: MembershipKind
    status: MemberStatus
    admitted_on: date
    posts_in_cell: tuple[CellPost, ...] = ()
    committee_posts: tuple[CommitteePost, ...] = ()
    posts_outside_cell: tuple[str, ...] = ()


@dataclass(frozen=True)
class CellRoster:
    """Everyone on cell `org_id`'s roster on `as_of`, including exempted, suspended and
    attached-elsewhere members (they are on the roll even if they do not attend)."""

    org_id: str
    as_of: date
    entries: tuple[RosterEntry, ...]

    @classmethod
    def from_members(cls, org_id: str, as_of: date, members: Iterable[Member]) -> CellRoster:
        entries = []
        for member in members:
            period = member.period_on(as_of)
            status = member.status_on(as_of)
            if period is None or status is None or period.org_id != org_id:
                continue
            entries.append(
                RosterEntry(
                    member_id=member.member_id,
                    full_name=member.full_name,
                    membership=member.membership,
                    status=status,
                    admitted_on=member.admitted_on,
                    posts_in_cell=period.posts_in_cell,
                    committee_posts=period.committee_posts,
                    posts_outside_cell=member.posts_outside_cell,
                )
            )
        return cls(org_id, as_of, tuple(sorted(entries, key=lambda e: e.member_id)))

    @property
    def member_ids(self) -> frozenset[str]:
        return frozenset(e.member_id for e in self.entries)

    def entry(self, member_id: str) -> RosterEntry | None:
        return next((e for e in self.entries if e.member_id == member_id), None)

    def count_with(self, status: MemberStatus) -> int:
        return sum(1 for e in self.entries if e.status == status)

    def count_of(self, membership: MembershipKind) -> int:
        return sum(1 for e in self.entries if e.membership == membership)
