"""The order of phases an inspection or a supervision file must follow."""

from __future__ import annotations

from datetime import date

from .exceptions import InvalidValue, OutOfOrder
from .inspection_kinds import INSPECTION_PATH, OPTIONAL_SUPERVISION_PHASES, SUPERVISION_PATH, Phase


def allowed_next_phases(current: Phase, is_supervision: bool) -> tuple[Phase, ...]:
    """The phases that may come next: the following one, or past it when it is optional."""
    path = SUPERVISION_PATH if is_supervision else INSPECTION_PATH
    optional = OPTIONAL_SUPERVISION_PHASES if is_supervision else frozenset()
    allowed: list[Phase] = []
    for phase in path[path.index(current) + 1 :]:
        allowed.append(phase)
        if phase not in optional:
            break
    return tuple(allowed)


def check_next_phase(
    current: Phase, phase: Phase, on: date, last_step_on: date, is_supervision: bool
) -> None:
    """Refuse a phase out of order (OutOfOrder) or dated before the previous step."""
    path = SUPERVISION_PATH if is_supervision else INSPECTION_PATH
    journey = "a supervision" if is_supervision else "an inspection"
    if phase not in path:
        raise OutOfOrder(f"The phase {phase.value} is not part of {journey}.", field="phase")
    allowed = allowed_next_phases(current, is_supervision)
    if phase not in allowed:
        after = (
            "the next phase is " + " or ".join(p.value for p in allowed)
            if allowed
            else "the file is already archived"
        )
        raise OutOfOrder(f"The phase {phase.value} cannot follow {current.value}: {after}.", field="phase")
    if on < last_step_on:
        raise InvalidValue(
            f"The phase {phase.value} cannot be dated {on.isoformat()}, before the previous step "
            f"on {last_step_on.isoformat()}.",
            field="on",
        )
