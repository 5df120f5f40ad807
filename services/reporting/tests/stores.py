"""A read store fed through the inbox from SQLite source logs, without a broker."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

import sqlalchemy as sa

import reporting
from eventlog.engine import make_engine
from eventlog.envelope import NewEvent
from eventlog.inbox import Inbox
from eventlog.migrations import create_backbone_tables, upgrade
from eventlog.store import EventStore
from reporting.projection import ReportingProjection

from .campaign import Batch

SOURCES = ("plans", "sessions", "oversight")


class Fed:
    """The source logs and the read store built from them."""

    def __init__(self, tmp_path: Path, batches: Iterable[Batch]) -> None:
        self.logs: dict[str, EventStore] = {}
        for source in SOURCES:
            log = make_engine(f"sqlite:///{tmp_path / (source + '.db')}")
            with log.begin() as conn:
                create_backbone_tables(conn)
            self.logs[source] = EventStore(log)
        for batch in batches:
            for source, events in batch.items():
                for n, (kind, data) in enumerate(events):
                    self.logs[source].append(f"{kind}-{n}", None, [NewEvent(kind, data)])
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
