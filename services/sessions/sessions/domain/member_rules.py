"""Rules a member's roster history must keep."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from .business_rule import BusinessRule, check_rule
from .cell_rules import CellMustBeKnown
from .exceptions import Conflict, InvalidInput
from .membership import CellPost, CommitteePost, MemberStatus
from .organisation_tree import OrganisationLookup


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
        return f"member {self.member_id!r}'s membership ended on {self.ended_on}; nothing can change it."


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


class CommitteePostsMustNotRepeat(BusinessRule):
    error = InvalidInput
    field = "committee_posts"

    def __init__(self, posts: Sequence[CommitteePost]) -> None:
        self.posts = posts

    def is_broken(self) -> bool:
        return len({(p.org_id, p.title) for p in self.posts}) != len(self.posts)

    @property
    def message(self) -> str:
        return "committee_posts lists the same seat twice."


class CommitteePostMustBeAboveTheCell(BusinessRule):
    """A committee seat is on the committee of an organisation the member's cell belongs to
    (its grassroots organisation, district or province); posts in the cell itself are
    posts_in_cell."""

    error = InvalidInput
    field = "committee_posts"

    def __init__(self, post: CommitteePost, cell_id: str, above_cell: Sequence[str]) -> None:
        self.post, self.cell_id, self.above_cell = post, cell_id, above_cell

    def is_broken(self) -> bool:
        return self.post.org_id not in self.above_cell

    @property
    def message(self) -> str:
        if self.post.org_id == self.cell_id:
            return (
                f"committee_posts: {self.post.org_id!r} is the member's own cell; posts in the "
                "cell are given in posts_in_cell."
            )
        above = ", ".join(repr(o) for o in self.above_cell) or "none"
        return (
            f"committee_posts: {self.post.org_id!r} is not an organisation above cell "
            f"{self.cell_id!r} (those are: {above}); a member sits only on the committees of "
            "the organisations their cell belongs to."
        )


def organisations_above(organisations: OrganisationLookup, cell_id: str) -> tuple[str, ...]:
    """The organisations above `cell_id`, nearest first, as the local tree copy knows them."""
    above: list[str] = []
    current = organisations.find(cell_id)
    while current is not None and current.parent_id and current.parent_id not in above:
        above.append(current.parent_id)
        current = organisations.find(current.parent_id)
    return tuple(above)


def check_committee_posts(
    posts: Sequence[CommitteePost], cell_id: str, organisations: OrganisationLookup
) -> None:
    """Each seat names a known organisation above the cell, with a title, once."""
    above = organisations_above(organisations, cell_id)
    for post in posts:
        check_rule(TextMustNotBeBlank(post.title, "committee_posts"))
        check_rule(CellMustBeKnown(organisations.find(post.org_id), post.org_id, "committee_posts"))
        check_rule(CommitteePostMustBeAboveTheCell(post, cell_id, above))
    check_rule(CommitteePostsMustNotRepeat(posts))
