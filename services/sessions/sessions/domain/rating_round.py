"""The yearly rating round of one grassroots organisation (or of one organisation
above the grassroots level): every member's and collective's rating for a year.

The round is the aggregate because the 20% cap on excellent members is a rule across
all the members rated in one grassroots organisation for one year.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from .aggregate import Aggregate
from .business_rule import check_rule
from .discipline_record import DisciplineRecord, DisciplineRegister
from .exceptions import InvalidInput, NotFound
from .level_resolution import resolve_level
from .member import Member
from .organisation_tree import OrganisationLookup
from .rating_bars import discipline_bars
from .rating_events import RatingAssigned, RatingFlaggedForReview
from .rating_review import Subject, flags_raised_by
from .rating_rule_sets import (
    RATING_RULE_SETS,
    RatingLevel,
    RatingRuleSet,
    rule_set_for_year,
)
from .rating_rules import (
    ExcellentMembersAreCappedByGood,
    ExemptedAndSuspendedMembersAreNotRated,
    RatingDateMustFitTheYear,
    RecentlyAdmittedMembersAreNotRated,
)
from .shortcoming_events import SubjectKind


@dataclass(frozen=True)
class MemberRatingRequest:
    """One member to rate: a level (rule sets without scores) or a score (with)."""

    member: Member
    level: RatingLevel | str | None = None
    score: float | None = None


class RatingRound(Aggregate):
    """The ratings of one grassroots organisation's members and collectives for a year,
    judged by the rule set in force for that year, and the flags raised on them."""

    def __init__(
        self, scope_org_id: str, year: int, rule_sets: tuple[RatingRuleSet, ...] = RATING_RULE_SETS
    ) -> None:
        super().__init__()
        self.scope_org_id, self.year = scope_org_id, year
        self.rule_set = rule_set_for_year(year, rule_sets)
        self.ratings: dict[Subject, RatingAssigned] = {}
        self.flags: dict[Subject, list[RatingFlaggedForReview]] = {}

    @classmethod
    def from_events(cls, events: Iterable[object]) -> RatingRound:
        raise TypeError("a rating round needs its scope: use RatingRound.load(scope, year, events)")

    @classmethod
    def load(cls, scope_org_id: str, year: int, events: Iterable[object]) -> RatingRound:
        rating_round = cls(scope_org_id, year)
        for event in events:
            rating_round.apply(event)
        return rating_round

    def rate_member(
        self,
        member: Member,
        rated_on: date,
        disciplines: DisciplineRegister,
        organisations: OrganisationLookup,
        level: RatingLevel | str | None = None,
        score: float | None = None,
    ) -> RatingAssigned:
        request = MemberRatingRequest(member, level, score)
        return self.rate_members([request], rated_on, disciplines, organisations)[0]

    def rate_members(
        self,
        requests: Sequence[MemberRatingRequest],
        rated_on: date,
        disciplines: DisciplineRegister,
        organisations: OrganisationLookup,
    ) -> list[RatingAssigned]:
        """Rate members together; the excellent cap is checked on the round as it would
        stand afterwards, so a whole cell can be entered at once. All or nothing."""
        check_rule(RatingDateMustFitTheYear(self.rule_set, self.year, rated_on))
        ids = [r.member.member_id for r in requests]
        if len(set(ids)) != len(ids):
            raise InvalidInput(
                "members: the same member is rated twice in one batch.",
                "members",
                "MemberIsRatedOnce",
            )
        events = [self._judge_member(r, rated_on, disciplines, organisations) for r in requests]
        after = dict(self.ratings) | {(e.subject_kind, e.subject_id): e for e in events}
        levels = [e.level for (kind, _), e in after.items() if kind == SubjectKind.MEMBER]
        check_rule(
            ExcellentMembersAreCappedByGood(
                self.rule_set,
                self.scope_org_id,
                self.year,
                excellent=levels.count(RatingLevel.EXCELLENT),
                good=levels.count(RatingLevel.GOOD),
            )
        )
        return [self._record(e) for e in events]

    def rate_collective(
        self,
        org_id: str,
        rated_on: date,
        disciplines: DisciplineRegister,
        organisations: OrganisationLookup,
        level: RatingLevel | str | None = None,
        score: float | None = None,
    ) -> RatingAssigned:
        """Rate an organisation (its collective) for the year."""
        check_rule(RatingDateMustFitTheYear(self.rule_set, self.year, rated_on))
        if organisations.find(org_id) is None:
            raise NotFound(
                f"org_id: organisation {org_id!r} is not in the organisation tree.",
                "org_id",
                "OrganisationMustBeKnown",
            )
        grassroots = organisations.grassroots_of(org_id)
        self._require_in_scope(grassroots or org_id, "org_id", org_id)
        level = resolve_level(self.rule_set, level, score)
        for bar in discipline_bars(
            self.rule_set,
            SubjectKind.ORGANISATION,
            org_id,
            self.year,
            level,
            rated_on,
            disciplines,
            organisations,
        ):
            check_rule(bar)
        return self._record(
            RatingAssigned(
                SubjectKind.ORGANISATION,
                org_id,
                org_id,
                grassroots,
                self.year,
                level,
                score,
                self.rule_set.name,
                rated_on,
            )
        )

    def flag_for_review(
        self,
        discipline: DisciplineRecord,
        flagged_on: date,
        disciplines: DisciplineRegister,
        organisations: OrganisationLookup,
    ) -> list[RatingFlaggedForReview]:
        """Flag the ratings that a discipline learnt after they were recorded puts in
        doubt: one it bars (imposed, or reported to this service, late), or, when it was
        quashed on appeal, one it held to "not completed". `disciplines` is the register
        as it now stands."""
        flags = flags_raised_by(
            self.rule_set, discipline, self.ratings, self.flags, disciplines, organisations, flagged_on
        )
        return [self._record(flag) for flag in flags]

    def is_flagged(self, subject_kind: SubjectKind, subject_id: str) -> bool:
        return bool(self.flags.get((subject_kind, subject_id)))

    def _judge_member(
        self,
        request: MemberRatingRequest,
        rated_on: date,
        disciplines: DisciplineRegister,
        organisations: OrganisationLookup,
    ) -> RatingAssigned:
        member = request.member
        cell = member.cell_on(rated_on)
        status = member.status_on(rated_on)
        if cell is None or status is None:
            raise NotFound(
                f"member_id: member {member.member_id} is on no cell's roster on {rated_on}.",
                "member_id",
                "MemberMustBeOnARoster",
            )
        self._require_in_scope(organisations.grassroots_of(cell), "member_id", f"member {member.member_id}")
        check_rule(ExemptedAndSuspendedMembersAreNotRated(self.rule_set, status))
        check_rule(RecentlyAdmittedMembersAreNotRated(self.rule_set, member.admitted_on, rated_on))
        level = resolve_level(self.rule_set, request.level, request.score)
        for bar in discipline_bars(
            self.rule_set,
            SubjectKind.MEMBER,
            member.member_id,
            self.year,
            level,
            rated_on,
            disciplines,
            organisations,
        ):
            check_rule(bar)
        return RatingAssigned(
            SubjectKind.MEMBER,
            member.member_id,
            cell,
            self.scope_org_id,
            self.year,
            level,
            request.score,
            self.rule_set.name,
            rated_on,
        )

    def _require_in_scope(self, scope: str | None, field: str, what: str) -> None:
        if scope != self.scope_org_id:
            raise InvalidInput(
                f"{field}: {what} belongs to {scope or 'no grassroots organisation'}, not to the "
                f"rating round of {self.scope_org_id} for {self.year}.",
                field,
                "RatingBelongsToItsGrassrootsOrganisation",
            )

    # Applying past events ----------------------------------------------------------

    def _when_RatingAssigned(self, e: RatingAssigned) -> None:
        subject = (e.subject_kind, e.subject_id)
        self.ratings[subject] = e
        self.flags.pop(subject, None)  # a new rating answers earlier flags

    def _when_RatingFlaggedForReview(self, e: RatingFlaggedForReview) -> None:
        self.flags.setdefault((e.subject_kind, e.subject_id), []).append(e)
