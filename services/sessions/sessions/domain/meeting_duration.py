"""The dated rule on how long a cell meeting must last, and the breaches it flags.

A short meeting is not refused: the minutes record what happened. It is flagged
non-compliant, naming the rule that judged it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any


@dataclass(frozen=True)
class MeetingDurationRule:
    """Minimum sitting length in force from `effective_from` (inclusive)."""

    name: str
    effective_from: date
    minimum_minutes: int
    minimum_minutes_when_combined: int

    def minimum_for(self, combined_with_regular_session: bool) -> int:
        if combined_with_regular_session:
            return self.minimum_minutes_when_combined
        return self.minimum_minutes


MEETING_DURATION_RULES: tuple[MeetingDurationRule, ...] = (
    MeetingDurationRule("42-HD/BTCTW", date(2025, 10, 28), 90, 120),
)


def duration_rule_in_force(
    held_on: date, rules: tuple[MeetingDurationRule, ...] = MEETING_DURATION_RULES
) -> MeetingDurationRule | None:
    """The latest rule whose effective date is on or before `held_on`, if any."""
    in_force = [r for r in rules if r.effective_from <= held_on]
    return max(in_force, key=lambda r: r.effective_from) if in_force else None


@dataclass(frozen=True)
class NonCompliance:
    """A breach found in a held session: which rule, a short code, and why."""

    rule: str
    code: str
    message: str

    def to_payload(self) -> dict[str, Any]:
        return {"rule": self.rule, "code": self.code, "message": self.message}

    @classmethod
    def from_payload(cls, d: dict[str, Any]) -> NonCompliance:
        return cls(d["rule"], d["code"], d["message"])


def check_meeting_duration(
    held_on: date,
    duration_minutes: int,
    combined_with_regular_session: bool,
    rules: tuple[MeetingDurationRule, ...] = MEETING_DURATION_RULES,
) -> tuple[NonCompliance, ...]:
    rule = duration_rule_in_force(held_on, rules)
    if rule is None:
        return ()
    minimum = rule.minimum_for(combined_with_regular_session)
    if duration_minutes >= minimum:
        return ()
    sitting = (
        "a themed session combined with a regular one" if combined_with_regular_session else "a cell meeting"
    )
    return (
        NonCompliance(
            rule=rule.name,
            code="session_too_short",
            message=(
                f"The session lasted {duration_minutes} minutes; since {rule.effective_from} "
                f"{rule.name} requires at least {minimum} minutes for {sitting}."
            ),
        ),
    )
