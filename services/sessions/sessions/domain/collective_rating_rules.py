"""The rules that hold a collective's rating down to "not completed"."""

from __future__ import annotations

from .discipline_record import DisciplineRecord
from .rating_rule_sets import RatingLevel, RatingRuleSet
from .rating_rules import DisciplineBar


class DisciplinedLeadershipMeansNotCompleted(DisciplineBar):
    """The organisation itself (its leadership) was disciplined in the year."""

    def __init__(
        self,
        rule_set: RatingRuleSet,
        org_id: str,
        year: int,
        level: RatingLevel,
        disciplines: list[DisciplineRecord],
    ) -> None:
        super().__init__(rule_set, year, level, disciplines)
        self.org_id = org_id

    @property
    def message(self) -> str:
        which = "; ".join(d.describe() for d in self.disciplines)
        return (
            f"{self.rule_set.name}: the leadership of {self.org_id} was disciplined in "
            f"{self.year} ({which}), so the collective cannot be rated above not_completed."
        )


class ManyDisciplinedUnitsMeanNotCompleted(DisciplineBar):
    """More than the rule set's share (20%) of the units directly below were disciplined.

    `disciplines` are the decisions against those units in the year; `units` is how many
    units there were on the rating date.
    """

    def __init__(
        self,
        rule_set: RatingRuleSet,
        org_id: str,
        year: int,
        level: RatingLevel,
        units: int,
        disciplines: list[DisciplineRecord],
    ) -> None:
        super().__init__(rule_set, year, level, disciplines)
        self.org_id, self.units = org_id, units

    @property
    def disciplined(self) -> list[str]:
        return sorted({d.org_id for d in self.disciplines})

    @property
    def holds_down(self) -> bool:
        share = self.rule_set.disciplined_units_share
        return self.units > 0 and len(self.disciplined) > share * self.units

    @property
    def message(self) -> str:
        share = f"{float(self.rule_set.disciplined_units_share):.0%}"
        return (
            f"{self.rule_set.name}: {len(self.disciplined)} of the {self.units} units under "
            f"{self.org_id} ({', '.join(self.disciplined)}) were disciplined in {self.year}, "
            f"more than {share}, so the collective cannot be rated above not_completed."
        )
