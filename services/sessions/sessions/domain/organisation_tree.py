"""The sessions service's local copy of the organisation tree.

The plans service owns the tree; this copy is built from its OrganizationRegistered,
OrganizationMoved and OrganizationDissolved events and answers the few questions the
sessions domain asks: is this a live cell, which grassroots organisation is it under,
which units sit directly below an organisation.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from typing import Any, Protocol

from .payload_fields import date_from_text, optional_date_from_text

CELL_KIND = "cell"
GRASSROOTS_KIND = "grassroots"


@dataclass(frozen=True)
class KnownOrganisation:
    """What the sessions service knows of one organisation.

    `kind` is the level word used by the plans service: "province", "district",
    "grassroots", "cell". A cell may sit directly under a district (chi bộ cơ sở), and
    then it is its own grassroots organisation. The depth is never assumed.
    """

    org_id: str
    name: str
    kind: str
    parent_id: str | None
    registered_on: date | None = None
    dissolved_on: date | None = None

    @property
    def is_cell(self) -> bool:
        return self.kind == CELL_KIND

    @property
    def is_grassroots(self) -> bool:
        return self.kind == GRASSROOTS_KIND

    def is_dissolved_on(self, day: date) -> bool:
        return self.dissolved_on is not None and self.dissolved_on <= day

    def exists_on(self, day: date) -> bool:
        started = self.registered_on is None or self.registered_on <= day
        return started and not self.is_dissolved_on(day)


class OrganisationLookup(Protocol):
    """The questions the domain asks of the organisation tree."""

    def find(self, org_id: str) -> KnownOrganisation | None: ...

    def grassroots_of(self, org_id: str) -> str | None: ...

    def subordinate_units_of(self, org_id: str, on: date) -> tuple[str, ...]: ...


class OrganisationTreeCopy:
    """An in-memory OrganisationLookup, fed by the plans service's facts."""

    def __init__(self, organisations: list[KnownOrganisation] | None = None) -> None:
        self._by_id: dict[str, KnownOrganisation] = {}
        for organisation in organisations or []:
            self._by_id[organisation.org_id] = organisation

    def register(self, organisation: KnownOrganisation) -> None:
        self._by_id[organisation.org_id] = organisation

    def move(self, org_id: str, new_parent_id: str | None) -> None:
        self._by_id[org_id] = replace(self._by_id[org_id], parent_id=new_parent_id)

    def dissolve(self, org_id: str, on: date) -> None:
        self._by_id[org_id] = replace(self._by_id[org_id], dissolved_on=on)

    def find(self, org_id: str) -> KnownOrganisation | None:
        return self._by_id.get(org_id)

    def grassroots_of(self, org_id: str) -> str | None:
        """The nearest grassroots organisation at or above `org_id`, if any.

        A cell with no grassroots committee above it (chi bộ cơ sở) is its own
        grassroots organisation; a district or province has none.
        """
        seen: set[str] = set()
        current = self._by_id.get(org_id)
        while current is not None and current.org_id not in seen:
            if current.is_grassroots:
                return current.org_id
            seen.add(current.org_id)
            current = self._by_id.get(current.parent_id) if current.parent_id else None
        start = self._by_id.get(org_id)
        return org_id if start is not None and start.is_cell else None

    def subordinate_units_of(self, org_id: str, on: date) -> tuple[str, ...]:
        return tuple(o.org_id for o in self._by_id.values() if o.parent_id == org_id and o.exists_on(on))

    def apply_plans_event(self, event_type: str, payload: dict[str, Any]) -> None:
        """Keep the copy up to date from the plans service's events (tolerant reader)."""
        if event_type == "OrganizationRegistered":
            self.register(
                KnownOrganisation(
                    org_id=payload["org_id"],
                    name=payload.get("name", ""),
                    kind=payload["kind"],
                    parent_id=payload.get("parent_id"),
                    registered_on=optional_date_from_text(payload.get("registered_on")),
                )
            )
        elif event_type == "OrganizationMoved" and payload["org_id"] in self._by_id:
            self.move(payload["org_id"], payload.get("parent_id"))
        elif event_type == "OrganizationDissolved" and payload["org_id"] in self._by_id:
            self.dissolve(payload["org_id"], date_from_text(payload["dissolved_on"]))
