"""The rules that hold a collective's rating down to "not completed"."""

from __future__ import annotations

from .discipline_record import DisciplineRecord
from .rating_rule_sets import RatingLevel, RatingRuleSet
from .rating_rules import RatingRule


class DisciplinedLeadershipMeansNotCompleted(RatingRule):
    field = "level"

    def __init__(
        self,
        rule_set: RatingRuleSet,
        org_id: str,
        year: int,
        level: RatingLevel,
        disciplines: list[DisciplineRecord],
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
        self,
        rule_set: RatingRuleSet,
        org_id: str,
        year: int,
        level: RatingLevel,
        units: int,
        disciplined: list[str],
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
