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
from .figures_build import (
    ByUnit,
    Figures,
    below_by_unit,
    spread_below,
    spread_stamped,
    stamped_by_unit,
)
from .rollup import REGISTER
from .tables import (
    FACT_COLUMNS,
    PROJECTION_TABLES,
    ancestry,
    below_figures,
    facts,
    member_posts,
    organizations,
    recorded_months,
    stamped_figures,
    unit_figures,
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
OWN_COLUMNS = ("org_id", "day", "metric", "extra", "stamp", "value", "n")
BELOW_COLUMNS = ("org_id", "span", "metric", "extra", "value", "n")
STAMPED_COLUMNS = ("org_id", "span", "metric", "extra", "stamp", "value", "n")
RECORDED_COLUMNS = ("month", "first_at", "last_at")
CHUNK = 50_000
LOADED_BARE = (member_posts, unit_figures, below_figures, stamped_figures)  # loaded without their indexes


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
            (recorded_months, RECORDED_COLUMNS, sorted((m, *span) for m, span in load.recorded.items())),
        ):
            self._write(table, columns, rows)
        self._index(member_posts)
        own = load.figures.own_by_unit()
        self._write_figures(unit_figures, own)
        self._write_figures(below_figures, below_by_unit(own, load.tree.strict_ancestors()))
        self._write_figures(stamped_figures, stamped_by_unit(own, load.tree.rows))
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
        columns, as_rows, as_lines = FIGURE_WRITERS[table.name]
        if not self.postgres:
            rows = sorted(row for org_id in figures for row in as_rows(figures[org_id], org_id))
            _insert(self.conn, table, columns, rows)
            return
        self.stream.begin(_copy_statement(table, columns))
        for text in _figure_text(figures, columns, as_rows, as_lines):
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


def _own_rows(figures: Figures, org_id: str) -> list[tuple[Any, ...]]:
    return [
        (org_id, day, metric, extra, stamp, value, n)
        for (metric, day, extra, stamp), (value, n) in figures.items()
        if value or n
    ]


def _below_rows(figures: Figures, org_id: str) -> list[tuple[Any, ...]]:
    return [
        (org_id, span, metric, extra, value, n)
        for span, metric, extra, value, n in spread_below(figures)
        if value or n
    ]


def _stamped_rows(figures: Figures, org_id: str) -> list[tuple[Any, ...]]:
    return [
        (org_id, span, metric, extra, stamp, value, n)
        for span, metric, extra, stamp, value, n in spread_stamped(figures)
        if value or n
    ]


def _own_lines(figures: Figures, org_id: str) -> list[str]:
    return [
        f"{org_id}\t{day}\t{metric}\t{extra}\t{stamp}\t{value}\t{n}"
        for (metric, day, extra, stamp), (value, n) in figures.items()
        if value or n
    ]


def _below_lines(figures: Figures, org_id: str) -> list[str]:
    """spread_below's rows as COPY text, without its generator."""
    lines: list[str] = []
    wider: Figures = {}
    for (metric, day, extra), (value, n) in figures.items():
        if value or n:
            lines.append(f"{org_id}\t{day}\t{metric}\t{extra}\t{value}\t{n}")
        if day[0] == REGISTER:
            continue
        for key in ((day[:7], metric, extra), (f"{day[:4]}-Y", metric, extra)):
            slot = wider.get(key)
            if slot is None:
                wider[key] = [value, n]
            else:
                slot[0] += value
                slot[1] += n
    lines += [
        f"{org_id}\t{span}\t{metric}\t{extra}\t{value}\t{n}"
        for (span, metric, extra), (value, n) in wider.items()
        if value or n
    ]
    return lines


def _stamped_lines(figures: Figures, org_id: str) -> list[str]:
    """spread_stamped's rows as COPY text, without its generator."""
    lines: list[str] = []
    wider: Figures = {}
    for (metric, month, extra, stamp), (value, n) in figures.items():
        if value or n:
            lines.append(f"{org_id}\t{month}\t{metric}\t{extra}\t{stamp}\t{value}\t{n}")
        if month[0] == REGISTER:
            continue
        key = (f"{month[:4]}-Y", metric, extra, stamp)
        slot = wider.get(key)
        if slot is None:
            wider[key] = [value, n]
        else:
            slot[0] += value
            slot[1] += n
    lines += [
        f"{org_id}\t{span}\t{metric}\t{extra}\t{stamp}\t{value}\t{n}"
        for (span, metric, extra, stamp), (value, n) in wider.items()
        if value or n
    ]
    return lines


# table -> (its columns, its rows of one unit, the same as COPY text lines)
FIGURE_WRITERS = {
    unit_figures.name: (OWN_COLUMNS, _own_rows, _own_lines),
    below_figures.name: (BELOW_COLUMNS, _below_rows, _below_lines),
    stamped_figures.name: (STAMPED_COLUMNS, _stamped_rows, _stamped_lines),
}


def _figure_text(by_unit: ByUnit, columns: Sequence[str], as_rows: Any, as_lines: Any) -> Iterator[str]:
    """COPY text of every unit's figures, unit by unit (each unit's rows together on
    disk: a report reads few pages), about CHUNK rows a piece. Ids, metrics and days come
    from payloads: a piece with a tab, newline, CR or backslash inside a field (its
    count of tabs and newlines tells) is made again, escaped, from the rows."""
    tabs = len(columns) - 1
    units: list[str] = []
    lines: list[str] = []
    for org_id in sorted(by_unit):
        units.append(org_id)
        lines += as_lines(by_unit[org_id], org_id)
        if len(lines) >= CHUNK:
            yield _checked(lines, tabs, by_unit, units, as_rows)
            units, lines = [], []
    if lines:
        yield _checked(lines, tabs, by_unit, units, as_rows)


def _checked(lines: list[str], tabs: int, by_unit: ByUnit, units: list[str], as_rows: Any) -> str:
    text = "\n".join(lines) + "\n"
    if (
        text.count("\t") == tabs * len(lines)
        and text.count("\n") == len(lines)
        and "\\" not in text
        and "\r" not in text
    ):
        return text
    rows = [row for org_id in units for row in as_rows(by_unit[org_id], org_id)]
    return "\n".join("\t".join(copy_ready(tuple(str(v) for v in row))) for row in rows) + "\n"


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
