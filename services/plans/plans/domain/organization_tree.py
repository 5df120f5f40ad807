"""The whole organisation tree held in memory: commands, path to root, subtrees.

A SQL-backed store will answer the same questions with queries and call the same rule
functions (``check_can_register``, ``check_can_move``, ``check_can_dissolve``).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from plans.domain.errors import OrganizationAlreadyRegistered, UnknownOrganization
from plans.domain.organization import Organization
from plans.domain.organization_events import OrganizationRegistered
from plans.domain.organization_kind import OrgKind
from plans.domain.payload import DomainEvent


class OrganizationTree:
    """Every organisation, active or dissolved, keyed by id."""

    def __init__(self) -> None:
        self._nodes: dict[str, Organization] = {}

    @classmethod
    def from_events(cls, events: Iterable[DomainEvent]) -> OrganizationTree:
        tree = cls()
        for event in events:
            org_id: str = event.org_id  # type: ignore[attr-defined]
            if isinstance(event, OrganizationRegistered):
                tree._nodes[org_id] = Organization.from_events([event])
            else:
                tree.get(org_id).apply(event)
        return tree

    def __contains__(self, org_id: object) -> bool:
        return org_id in self._nodes

    def __len__(self) -> int:
        return len(self._nodes)

    def get(self, org_id: str) -> Organization:
        try:
            return self._nodes[org_id]
        except KeyError:
            raise UnknownOrganization(
                f"org_id {org_id!r} names no known organisation.", field="org_id"
            ) from None

    def find(self, org_id: str | None) -> Organization | None:
        return self._nodes.get(org_id) if org_id is not None else None

    # --- commands ------------------------------------------------------------------

    def register(
        self,
        org_id: str,
        kind: OrgKind | str,
        name: str,
        parent_id: str | None,
        registered_on: date,
        code: str | None = None,
    ) -> DomainEvent:
        if org_id in self._nodes:
            raise OrganizationAlreadyRegistered(f"org_id {org_id!r} is already registered.", field="org_id")
        organization = Organization.register(
            org_id=org_id,
            kind=kind,
            name=name,
            parent_id=parent_id,
            parent=self.find(parent_id),
            registered_on=registered_on,
            code=code,
        )
        self._nodes[org_id] = organization
        return organization.collect_events()[0]

    def rename(self, org_id: str, name: str, renamed_on: date, code: str | None = None) -> DomainEvent:
        organization = self.get(org_id)
        organization.rename(name, renamed_on, code)
        return organization.collect_events()[0]

    def move(self, org_id: str, new_parent_id: str, moved_on: date) -> DomainEvent:
        organization = self.get(org_id)
        new_parent = self.find(new_parent_id)
        ancestors = set(self.ancestor_ids(new_parent_id)) if new_parent else set()
        organization.move(new_parent_id, new_parent, ancestors, moved_on)
        return organization.collect_events()[0]

    def dissolve(self, org_id: str, dissolved_on: date, reason: str | None = None) -> DomainEvent:
        organization = self.get(org_id)
        organization.dissolve(self.children(org_id), dissolved_on, reason)
        return organization.collect_events()[0]

    # --- questions -----------------------------------------------------------------

    def children(self, org_id: str, *, include_dissolved: bool = True) -> list[Organization]:
        return [
            node
            for node in self._nodes.values()
            if node.parent_id == org_id and (include_dissolved or not node.is_dissolved)
        ]

    def path_to_root(self, org_id: str, as_of: date | None = None) -> list[str]:
        """Ids from ``org_id`` up to its root, inclusive (as the tree stood on ``as_of``)."""
        path: list[str] = []
        current: str | None = org_id
        while current is not None:
            if current in path:  # a corrupted store must not hang us
                raise RuntimeError(f"organisation tree has a cycle through {current!r}")
            node = self.get(current)
            version = node.as_of(as_of) if as_of else None
            if as_of is not None and version is None:
                raise UnknownOrganization(
                    f"org_id {current!r} did not exist on {as_of.isoformat()}.", field="org_id"
                )
            path.append(current)
            current = version.parent_id if version else node.parent_id
        return path

    def ancestor_ids(self, org_id: str, as_of: date | None = None) -> list[str]:
        """Ids above ``org_id``, nearest first, ``org_id`` itself excluded."""
        return self.path_to_root(org_id, as_of)[1:]

    def subtree_ids(self, org_id: str, *, include_dissolved: bool = False) -> set[str]:
        """``org_id`` and every organisation below it (active ones unless asked)."""
        self.get(org_id)
        found: set[str] = {org_id}
        frontier = [org_id]
        while frontier:
            parent = frontier.pop()
            for child in self.children(parent, include_dissolved=include_dissolved):
                if child.org_id not in found:
                    found.add(child.org_id)
                    frontier.append(child.org_id)
        return found

    def is_within(self, org_id: str, ancestor_id: str) -> bool:
        """True when ``org_id`` is ``ancestor_id`` or sits somewhere below it."""
        return ancestor_id in self.path_to_root(org_id)
