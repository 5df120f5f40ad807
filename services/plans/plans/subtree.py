"""Subtree questions answered from the organisations table's materialised path."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.visitors import InternalTraversal

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


def end_of_subtree(path: str) -> str:
    """The least string above every path that starts with `path`.

    Paths end with "/", so this is the path with that "/" raised to "0": in binary order
    every "<path>..." sorts inside [path, end) and nothing else does.
    """
    return path[:-1] + chr(ord(path[-1]) + 1)


class Within(sa.ColumnElement[bool]):
    """`column` (a path) lies in the subtree rooted at `path`, said the way each
    backend's path index can answer it."""

    type = sa.Boolean()
    inherit_cache = True
    _is_implicitly_boolean = True  # a comparison: no "= 1" after it on SQLite
    _traverse_internals = [
        ("by_range", InternalTraversal.dp_clauseelement),
        ("by_prefix", InternalTraversal.dp_clauseelement),
    ]

    def __init__(self, path: str, column: sa.ColumnElement[str]) -> None:
        self.by_range = sa.and_(column >= path, column < end_of_subtree(path))
        self.by_prefix = column.startswith(path, autoescape=True)

    @property
    def _from_objects(self) -> list[Any]:
        return self.by_range._from_objects


@compiles(Within)
def _as_range(element: Within, compiler: Any, **kw: Any) -> str:
    # SQLite compares text bytewise, and cannot use an index for LIKE ... ESCAPE.
    return str(compiler.process(element.by_range.self_group(), **kw))


@compiles(Within, "postgresql")
def _as_prefix(element: Within, compiler: Any, **kw: Any) -> str:
    # The path index uses text_pattern_ops, which serves a LIKE prefix; a range would
    # need the C collation to mean the same thing.
    return str(compiler.process(element.by_prefix, **kw))


def within(path: str, column: sa.ColumnElement[str]) -> sa.ColumnElement[bool]:
    """A condition: `column` (a path) lies in the subtree rooted at `path`."""
    return Within(path, column)


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


def in_subtree(conn: sa.Connection, query: sa.Select[Any], org_column: Any, org_id: str) -> sa.Select[Any]:
    """`query` narrowed to the rows whose organisation (`org_column`) lies in `org_id`'s
    subtree; an unknown `org_id` is refused, naming the field."""
    return query.join(organizations, organizations.c.org_id == org_column).where(
        within(path_of(conn, org_id), organizations.c.path)
    )
