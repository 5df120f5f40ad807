"""Facts about a member's place in the cells (published by the sessions service)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, ClassVar

from .membership import CellPost, CommitteePost, MembershipEndReason, MembershipKind, MemberStatus
from .payload_fields import date_from_text, date_to_text, text_list


@dataclass(frozen=True)
class MemberEnrolled:
    """A member joined the roster of a cell (`org_id`) on `enrolled_on`."""

    event_type: ClassVar[str] = "MemberEnrolled"
    schema_version: ClassVar[int] = 1

    member_id: str
    full_name: str
    org_id: str
    membership: MembershipKind
    admitted_on: date
    enrolled_on: date
    posts_in_cell: tuple[CellPost, ...] = ()
    posts_outside_cell: tuple[str, ...] = ()
    committee_posts: tuple[CommitteePost, ...] = ()

    def to_payload(self) -> dict[str, Any]:
        return {
            "member_id": self.member_id,
            "full_name": self.full_name,
            "org_id": self.org_id,
            "membership": self.membership.value,
            "admitted_on": date_to_text(self.admitted_on),
            "enrolled_on": date_to_text(self.enrolled_on),
            "posts_in_cell": [p.value for p in self.posts_in_cell],
            "posts_outside_cell": list(self.posts_outside_cell),
            "committee_posts": [p.to_payload() for p in self.committee_posts],
        }

    @classmethod
    def from_payload(cls, d: dict[str, Any]) -> MemberEnrolled:
        return cls(
            member_id=d["member_id"],
            full_name=d["full_name"],
            org_id=d["org_id"],
            membership=MembershipKind(d["membership"]),
            admitted_on=date_from_text(d["admitted_on"]),
            enrolled_on=date_from_text(d["enrolled_on"]),
            posts_in_cell=tuple(CellPost(p) for p in d.get("posts_in_cell", ())),
            posts_outside_cell=text_list(d.get("posts_outside_cell")),
            # Absent from events written before the field existed: no seat was recorded.
            committee_posts=tuple(CommitteePost.from_payload(p) for p in d.get("committee_posts") or ()),
        )


@dataclass(frozen=True)
class MemberTransferred:
    """A member moved from cell `from_org_id` to cell `org_id` on `effective_on`."""

    event_type: ClassVar[str] = "MemberTransferred"
    schema_version: ClassVar[int] = 1

    member_id: str
    from_org_id: str
    org_id: str
    effective_on: date
    posts_in_cell: tuple[CellPost, ...] = ()
    committee_posts: tuple[CommitteePost, ...] = ()  # the seats held from the transfer on

    def to_payload(self) -> dict[str, Any]:
        return {
            "member_id": self.member_id,
            "from_org_id": self.from_org_id,
            "org_id": self.org_id,
            "effective_on": date_to_text(self.effective_on),
            "posts_in_cell": [p.value for p in self.posts_in_cell],
            "committee_posts": [p.to_payload() for p in self.committee_posts],
        }

    @classmethod
    def from_payload(cls, d: dict[str, Any]) -> MemberTransferred:
        return cls(
            member_id=d["member_id"],
            from_org_id=d["from_org_id"],
            org_id=d["org_id"],
            effective_on=date_from_text(d["effective_on"]),
            posts_in_cell=tuple(CellPost(p) for p in d.get("posts_in_cell", ())),
            committee_posts=tuple(CommitteePost.from_payload(p) for p in d.get("committee_posts") or ()),
        )


@dataclass(frozen=True)
class MemberStatusChanged:
    """A member's activity status changed on `effective_on` (in cell `org_id`)."""

    event_type: ClassVar[str] = "MemberStatusChanged"
    schema_version: ClassVar[int] = 1

    member_id: str
    org_id: str
    previous_status: MemberStatus
    status: MemberStatus
    effective_on: date
    reason: str = ""

    def to_payload(self) -> dict[str, Any]:
        return {
            "member_id": self.member_id,
            "org_id": self.org_id,
            "previous_status": self.previous_status.value,
            "status": self.status.value,
            "effective_on": date_to_text(self.effective_on),
            "reason": self.reason,
        }

    @classmethod
    def from_payload(cls, d: dict[str, Any]) -> MemberStatusChanged:
        return cls(
            member_id=d["member_id"],
            org_id=d["org_id"],
            previous_status=MemberStatus(d["previous_status"]),
            status=MemberStatus(d["status"]),
            effective_on=date_from_text(d["effective_on"]),
            reason=d.get("reason", ""),
        )


@dataclass(frozen=True)
class MembershipEnded:
    """A member left the Party rolls (last cell `org_id`) on `ended_on`."""

    event_type: ClassVar[str] = "MembershipEnded"
    schema_version: ClassVar[int] = 1

    member_id: str
    org_id: str
    reason: MembershipEndReason
    ended_on: date
    note: str = ""

    def to_payload(self) -> dict[str, Any]:
        return {
            "member_id": self.member_id,
            "org_id": self.org_id,
            "reason": self.reason.value,
            "ended_on": date_to_text(self.ended_on),
            "note": self.note,
        }

    @classmethod
    def from_payload(cls, d: dict[str, Any]) -> MembershipEnded:
        return cls(
            member_id=d["member_id"],
            org_id=d["org_id"],
            reason=MembershipEndReason(d["reason"]),
            ended_on=date_from_text(d["ended_on"]),
            note=d.get("note", ""),
        )


MemberEvent = MemberEnrolled | MemberTransferred | MemberStatusChanged | MembershipEnded
