"""Subtree questions answered from the organisations table's materialised path."""

from __future__ import annotations

from collections.abc import Iterable

import sqlalchemy as sa

from plans.domain.errors import UnknownOrganization
from plans.tables import organizations


def path_of(conn: sa.Connection, org_id: str, field: str = "org_id") -> str:
    """The organisation's "/root/.../org_id/" path; refuse an unknown id, naming `field`."""
    path = conn.execute(sa.select(organizations.c.path).where(organizations.c.org_id == org_id)).scalar()
    if path is None:
        raise UnknownOrganization(f"{field} {org_id!r} names no known organisation.", field=field)
    return str(path)


def ancestors_in(path: str) -> list[str]:
    """The ids above the organisation a path ends in, root first."""
    return [p for p in path.strip("/").split("/") if p][:-1]


def within(path: str, column: sa.ColumnElement[str]) -> sa.ColumnElement[bool]:
    """A condition: `column` (a path) lies in the subtree rooted at `path`."""
    return column.startswith(path, autoescape=True)


def inside_subtree(conn: sa.Connection, path: str, org_ids: Iterable[str]) -> set[str]:
    """Those of `org_ids` that sit in the subtree at `path` (unknown ids are outside)."""
    wanted = list(dict.fromkeys(org_ids))
    if not wanted:
        return set()
    rows = conn.execute(
        sa.select(organizations.c.org_id).where(
            organizations.c.org_id.in_(wanted), within(path, organizations.c.path)
        )
    )
    return {r.org_id for r in rows}
