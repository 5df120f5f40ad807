"""Use cases of the organisation tree: load the aggregate, act, store events and snapshot."""

from __future__ import annotations

from datetime import date
from typing import Any

import sqlalchemy as sa

from eventlog.dependencies import WorkerEventLog
from eventlog.envelope import NewEvent
from plans.domain.errors import OrganizationAlreadyRegistered, UnknownOrganization
from plans.domain.event_types import event_from_payload
from plans.domain.organization import Organization
from plans.domain.organization_kind import OrgKind
from plans.domain.payload import DomainEvent
from plans.organization_queries import OrgRow, get, insert_row, public, row_of
from plans.subtree import within
from plans.tables import organizations


def stream_of(org_id: str) -> str:
    return f"organization-{org_id}"


class Node:
    """A snapshot row seen through the domain's OrganizationNode protocol."""

    def __init__(self, row: OrgRow | sa.Row[Any]) -> None:
        self.org_id: str = row.org_id
        self.kind = OrgKind(row.kind)
        self.parent_id: str | None = row.parent_id
        self.is_dissolved = row.dissolved_on is not None
        self.path: str = row.path
        self.depth: int = row.depth


def to_new_events(events: list[DomainEvent]) -> list[NewEvent]:
    return [NewEvent(e.event_type, e.to_payload(), e.schema_version) for e in events]


def load(log: WorkerEventLog, org_id: str) -> Organization:
    stored = log.store.read_stream(stream_of(org_id))
    if not stored:
        raise UnknownOrganization(f"org_id {org_id!r} names no known organisation.", field="org_id")
    return Organization.from_events(event_from_payload(e.type, e.payload, e.schema_version) for e in stored)


def register(
    log: WorkerEventLog,
    org_id: str,
    kind: str,
    name: str,
    parent_id: str | None,
    registered_on: date,
    code: str | None = None,
) -> dict[str, Any]:
    with log.transaction() as conn:
        if row_of(conn, org_id) is not None:
            raise OrganizationAlreadyRegistered(
                f"org_id {org_id!r} is already registered.", field="org_id", rule="OrganizationIdMustBeNew"
            )
        parent_row = row_of(conn, parent_id)
        parent = Node(parent_row) if parent_row is not None else None
        organization = Organization.register(
            org_id=org_id,
            kind=kind,
            name=name,
            parent_id=parent_id,
            parent=parent,
            registered_on=registered_on,
            code=code,
        )
        log.append(stream_of(org_id), 0, to_new_events(organization.collect_events()), conn)
        row = OrgRow(
            org_id=org_id,
            kind=organization.kind.value,
            name=organization.name,
            code=organization.code,
            parent_id=parent_id,
            path=f"{parent.path if parent else '/'}{org_id}/",
            depth=(parent.depth + 1) if parent else 0,
            registered_on=registered_on.isoformat(),
            dissolved_on=None,
            version=1,
        )
        insert_row(conn, row)
    # The answer is the row just committed, as `get` would read it back: no second
    # round trip, and no read-back that could fail after the commit.
    return public(row)


def rename(
    log: WorkerEventLog,
    org_id: str,
    name: str,
    renamed_on: date,
    code: str | None,
    expected_version: int | None,
) -> dict[str, Any]:
    organization = load(log, org_id)
    organization.rename(name, renamed_on, code)
    with log.transaction() as conn:
        log.append(
            stream_of(org_id),
            expected_version if expected_version is not None else organization.version - 1,
            to_new_events(organization.collect_events()),
            conn,
        )
        conn.execute(
            organizations.update()
            .where(organizations.c.org_id == org_id)
            .values(name=organization.name, code=organization.code, version=organization.version)
        )
    return get(log.engine, org_id)


def move(
    log: WorkerEventLog, org_id: str, parent_id: str, moved_on: date, expected_version: int | None
) -> dict[str, Any]:
    organization = load(log, org_id)
    with log.transaction() as conn:
        parent_row = row_of(conn, parent_id)
        parent = Node(parent_row) if parent_row is not None else None
        ancestors = [p for p in (parent.path.strip("/").split("/") if parent else []) if p]
        organization.move(parent_id, parent, ancestors, moved_on)
        log.append(
            stream_of(org_id),
            expected_version if expected_version is not None else organization.version - 1,
            to_new_events(organization.collect_events()),
            conn,
        )
        old = row_of(conn, org_id)
        assert old is not None and parent is not None
        new_path = f"{parent.path}{org_id}/"
        shift = parent.depth + 1 - old.depth
        # Re-root the whole subtree: every descendant's path starts with the old one.
        conn.execute(
            organizations.update()
            .where(within(old.path, organizations.c.path))
            .values(
                path=sa.func.replace(organizations.c.path, old.path, new_path),
                depth=organizations.c.depth + shift,
            )
        )
        conn.execute(
            organizations.update()
            .where(organizations.c.org_id == org_id)
            .values(parent_id=parent_id, version=organization.version)
        )
    return get(log.engine, org_id)


def dissolve(
    log: WorkerEventLog, org_id: str, dissolved_on: date, reason: str | None, expected_version: int | None
) -> dict[str, Any]:
    organization = load(log, org_id)
    with log.transaction() as conn:
        children = [
            Node(r) for r in conn.execute(sa.select(organizations).where(organizations.c.parent_id == org_id))
        ]
        organization.dissolve(children, dissolved_on, reason)
        log.append(
            stream_of(org_id),
            expected_version if expected_version is not None else organization.version - 1,
            to_new_events(organization.collect_events()),
            conn,
        )
        conn.execute(
            organizations.update()
            .where(organizations.c.org_id == org_id)
            .values(dissolved_on=dissolved_on.isoformat(), version=organization.version)
        )
    return get(log.engine, org_id)
