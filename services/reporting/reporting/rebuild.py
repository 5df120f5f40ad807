"""Drop reporting's projections and rebuild them from the sources' logs, optionally "as of".

The same `ReportingProjection` the live consumers use reads every event; facts are
inserted a page at a time (one transaction per page) instead of one event per
transaction, which is what makes a replay fast. Tree changes apply in log order.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any, TextIO

import sqlalchemy as sa

from eventlog.inbox import Envelope, UnreadableEvent, check_envelope, record_dead_letter
from eventlog.schema import consumer_progress, dead_letters

from .projection import ReportingProjection, write_rows
from .tables import PROJECTION_TABLES
from .tree import apply_tree_event

Reader = Callable[[int, int], Sequence[Envelope]]
PAGE = 5000
PROJECTION = ReportingProjection()


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
        self.out.write(f"\r{label:<10} [{'#' * filled}{'.' * (self.width - filled)}] "
                       f"{self.done}/{self.total} {rate:,.0f} events/s")
        self.out.flush()

    def finish(self) -> float:
        self.out.write("\n")
        return self.done / max(time.perf_counter() - self.started, 1e-9)


def drop_projections(engine: sa.Engine) -> None:
    with engine.begin() as conn:
        for table in reversed(PROJECTION_TABLES):
            conn.execute(table.delete())
        conn.execute(consumer_progress.delete())
        conn.execute(dead_letters.delete())


def apply_page(conn: sa.Connection, page: Sequence[Envelope]) -> int:
    """Apply one page of a source's log in order; returns how many events counted."""
    fact_rows: list[dict[str, Any]] = []
    post_rows: list[dict[str, Any]] = []
    applied = 0
    for envelope in page:
        try:
            reading = PROJECTION.read(check_envelope(envelope))
        except UnreadableEvent as exc:
            record_dead_letter(conn, envelope, str(exc))
            continue
        if reading is None:
            continue
        if reading.tree_change is not None:
            apply_tree_event(conn, envelope["type"], reading.tree_change,
                             str(envelope.get("recorded_at") or ""))
        fact_rows.extend(reading.facts)
        post_rows.extend(reading.posts)
        applied += 1
    write_rows(conn, fact_rows, post_rows)
    return applied


def rebuild(engine: sa.Engine, readers: Mapping[str, Reader], heads: Mapping[str, int],
            as_of: str | None = None, progress: Progress | None = None) -> dict[str, int]:
    """Replay every source into `engine`'s (emptied) projections; events recorded after
    `as_of` (the log's own UTC form) are left out. Returns events read per source."""
    drop_projections(engine)
    read: dict[str, int] = {}
    for source, reader in readers.items():
        after, count, head = 0, 0, heads.get(source, 0)
        while after < head:
            page = [e for e in reader(after, PAGE) if e["position"] <= head]
            if not page:
                break
            last = page[-1]["position"]
            kept = [e for e in page if as_of is None or e["recorded_at"] <= as_of]
            with engine.begin() as conn:
                apply_page(conn, kept)
                _track(conn, source, kept[-1]["position"] if kept else None)
            count += len(kept)
            if progress is not None:
                progress.advance(len(page), source)
            after = last
            if as_of is not None and len(kept) < len(page):
                break  # the log is in recorded order: nothing later was known by then
        read[source] = count
    return read


def _track(conn: sa.Connection, source: str, position: int | None) -> None:
    if position is None:
        return
    updated = conn.execute(consumer_progress.update().where(consumer_progress.c.source == source)
                           .values(position=position))
    if updated.rowcount == 0:
        conn.execute(consumer_progress.insert().values(source=source, position=position))
