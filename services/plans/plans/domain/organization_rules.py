"""Rules the organisation tree must keep, as functions over the relevant nodes.

They take plain nodes (anything with ``org_id``, ``kind``, ``parent_id`` and
``is_dissolved``), so the same checks serve the in-memory tree and SQL-backed stores.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import date
from typing import Protocol

from plans.domain.errors import (
    DateOutOfOrder,
    DomainError,
    MoveWouldCreateCycle,
    NothingToChange,
    OrganizationAlreadyDissolved,
    OrganizationHasActiveChildren,
    ParentDissolved,
    UnknownParent,
    WrongParentKind,
)
from plans.domain.organization_kind import OrgKind, allowed_parents_text, may_sit_under
from plans.domain.rules import BusinessRule, check_rules


class OrganizationNode(Protocol):
    @property
    def org_id(self) -> str: ...
    @property
    def kind(self) -> OrgKind: ...
    @property
    def parent_id(self) -> str | None: ...
    @property
    def is_dissolved(self) -> bool: ...


@dataclass(frozen=True)
class ParentMustBeKnown(BusinessRule):
    parent_id: str | None
    parent: OrganizationNode | None

    def is_broken(self) -> bool:
        return self.parent_id is not None and self.parent is None

    def error(self) -> DomainError:
        return UnknownParent(
            f"parent_id {self.parent_id!r} names no known organisation.",
            field="parent_id",
            rule=self.name,
        )


@dataclass(frozen=True)
class ParentKindMustBeAllowed(BusinessRule):
    kind: OrgKind
    parent: OrganizationNode | None

    def is_broken(self) -> bool:
        return not may_sit_under(self.kind, self.parent.kind if self.parent else None)

    def error(self) -> DomainError:
        found = f"a {self.parent.kind.value}" if self.parent else "no parent"
        return WrongParentKind(
            f"parent_id: a {self.kind.value} must sit under "
            f"{allowed_parents_text(self.kind)}, not under {found}.",
            field="parent_id",
            rule=self.name,
        )


@dataclass(frozen=True)
class ParentMustBeActive(BusinessRule):
    parent: OrganizationNode | None

    def is_broken(self) -> bool:
        return self.parent is not None and self.parent.is_dissolved

    def error(self) -> DomainError:
        parent_id = self.parent.org_id if self.parent else None
        return ParentDissolved(
            f"parent_id {parent_id!r} names a dissolved organisation; nothing may be placed under it.",
            field="parent_id",
            rule=self.name,
        )


@dataclass(frozen=True)
class OrganizationMustBeActive(BusinessRule):
    node: OrganizationNode

    def is_broken(self) -> bool:
        return self.node.is_dissolved

    def error(self) -> DomainError:
        return OrganizationAlreadyDissolved(
            f"org_id {self.node.org_id!r} is dissolved and can no longer change.",
            field="org_id",
            rule=self.name,
        )


@dataclass(frozen=True)
class MoveMustNotCreateCycle(BusinessRule):
    node: OrganizationNode
    new_parent_id: str
    ancestors_of_new_parent: Collection[str]

    def is_broken(self) -> bool:
        return self.new_parent_id == self.node.org_id or self.node.org_id in self.ancestors_of_new_parent

    def error(self) -> DomainError:
        where = "itself" if self.new_parent_id == self.node.org_id else "one of its own descendants"
        return MoveWouldCreateCycle(
            f"parent_id {self.new_parent_id!r}: organisation {self.node.org_id!r} cannot be "
            f"moved under {where}.",
            field="parent_id",
            rule=self.name,
        )


@dataclass(frozen=True)
class MoveMustChangeParent(BusinessRule):
    node: OrganizationNode
    new_parent_id: str

    def is_broken(self) -> bool:
        return self.node.parent_id == self.new_parent_id

    def error(self) -> DomainError:
        return NothingToChange(
            f"parent_id: organisation {self.node.org_id!r} already sits under {self.new_parent_id!r}.",
            field="parent_id",
            rule=self.name,
        )


@dataclass(frozen=True)
class MustHaveNoActiveChildren(BusinessRule):
    node: OrganizationNode
    children: tuple[OrganizationNode, ...]

    def active(self) -> list[str]:
        return sorted(c.org_id for c in self.children if not c.is_dissolved)

    def is_broken(self) -> bool:
        return bool(self.active())

    def error(self) -> DomainError:
        return OrganizationHasActiveChildren(
            f"org_id {self.node.org_id!r} still has active child organisations "
            f"({', '.join(self.active())}); move or dissolve them first.",
            field="org_id",
            rule=self.name,
        )


@dataclass(frozen=True)
class ChangeMustNotPrecedeLastChange(BusinessRule):
    field: str
    on: date
    last_change_on: date

    def is_broken(self) -> bool:
        return self.on < self.last_change_on

    def error(self) -> DomainError:
        return DateOutOfOrder(
            f"{self.field} {self.on.isoformat()} is before the organisation's last recorded "
            f"change on {self.last_change_on.isoformat()}.",
            field=self.field,
            rule=self.name,
        )


def check_can_register(kind: OrgKind, parent_id: str | None, parent: OrganizationNode | None) -> None:
    """Refuse a registration under an unknown, dissolved or wrong-kind parent."""
    check_rules(
        ParentMustBeKnown(parent_id, parent),
        ParentKindMustBeAllowed(kind, parent),
        ParentMustBeActive(parent),
    )


def check_can_move(
    node: OrganizationNode,
    new_parent_id: str,
    new_parent: OrganizationNode | None,
    ancestors_of_new_parent: Collection[str],
) -> None:
    """Refuse a move that would create a cycle or put the node under the wrong kind."""
    check_rules(
        OrganizationMustBeActive(node),
        ParentMustBeKnown(new_parent_id, new_parent),
        MoveMustChangeParent(node, new_parent_id),
        MoveMustNotCreateCycle(node, new_parent_id, ancestors_of_new_parent),
        ParentKindMustBeAllowed(node.kind, new_parent),
        ParentMustBeActive(new_parent),
    )


def check_can_dissolve(node: OrganizationNode, children: Iterable[OrganizationNode]) -> None:
    """Refuse to dissolve an organisation that is dissolved or still has active children."""
    check_rules(OrganizationMustBeActive(node), MustHaveNoActiveChildren(node, tuple(children)))
