"""The words of party membership: kinds, activity statuses, posts, why it ends."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any


class MembershipKind(StrEnum):
    """Full (chính thức) or probationary (dự bị) member."""

    FULL = "full"
    PROBATIONARY = "probationary"


class MemberStatus(StrEnum):
    """Whether and where a member takes part in cell activity."""

    ACTIVE = "active"
    EXEMPTED = "exempted"  # miễn sinh hoạt
    SUSPENDED = "suspended"
    ATTACHED_ELSEWHERE = "attached_elsewhere"  # sinh hoạt tạm thời nơi khác


class CellPost(StrEnum):
    """Posts inside the cell."""

    SECRETARY = "secretary"  # bí thư
    DEPUTY = "deputy"  # phó bí thư
    COMMITTEE_MEMBER = "committee_member"  # chi ủy viên


@dataclass(frozen=True)
class CommitteePost:
    """A seat on the committee of an organisation above the member's cell (grassroots,
    district or province), e.g. ("dang-uy-xa-an-binh", "Đảng ủy viên").

    The organisation is named, not described: who may remove or expel a committee
    member turns on which committee the seat is on.
    """

    org_id: str
    title: str

    def to_payload(self) -> dict[str, str]:
        return {"org_id": self.org_id, "title": self.title}

    @classmethod
    def from_payload(cls, d: dict[str, Any]) -> CommitteePost:
        return cls(org_id=str(d["org_id"]), title=str(d["title"]))


class MembershipEndReason(StrEnum):
    """Why a membership ended."""

    EXPELLED = "expelled"  # khai trừ
    STRUCK_OFF = "struck_off"  # xóa tên
    WITHDREW = "withdrew"  # xin ra khỏi Đảng
    DECEASED = "deceased"
    OTHER = "other"
