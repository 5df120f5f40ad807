"""The dated rule sets that judge yearly ratings (xếp loại chất lượng)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction


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
    """A regulation on rating, in force for rating years from `first_year` on.

    With `score_bands` the level is derived from a 100-point score; without, the level
    is chosen directly. `excellent_cap` limits excellent members to a share of those
    rated good in one grassroots organisation (cited by `excellent_cap_rule`).
    """

    name: str
    first_year: int | None
    score_bands: tuple[ScoreBand, ...] = ()
    excellent_cap: Fraction = Fraction(1, 5)
    excellent_cap_rule: str = "21-HD/BTCTW (2019)"
    months_since_admission: int = 6

    @property
    def uses_score(self) -> bool:
        return bool(self.score_bands)

    def level_for_score(self, score: float) -> RatingLevel:
        for band in sorted(self.score_bands, key=lambda b: b.minimum, reverse=True):
            if score >= band.minimum:
                return band.level
        raise ValueError(f"{self.name}: no band for score {score}")


QD124_2023 = RatingRuleSet(name="QD124-2023", first_year=None)
QD366_2025 = RatingRuleSet(
    name="QD366-2025",
    first_year=2025,
    score_bands=(
        ScoreBand(90, RatingLevel.EXCELLENT),
        ScoreBand(70, RatingLevel.GOOD),
        ScoreBand(50, RatingLevel.COMPLETED),
        ScoreBand(0, RatingLevel.NOT_COMPLETED),
    ),
)
RATING_RULE_SETS: tuple[RatingRuleSet, ...] = (QD124_2023, QD366_2025)


def rule_set_for_year(
    year: int, rule_sets: tuple[RatingRuleSet, ...] = RATING_RULE_SETS
) -> RatingRuleSet:
    """The rule set in force for ratings of `year`: the latest that had begun by then."""
    in_force = [r for r in rule_sets if r.first_year is None or r.first_year <= year]
    return max(in_force, key=lambda r: r.first_year or 0)
