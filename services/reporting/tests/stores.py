"""A read store fed through the inbox from SQLite source logs, without a broker."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import sqlalchemy as sa

import reporting
from eventlog.engine import make_engine
from eventlog.envelope import NewEvent, iso
from eventlog.inbox import Inbox
from eventlog.migrations import create_backbone_tables, upgrade
from eventlog.store import EventStore
from reporting.projection import ReportingProjection

from .campaign import Batch

SOURCES = ("plans", "sessions", "oversight")
RECORDED_FROM = datetime(2025, 1, 3, 8, 0, tzinfo=UTC)
RECORDED_OVER = timedelta(days=450)


def spread_recording(
    logs: dict[str, EventStore],
    appended: Sequence[tuple[str, int]],
    start: datetime = RECORDED_FROM,
    over: timedelta = RECORDED_OVER,
) -> None:
    """Re-date when the events were recorded: in the order they were appended (so along
    each log too), evenly from `start` over `over`, as if the campaign had been recorded
    over 15 months rather than in a second. The hash chains no longer hold; nothing here
    checks them."""
    step = over / max(len(appended), 1)
    for k, (source, position) in enumerate(appended):
        with logs[source].engine.begin() as conn:
            conn.execute(
                sa.text("UPDATE event_log SET recorded_at = :at WHERE position = :position"),
                {"at": iso(start + k * step), "position": position},
            )


class Fed:
    """The source logs and the read store built from them."""

    def __init__(self, tmp_path: Path, batches: Iterable[Batch], spread: bool = False) -> None:
        """`spread`: recorded over 15 months (spread_recording), not all at once."""
        self.logs: dict[str, EventStore] = {}
        for source in SOURCES:
            log = make_engine(f"sqlite:///{tmp_path / (source + '.db')}")
            with log.begin() as conn:
                create_backbone_tables(conn)
            self.logs[source] = EventStore(log)
        appended: list[tuple[str, int]] = []
        for batch in batches:
            for source, events in batch.items():
                for n, (kind, data) in enumerate(events):
                    stored = self.logs[source].append(f"{kind}-{n}", None, [NewEvent(kind, data)])
                    appended += [(source, event.position) for event in stored]
        if spread:
            spread_recording(self.logs, appended)
        url = f"sqlite:///{tmp_path / 'reporting.db'}"
        upgrade(Path(reporting.__file__).parent / "migrations", url)
        self.engine: sa.Engine = make_engine(url)
        inbox = Inbox(self.engine)
        for source in SOURCES:
            inbox.catch_up(source, ReportingProjection(), self.read_events(source))

    def read_events(self, source: str) -> Any:
        """The source's `read_events` RPC, read from its log directly."""

        def read(after: int, limit: int) -> list[dict[str, Any]]:
            return [e.to_message(source) for e in self.logs[source].read_all(after, limit)]

        return read

    def close(self) -> None:
        for store in self.logs.values():
            store.engine.dispose()
        self.engine.dispose()
