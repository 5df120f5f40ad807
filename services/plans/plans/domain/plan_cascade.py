"""Which units required by a plan have issued their own plan implementing it."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from plans.domain.plan import Plan


@dataclass(frozen=True)
class CascadeStatus:
    """The cascade of one parent plan: "32/35 units have issued their own plan"."""

    parent_plan_id: str
    issued: dict[str, tuple[str, ...]]  # required unit id -> ids of the plans it issued
    missing: tuple[str, ...]  # required units with no plan of their own yet

    @property
    def required_count(self) -> int:
        return len(self.issued) + len(self.missing)

    @property
    def issued_count(self) -> int:
        return len(self.issued)

    def summary(self) -> str:
        return f"{self.issued_count}/{self.required_count}"


def cascade_status(parent_plan: Plan, plans: Iterable[Plan], as_of: date | None = None) -> CascadeStatus:
    """Sort the parent's required units into those that issued a plan implementing it
    (on or before ``as_of`` when given) and those that have not."""
    required = parent_plan.required_unit_ids
    issued: dict[str, list[str]] = {}
    for plan in plans:
        if plan.parent_plan_id != parent_plan.plan_id or plan.org_id not in required:
            continue
        if as_of is not None and plan.issued_on > as_of:
            continue
        issued.setdefault(plan.org_id, []).append(plan.plan_id)
    return CascadeStatus(
        parent_plan_id=parent_plan.plan_id,
        issued={unit: tuple(issued[unit]) for unit in required if unit in issued},
        missing=tuple(unit for unit in required if unit not in issued),
    )
