"""Dated rule sets that discipline decisions are judged by.

A rule set is data with an effective date; a decision is judged by the one in force on
its date and records its id. The parameters below are the ones this system applies;
an operator checks them against the official texts when a new rule set is added.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from .discipline_forms import DisciplineForm
from .exceptions import NotFound


class ViolationCategory(StrEnum):
    """Violations for which no limitation period runs, whatever the form (Reg. 69 art. 4)."""

    INTERNAL_POLITICAL = "internal_political"
    NATIONAL_SECURITY = "national_security"
    FAKE_DIPLOMA = "fake_diploma"


_LIMITATION_YEARS_2022: Mapping[DisciplineForm, int | None] = {
    DisciplineForm.REPRIMAND: 5,
    DisciplineForm.WARNING: 10,
    DisciplineForm.REMOVAL_FROM_POST: 10,
    DisciplineForm.EXPULSION: None,
    DisciplineForm.DISSOLUTION: None,
}


@dataclass(frozen=True)
class DisciplineRuleSet:
    """The parameters of discipline and oversight in force from `effective_from`."""

    rule_set_id: str
    title: str
    effective_from: date
    limitation_years: Mapping[DisciplineForm, int | None] = field(
        default_factory=lambda: dict(_LIMITATION_YEARS_2022)
    )
    unlimited_categories: frozenset[ViolationCategory] = frozenset(ViolationCategory)
    appeal_window_months: int = 1
    archive_within_working_days: int = 15


QD69_2022 = DisciplineRuleSet(
    rule_set_id="QD69-2022",
    title="Regulation 69-QĐ/TW (6/7/2022) with procedures of Regulation 22-QĐ/TW (2021)",
    effective_from=date(2022, 7, 6),
)
QD69_2022_AMENDED_2025 = DisciplineRuleSet(
    rule_set_id="QD69-2022-amended-2025",
    title="Regulation 69-QĐ/TW as amended by Regulation 264-QĐ/TW (14/2/2025)",
    effective_from=date(2025, 2, 14),
)
QD296_2025 = DisciplineRuleSet(
    rule_set_id="QD296-2025",
    title=(
        "Regulation 69-QĐ/TW as amended in 2025, with procedures of Regulation 296-QĐ/TW "
        "(30/5/2025), which replaced Regulation 22-QĐ/TW"
    ),
    effective_from=date(2025, 5, 30),
)


class RuleSetCatalogue:
    """All known rule sets; answers which one was in force on a date."""

    def __init__(self, rule_sets: Iterable[DisciplineRuleSet]) -> None:
        self._sets = tuple(sorted(rule_sets, key=lambda s: s.effective_from))

    def in_force_on(self, on: date, field: str = "decided_on") -> DisciplineRuleSet:
        in_force = [s for s in self._sets if s.effective_from <= on]
        if not in_force:
            raise NotFound(
                f"No discipline rule set was in force on {on.isoformat()} ({field}); "
                "the earliest known one starts later.",
                field=field,
            )
        return in_force[-1]

    def by_id(self, rule_set_id: str) -> DisciplineRuleSet:
        for rule_set in self._sets:
            if rule_set.rule_set_id == rule_set_id:
                return rule_set
        raise NotFound(f"The rule set {rule_set_id!r} is not known.", field="rule_set")


DEFAULT_RULE_SETS = RuleSetCatalogue((QD69_2022, QD69_2022_AMENDED_2025, QD296_2025))
