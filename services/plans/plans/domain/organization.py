"""A party organisation: one node of the tree, with its dated history."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass, replace
from datetime import date

from plans.domain.aggregate import Aggregate
from plans.domain.errors import InvalidCommand, NothingToChange
from plans.domain.organization_events import (
    OrganizationDissolved,
    OrganizationMoved,
    OrganizationRegistered,
    OrganizationRenamed,
)
from plans.domain.organization_kind import OrgKind
from plans.domain.organization_rules import (
    ChangeMustNotPrecedeLastChange,
    OrganizationMustBeActive,
    OrganizationNode,
    check_can_dissolve,
    check_can_move,
    check_can_register,
)
from plans.domain.payload import DomainEvent
from plans.domain.rules import ValueMustBeGiven, check_rules


@dataclass(frozen=True)
class OrganizationVersion:
    """What the organisation looked like from ``valid_from`` until ``valid_until`` (exclusive)."""

    valid_from: date
    valid_until: date | None
    name: str
    code: str | None
    parent_id: str | None
    dissolved: bool = False


class Organization(Aggregate):
    """A province, district, grassroots committee or cell. Dissolved, never deleted."""

    org_id: str
    kind: OrgKind
    name: str
    code: str | None
    parent_id: str | None
    registered_on: date
    dissolved_on: date | None
    history: list[OrganizationVersion]

    @classmethod
    def register(
        cls,
        *,
        org_id: str,
        kind: OrgKind | str,
        name: str,
        parent_id: str | None,
        parent: OrganizationNode | None,
        registered_on: date,
        code: str | None = None,
    ) -> Organization:
        """Register a new organisation under ``parent`` (None only for a province)."""
        check_rules(ValueMustBeGiven("org_id", org_id), ValueMustBeGiven("name", name))
        kind = _known_kind(kind)
        check_can_register(kind, parent_id, parent)
        organization = cls.__new__(cls)
        Aggregate.__init__(organization)
        organization._record(
            OrganizationRegistered(
                org_id=org_id,
                kind=kind,
                name=name.strip(),
                parent_id=parent_id,
                code=code.strip() if code and code.strip() else None,
                registered_on=registered_on,
            )
        )
        return organization

    @property
    def is_dissolved(self) -> bool:
        return self.dissolved_on is not None

    @property
    def last_change_on(self) -> date:
        return self.history[-1].valid_from

    def rename(self, name: str, renamed_on: date, code: str | None = None) -> DomainEvent:
        """Give the organisation a new name (and, if given, a new short code)."""
        new_code = code.strip() if code and code.strip() else self.code
        check_rules(
            OrganizationMustBeActive(self),
            ValueMustBeGiven("name", name),
            ChangeMustNotPrecedeLastChange("renamed_on", renamed_on, self.last_change_on),
        )
        if name.strip() == self.name and new_code == self.code:
            raise NothingToChange(
                f"name: organisation {self.org_id!r} is already called {self.name!r}.",
                field="name",
                rule="RenameMustChangeSomething",
            )
        return self._record(
            OrganizationRenamed(
                org_id=self.org_id,
                name=name.strip(),
                previous_name=self.name,
                code=new_code,
                renamed_on=renamed_on,
            )
        )

    def move(
        self,
        new_parent_id: str,
        new_parent: OrganizationNode | None,
        ancestors_of_new_parent: Collection[str],
        moved_on: date,
    ) -> DomainEvent:
        """Place the organisation under another parent (no cycles, kind rule rechecked)."""
        check_can_move(self, new_parent_id, new_parent, ancestors_of_new_parent)
        check_rules(ChangeMustNotPrecedeLastChange("moved_on", moved_on, self.last_change_on))
        return self._record(
            OrganizationMoved(
                org_id=self.org_id,
                previous_parent_id=self.parent_id,
                parent_id=new_parent_id,
                moved_on=moved_on,
            )
        )

    def dissolve(
        self, children: Iterable[OrganizationNode], dissolved_on: date, reason: str | None = None
    ) -> DomainEvent:
        """Dissolve the organisation; it stays in the record with its history."""
        check_can_dissolve(self, children)
        check_rules(ChangeMustNotPrecedeLastChange("dissolved_on", dissolved_on, self.last_change_on))
        return self._record(
            OrganizationDissolved(org_id=self.org_id, dissolved_on=dissolved_on, reason=reason)
        )

    def as_of(self, day: date) -> OrganizationVersion | None:
        """The version valid on ``day``, or None before the organisation was registered."""
        for version in reversed(self.history):
            if version.valid_from <= day:
                return version
        return None

    def _when(self, event: DomainEvent) -> None:
        if isinstance(event, OrganizationRegistered):
            self.org_id, self.kind, self.name = event.org_id, event.kind, event.name
            self.code, self.parent_id = event.code, event.parent_id
            self.registered_on, self.dissolved_on = event.registered_on, None
            self.history = [
                OrganizationVersion(event.registered_on, None, event.name, event.code, event.parent_id)
            ]
        elif isinstance(event, OrganizationRenamed):
            self.name, self.code = event.name, event.code
            self._new_version(event.renamed_on, name=event.name, code=event.code)
        elif isinstance(event, OrganizationMoved):
            self.parent_id = event.parent_id
            self._new_version(event.moved_on, parent_id=event.parent_id)
        elif isinstance(event, OrganizationDissolved):
            self.dissolved_on = event.dissolved_on
            self._new_version(event.dissolved_on, dissolved=True)
        else:
            raise TypeError(f"Organization cannot apply {type(event).__name__}")

    def _new_version(self, on: date, **changes: object) -> None:
        current = self.history[-1]
        self.history[-1] = replace(current, valid_until=on)
        self.history.append(replace(current, valid_from=on, valid_until=None, **changes))  # type: ignore[arg-type]


def _known_kind(kind: OrgKind | str) -> OrgKind:
    try:
        return OrgKind(kind)
    except ValueError:
        allowed = ", ".join(k.value for k in OrgKind)
        raise InvalidCommand(
            f"kind {kind!r} is not a kind of organisation; use one of {allowed}.",
            field="kind",
            rule="KindMustBeKnown",
        ) from None
