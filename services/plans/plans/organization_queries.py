"""Reading the organisation tree from its snapshot table: one node, its children, its
subtree (one range scan on the path index) and its path up to the root.

One row by its id is asked for on every read of an organisation and twice per
registration, so that statement runs on the DBAPI cursor: SQLAlchemy's per-statement
work (compiling the cache key, the result machinery, the BEGIN it issues) costs several
times the primary-key read itself.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, NamedTuple

import sqlalchemy as sa

from eventlog.engine import is_postgres, readonly
from plans.domain.errors import UnknownOrganization
from plans.subtree import within
from plans.tables import organizations


class OrgRow(NamedTuple):
    """A snapshot row of `organizations`, its columns in the table's order."""

    org_id: str
    kind: str
    name: str
    code: str | None
    parent_id: str | None
    path: str
    depth: int
    registered_on: str
    dissolved_on: str | None
    version: int


COLUMNS = ", ".join(OrgRow._fields)
assert tuple(organizations.c.keys()) == OrgRow._fields, "OrgRow must follow the table"
_ROW_SQL = {
    False: f"SELECT {COLUMNS} FROM organizations WHERE org_id = ?",
    True: f"SELECT {COLUMNS} FROM organizations WHERE org_id = %s",
}
_INSERT_SQL = {
    False: f"INSERT INTO organizations ({COLUMNS}) VALUES ({', '.join(['?'] * len(OrgRow._fields))})",
    True: f"INSERT INTO organizations ({COLUMNS}) VALUES ({', '.join(['%s'] * len(OrgRow._fields))})",
}


def _cursor(conn: sa.Connection) -> Any:
    """The DBAPI cursor of the connection's transaction (begun first if it is not yet,
    so the read sees the same snapshot as the connection's other statements)."""
    if not conn.in_transaction():
        conn.begin()
    return conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]


def row_of(conn: sa.Connection, org_id: str | None) -> OrgRow | None:
    """The organisation's snapshot row, or None (also for no id at all)."""
    if org_id is None:
        return None
    cursor = _cursor(conn)
    try:
        cursor.execute(_ROW_SQL[is_postgres(conn)], (org_id,))
        row = cursor.fetchone()
    finally:
        cursor.close()
    return OrgRow(*row) if row is not None else None


def insert_row(conn: sa.Connection, row: OrgRow) -> None:
    """Insert a snapshot row in the connection's transaction."""
    cursor = _cursor(conn)
    try:
        cursor.execute(_INSERT_SQL[is_postgres(conn)], tuple(row))
    finally:
        cursor.close()


@contextmanager
def _autocommit_cursor(engine: sa.Engine) -> Iterator[Any]:
    """A cursor on a pooled DBAPI connection outside any transaction, for one read: on
    SQLite the connection is in autocommit already, on PostgreSQL it is put there for
    the read (no BEGIN and ROLLBACK round trips). A connection that failed is dropped."""
    postgres = is_postgres(engine)
    raw = engine.raw_connection()
    try:
        if postgres:
            raw.driver_connection.autocommit = True  # type: ignore[union-attr]
        cursor = raw.cursor()
        try:
            yield cursor
        finally:
            cursor.close()
        if postgres:
            raw.driver_connection.autocommit = False  # type: ignore[union-attr]
    except BaseException:
        raw.invalidate()
        raise
    finally:
        raw.close()


def _known(conn: sa.Connection, org_id: str) -> OrgRow:
    row = row_of(conn, org_id)
    if row is None:
        raise UnknownOrganization(f"org_id {org_id!r} names no known organisation.", field="org_id")
    return row


def public(row: OrgRow | sa.Row[Any]) -> dict[str, Any]:
    """An organisation as the service answers it."""
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
    """One organisation, dissolved or not (one statement: no transaction needed)."""
    with _autocommit_cursor(engine) as cursor:
        cursor.execute(_ROW_SQL[is_postgres(engine)], (org_id,))
        row = cursor.fetchone()
    if row is None:
        raise UnknownOrganization(f"org_id {org_id!r} names no known organisation.", field="org_id")
    return public(OrgRow(*row))


def children(engine: sa.Engine, org_id: str) -> list[dict[str, Any]]:
    """The organisations directly under `org_id`, by name."""
    with readonly(engine.connect()) as conn:
        _known(conn, org_id)
        rows = conn.execute(
            sa.select(organizations)
            .where(organizations.c.parent_id == org_id)
            .order_by(organizations.c.name, organizations.c.org_id)
        )
        return [public(r) for r in rows]


def subtree(
    engine: sa.Engine, org_id: str, kind: str | None = None, offset: int = 0, limit: int = 1000
) -> list[dict[str, Any]]:
    """The organisation and everything below it, in path order (one scan of the path index)."""
    with readonly(engine.connect()) as conn:
        query = sa.select(organizations).where(within(_known(conn, org_id).path, organizations.c.path))
        if kind:
            query = query.where(organizations.c.kind == kind)
        query = query.order_by(organizations.c.path).offset(offset).limit(limit)
        return [public(r) for r in conn.execute(query)]


def path_to_root(engine: sa.Engine, org_id: str) -> list[dict[str, Any]]:
    """From the root down to the organisation itself."""
    with readonly(engine.connect()) as conn:
        ids = [p for p in _known(conn, org_id).path.strip("/").split("/") if p]
        rows = {
            r.org_id: r for r in conn.execute(sa.select(organizations).where(organizations.c.org_id.in_(ids)))
        }
        return [public(rows[i]) for i in ids]
