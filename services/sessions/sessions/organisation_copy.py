"""The local copy of the organisation tree, built from the plans service's events."""

from __future__ import annotations

from datetime import date
from typing import Any

import sqlalchemy as sa

from eventlog.inbox import Envelope, UnreadableEvent
from sessions.domain import KnownOrganisation, NotFound
from sessions.domain.payload_fields import optional_date_from_text
from sessions.tables import organisations

TREE_EVENTS = {
    "OrganizationRegistered": ("org_id", "kind", "parent_id"),
    "OrganizationMoved": ("org_id", "parent_id"),
    "OrganizationDissolved": ("org_id", "dissolved_on"),
}


class OrganisationProjection:
    """Applies OrganizationRegistered, OrganizationMoved and OrganizationDissolved."""

    def read(self, envelope: Envelope) -> dict[str, Any] | None:
        needed = TREE_EVENTS.get(envelope["type"])
        if needed is None:
            return None
        payload = envelope["payload"]
        missing = [key for key in needed if key not in payload]
        if missing:
            raise UnreadableEvent(f"{envelope['type']} lacks {', '.join(missing)}")
        return payload

    def apply(self, conn: sa.Connection, envelope: Envelope, payload: dict[str, Any]) -> None:
        org_id = payload["org_id"]
        if envelope["type"] == "OrganizationRegistered":
            conn.execute(organisations.delete().where(organisations.c.org_id == org_id))
            conn.execute(
                organisations.insert().values(
                    org_id=org_id,
                    kind=payload["kind"],
                    name=payload.get("name") or org_id,
                    parent_id=payload.get("parent_id"),
                    registered_on=payload.get("registered_on"),
                )
            )
        elif envelope["type"] == "OrganizationMoved":
            conn.execute(
                organisations.update()
                .where(organisations.c.org_id == org_id)
                .values(parent_id=payload["parent_id"])
            )
        else:
            conn.execute(
                organisations.update()
                .where(organisations.c.org_id == org_id)
                .values(dissolved_on=payload["dissolved_on"])
            )


class StoredOrganisations:
    """The domain's OrganisationLookup, answered from the local copy on one connection."""

    def __init__(self, conn: sa.Connection) -> None:
        self.conn = conn
        self._cache: dict[str, KnownOrganisation | None] = {}

    def find(self, org_id: str) -> KnownOrganisation | None:
        if org_id not in self._cache:
            row = self.conn.execute(sa.select(organisations).where(organisations.c.org_id == org_id)).first()
            self._cache[org_id] = None if row is None else _known(row)
        return self._cache[org_id]

    def require(self, org_id: str, field: str = "org_id") -> KnownOrganisation:
        found = self.find(org_id)
        if found is None:
            raise NotFound(
                f"{field}: organisation {org_id!r} is not in the organisation tree.",
                field,
                "OrganisationMustBeKnown",
            )
        return found

    def grassroots_of(self, org_id: str) -> str | None:
        """The nearest grassroots organisation at or above `org_id`; a cell with none
        above it (chi bộ cơ sở) is its own."""
        seen: set[str] = set()
        current = self.find(org_id)
        while current is not None and current.org_id not in seen:
            if current.is_grassroots:
                return current.org_id
            seen.add(current.org_id)
            current = self.find(current.parent_id) if current.parent_id else None
        start = self.find(org_id)
        return org_id if start is not None and start.is_cell else None

    def subordinate_units_of(self, org_id: str, on: date) -> tuple[str, ...]:
        rows = self.conn.execute(sa.select(organisations).where(organisations.c.parent_id == org_id))
        return tuple(r.org_id for r in rows if _known(r).exists_on(on))

    def subtree_ids(self, org_id: str) -> list[str]:
        """`org_id` and every organisation below it, at any depth."""
        found, frontier = [org_id], [org_id]
        while frontier:
            rows = self.conn.execute(
                sa.select(organisations.c.org_id).where(organisations.c.parent_id.in_(frontier))
            )
            frontier = [r.org_id for r in rows if r.org_id not in found]
            found.extend(frontier)
        return found


def _known(row: sa.Row[Any]) -> KnownOrganisation:
    return KnownOrganisation(
        org_id=row.org_id,
        name=row.name,
        kind=row.kind,
        parent_id=row.parent_id,
        registered_on=optional_date_from_text(row.registered_on),
        dissolved_on=optional_date_from_text(row.dissolved_on),
    )
