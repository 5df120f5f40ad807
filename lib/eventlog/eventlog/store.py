"""The append-only, hash-chained event log every service writes its facts to."""

from __future__ import annotations

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
from .seal import Sealer

# Any constant works: every appender of one database takes the same advisory lock.
_PG_APPEND_LOCK = 0x5EED_1065

_HEADS_SQL = (
    "SELECT (SELECT position FROM event_log ORDER BY position DESC LIMIT 1),"
    " (SELECT hash FROM event_log ORDER BY position DESC LIMIT 1),"
    " (SELECT max(stream_version) FROM event_log WHERE stream_id = ?)"
)
_FIELDS = 12  # written per event: the stored event's 11 fields and its seal
_ROWS_PER_INSERT = 500


def _cursor(conn: sa.Connection) -> Any:
    """The DBAPI cursor of the connection's current transaction: the append's hot path
    skips SQLAlchemy's per-statement work, which costs more than SQLite itself."""
    conn.exec_driver_sql("SELECT 1") if not conn.in_transaction() else None
    return conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]


def _insert_sql(rows: int, postgres: bool) -> str:
    marker = "%s" if postgres else "?"
    one = "(" + ", ".join([marker] * _FIELDS) + ")"
    return f"INSERT INTO event_log ({_INSERT_COLUMNS}) VALUES " + ", ".join([one] * rows)


_GUARD = (  # {0}: the head's hash, the stream, the stream's version
    f" WHERE coalesce((SELECT hash FROM event_log ORDER BY position DESC LIMIT 1), '{GENESIS_HASH}')"
    " = {0} AND coalesce((SELECT max(stream_version) FROM event_log WHERE stream_id = {0}), 0) = {0}"
)
# The appends of a command's few events prepare their statements once per PostgreSQL
# connection: planning them costs more than running them.
_PG_PREPARED_ROWS = 8
_PG_TYPES = ("bigint", "text", "int", "text", "text", "int", "text", "text", "text", "text", "text", "text")


def _pg_prepared_sql(name: str) -> str:
    """The body of prepared statement `name` (`eventlog_heads` or `eventlog_append_<rows>`),
    its positional parameters typed where a SELECT list cannot infer the column's type."""
    if name == "eventlog_heads":
        return _HEADS_SQL.replace("?", "$1::text")
    rows = int(name.rsplit("_", 1)[1])
    selects = []
    for row in range(rows):
        first = row * _FIELDS
        selects.append("SELECT " + ", ".join(f"${first + k + 1}::{kind}" for k, kind in enumerate(_PG_TYPES)))
    n = rows * _FIELDS
    guard = _GUARD.replace("{0}", f"${n + 1}::text", 1).replace("{0}", f"${n + 2}::text", 1)
    guard = guard.replace("{0}", f"${n + 3}::int", 1)
    return (
        f"INSERT INTO event_log ({_INSERT_COLUMNS}) SELECT * FROM ("
        + " UNION ALL ".join(selects)
        + ") AS v"
        + guard
    )


def _guarded_insert_sql(rows: int, postgres: bool) -> str:
    """Insert the rows only if the log's head has the hash they chain to and the stream is
    at the version they follow; on PostgreSQL, after taking the log's write lock (two
    statements in one round trip, so the guard's snapshot is taken under the lock)."""
    marker = "%s" if postgres else "?"
    if postgres and rows <= _PG_PREPARED_ROWS:
        sql = f"EXECUTE eventlog_append_{rows}(" + ", ".join(["%s"] * (rows * _FIELDS + 3)) + ")"
    elif rows == 1:  # a SELECT of the values plans and runs faster than a VALUES list
        values = ", ".join([marker] * _FIELDS)
        sql = f"INSERT INTO event_log ({_INSERT_COLUMNS}) SELECT {values}" + _GUARD.replace("{0}", marker)
    else:
        one = "(" + ", ".join([marker] * _FIELDS) + ")"
        sql = (
            f"INSERT INTO event_log ({_INSERT_COLUMNS}) SELECT * FROM (VALUES "
            + ", ".join([one] * rows)
            + ") AS v"
            + _GUARD.replace("{0}", marker)
        )
    return f"SELECT pg_advisory_xact_lock({_PG_APPEND_LOCK}); {sql}" if postgres else sql


def _prepare(conn: sa.Connection, cursor: Any, name: str) -> None:
    """Prepare statement `name` on this PostgreSQL connection, once: prepared statements
    outlive transactions, and the pool forgets its marks with the connection."""
    prepared = conn.connection.info.setdefault("eventlog_prepared", set())
    if name not in prepared:
        cursor.execute(f"PREPARE {name} AS {_pg_prepared_sql(name)}")
        prepared.add(name)


