"""The domain's view of the local copies: OrgTree lineages, subtrees, members' posts."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from oversight.domain.discipline_forms import DisciplineSubject, DisciplineSubjectKind
from oversight.domain.exceptions import NotFound
from oversight.domain.org_tree import OrgLevel, OrgNode, OrgTree, Post
from oversight.tables import members, org_nodes

LEVELS = {
    "province": OrgLevel.PROVINCIAL,
    "district": OrgLevel.DISTRICT,
    "grassroots": OrgLevel.GRASSROOTS,
    "cell": OrgLevel.CELL,
}
SUBJECT_KINDS = {
    "full": DisciplineSubjectKind.FULL_MEMBER,
    "probationary": DisciplineSubjectKind.PROBATIONARY_MEMBER,
}


def _ids(path: str) -> list[str]:
    return [p for p in path.strip("/").split("/") if p]


def load_tree(conn: sa.Connection, org_ids: Iterable[str | None]) -> OrgTree:
    """The nodes on the lineages of `org_ids`: enough for every authority and appeal question.

    Unknown ids are left out, so the domain refuses them with NotFound naming the field.
    """
    wanted = {i for i in org_ids if i}
    rows = conn.execute(sa.select(org_nodes.c.path).where(org_nodes.c.org_id.in_(wanted))).all()
    lineage = {org_id for row in rows for org_id in _ids(row.path)}
    nodes = conn.execute(sa.select(org_nodes).where(org_nodes.c.org_id.in_(lineage))).all()
    return OrgTree(
        OrgNode(
            org_id=n.org_id,
            level=LEVELS[n.kind],
            ancestors=tuple(reversed(_ids(n.path)[:-1])),
            authorised_to_admit_members=bool(n.authorised_to_admit_members),
        )
        for n in nodes
    )


def subtree_path(conn: sa.Connection, org_id: str, field: str = "org_id") -> str:
    """The path prefix every organisation of `org_id`'s subtree starts with."""
    path = conn.execute(sa.select(org_nodes.c.path).where(org_nodes.c.org_id == org_id)).scalar()
    if path is None:
        raise NotFound(f"Organisation {org_id!r} in {field} is not in the organisation tree.", field=field)
    return str(path)


def in_subtree(column: sa.ColumnElement[Any], prefix: str) -> sa.ColumnElement[bool]:
    """`column` (an org_id) names an organisation whose path starts with `prefix`."""
    return column.in_(
        sa.select(org_nodes.c.org_id).where(org_nodes.c.path.startswith(prefix, autoescape=True))
    )


@dataclass(frozen=True)
class RosterEntry:
    """A member as the roster copy knows them; `posts` are the seats in the cell and on
    committees above it, each with its organisation, as authority needs them."""

    member_id: str
    org_id: str
    membership: str
    posts: tuple[Post, ...]
    posts_outside_cell: tuple[str, ...]

    def subject(self) -> DisciplineSubject:
        return DisciplineSubject(SUBJECT_KINDS[self.membership], self.member_id, self.org_id, self.posts)


def roster_entry(conn: sa.Connection, member_id: str, field: str = "subject_id") -> RosterEntry:
    row = conn.execute(sa.select(members).where(members.c.member_id == member_id)).first()
    if row is None or row.ended_on is not None:
        raise NotFound(
            f"Member {member_id!r} in {field} is not on any cell's roster (as the sessions service "
            "has published it so far).",
            field=field,
        )
    return RosterEntry(
        member_id=row.member_id,
        org_id=row.org_id,
        membership=row.membership,
        posts=(
            *(Post(row.org_id, title) for title in json.loads(row.posts_in_cell)),
            *(Post(seat["org_id"], seat["title"]) for seat in json.loads(row.committee_posts or "[]")),
        ),
        posts_outside_cell=tuple(json.loads(row.posts_outside_cell)),
    )


def discipline_subject(conn: sa.Connection, subject_kind: str, subject_id: str) -> DisciplineSubject:
    """A member as the roster knows them, or an organisation as the tree knows it."""
    if subject_kind == "organisation":
        subtree_path(conn, subject_id, field="subject_id")
        return DisciplineSubject(DisciplineSubjectKind.ORGANISATION, subject_id, subject_id)
    return roster_entry(conn, subject_id).subject()
