"""The oversight service's local copy of the organisation tree and of who holds which post.

Both are inputs built from other services' events; the depth of the tree is never
assumed (the 2025 reform removed the district level).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum

from .exceptions import NotFound


class OrgLevel(StrEnum):
    PROVINCIAL = "provincial"
    DISTRICT = "district"
    GRASSROOTS = "grassroots"
    CELL = "cell"


@dataclass(frozen=True)
class OrgNode:
    """An organisation, its level, and its ancestors nearest first."""

    org_id: str
    level: OrgLevel
    ancestors: tuple[str, ...] = ()
    authorised_to_admit_members: bool = False


@dataclass(frozen=True)
class Post:
    """A seat a member holds in the committee (or cell committee) of an organisation."""

    org_id: str
    title: str


class OrgTree:
    """Answers where an organisation sits: its level, parent and subtree membership."""

    def __init__(self, nodes: Iterable[OrgNode]) -> None:
        self._nodes: Mapping[str, OrgNode] = {n.org_id: n for n in nodes}

    def node(self, org_id: str, field: str = "org_id") -> OrgNode:
        try:
            return self._nodes[org_id]
        except KeyError:
            raise NotFound(
                f"Organisation {org_id!r} in {field} is not in the organisation tree.",
                field=field,
            ) from None

    def level_of(self, org_id: str) -> OrgLevel:
        return self.node(org_id).level

    def parent_of(self, org_id: str) -> str | None:
        ancestors = self.node(org_id).ancestors
        return ancestors[0] if ancestors else None

    def is_within(self, org_id: str, root_id: str) -> bool:
        """True when org_id is root_id itself or lies below it."""
        return org_id == root_id or root_id in self.node(org_id).ancestors

    def is_strictly_below(self, org_id: str, root_id: str) -> bool:
        return org_id != root_id and self.is_within(org_id, root_id)

    def lineage(self, org_id: str) -> tuple[str, ...]:
        """The organisation then its ancestors, nearest first."""
        return (org_id, *self.node(org_id).ancestors)
