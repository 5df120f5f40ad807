"""The rules a yearly rating must satisfy; each names the regulation that refuses it."""

from __future__ import annotations

import calendar
from datetime import date

from .business_rule import BusinessRule
from .discipline_record import DisciplineRecord
from .exceptions import InvalidInput
from .membership import MemberStatus
from .rating_rule_sets import RatingLevel, RatingRuleSet

NOT_RATED_STATUSES = frozenset({MemberStatus.EXEMPTED, MemberStatus.SUSPENDED})


def months_after(day: date, months: int) -> date:
    """The same day `months` calendar months later (clamped to the month's end)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


class RatingRule(BusinessRule):
    """A rule from rule set `rule_set`; its name cites the rule set."""

    def __init__(self, rule_set: RatingRuleSet) -> None:
        self.rule_set = rule_set

    @property
    def name(self) -> str:
        return f"{self.rule_set.name}: {type(self).__name__}"


class RatingDateMustFitTheYear(RatingRule):
    error = InvalidInput
    field = "rated_on"

    def __init__(self, rule_set: RatingRuleSet, year: int, rated_on: date) -> None:
        super().__init__(rule_set)
        self.year, self.rated_on = year, rated_on

    def is_broken(self) -> bool:
        return self.rated_on.year not in (self.year, self.year + 1)

    @property
    def message(self) -> str:
        return f"rated_on ({self.rated_on}) must fall in {self.year} or early {self.year + 1} to rate {self.year}."


class ExemptedAndSuspendedMembersAreNotRated(RatingRule):
    field = "member_id"

    def __init__(self, rule_set: RatingRuleSet, status: MemberStatus) -> None:
        super().__init__(rule_set)
        self.status = status

    def is_broken(self) -> bool:
        return self.status in NOT_RATED_STATUSES

    @property
    def message(self) -> str:
        return f"{self.rule_set.name}: a member who is {self.status.value} on the rating date is not rated."


class RecentlyAdmittedMembersAreNotRated(RatingRule):
    field = "member_id"

    def __init__(self, rule_set: RatingRuleSet, admitted_on: date, rated_on: date) -> None:
        super().__init__(rule_set)
        self.admitted_on, self.rated_on = admitted_on, rated_on

    def is_broken(self) -> bool:
        return months_after(self.admitted_on, self.rule_set.months_since_admission) > self.rated_on

    @property
    def message(self) -> str:
        return (
            f"{self.rule_set.name}: a member admitted on {self.admitted_on}, less than "
            f"{self.rule_set.months_since_admission} months before the rating date "
            f"{self.rated_on}, is not rated."
        )


class DisciplinedMemberIsNotCompleted(RatingRule):
    field = "level"

    def __init__(
        self, rule_set: RatingRuleSet, year: int, level: RatingLevel, disciplines: list[DisciplineRecord]
    ) -> None:
        super().__init__(rule_set)
        self.year, self.level, self.disciplines = year, level, disciplines

    def is_broken(self) -> bool:
        return bool(self.disciplines) and self.level != RatingLevel.NOT_COMPLETED

    @property
    def message(self) -> str:
        which = "; ".join(d.describe() for d in self.disciplines)
        return (
            f"{self.rule_set.name}: member disciplined in {self.year} ({which}) cannot be rated "
            f"above not_completed unless the member found the fault and fully remedied it."
        )


class ExcellentMembersAreCappedByGood(RatingRule):
    field = "level"

    def __init__(self, rule_set: RatingRuleSet, grassroots_org_id: str, year: int, excellent: int, good: int) -> None:
        super().__init__(rule_set)
        self.grassroots_org_id, self.year = grassroots_org_id, year
        self.excellent, self.good = excellent, good

    @property
    def name(self) -> str:
        return f"{self.rule_set.name} / {self.rule_set.excellent_cap_rule}: {type(self).__name__}"

    def is_broken(self) -> bool:
        return self.excellent > self.rule_set.excellent_cap * self.good

    @property
    def message(self) -> str:
        share = f"{float(self.rule_set.excellent_cap):.0%}"
        return (
            f"{self.rule_set.excellent_cap_rule}: excellent members may be at most {share} of "
            f"those rated good in grassroots organisation {self.grassroots_org_id} for "
            f"{self.year}; this would make {self.excellent} excellent against {self.good} good."
        )


class DisciplinedLeadershipMeansNotCompleted(RatingRule):
    field = "level"

    def __init__(
        self, rule_set: RatingRuleSet, org_id: str, year: int, level: RatingLevel, disciplines: list[DisciplineRecord]
    ) -> None:
        super().__init__(rule_set)
        self.org_id, self.year, self.level, self.disciplines = org_id, year, level, disciplines

    def is_broken(self) -> bool:
        return bool(self.disciplines) and self.level != RatingLevel.NOT_COMPLETED

    @property
    def message(self) -> str:
        which = "; ".join(d.describe() for d in self.disciplines)
        return (
            f"{self.rule_set.name}: the leadership of {self.org_id} was disciplined in "
            f"{self.year} ({which}), so the collective cannot be rated above not_completed."
        )


class ManyDisciplinedUnitsMeanNotCompleted(RatingRule):
    field = "level"

    def __init__(
        self, rule_set: RatingRuleSet, org_id: str, year: int, level: RatingLevel, units: int, disciplined: list[str]
    ) -> None:
        super().__init__(rule_set)
        self.org_id, self.year, self.level = org_id, year, level
        self.units, self.disciplined = units, disciplined

    def is_broken(self) -> bool:
        too_many = len(self.disciplined) * 5 > self.units
        return self.units > 0 and too_many and self.level != RatingLevel.NOT_COMPLETED

    @property
    def message(self) -> str:
        return (
            f"{self.rule_set.name}: {len(self.disciplined)} of the {self.units} units under "
            f"{self.org_id} ({', '.join(self.disciplined)}) were disciplined in {self.year}, "
            "more than 20%, so the collective cannot be rated above not_completed."
        )


def resolve_level(rule_set: RatingRuleSet, level: RatingLevel | None, score: float | None) -> RatingLevel:
    """The level a rating earns under `rule_set`: chosen directly, or derived from a score."""
    if not rule_set.uses_score:
        if score is not None:
            raise InvalidInput(
                f"score: {rule_set.name} rates by choosing one of four levels, not by a score.",
                "score",
                f"{rule_set.name}: LevelIsChosenDirectly",
            )
        if level is None:
            raise InvalidInput(f"level: {rule_set.name} needs a level.", "level", f"{rule_set.name}: LevelIsChosenDirectly")
        return level
    rule = f"{rule_set.name}: LevelFollowsTheScore"
    if score is None or not 0 <= score <= 100:
        raise InvalidInput(f"score: {rule_set.name} needs a score from 0 to 100.", "score", rule)
    derived = rule_set.level_for_score(score)
    if level is not None and level != derived:
        raise InvalidInput(
            f"level: under {rule_set.name} a score of {score:g} means {derived.value}, not {level.value}.",
            "level",
            rule,
        )
    return derived
