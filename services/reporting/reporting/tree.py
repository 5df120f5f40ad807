"""The organisation tree as reporting keeps it: dated ancestry rows, from Organization* events."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from eventlog.engine import is_postgres

from .rollup_store import spread
from .tables import ancestry, organizations

BEGINNING = "0001-01-01"
TREE_EVENTS = ("OrganizationRegistered", "OrganizationMoved", "OrganizationRenamed", "OrganizationDissolved")


def apply_tree_event(conn: sa.Connection, event_type: str, p: dict[str, Any], recorded_at: str) -> bool:
    """Apply one Organization* event; True when it added or closed ancestry rows."""
    if event_type == "OrganizationRegistered":
        return register(conn, p, recorded_at)
    if event_type == "OrganizationMoved":
        return move(conn, p["org_id"], p["parent_id"], p["moved_on"], recorded_at)
    if event_type == "OrganizationRenamed":
        conn.execute(
            organizations.update().where(organizations.c.org_id == p["org_id"]).values(name=p["name"])
        )
    elif event_type == "OrganizationDissolved":
        conn.execute(
            organizations.update()
            .where(organizations.c.org_id == p["org_id"])
            .values(dissolved_on=p["dissolved_on"])
        )
    return False


def register(conn: sa.Connection, p: dict[str, Any], recorded_at: str) -> bool:
    """A new unit sits under its parent's current ancestors for all of its history."""
    dialect_insert = postgresql_insert if is_postgres(conn) else sqlite_insert
    inserted = conn.execute(
        dialect_insert(organizations)
        .values(
            org_id=p["org_id"],
            kind=p["kind"],
            name=p["name"],
            parent_id=p.get("parent_id"),
            registered_on=p["registered_on"],
        )
        .on_conflict_do_nothing(index_elements=["org_id"])
    )
    if inserted.rowcount == 0:
        return False
    rows = [
        {
            "org_id": p["org_id"],
            "ancestor_id": p["org_id"],
            "via_child": None,
            "valid_from": BEGINNING,
            "valid_to": None,
            "recorded_at": recorded_at,
        }
    ]
    above = _open_ancestors(conn, p["parent_id"]) if p.get("parent_id") else []
    rows += [
        {
            "org_id": p["org_id"],
            "ancestor_id": a,
            "via_child": via or p["org_id"],
            "valid_from": BEGINNING,
            "valid_to": None,
            "recorded_at": recorded_at,
        }
        for a, via in above
    ]
    conn.execute(ancestry.insert(), rows)
    # facts that came before the unit (nothing is below it yet: a unit under it would
    # have found no ancestors to register under)
    spread(conn, p["org_id"], [a for a, _ in above], +1, recorded_at, below_too=False)
    return True


def move(conn: sa.Connection, org_id: str, parent_id: str, moved_on: str, recorded_at: str) -> bool:
    """From `moved_on`, the unit and its subtree (with all their facts) sit under `parent_id`."""
    subtree = [
        row[0]
        for row in conn.execute(
            sa.select(ancestry.c.org_id).where(
                ancestry.c.ancestor_id == org_id, ancestry.c.valid_to.is_(None)
            )
        )
    ]
    if not subtree or parent_id in subtree:
        return False  # an unknown unit, or a cycle the plans service would have refused
    above = [a for a, _ in _open_ancestors(conn, org_id) if a != org_id]
    if above:
        spread(conn, org_id, above, -1, recorded_at)
        conn.execute(
            ancestry.update()
            .where(
                ancestry.c.org_id.in_(subtree),
                ancestry.c.ancestor_id.in_(above),
                ancestry.c.valid_to.is_(None),
            )
            .values(valid_to=moved_on, closed_at=recorded_at)
        )
    new_above = _open_ancestors(conn, parent_id)
    rows = [
        {
            "org_id": member,
            "ancestor_id": a,
            "via_child": via or org_id,
            "valid_from": moved_on,
            "valid_to": None,
            "recorded_at": recorded_at,
        }
        for member in subtree
        for a, via in new_above
    ]
    if rows:
        conn.execute(ancestry.insert(), rows)
        spread(conn, org_id, [a for a, _ in new_above], +1, recorded_at)
    conn.execute(organizations.update().where(organizations.c.org_id == org_id).values(parent_id=parent_id))
    return bool(above or rows)


def _open_ancestors(conn: sa.Connection, org_id: str) -> list[tuple[str, str | None]]:
    """(ancestor, via_child) of the unit as it stands now, itself included (via None)."""
    return [
        (row[0], row[1])
        for row in conn.execute(
            sa.select(ancestry.c.ancestor_id, ancestry.c.via_child).where(
                ancestry.c.org_id == org_id, ancestry.c.valid_to.is_(None)
            )
        )
    ]