def _rows(
    head: tuple[int, str],
    stream_id: str,
    current: int,
    events: Sequence[NewEvent],
    payloads: list[str],
    meta_json: str,
    recorded_at: str,
    seal: Callable[[str], str] | None,
) -> tuple[list[Any], list[StoredEvent]]:
    """The flat insert values and the stored events of `events` chained after `head`."""
    values: list[Any] = []
    stored: list[StoredEvent] = []
    position, prev = head
    version = current
    for new, payload_json in zip(events, payloads, strict=True):
        position += 1
        version += 1
        # The stored event's fields in order; the hash covers its predecessor's and them.
        fields = (position, stream_id, version, new.event_id, new.type, new.schema_version)
        content = (*fields, payload_json, meta_json, recorded_at)
        digest = chain_hash(prev, *content)
        row = StoredEvent(*content, prev, digest)
        values.extend(row)
        values.append(seal(digest) if seal is not None else None)
        stored.append(row)
        prev = digest
    return values, stored


_COLUMNS = (
    "position, stream_id, stream_version, event_id, event_type, schema_version, "
    "payload, metadata, recorded_at, prev_hash, hash"
)
_INSERT_COLUMNS = _COLUMNS + ", seal"

Validator = Callable[[NewEvent], None]


class EventStore:
    """Append to streams at an expected version; read one stream or the whole log.

    Positions are assigned under one write lock per database (an advisory lock on
    PostgreSQL, BEGIN IMMEDIATE on SQLite), so they are gap-free and commit in order:
    a reader tailing "after position N" can never see N+2 before N+1.
    """

    def __init__(
        self, engine: sa.Engine, validate: Validator | None = None, seal_key: bytes | None = None
    ) -> None:
        self.engine = engine
        self._validate = validate
        # With the service's key every event is sealed (eventlog.seal): a row written by
        # anyone without the key, however well chained, fails `verify_log` with the key.
        self._seal = Sealer(seal_key) if seal_key else None
        self._listeners: list[Callable[[], None]] = []
        # (position, hash, recorded_at) of the log's head as this store last wrote or read it: a hint
        # for the fast path, never trusted (the insert is guarded by the head's hash).
        self._cached_head: tuple[int, str, str] | None = None
        # How many appends this store has made (committed or not): a consumer that wrote no
        # events of its own need not wake the relay.
        self.appends = 0

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
                committed = self.append(stream_id, expected_version, events, metadata, own)
            self.notify_committed()
            return committed
        for new in events:
            self._check(new)
        self.appends += 1
        postgres = is_postgres(conn)
        meta = (metadata or Metadata()).to_dict()
        now = iso(utcnow())
        if meta.get("occurred_at") is None:
            meta["occurred_at"] = now
        meta_json = canonical_json(meta)
        payloads = [canonical_json(new.payload) for new in events]
        cached = self._cached_head
        if (
            cached is not None
            and expected_version is not None
            and len(events) <= (_PG_PREPARED_ROWS if postgres else _ROWS_PER_INSERT)
            and now >= cached[2]
        ):
            # The fast path: one statement inserts the rows chained to the head this store
            # last wrote or read, guarded by that head's hash and the stream's version. A
            # head another writer moved (or a transaction that rolled back) inserts
            # nothing, and the slow path below reads the true head under the same lock.
            # recorded_at never goes back along the log: `now` is not before the head's.
            head = (cached[0], cached[1])
            values, stored = _rows(
                head, stream_id, expected_version, events, payloads, meta_json, now, self._seal
            )
            guard = (cached[1], stream_id, expected_version)
            if self._insert(conn, postgres, values, len(stored), stream_id, expected_version, guard):
                self._cached_head = (stored[-1].position, stored[-1].hash, now)
                return stored
        head_position, head_hash, current = self._heads(conn, stream_id, postgres)
        recorded_at = iso(utcnow())  # under the lock, so not before the head's
        if expected_version is not None and current != expected_version:
            raise ConcurrencyConflict(stream_id, expected_version, current)
        head = (head_position, head_hash)
        values, stored = _rows(head, stream_id, current, events, payloads, meta_json, recorded_at, self._seal)
        for chunk in range(0, len(stored), _ROWS_PER_INSERT):
            rows = min(_ROWS_PER_INSERT, len(stored) - chunk)
            part = values[chunk * _FIELDS : (chunk + rows) * _FIELDS]
            self._insert(conn, postgres, part, rows, stream_id, expected_version or current, None)
        self._cached_head = (stored[-1].position, stored[-1].hash, recorded_at)
        return stored

    def _insert(
        self,
        conn: sa.Connection,
        postgres: bool,
        values: list[Any],
        rows: int,
        stream_id: str,
        expected: int,
        guard: tuple[str, str, int] | None,
    ) -> bool:
        """Insert prepared rows; with a guard (head hash, stream, version), only if the log's
        head still has that hash and the stream that version. Whether rows were written."""
        cursor = _cursor(conn)
        try:
            if guard is None:
                cursor.execute(_insert_sql(rows, postgres), tuple(values))
                return True
            if postgres and rows <= _PG_PREPARED_ROWS:
                _prepare(conn, cursor, f"eventlog_append_{rows}")
            cursor.execute(_guarded_insert_sql(rows, postgres), (*values, *guard))
            return bool(cursor.rowcount == rows)
        except conn.dialect.loaded_dbapi.IntegrityError as exc:  # a reused event id
            raise ConcurrencyConflict(stream_id, expected, -1) from exc
        finally:
            cursor.close()

    def _check(self, new: NewEvent) -> None:
        if not new.type or not isinstance(new.payload, dict):
            raise InvalidEvent(f"event {new.type!r} needs a type and a dict payload")
        if self._validate is not None:
            self._validate(new)

    @staticmethod
    def _heads(conn: sa.Connection, stream_id: str, postgres: bool) -> tuple[int, str, int]:
        """Take the log's write lock, then read the log's head and the stream's version.

        On PostgreSQL the lock and the read travel in one round trip but are two
        statements, so the read's snapshot is taken after the lock is held.
        """
        cursor = _cursor(conn)
        if postgres:
            _prepare(conn, cursor, "eventlog_heads")
            cursor.execute(
                f"SELECT pg_advisory_xact_lock({_PG_APPEND_LOCK}); EXECUTE eventlog_heads(%s)", (stream_id,)
            )
        else:
            cursor.execute(_HEADS_SQL, (stream_id,))
        row = cursor.fetchone()
        cursor.close()
        assert row is not None
        if row[0] is None:
            return 0, GENESIS_HASH, int(row[2] or 0)
        return int(row[0]), str(row[1]), int(row[2] or 0)

    def on_commit(self, listener: Callable[[], None]) -> None:
        """Call `listener` after each commit that appended events (wakes the relay)."""
        self._listeners.append(listener)

    def notify_committed(self) -> None:
        for listener in self._listeners:
            listener()

    # -- reading ---------------------------------------------------------------

    def read_stream(
        self, stream_id: str, after_version: int = 0, conn: sa.Connection | None = None
    ) -> list[StoredEvent]:
        """One stream's events in version order; pass `conn` to read inside a transaction."""
        if conn is None:
            with readonly(self.engine.connect()) as own:
                return self.read_stream(stream_id, after_version, own)
        marker = "%s" if is_postgres(conn) else "?"
        result = conn.exec_driver_sql(
            f"SELECT {_COLUMNS} FROM event_log WHERE stream_id = {marker} "
            f"AND stream_version > {marker} ORDER BY stream_version",
            (stream_id, after_version),
        )
        return [_to_event(row) for row in result]

    def read_all(self, after_position: int = 0, limit: int = 1000) -> list[StoredEvent]:
        """Events with position > `after_position`, in log order, at most `limit`."""
        with readonly(self.engine.connect()) as conn:
            cursor = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
            marker = "%s" if is_postgres(conn) else "?"
            cursor.execute(
                f"SELECT {_COLUMNS} FROM event_log WHERE position > {marker} "
                f"ORDER BY position LIMIT {marker}",
                (after_position, limit),
            )
            rows = cursor.fetchall()
            cursor.close()
            return list(map(StoredEvent._make, rows))

    def iter_all(self, after_position: int = 0, batch: int = 10000) -> Iterator[StoredEvent]:
        """Every event after `after_position`, read in batches."""
        while True:
            page = self.read_all(after_position, batch)
            if not page:
                return
            yield from page
            after_position = page[-1].position

    def first_unsealed(self, events: Sequence[StoredEvent]) -> int | None:
        """The position of the first of `events` (read in log order) whose stored seal is not
        this store's seal of its hash: a row written by someone without the key. None when
        all are sealed, or when the store has no key."""
        if self._seal is None or not events:
            return None
        with readonly(self.engine.connect()) as conn:
            marker = "%s" if is_postgres(conn) else "?"
            seals: dict[int, str | None] = dict(
                conn.exec_driver_sql(
                    f"SELECT position, seal FROM event_log"
                    f" WHERE position >= {marker} AND position <= {marker}",
                    (events[0].position, events[-1].position),
                ).all()
            )
        for event in events:
            if not self._seal.matches(event.hash, seals.get(event.position)):
                return event.position
        return None

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


def _to_event(row: Sequence[Any]) -> StoredEvent:
    return StoredEvent._make(row)


@dataclass(frozen=True)
class VerifyReport:
    """The outcome of walking the hash chain."""

    ok: bool
    checked: int
    first_bad_position: int | None = None
    problem: str | None = None
    sealed: bool = False  # whether every event's seal was checked too (eventlog.seal)

    def to_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "checked": self.checked,
            "first_bad_position": self.first_bad_position,
            "problem": self.problem,
            "seals_checked": self.sealed,
        }
