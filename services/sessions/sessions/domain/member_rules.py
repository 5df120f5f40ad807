"""Rules a member's roster history must keep."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from .business_rule import BusinessRule
from .exceptions import Conflict, InvalidInput
from .membership import CellPost, MemberStatus


class TextMustNotBeBlank(BusinessRule):
    error = InvalidInput

    def __init__(self, value: str, field: str) -> None:
        self.value, self.field = value, field

    def is_broken(self) -> bool:
        return not self.value or not self.value.strip()

    @property
    def message(self) -> str:
        return f"{self.field} must not be blank."


class AdmissionMustPrecedeEnrolment(BusinessRule):
    error = InvalidInput
    field = "admitted_on"

    def __init__(self, admitted_on: date, enrolled_on: date) -> None:
        self.admitted_on, self.enrolled_on = admitted_on, enrolled_on

    def is_broken(self) -> bool:
        return self.admitted_on > self.enrolled_on

    @property
    def message(self) -> str:
        return (
            f"admitted_on ({self.admitted_on}) is after enrolled_on ({self.enrolled_on}): "
            "a member is admitted to the Party before joining a cell's roster."
        )


class PostsMustNotRepeat(BusinessRule):
    error = InvalidInput
    field = "posts_in_cell"

    def __init__(self, posts: Sequence[CellPost]) -> None:
        self.posts = posts

    def is_broken(self) -> bool:
        return len(set(self.posts)) != len(self.posts)

    @property
    def message(self) -> str:
        return "posts_in_cell lists the same post twice."


class MembershipMustBeOpen(BusinessRule):
    error = Conflict

    def __init__(self, member_id: str, ended_on: date | None) -> None:
        self.member_id, self.ended_on = member_id, ended_on

    def is_broken(self) -> bool:
        return self.ended_on is not None

    @property
    def message(self) -> str:
        return (
            f"member {self.member_id!r}'s membership ended on {self.ended_on}; "
            "nothing can change it."
        )


class FactsMustFollowEachOther(BusinessRule):
    """A member's history is told in date order: a new fact cannot predate the last."""

    error = InvalidInput

    def __init__(self, day: date, last_fact_on: date, field: str, strictly_after: bool) -> None:
        self.day, self.last_fact_on, self.field = day, last_fact_on, field
        self.strictly_after = strictly_after

    def is_broken(self) -> bool:
        if self.strictly_after:
            return self.day <= self.last_fact_on
        return self.day < self.last_fact_on

    @property
    def message(self) -> str:
        relation = "after" if self.strictly_after else "on or after"
        return (
            f"{self.field} ({self.day}) must be {relation} {self.last_fact_on}, "
            "the date of the member's last recorded change."
        )


class TransferMustChangeCell(BusinessRule):
    error = InvalidInput
    field = "to_org_id"

    def __init__(self, current_org_id: str, to_org_id: str) -> None:
        self.current_org_id, self.to_org_id = current_org_id, to_org_id

    def is_broken(self) -> bool:
        return self.current_org_id == self.to_org_id

    @property
    def message(self) -> str:
        return f"to_org_id: the member is already in cell {self.to_org_id!r}."


class StatusMustChange(BusinessRule):
    error = Conflict
    field = "status"

    def __init__(self, current: MemberStatus, new: MemberStatus) -> None:
        self.current, self.new = current, new

    def is_broken(self) -> bool:
        return self.current == self.new

    @property
    def message(self) -> str:
        return f"status: the member is already {self.new.value}."
