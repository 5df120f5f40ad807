"""Reading the organisation tree from its snapshot table: one node, its children, its
subtree (one range scan on the path index) and its path up to the root."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from eventlog.engine import readonly
from plans.domain.errors import UnknownOrganization
from plans.subtree import within
from plans.tables import organizations


def row_of(conn: sa.Connection, org_id: str | None) -> sa.Row[Any] | None:
    """The organisation's snapshot row, or None (also for no id at all)."""
    if org_id is None:
        return None
    return conn.execute(sa.select(organizations).where(organizations.c.org_id == org_id)).first()


def _known(conn: sa.Connection, org_id: str) -> sa.Row[Any]:
    row = row_of(conn, org_id)
    if row is None:
        raise UnknownOrganization(f"org_id {org_id!r} names no known organisation.", field="org_id")
    return row


def _public(row: sa.Row[Any]) -> dict[str, Any]:
    return {
        "org_id": row.org_id,
        "kind": row.kind,
        "name": row.name,
        "code": row.code,
        "parent_id": row.parent_id,
        "depth": row.depth,
        "registered_on": row.registered_on,
        "dissolved_on": row.dissolved_on,
        "version": row.version,
    }


def get(engine: sa.Engine, org_id: str) -> dict[str, Any]:
    """One organisation, dissolved or not."""
    with readonly(engine.connect()) as conn:
        return _public(_known(conn, org_id))


def children(engine: sa.Engine, org_id: str) -> list[dict[str, Any]]:
    """The organisations directly under `org_id`, by name."""
    with readonly(engine.connect()) as conn:
        _known(conn, org_id)
        rows = conn.execute(
            sa.select(organizations)
            .where(organizations.c.parent_id == org_id)
            .order_by(organizations.c.name, organizations.c.org_id)
        )
        return [_public(r) for r in rows]


def subtree(
    engine: sa.Engine, org_id: str, kind: str | None = None, offset: int = 0, limit: int = 1000
) -> list[dict[str, Any]]:
    """The organisation and everything below it, in path order (one scan of the path index)."""
    with readonly(engine.connect()) as conn:
        query = sa.select(organizations).where(within(_known(conn, org_id).path, organizations.c.path))
        if kind:
            query = query.where(organizations.c.kind == kind)
        query = query.order_by(organizations.c.path).offset(offset).limit(limit)
        return [_public(r) for r in conn.execute(query)]


def path_to_root(engine: sa.Engine, org_id: str) -> list[dict[str, Any]]:
    """From the root down to the organisation itself."""
    with readonly(engine.connect()) as conn:
        ids = [p for p in _known(conn, org_id).path.strip("/").split("/") if p]
        rows = {
            r.org_id: r for r in conn.execute(sa.select(organizations).where(organizations.c.org_id.in_(ids)))
        }
        return [_public(rows[i]) for i in ids]
