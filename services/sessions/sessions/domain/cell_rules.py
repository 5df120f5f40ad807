"""Rules that a cell named in a command must satisfy."""

from __future__ import annotations

from datetime import date

from .business_rule import BusinessRule, check_rule
from .exceptions import Conflict, InvalidInput, NotFound
from .organisation_tree import KnownOrganisation, OrganisationLookup


class CellMustBeKnown(BusinessRule):
    error = NotFound

    def __init__(self, found: KnownOrganisation | None, org_id: str, field: str) -> None:
        self.found, self.org_id, self.field = found, org_id, field

    def is_broken(self) -> bool:
        return self.found is None

    @property
    def message(self) -> str:
        return f"{self.field}: organisation {self.org_id!r} is not in the organisation tree."


class OrganisationMustBeACell(BusinessRule):
    error = InvalidInput

    def __init__(self, found: KnownOrganisation, field: str) -> None:
        self.found, self.field = found, field

    def is_broken(self) -> bool:
        return not self.found.is_cell

    @property
    def message(self) -> str:
        return (
            f"{self.field}: {self.found.name!r} ({self.found.org_id}) is a "
            f"{self.found.kind} organisation, not a party cell; members and themed "
            "sessions belong to cells."
        )


class CellMustBeActiveOn(BusinessRule):
    error = Conflict

    def __init__(self, found: KnownOrganisation, day: date, field: str) -> None:
        self.found, self.day, self.field = found, day, field

    def is_broken(self) -> bool:
        return not self.found.exists_on(self.day)

    @property
    def message(self) -> str:
        if self.found.is_dissolved_on(self.day):
            why = f"was dissolved on {self.found.dissolved_on}"
        else:
            why = f"was only registered on {self.found.registered_on}"
        return f"{self.field}: cell {self.found.name!r} {why}, so it has no activity on {self.day}."


def require_active_cell(
    organisations: OrganisationLookup, org_id: str, on: date, field: str = "org_id"
) -> KnownOrganisation:
    """Return the cell `org_id`, refusing unknown, non-cell or dissolved organisations."""
    found = organisations.find(org_id)
    check_rule(CellMustBeKnown(found, org_id, field))
    assert found is not None
    check_rule(OrganisationMustBeACell(found, field))
    check_rule(CellMustBeActiveOn(found, on, field))
    return found
