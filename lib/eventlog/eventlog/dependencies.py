"""The nameko dependency that gives each worker its service's event log."""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from nameko.constants import AMQP_URI_CONFIG_KEY
from nameko.containers import WorkerContext
from nameko.extensions import DependencyProvider

from .contracts import ContractRegistry
from .engine import database_url, make_engine
from .envelope import Metadata, NewEvent, StoredEvent
from .green import time_limit
from .inbox import Envelope, Fetch, Inbox, Projection, dead_letter_count, record_dead_letter
from .relay import Relay
from .schema import consumer_progress, relay_progress
from .store import EventStore, VerifyReport
from .verify import verify_log

log = logging.getLogger(__name__)

# A source that does not answer within this is retried later (its events stay in its log).
FETCH_TIMEOUT = 30.0


class EventLog(DependencyProvider):
    """Owns the service's store, runs its relay, and hands workers a `WorkerEventLog`.

    The database URL is `DATABASE_URL` in the nameko config, else
    `<SERVICE>_DATABASE_URL`, else `var/<service>.db`. Migrations run before the
    service starts (`python -m eventlog.migrate`), never here: containers start
    concurrently and would race on DDL.
    """

    def __init__(self, relay: bool = True) -> None:
        self.with_relay = relay

    def setup(self) -> None:
        service = self.container.service_name
        url = self.container.config.get("DATABASE_URL") or database_url(service)
        self.engine = make_engine(url)
        contracts = self.container.config.get("EVENT_CONTRACTS_DIR")
        registry = ContractRegistry(Path(contracts) if contracts else None)
        self.store = EventStore(self.engine, validate=registry.check)
        self.inbox = Inbox(self.engine)
        self.relay: Relay | None = None
        if self.with_relay:
            self.relay = Relay(self.store, service, self.container.config[AMQP_URI_CONFIG_KEY])

    def start(self) -> None:
        if self.relay is not None:
            self.container.spawn_managed_thread(self.relay.run, identifier="eventlog.relay")

    def stop(self) -> None:
        if self.relay is not None:
            self.relay.stop()
        self.engine.dispose()

    def kill(self) -> None:
        self.stop()

    def record_dead_letter(self, body: Any, reason: str) -> None:
        with self.engine.begin() as conn:
            record_dead_letter(conn, body, reason)

    def get_dependency(self, worker_ctx: WorkerContext) -> WorkerEventLog:
        return WorkerEventLog(self, _metadata(worker_ctx))


def _metadata(worker_ctx: WorkerContext) -> Metadata:
    stack = worker_ctx.call_id_stack or []
    return Metadata(
        actor=str(worker_ctx.data.get("actor") or f"service:{worker_ctx.service_name}"),
        correlation_id=worker_ctx.data.get("correlation_id") or (stack[0] if stack else None),
        causation_id=worker_ctx.call_id,
    )


class WorkerEventLog:
    """What one worker may do with the log: write in a transaction, consume, read."""

    def __init__(self, provider: EventLog, metadata: Metadata) -> None:
        self._provider = provider
        self.store = provider.store
        self.metadata = metadata

    @property
    def engine(self) -> sa.Engine:
        return self._provider.engine

    @contextmanager
    def transaction(self) -> Iterator[sa.Connection]:
        """One transaction for state tables and appended events; the relay wakes after."""
        with self.engine.begin() as conn:
            yield conn
        self.store.notify_committed()

    def append(
        self,
        stream_id: str,
        expected_version: int | None,
        events: Sequence[NewEvent],
        conn: sa.Connection | None = None,
    ) -> list[StoredEvent]:
        return self.store.append(stream_id, expected_version, events, self.metadata, conn)

    def receive(self, delivered: Envelope | list[Envelope], projection: Projection, fetch: Fetch) -> int:
        """Apply what a `consume_events` entrypoint delivered (one envelope or a batch).

        A projection may append events of this service in the inbox's transaction; the
        relay is woken once that has committed.
        """
        with time_limit(FETCH_TIMEOUT):
            applied = self._provider.inbox.receive(delivered, projection, fetch)
        self.store.notify_committed()
        return applied

    def catch_up(self, source: str, projection: Projection, fetch: Fetch) -> int:
        """Read the source's log after our position and apply what we have not yet."""
        with time_limit(FETCH_TIMEOUT):
            applied = self._provider.inbox.catch_up(source, projection, fetch)
        self.store.notify_committed()
        return applied

    def read_events(self, after_position: int, limit: int) -> list[Envelope]:
        service = self._provider.container.service_name
        return [e.to_message(service) for e in self.store.read_all(after_position, limit)]

    def status(self) -> dict[str, Any]:
        """Log head, relay position, each source's consumed position, dead letters."""
        with self.engine.connect() as conn:
            consumed = {row.source: int(row.position) for row in conn.execute(sa.select(consumer_progress))}
            published = conn.execute(sa.select(sa.func.max(relay_progress.c.position))).scalar()
        return {
            "log_head": self.store.head(),
            "published": int(published or 0),
            "consumed": consumed,
            "dead_letters": dead_letter_count(self.engine),
        }

    def verify(self) -> VerifyReport:
        return verify_log(self.engine)
