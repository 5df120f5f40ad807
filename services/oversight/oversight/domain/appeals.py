"""Appeal rules: who hears an appeal and within which window (Charter art. 36, Reg. 296)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import Enum

from .calendar_periods import same_day_months_later
from .deciding_bodies import DecidingBody, DecidingBodyKind, Organ
from .exceptions import RuleBroken
from .org_tree import OrgLevel, OrgTree


class AppealOutcome(str, Enum):
    UPHELD = "upheld"
    CHANGED = "changed"
    QUASHED = "quashed"


def appeal_bodies_for(decided_by: DecidingBody, tree: OrgTree) -> tuple[DecidingBody, ...]:
    """Bodies that may hear an appeal against a decision of `decided_by`, the usual one first.

    An inspection commission's decision goes first to the committee of the same level;
    any other decision goes to the level above.
    """
    if decided_by.kind.organ is Organ.INSPECTION_COMMISSION:
        level = decided_by.kind.level
        return tuple(
            DecidingBody(decided_by.org_id, DecidingBodyKind.of(level, organ))
            for organ in (Organ.COMMITTEE, Organ.STANDING_COMMITTEE)
        )
    parent = tree.parent_of(decided_by.org_id)
    if parent is None:
        raise RuleBroken(
            "An appeal against a decision taken at the top of this tree goes to the Central "
            "Inspection Commission or the Secretariat, which this system does not record.",
            field="decision_id",
            rule="AppealGoesToTheLevelAbove",
        )
    level = tree.level_of(parent)
    organs = (
        (Organ.COMMITTEE,)
        if level is OrgLevel.GRASSROOTS
        else (Organ.COMMITTEE, Organ.STANDING_COMMITTEE, Organ.INSPECTION_COMMISSION)
    )
    return tuple(DecidingBody(parent, DecidingBodyKind.of(level, organ)) for organ in organs)


@dataclass(frozen=True)
class AppealMustBeLodgedWithinWindow:
    """Within one month (per the rule set) of receiving the decision."""

    received_on: date
    lodged_on: date
    window_months: int
    field: str | None = "lodged_on"

    @property
    def last_day(self) -> date:
        return same_day_months_later(self.received_on, self.window_months)

    def is_broken(self) -> bool:
        return not (self.received_on <= self.lodged_on <= self.last_day)

    def message(self) -> str:
        if self.lodged_on < self.received_on:
            return (
                f"The appeal's lodged_on {self.lodged_on.isoformat()} is before the decision was "
                f"received on {self.received_on.isoformat()}."
            )
        return (
            f"The appeal's lodged_on {self.lodged_on.isoformat()} is too late: appeals must be lodged "
            f"within {self.window_months} month(s) of receiving the decision, by "
            f"{self.last_day.isoformat()}."
        )
