"""The member aggregate: one member's place in the cells over time."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from .aggregate import Aggregate
from .business_rule import check_rule
from .cell_rules import require_active_cell
from .member_events import (
    MemberEnrolled,
    MembershipEnded,
    MemberStatusChanged,
    MemberTransferred,
)
from .member_rules import (
    AdmissionMustPrecedeEnrolment,
    FactsMustFollowEachOther,
    MembershipMustBeOpen,
    PostsMustNotRepeat,
    StatusMustChange,
    TextMustNotBeBlank,
    TransferMustChangeCell,
    check_committee_posts,
)
from .membership import CellPost, CommitteePost, MembershipEndReason, MembershipKind, MemberStatus
from .organisation_tree import OrganisationLookup


@dataclass(frozen=True)
class MembershipPeriod:
    """Time spent in one cell: from `starts_on` up to (not including) `ends_on`, with the
    posts held in the cell and the seats held on committees above it meanwhile."""

    org_id: str
    starts_on: date
    ends_on: date | None
    posts_in_cell: tuple[CellPost, ...]
    committee_posts: tuple[CommitteePost, ...] = ()

    def covers(self, day: date) -> bool:
        return self.starts_on <= day and (self.ends_on is None or day < self.ends_on)


class Member(Aggregate):
    """A party member; in exactly one cell at any instant while the membership lasts."""

    member_id: str
    full_name: str
    membership: MembershipKind
    admitted_on: date
    posts_outside_cell: tuple[str, ...]
    periods: list[MembershipPeriod]
    statuses: list[tuple[date, MemberStatus]]
    ended_on: date | None

    @classmethod
    def enrol(
        cls,
        member_id: str,
        full_name: str,
        org_id: str,
        membership: MembershipKind,
        admitted_on: date,
        organisations: OrganisationLookup,
        enrolled_on: date | None = None,
        posts_in_cell: tuple[CellPost, ...] = (),
        posts_outside_cell: tuple[str, ...] = (),
        committee_posts: tuple[CommitteePost, ...] = (),
    ) -> Member:
        """Put a member on a cell's roster (from `enrolled_on`, by default the admission).

        `committee_posts` are seats on the committees of organisations above the cell;
        `posts_outside_cell` are other posts (mass organisations, the state), free text.
        """
        enrolled_on = enrolled_on or admitted_on
        check_rule(TextMustNotBeBlank(member_id, "member_id"))
        check_rule(TextMustNotBeBlank(full_name, "full_name"))
        check_rule(AdmissionMustPrecedeEnrolment(admitted_on, enrolled_on))
        check_rule(PostsMustNotRepeat(posts_in_cell))
        require_active_cell(organisations, org_id, enrolled_on)
        committee_posts = _trimmed(committee_posts)
        check_committee_posts(committee_posts, org_id, organisations)
        member = cls.from_events([])
        member._record(
            MemberEnrolled(
                member_id=member_id,
                full_name=full_name.strip(),
                org_id=org_id,
                membership=membership,
                admitted_on=admitted_on,
                enrolled_on=enrolled_on,
                posts_in_cell=tuple(posts_in_cell),
                posts_outside_cell=tuple(p.strip() for p in posts_outside_cell if p.strip()),
                committee_posts=committee_posts,
            )
        )
        return member

    def transfer(
        self,
        to_org_id: str,
        effective_on: date,
        organisations: OrganisationLookup,
        posts_in_cell: tuple[CellPost, ...] = (),
        committee_posts: tuple[CommitteePost, ...] | None = None,
    ) -> MemberTransferred:
        """Move the member to another cell from `effective_on`; posts in the old cell end.

        Committee seats are kept unless `committee_posts` says which are held from now on;
        either way they must be on committees above the new cell.
        """
        check_rule(MembershipMustBeOpen(self.member_id, self.ended_on))
        check_rule(TransferMustChangeCell(self.current_period.org_id, to_org_id))
        check_rule(FactsMustFollowEachOther(effective_on, self.last_fact_on, "effective_on", True))
        check_rule(PostsMustNotRepeat(posts_in_cell))
        require_active_cell(organisations, to_org_id, effective_on, field="to_org_id")
        seats = self.committee_posts if committee_posts is None else _trimmed(committee_posts)
        check_committee_posts(seats, to_org_id, organisations)
        return self._record(
            MemberTransferred(
                member_id=self.member_id,
                from_org_id=self.current_period.org_id,
                org_id=to_org_id,
                effective_on=effective_on,
                posts_in_cell=tuple(posts_in_cell),
                committee_posts=seats,
            )
        )

    def change_status(
        self, status: MemberStatus, effective_on: date, reason: str = ""
    ) -> MemberStatusChanged:
        """Record that the member became active, exempted, suspended or attached elsewhere."""
        check_rule(MembershipMustBeOpen(self.member_id, self.ended_on))
        check_rule(StatusMustChange(self.current_status, status))
        check_rule(FactsMustFollowEachOther(effective_on, self.last_fact_on, "effective_on", False))
        return self._record(
            MemberStatusChanged(
                member_id=self.member_id,
                org_id=self.current_period.org_id,
                previous_status=self.current_status,
                status=status,
                effective_on=effective_on,
                reason=reason.strip(),
            )
        )

    def end_membership(self, reason: MembershipEndReason, ended_on: date, note: str = "") -> MembershipEnded:
        """Take the member off the rolls from `ended_on`."""
        check_rule(MembershipMustBeOpen(self.member_id, self.ended_on))
        check_rule(FactsMustFollowEachOther(ended_on, self.last_fact_on, "ended_on", True))
        return self._record(
            MembershipEnded(
                member_id=self.member_id,
                org_id=self.current_period.org_id,
                reason=reason,
                ended_on=ended_on,
                note=note.strip(),
            )
        )

    # Queries -----------------------------------------------------------------------

    @property
    def current_period(self) -> MembershipPeriod:
        return self.periods[-1]

    @property
    def committee_posts(self) -> tuple[CommitteePost, ...]:
        """The committee seats held now."""
        return self.current_period.committee_posts

    @property
    def current_status(self) -> MemberStatus:
        return self.statuses[-1][1]

    @property
    def last_fact_on(self) -> date:
        return max(self.current_period.starts_on, self.statuses[-1][0])

    def period_on(self, day: date) -> MembershipPeriod | None:
        return next((p for p in self.periods if p.covers(day)), None)

    def cell_on(self, day: date) -> str | None:
        period = self.period_on(day)
        return None if period is None else period.org_id

    def status_on(self, day: date) -> MemberStatus | None:
        if self.period_on(day) is None:
            return None
        known = [status for since, status in self.statuses if since <= day]
        return known[-1] if known else None

    # Applying past events ----------------------------------------------------------

    def _when_MemberEnrolled(self, e: MemberEnrolled) -> None:
        self.member_id, self.full_name, self.membership = e.member_id, e.full_name, e.membership
        self.admitted_on, self.posts_outside_cell = e.admitted_on, e.posts_outside_cell
        self.periods = [MembershipPeriod(e.org_id, e.enrolled_on, None, e.posts_in_cell, e.committee_posts)]
        self.statuses = [(e.enrolled_on, MemberStatus.ACTIVE)]
        self.ended_on = None

    def _when_MemberTransferred(self, e: MemberTransferred) -> None:
        self._close_current_period(e.effective_on)
        self.periods.append(
            MembershipPeriod(e.org_id, e.effective_on, None, e.posts_in_cell, e.committee_posts)
        )

    def _when_MemberStatusChanged(self, e: MemberStatusChanged) -> None:
        self.statuses.append((e.effective_on, e.status))

    def _when_MembershipEnded(self, e: MembershipEnded) -> None:
        self._close_current_period(e.ended_on)
        self.ended_on = e.ended_on

    def _close_current_period(self, on: date) -> None:
        last = self.periods[-1]
        self.periods[-1] = replace(last, ends_on=on)


def _trimmed(posts: tuple[CommitteePost, ...]) -> tuple[CommitteePost, ...]:
    return tuple(CommitteePost(p.org_id.strip(), p.title.strip()) for p in posts)
