"""Writing a rebuilt read store in one transaction: on PostgreSQL, emptied tables filled
with COPY, the facts streamed while the logs are still being read; on SQLite, plain
batched inserts.

The indexes stay in place: dropping them and building them again after the load was
measured slower here, because then the index builds run after the reading instead of
beside it (the server keeps the indexes on its own core while Python decodes)."""

from __future__ import annotations

import io
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import sqlalchemy as sa

from eventlog.engine import is_postgres
from eventlog.inbox import record_dead_letter
from eventlog.schema import consumer_progress, dead_letters

from .bulk import Load, copy_ready, from_copy_ready
from .copy_stream import CopyStream, without_green_waits
from .figures_build import below_of
from .rollup import Totals
from .tables import (
    PROJECTION_TABLES,
    ancestry,
    below_figures,
    facts,
    member_posts,
    organizations,
    unit_figures,
)

FACT_COLUMNS = ("metric", "org_id", "on_date", "value", "subject_kind", "subject_id", "ref",
                "once_key", "source", "position", "event_id", "event_type", "recorded_at")
ANCESTRY_COLUMNS = ("org_id", "ancestor_id", "via_child", "valid_from", "valid_to", "recorded_at",
                    "closed_at")
ORG_COLUMNS = ("org_id", "kind", "name", "parent_id", "registered_on", "dissolved_on")
POST_COLUMNS = ("member_id", "valid_from", "committee", "position")
FIGURE_COLUMNS = ("org_id", "metric", "month", "extra", "value", "n")
CHUNK = 50_000


class BulkWriter:
    """One transaction that empties the projections, takes fact rows while the logs are
    still being read (`facts`), and writes the tree, posts and figures at `finish`."""

    def __init__(self, engine: sa.Engine) -> None:
        self.conn = engine.connect()
        self.transaction = self.conn.begin()
        self.postgres = is_postgres(self.conn)
        if self.postgres:
            names = [table.name for table in (*PROJECTION_TABLES, consumer_progress, dead_letters)]
            self.conn.exec_driver_sql("SET LOCAL maintenance_work_mem = '256MB'")
            self.conn.exec_driver_sql("SET LOCAL synchronous_commit = off")
            self.conn.exec_driver_sql(f"TRUNCATE {', '.join(names)} RESTART IDENTITY")
            self.cursor = self.conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
            self.stream = CopyStream(self.cursor)
            self.stream.begin(_copy_statement(facts, FACT_COLUMNS))
        else:
            for table in (*reversed(PROJECTION_TABLES), consumer_progress, dead_letters):
                self.conn.execute(table.delete())

    def facts(self, lines: list[str]) -> None:
        """Fact rows as COPY text lines (bulk.Load)."""
        if not lines:
            return
        if self.postgres:
            self.stream.put("\n".join(lines) + "\n")
        else:
            rows = (_typed(from_copy_ready(tuple(line.split("\t")))) for line in lines)
            _insert(self.conn, facts, FACT_COLUMNS, rows)

    def finish(self, load: Load, tracked: Mapping[str, int]) -> None:
        """Write the rest of `load` and the positions it reached, rebuild indexes, commit."""
        own = load.figures.own()
        small: list[tuple[sa.Table, Sequence[str], Iterable[Sequence[Any]]]] = [
            (organizations, ORG_COLUMNS, load.tree.organization_rows()),
            (ancestry, ANCESTRY_COLUMNS, load.tree.rows),
            (member_posts, POST_COLUMNS, load.posts),
        ]
        if self.postgres:
            self.stream.end()
            self._stream_figures(unit_figures, own)  # the server stores them...
            below = below_of(own, load.tree.strict_ancestors())  # ...while this is summed
            self._stream_figures(below_figures, below)
            self.stream.close()
            with without_green_waits():
                for table, columns, rows in small:
                    _copy(self.cursor, table, columns, rows)
            self.cursor.close()
        else:
            below = below_of(own, load.tree.strict_ancestors())
            for table, columns, rows in (*small, (unit_figures, FIGURE_COLUMNS, _figure_rows(own)),
                                         (below_figures, FIGURE_COLUMNS, _figure_rows(below))):
                _insert(self.conn, table, columns, rows)
        for body, reason in load.dead:
            record_dead_letter(self.conn, body, reason)
        if tracked:
            self.conn.execute(consumer_progress.insert(),
                              [{"source": s, "position": p} for s, p in tracked.items()])
        self.transaction.commit()
        self.conn.close()

    def _stream_figures(self, table: sa.Table, totals: Totals) -> None:
        self.stream.begin(_copy_statement(table, FIGURE_COLUMNS))
        lines: list[str] = []
        for key in sorted(totals):  # each unit's rows together on disk: a report reads few pages
            value, n = totals[key]
            if value or n:
                lines.append(_figure_line(key, value, n))
                if len(lines) == CHUNK:
                    self.stream.put("\n".join(lines) + "\n")
                    lines = []
        if lines:
            self.stream.put("\n".join(lines) + "\n")
        self.stream.end()

    def abort(self) -> None:
        """Give up after a failure; the failure is what the caller reports, so nothing
        here raises (the server may well be gone)."""
        try:
            if self.postgres:
                self.stream.close(abandon=True)
            self.transaction.rollback()
        except Exception:  # the failure being reported is the one that matters
            pass
        finally:
            self.conn.close()


def _typed(row: tuple[Any, ...]) -> tuple[Any, ...]:
    return (*row[:3], int(row[3]), *row[4:9], int(row[9]), *row[10:])


def _figure_line(key: tuple[str, str, str, str], value: int, n: int) -> str:
    org_id, metric, month, extra = key
    line = f"{org_id}\t{metric}\t{month}\t{extra}\t{value}\t{n}"
    if line.count("\t") == 5 and "\\" not in line and "\n" not in line and "\r" not in line:
        return line
    return "\t".join(copy_ready((org_id, metric, month, extra, str(value), str(n))))


def _figure_rows(totals: Totals) -> list[tuple[Any, ...]]:
    return sorted((*key, value, n) for key, (value, n) in totals.items() if value or n)


def _insert(conn: sa.Connection, table: sa.Table, columns: Sequence[str],
            rows: Iterable[Sequence[Any]]) -> None:
    batch: list[dict[str, Any]] = []
    for row in rows:
        batch.append(dict(zip(columns, row, strict=True)))
        if len(batch) == CHUNK:
            conn.execute(table.insert(), batch)
            batch = []
    if batch:
        conn.execute(table.insert(), batch)


def _copy_statement(table: sa.Table, columns: Sequence[str]) -> str:
    return f"COPY {table.name} ({', '.join(columns)}) FROM STDIN"


def _copy(cursor: Any, table: sa.Table, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    statement = _copy_statement(table, columns)
    rows = (copy_ready(tuple(None if v is None else str(v) for v in row)) for row in rows)
    chunk: list[Sequence[str]] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == CHUNK:
            cursor.copy_expert(statement, io.StringIO("\n".join(map("\t".join, chunk)) + "\n"))
            chunk = []
    if chunk:
        cursor.copy_expert(statement, io.StringIO("\n".join(map("\t".join, chunk)) + "\n"))
