"""The words of party membership: kinds, activity statuses, posts, why it ends."""

from __future__ import annotations

from enum import StrEnum


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


class MembershipEndReason(StrEnum):
    """Why a membership ended."""

    EXPELLED = "expelled"  # khai trừ
    STRUCK_OFF = "struck_off"  # xóa tên
    WITHDREW = "withdrew"  # xin ra khỏi Đảng
    DECEASED = "deceased"
    OTHER = "other"
