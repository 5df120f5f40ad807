"""Drop reporting's projections and rebuild them from the sources' logs, optionally "as of".

The rules are the live projection's (facts.py, tree.py, rollup.py); what differs is
how it is written: one transaction, no query per event. Facts and committee posts
stream into the store (COPY on PostgreSQL) while the logs are still being read, the
next page of a log is read while this one is applied, and the tree and the
pre-aggregated figures, kept in memory meanwhile, are written at the end (bulk.py,
bulk_write.py). Tree changes apply in log order, per source.
"""

from __future__ import annotations

import gc
import sys
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TextIO

import sqlalchemy as sa

from .bulk import Load
from .bulk_write import BulkWriter

Reader = Callable[[int, int], Sequence[Any]]
PAGE = 10_000


class Progress:
    """A plain progress bar on stderr with the running events/s."""

    def __init__(self, total: int, out: TextIO = sys.stderr, width: int = 30) -> None:
        self.total, self.out, self.width = max(total, 1), out, width
        self.done, self.started = 0, time.perf_counter()

    def advance(self, count: int, label: str) -> None:
        self.done += count
        share = min(self.done / self.total, 1.0)
        filled = int(share * self.width)
        rate = self.done / max(time.perf_counter() - self.started, 1e-9)
        self.out.write(
            f"\r{label:<10} [{'#' * filled}{'.' * (self.width - filled)}] "
            f"{self.done}/{self.total} {rate:,.0f} events/s"
        )
        self.out.flush()

    def finish(self) -> float:
        self.out.write("\n")
        return self.done / max(time.perf_counter() - self.started, 1e-9)


def rebuild(
    engine: sa.Engine,
    readers: Mapping[str, Reader],
    heads: Mapping[str, int],
    as_of: str | None = None,
    progress: Progress | None = None,
) -> dict[str, int]:
    """Replace `engine`'s projections with a replay of every source; events recorded after
    `as_of` (the log's own UTC form) are left out. Returns events read per source.

    A reader returns envelopes (over RPC) or LogRow-shaped tuples (straight from a
    database, the payload still JSON text, decoded only for the event types reporting
    reads).
    """
    load = Load()
    read: dict[str, int] = {}
    tracked: dict[str, int] = {}
    collecting = gc.isenabled()
    # Millions of small tuples and lists, none of them in a cycle: the cyclic collector
    # scanning them again and again was a third of the Python time.
    gc.disable()
    writer = BulkWriter(engine)
    try:
        _read_all(load, writer, readers, heads, as_of, progress, read, tracked)
        if progress is not None:
            progress.out.write(f"\rwriting the tree, posts and figures{' ' * 40}")
            progress.out.flush()
        writer.finish(load, tracked)
    except BaseException:
        writer.abort()
        raise
    finally:
        if collecting:
            gc.enable()
    return read


def _read_all(
    load: Load,
    writer: BulkWriter,
    readers: Mapping[str, Reader],
    heads: Mapping[str, int],
    as_of: str | None,
    progress: Progress | None,
    read: dict[str, int],
    tracked: dict[str, int],
) -> None:
    with ThreadPoolExecutor(1, thread_name_prefix="read-log") as prefetch:
        for source, reader in readers.items():
            count = 0
            for page in _pages(prefetch, reader, heads.get(source, 0)):
                kept = [e for e in page if as_of is None or _recorded_at(e) <= as_of]
                for item in kept:
                    load.event(source, item)
                writer.rows(load.take_facts(), load.take_posts())
                if kept:
                    tracked[source] = _position(kept[-1])
                count += len(kept)
                if progress is not None:
                    progress.advance(len(page), source)
                if as_of is not None and len(kept) < len(page):
                    break  # the log is in recorded order: nothing later was known by then
            read[source] = count


def _pages(prefetch: ThreadPoolExecutor, reader: Reader, head: int) -> Iterator[Sequence[Any]]:
    """A source's log up to `head`, page by page; the next page is read (by the source's
    database or service) while this one is applied."""

    def fetch(after: int) -> Sequence[Any]:
        if after >= head:
            return []
        page = reader(after, PAGE)
        if page and _position(page[-1]) > head:  # in position order: only the last page
            page = [e for e in page if _position(e) <= head]
        return page

    coming = prefetch.submit(fetch, 0)
    while page := coming.result():
        coming = prefetch.submit(fetch, _position(page[-1]))
        yield page


def _position(item: Any) -> int:
    return item["position"] if isinstance(item, dict) else item[0]


def _recorded_at(item: Any) -> str:
    return str(item.get("recorded_at") or "") if isinstance(item, dict) else item[4]


def log_reader(engine: sa.Engine) -> Reader:
    """Pages of a source's log read straight from its database (read-only): only the
    columns a replay needs, as LogRow's fields, the payload left as JSON text until
    someone wants it."""

    def read(after: int, limit: int) -> list[tuple[Any, ...]]:
        with engine.connect() as conn:
            marker = "%s" if conn.dialect.name == "postgresql" else "?"
            cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
            try:
                cursor.execute(
                    f"SELECT position, event_id, event_type, payload, recorded_at FROM event_log"
                    f" WHERE position > {marker} ORDER BY position LIMIT {marker}",
                    (after, limit),
                )
                return cursor.fetchall()  # LogRow's fields: a namedtuple each was 1 us a row
            finally:
                cursor.close()
                conn.rollback()

    return read
