"""Writing a rebuilt read store in one transaction: on PostgreSQL, emptied tables filled
with COPY, the facts streamed while the logs are still being read; on SQLite, plain
batched inserts.

On PostgreSQL the posts' and the figures' indexes are set aside for the load and built
again before the commit, in one sorted pass each instead of an insert per row, while
Python goes on summing. Their definitions are read from the database itself, so what
the migrations made is what comes back; a failed rebuild rolls back to the old tables
and indexes alike. The facts keep their indexes: the server maintains them while Python
is still reading, on a core that has time then (measured: setting them aside too was
no faster, the builds only moved to the end).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

import sqlalchemy as sa

from eventlog.engine import is_postgres
from eventlog.inbox import record_dead_letter
from eventlog.schema import consumer_progress, dead_letters

from .bulk import NULL, Load, copy_ready, from_copy_ready
from .copy_stream import CopyStream, set_indexes_aside
from .figures_build import ByUnit, below_by_unit, spread
from .tables import (
    PROJECTION_TABLES,
    ancestry,
    below_figures,
    facts,
    member_posts,
    organizations,
    unit_figures,
)

FACT_COLUMNS = (
    "metric",
    "org_id",
    "on_date",
    "value",
    "subject_kind",
    "subject_id",
    "ref",
    "once_key",
    "source",
    "position",
    "event_id",
    "event_type",
    "recorded_at",
)
ANCESTRY_COLUMNS = (
    "org_id",
    "ancestor_id",
    "via_child",
    "valid_from",
    "valid_to",
    "recorded_at",
    "closed_at",
)
ORG_COLUMNS = ("org_id", "kind", "name", "parent_id", "registered_on", "dissolved_on")
POST_COLUMNS = ("member_id", "valid_from", "committee", "position")
FIGURE_COLUMNS = ("org_id", "metric", "month", "extra", "value", "n")
CHUNK = 50_000
LOADED_BARE = (member_posts, unit_figures, below_figures)  # loaded without their indexes


class BulkWriter:
    """One transaction that empties the projections, takes fact rows and posts while the
    logs are still being read (`rows`), and writes the tree and figures at `finish`."""

    def __init__(self, engine: sa.Engine) -> None:
        self.conn = engine.connect()
        self.transaction = self.conn.begin()
        self.postgres = is_postgres(self.conn)
        if self.postgres:
            names = [table.name for table in (*PROJECTION_TABLES, consumer_progress, dead_letters)]
            self.conn.exec_driver_sql("SET LOCAL maintenance_work_mem = '512MB'")
            self.conn.exec_driver_sql("SET LOCAL synchronous_commit = off")
            self.conn.exec_driver_sql(f"TRUNCATE {', '.join(names)} RESTART IDENTITY")
            self.cursor = self.conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
            self.indexes = {table.name: set_indexes_aside(self.cursor, table.name) for table in LOADED_BARE}
            self.stream = CopyStream(self.cursor)
        else:
            for table in (*reversed(PROJECTION_TABLES), consumer_progress, dead_letters):
                self.conn.execute(table.delete())

    def rows(self, fact_lines: list[str], posts: Sequence[Sequence[Any]]) -> None:
        """Fact rows as COPY text lines (bulk.Load) and committee posts, a page's worth."""
        if fact_lines and self.postgres:
            self.stream.begin(_copy_statement(facts, FACT_COLUMNS))
            self.stream.put("\n".join(fact_lines) + "\n")
            self.stream.end()
        elif fact_lines:
            _insert(
                self.conn,
                facts,
                FACT_COLUMNS,
                (_typed(from_copy_ready(tuple(line.split("\t")))) for line in fact_lines),
            )
        if posts:
            self._write(member_posts, POST_COLUMNS, posts)

    def finish(self, load: Load, tracked: Mapping[str, int]) -> None:
        """Write the rest of `load` and the positions it reached, rebuild indexes, commit.

        In the order that keeps both cores busy: the server stores the tree and indexes
        the posts while Python sums the units' own figures, keys the own figures while
        Python credits them up the tree, then takes the rest."""
        self.rows(load.take_facts(), load.take_posts())
        for table, columns, rows in (
            (organizations, ORG_COLUMNS, load.tree.organization_rows()),
            (ancestry, ANCESTRY_COLUMNS, load.tree.rows),
        ):
            self._write(table, columns, rows)
        self._index(member_posts)
        own = load.figures.own_by_unit()
        self._write_figures(unit_figures, own)
        self._write_figures(below_figures, below_by_unit(own, load.tree.strict_ancestors()))
        if self.postgres:
            self.stream.close()
            self.cursor.close()
        for body, reason in load.dead:
            record_dead_letter(self.conn, body, reason)
        if tracked:
            self.conn.execute(
                consumer_progress.insert(), [{"source": s, "position": p} for s, p in tracked.items()]
            )
        self.transaction.commit()
        self.conn.close()

    def _write(self, table: sa.Table, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
        if not self.postgres:
            _insert(self.conn, table, columns, rows)
            return
        self.stream.begin(_copy_statement(table, columns))
        for text in _copy_text(rows):
            self.stream.put(text)
        self.stream.end()

    def _write_figures(self, table: sa.Table, figures: ByUnit) -> None:
        if not self.postgres:
            _insert(self.conn, table, FIGURE_COLUMNS, _figure_rows(figures))
            return
        self.stream.begin(_copy_statement(table, FIGURE_COLUMNS))
        for text in _figure_text(figures):
            self.stream.put(text)
        self.stream.end()
        self._index(table)

    def _index(self, table: sa.Table) -> None:
        """Build again what was set aside for the load, after what was sent so far."""
        if self.postgres:
            for statement in self.indexes[table.name]:
                self.stream.execute(statement)

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


def _figure_text(by_unit: ByUnit) -> Iterator[str]:
    """COPY text of every unit's figures spread into quarters and years, unit by unit
    (each unit's rows together on disk: a report reads few pages)."""
    lines: list[str] = []
    for org_id in sorted(by_unit):
        for metric, month, extra, value, n in spread(by_unit[org_id]):
            if value or n:
                line = f"{org_id}\t{metric}\t{month}\t{extra}\t{value}\t{n}"
                if line.count("\t") != 5 or "\\" in line or "\n" in line or "\r" in line:
                    line = "\t".join(copy_ready((org_id, metric, month, extra, str(value), str(n))))
                lines.append(line)
        if len(lines) >= CHUNK:
            yield "\n".join(lines) + "\n"
            lines = []
    if lines:
        yield "\n".join(lines) + "\n"


def _figure_rows(by_unit: ByUnit) -> list[tuple[Any, ...]]:
    return sorted(
        (org_id, metric, month, extra, value, n)
        for org_id, figures in by_unit.items()
        for metric, month, extra, value, n in spread(figures)
        if value or n
    )


def _copy_text(rows: Iterable[Sequence[Any]]) -> Iterator[str]:
    """Rows as COPY text, CHUNK rows a piece."""
    lines: list[str] = []
    for row in rows:
        values = [NULL if v is None else str(v) for v in row]
        line = "\t".join(values)
        if (
            line.count("\t") != len(values) - 1
            or "\n" in line
            or "\r" in line
            or line.count("\\") != sum(v is None for v in row)
        ):
            line = "\t".join(copy_ready(tuple(None if v is None else str(v) for v in row)))
        lines.append(line)
        if len(lines) == CHUNK:
            yield "\n".join(lines) + "\n"
            lines = []
    if lines:
        yield "\n".join(lines) + "\n"


def _insert(
    conn: sa.Connection, table: sa.Table, columns: Sequence[str], rows: Iterable[Sequence[Any]]
) -> None:
    batch: list[dict[str, Any]] = []
    for row in rows:
        batch.append(dict(zip(columns, row, strict=True)))
        if len(batch) == CHUNK:
            conn.execute(table.insert(), batch)
            batch = []
    if batch:
        conn.execute(table.insert(), batch)


def _copy_statement(table: sa.Table, columns: Sequence[str]) -> str:
    # FREEZE: every table was emptied in this transaction, so its rows may be written
    # frozen and all-visible; nothing has to touch them again after the commit.
    return f"COPY {table.name} ({', '.join(columns)}) FROM STDIN WITH (FREEZE)"
