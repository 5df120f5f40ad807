"""Aggregates in and out of the event log: rebuild from a stream, append what they decided."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import sqlalchemy as sa

from eventlog.dependencies import WorkerEventLog
from eventlog.envelope import NewEvent
from oversight.domain import event_from_payload
from oversight.domain.event_payload import DomainEvent
from oversight.domain.exceptions import DomainError, NotFound


class AlreadyExists(DomainError):
    """An id given for something new is already taken."""

    code = "already_exists"


@dataclass(frozen=True)
class History:
    """A stream's events and the version they bring it to."""

    events: list[DomainEvent]
    version: int


def read_history(log: WorkerEventLog, stream_id: str, field: str, what: str) -> History:
    stored = log.store.read_stream(stream_id)
    if not stored:
        identifier = stream_id.split(":", 1)[1]
        raise NotFound(f"There is no {what} {identifier!r}.", field=field)
    return History([event_from_payload(e.type, e.payload) for e in stored], stored[-1].stream_version)


def check_new(conn: sa.Connection, table: sa.Table, key: str, value: str, what: str) -> None:
    column = table.c[key]
    if conn.execute(sa.select(column).where(column == value)).first() is not None:
        raise AlreadyExists(f"The {key} {value!r} already names a {what}.", field=key)


def append(
    log: WorkerEventLog,
    conn: sa.Connection,
    stream_id: str,
    loaded_version: int,
    expected_version: int | None,
    events: Sequence[DomainEvent],
) -> int:
    """Append at the caller's expected version (else the loaded one); return the new version."""
    new = [NewEvent(e.event_type, e.to_payload(), e.schema_version) for e in events]
    stored = log.append(
        stream_id, loaded_version if expected_version is None else expected_version, new, conn
    )
    return stored[-1].stream_version if stored else loaded_version
