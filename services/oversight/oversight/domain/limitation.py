"""Limitation periods (thời hiệu): how long after a violation discipline may still be enforced."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .calendar_periods import same_day_years_later
from .discipline_forms import DisciplineForm
from .exceptions import InvalidValue
from .rule_sets import DisciplineRuleSet, ViolationCategory


@dataclass(frozen=True)
class Violation:
    """One violation: catalogue codes, when it happened, when it ended if it went on."""

    codes: tuple[str, ...]
    committed_on: date
    ended_on: date | None = None
    categories: frozenset[ViolationCategory] = frozenset()

    @property
    def clock_starts_on(self) -> date:
        """A continuing violation is counted from its end."""
        return self.ended_on or self.committed_on

    def check(self) -> None:
        if not self.codes:
            raise InvalidValue("A violation needs at least one catalogue code in codes.", field="codes")
        if self.ended_on is not None and self.ended_on < self.committed_on:
            raise InvalidValue("The violation's ended_on must not be before committed_on.", field="ended_on")


@dataclass(frozen=True)
class LimitationPeriod:
    """The period that applies to a voted form, given the violations it punishes."""

    clock_started_on: date
    expires_on: date | None  # None: no limit

    def is_over_on(self, conclusion_on: date) -> bool:
        """The period's last day is the corresponding day N years later; the day after is too late."""
        return self.expires_on is not None and conclusion_on > self.expires_on


def limitation_period_for(
    form: DisciplineForm, violations: tuple[Violation, ...], rule_set: DisciplineRuleSet
) -> LimitationPeriod:
    """The clock runs from the latest violation (a new violation restarts it)."""
    if not violations:
        raise InvalidValue("A discipline case needs at least one violation.", field="violations")
    for violation in violations:
        violation.check()
    started = max(v.clock_starts_on for v in violations)
    unlimited_category = any(v.categories & rule_set.unlimited_categories for v in violations)
    years = rule_set.limitation_years.get(form)
    if unlimited_category or years is None:
        return LimitationPeriod(started, None)
    return LimitationPeriod(started, same_day_years_later(started, years))
