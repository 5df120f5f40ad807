"""How a rating's level is settled under a rule set: chosen, or read from a score."""

from __future__ import annotations

from .exceptions import InvalidInput
from .rating_rule_sets import RatingLevel, RatingRuleSet


def resolve_level(
    rule_set: RatingRuleSet, level: RatingLevel | str | None, score: float | None
) -> RatingLevel:
    """The level a rating earns under `rule_set`: chosen directly (given as a level or
    its text), or derived from a score."""
    if level is not None and not isinstance(level, RatingLevel):
        known = ", ".join(v.value for v in RatingLevel)
        if level not in known.split(", "):
            raise InvalidInput(f"level: {level!r} is not one of {known}.", "level", "LevelMustBeKnown")
        level = RatingLevel(level)
    if not rule_set.uses_score:
        if score is not None:
            raise InvalidInput(
                f"score: {rule_set.name} rates by choosing one of four levels, not by a score.",
                "score",
                f"{rule_set.name}: LevelIsChosenDirectly",
            )
        if level is None:
            raise InvalidInput(
                f"level: {rule_set.name} needs a level.",
                "level",
                f"{rule_set.name}: LevelIsChosenDirectly",
            )
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
