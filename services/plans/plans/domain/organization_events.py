"""Facts about the organisation tree."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from plans.domain.organization_kind import OrgKind
from plans.domain.payload import DomainEvent


@dataclass(frozen=True)
class OrganizationRegistered(DomainEvent):
    event_type = "OrganizationRegistered"

    org_id: str
    kind: OrgKind
    name: str
    parent_id: str | None
    code: str | None
    registered_on: date


@dataclass(frozen=True)
class OrganizationRenamed(DomainEvent):
    event_type = "OrganizationRenamed"

    org_id: str
    name: str
    previous_name: str
    code: str | None
    renamed_on: date


@dataclass(frozen=True)
class OrganizationMoved(DomainEvent):
    event_type = "OrganizationMoved"

    org_id: str
    previous_parent_id: str | None
    parent_id: str
    moved_on: date


@dataclass(frozen=True)
class OrganizationDissolved(DomainEvent):
    event_type = "OrganizationDissolved"

    org_id: str
    dissolved_on: date
    reason: str | None = None
