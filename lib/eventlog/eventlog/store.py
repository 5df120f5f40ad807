"""The append-only, hash-chained event log every service writes its facts to."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from .engine import is_postgres, readonly
from .envelope import (
    GENESIS_HASH,
    Metadata,
    NewEvent,
    StoredEvent,
    canonical_json,
    chain_hash,
    iso,
    utcnow,
)
from .errors import ConcurrencyConflict, InvalidEvent
from .schema import event_log

# Any constant works: every appender of one database takes the same advisory lock.
_PG_APPEND_LOCK = 0x5EED_1065

_COLUMNS = (
    "position, stream_id, stream_version, event_id, event_type, schema_version, "
    "payload, metadata, recorded_at, prev_hash, hash"
)

Validator = Callable[[NewEvent], None]


class EventStore:
    """Append to streams at an expected version; read one stream or the whole log.

    Positions are assigned under one write lock per database (an advisory lock on
    PostgreSQL, BEGIN IMMEDIATE on SQLite), so they are gap-free and commit in order:
    a reader tailing "after position N" can never see N+2 before N+1.
    """

    def __init__(self, engine: sa.Engine, validate: Validator | None = None) -> None:
        self.engine = engine
        self._validate = validate
        self._listeners: list[Callable[[], None]] = []

    # -- writing ---------------------------------------------------------------

    def append(
        self,
        stream_id: str,
        expected_version: int | None,
        events: Sequence[NewEvent],
        metadata: Metadata | None = None,
        conn: sa.Connection | None = None,
    ) -> list[StoredEvent]:
        """Append `events` to `stream_id` if it is still at `expected_version`.

        `expected_version` None skips the check (for streams with a single writer).
        Pass `conn` to append inside a transaction that also writes state; the caller
        commits. A stale version raises ConcurrencyConflict and writes nothing.
        """
        if not events:
            return []
        if conn is None:
            with self.engine.begin() as own:
                stored = self.append(stream_id, expected_version, events, metadata, own)
            self.notify_committed()
            return stored
        for new in events:
            self._check(new)
        if is_postgres(conn):
            conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({_PG_APPEND_LOCK})")
        head_position, head_hash, current = self._heads(conn, stream_id)
        if expected_version is not None and current != expected_version:
            raise ConcurrencyConflict(stream_id, expected_version, current)
        meta = (metadata or Metadata()).to_dict()
        if meta.get("occurred_at") is None:
            meta["occurred_at"] = iso(utcnow())
        recorded_at = iso(utcnow())
        meta_json = canonical_json(meta)
        rows: list[dict[str, Any]] = []
        stored: list[StoredEvent] = []
        prev = head_hash
        for offset, new in enumerate(events, start=1):
            position = head_position + offset
            version = current + offset
            payload_json = canonical_json(new.payload)
            digest = chain_hash(
                prev, position, stream_id, version, new.event_id, new.type,
                new.schema_version, payload_json, meta_json, recorded_at,
            )
            rows.append(
                {
                    "position": position,
                    "stream_id": stream_id,
                    "stream_version": version,
                    "event_id": new.event_id,
                    "event_type": new.type,
                    "schema_version": new.schema_version,
                    "payload": payload_json,
                    "metadata": meta_json,
                    "recorded_at": recorded_at,
                    "prev_hash": prev,
                    "hash": digest,
                }
            )
            stored.append(
                StoredEvent(
                    position, stream_id, version, new.event_id, new.type,
                    new.schema_version, json.loads(payload_json), meta, recorded_at,
                    prev, digest,
                )
            )
            prev = digest
        try:
            conn.execute(event_log.insert(), rows)
        except sa.exc.IntegrityError as exc:  # a writer without the lock, or a reused id
            raise ConcurrencyConflict(stream_id, expected_version or current, -1) from exc
        return stored

    def _check(self, new: NewEvent) -> None:
        if not new.type or not isinstance(new.payload, dict):
            raise InvalidEvent(f"event {new.type!r} needs a type and a dict payload")
        if self._validate is not None:
            self._validate(new)

    @staticmethod
    def _heads(conn: sa.Connection, stream_id: str) -> tuple[int, str, int]:
        row = conn.execute(
            sa.text(
                "SELECT position, hash FROM event_log ORDER BY position DESC LIMIT 1"
            )
        ).first()
        version = conn.execute(
            sa.text("SELECT max(stream_version) FROM event_log WHERE stream_id = :s"),
            {"s": stream_id},
        ).scalar()
        if row is None:
            return 0, GENESIS_HASH, int(version or 0)
        return int(row[0]), str(row[1]), int(version or 0)

    def on_commit(self, listener: Callable[[], None]) -> None:
        """Call `listener` after each commit that appended events (wakes the relay)."""
        self._listeners.append(listener)

    def notify_committed(self) -> None:
        for listener in self._listeners:
            listener()

    # -- reading ---------------------------------------------------------------

    def read_stream(self, stream_id: str, after_version: int = 0) -> list[StoredEvent]:
        with readonly(self.engine.connect()) as conn:
            result = conn.exec_driver_sql(
                f"SELECT {_COLUMNS} FROM event_log WHERE stream_id = %s "
                "AND stream_version > %s ORDER BY stream_version"
                if is_postgres(conn)
                else f"SELECT {_COLUMNS} FROM event_log WHERE stream_id = ? "
                "AND stream_version > ? ORDER BY stream_version",
                (stream_id, after_version),
            )
            return [_to_event(row) for row in result]

    def read_all(self, after_position: int = 0, limit: int = 1000) -> list[StoredEvent]:
        """Events with position > `after_position`, in log order, at most `limit`."""
        with readonly(self.engine.connect()) as conn:
            return [_to_event(row) for row in _raw_after(conn, after_position, limit)]

    def iter_all(self, after_position: int = 0, batch: int = 5000) -> Iterator[StoredEvent]:
        """Every event after `after_position`, read in batches."""
        while True:
            page = self.read_all(after_position, batch)
            if not page:
                return
            yield from page
            after_position = page[-1].position

    def head(self) -> int:
        """The position of the last committed event (0 for an empty log)."""
        with readonly(self.engine.connect()) as conn:
            return int(conn.execute(sa.text("SELECT max(position) FROM event_log")).scalar() or 0)

    def stream_version(self, stream_id: str) -> int:
        with readonly(self.engine.connect()) as conn:
            value = conn.execute(
                sa.text("SELECT max(stream_version) FROM event_log WHERE stream_id = :s"),
                {"s": stream_id},
            ).scalar()
            return int(value or 0)


def _raw_after(conn: sa.Connection, after_position: int, limit: int) -> Any:
    marker = "%s" if is_postgres(conn) else "?"
    return conn.exec_driver_sql(
        f"SELECT {_COLUMNS} FROM event_log WHERE position > {marker} "
        f"ORDER BY position LIMIT {marker}",
        (after_position, limit),
    )


def _to_event(row: Sequence[Any]) -> StoredEvent:
    return StoredEvent(
        position=int(row[0]),
        stream_id=row[1],
        stream_version=int(row[2]),
        event_id=row[3],
        type=row[4],
        schema_version=int(row[5]),
        payload=json.loads(row[6]),
        metadata=json.loads(row[7]),
        recorded_at=row[8],
        prev_hash=row[9],
        hash=row[10],
    )


@dataclass(frozen=True)
class VerifyReport:
    """The outcome of walking the hash chain."""

    ok: bool
    checked: int
    first_bad_position: int | None = None
    problem: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "checked": self.checked,
            "first_bad_position": self.first_bad_position,
            "problem": self.problem,
        }
