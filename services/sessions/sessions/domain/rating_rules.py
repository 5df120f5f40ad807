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
        return (
            f"rated_on ({self.rated_on}) must fall in {self.year} or early {self.year + 1} "
            f"to rate {self.year}."
        )


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


class DisciplineBar(RatingRule):
    """A rule by which discipline in the year holds a rating to "not completed".

    `disciplines` are the decisions the rule rests on; `holds_down` says whether they
    bar every level above not completed, whatever level was asked for.
    """

    field = "level"

    def __init__(
        self, rule_set: RatingRuleSet, year: int, level: RatingLevel, disciplines: list[DisciplineRecord]
    ) -> None:
        super().__init__(rule_set)
        self.year, self.level, self.disciplines = year, level, disciplines

    @property
    def holds_down(self) -> bool:
        return bool(self.disciplines)

    def rests_on(self, discipline: DisciplineRecord) -> bool:
        return any(d.discipline_id == discipline.discipline_id for d in self.disciplines)

    def is_broken(self) -> bool:
        return self.holds_down and self.level != RatingLevel.NOT_COMPLETED


class DisciplinedMemberIsNotCompleted(DisciplineBar):
    """The member was disciplined in the year (a remedied fault excused where the rule set
    excuses it: from Regulation 124, 2023)."""

    @property
    def message(self) -> str:
        which = "; ".join(d.describe() for d in self.disciplines)
        unless = (
            " unless the member found the fault and fully remedied it"
            if self.rule_set.remedied_fault_excused
            else ""
        )
        return (
            f"{self.rule_set.name}: member disciplined in {self.year} ({which}) cannot be rated "
            f"above not_completed{unless}."
        )


class ExcellentMembersAreCappedByGood(RatingRule):
    field = "level"

    def __init__(
        self, rule_set: RatingRuleSet, grassroots_org_id: str, year: int, excellent: int, good: int
    ) -> None:
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
