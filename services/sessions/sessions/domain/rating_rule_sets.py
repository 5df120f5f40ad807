"""The dated rule sets that judge yearly ratings (xếp loại chất lượng)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from fractions import Fraction

from .exceptions import InvalidInput


class RatingLevel(StrEnum):
    EXCELLENT = "excellent"  # hoàn thành xuất sắc nhiệm vụ
    GOOD = "good"  # hoàn thành tốt nhiệm vụ
    COMPLETED = "completed"  # hoàn thành nhiệm vụ
    NOT_COMPLETED = "not_completed"  # không hoàn thành nhiệm vụ


@dataclass(frozen=True)
class ScoreBand:
    """Scores from `minimum` (inclusive) upwards, up to the next band, earn `level`."""

    minimum: float
    level: RatingLevel


@dataclass(frozen=True)
class RatingRuleSet:
    """A regulation on rating, in force from `effective_on`: it judges the ratings of
    that year (rated at the year's end) and of every later year until replaced.

    With `score_bands` the level is derived from a 100-point score; without, the level
    is chosen directly. `excellent_cap` limits excellent members to a share of those
    rated good in one grassroots organisation (cited by `excellent_cap_rule`). With
    `remedied_fault_excused`, a member who found the fault and fully remedied it is not
    held to "not completed" by the discipline. A collective is held there when more than
    `disciplined_units_share` of its subordinate units were disciplined.
    """

    name: str
    effective_on: date
    score_bands: tuple[ScoreBand, ...] = ()
    excellent_cap: Fraction = Fraction(1, 5)
    excellent_cap_rule: str = "21-HD/BTCTW (2019)"
    months_since_admission: int = 6
    remedied_fault_excused: bool = True
    disciplined_units_share: Fraction = Fraction(1, 5)

    @property
    def first_year(self) -> int:
        return self.effective_on.year

    @property
    def uses_score(self) -> bool:
        return bool(self.score_bands)

    def level_for_score(self, score: float) -> RatingLevel:
        for band in sorted(self.score_bands, key=lambda b: b.minimum, reverse=True):
            if score >= band.minimum:
                return band.level
        raise ValueError(f"{self.name}: no band for score {score}")


# Regulation 132-QĐ/TW (8 March 2018), with guidance 21-HD/BTCTW (2019): four levels
# chosen directly; no exception yet for a fault the member found and remedied.
QD132_2018 = RatingRuleSet(name="QD132-2018", effective_on=date(2018, 3, 8), remedied_fault_excused=False)
# Regulation 124-QĐ/TW (4 October 2023): adds that exception.
QD124_2023 = RatingRuleSet(name="QD124-2023", effective_on=date(2023, 10, 4))
# Regulation 366-QĐ/TW (30 August 2025), guidance 43-HD/BTCTW: a 100-point score.
QD366_2025 = RatingRuleSet(
    name="QD366-2025",
    effective_on=date(2025, 8, 30),
    score_bands=(
        ScoreBand(90, RatingLevel.EXCELLENT),
        ScoreBand(70, RatingLevel.GOOD),
        ScoreBand(50, RatingLevel.COMPLETED),
        ScoreBand(0, RatingLevel.NOT_COMPLETED),
    ),
)
RATING_RULE_SETS: tuple[RatingRuleSet, ...] = (QD132_2018, QD124_2023, QD366_2025)


def rule_set_for_year(year: int, rule_sets: tuple[RatingRuleSet, ...] = RATING_RULE_SETS) -> RatingRuleSet:
    """The rule set in force for ratings of `year`: the latest that had begun by then.

    A year before every rule set recorded here is refused rather than judged by a
    later one.
    """
    in_force = [r for r in rule_sets if r.first_year <= year]
    if not in_force:
        earliest = min(rule_sets, key=lambda r: r.effective_on)
        raise InvalidInput(
            f"year: no rating rule set recorded here was in force for {year}; the earliest is "
            f"{earliest.name}, in force from {earliest.effective_on}.",
            "year",
            "RatingYearMustHaveARuleSetInForce",
        )
    return max(in_force, key=lambda r: r.effective_on)
