"""The nameko dependency that gives each worker its service's event log."""

from __future__ import annotations

import logging
import threading
import weakref
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from nameko.constants import AMQP_URI_CONFIG_KEY
from nameko.containers import WorkerContext
from nameko.extensions import DependencyProvider

from .answers import REQUEST_KEY, Answers
from .contracts import ContractRegistry
from .engine import database_url, make_engine
from .envelope import Metadata, NewEvent, StoredEvent
from .green import time_limit
from .inbox import Envelope, Fetch, Inbox, Projection, dead_letter_count, record_dead_letter
from .relay import Relay
from .rpc_entrypoint import TolerantRpc
from .schema import consumer_progress, relay_progress
from .seal import key_from_text, seal_key
from .store import EventStore, VerifyReport
from .verify import verify_log

log = logging.getLogger(__name__)

# A source that does not answer within this is retried later (its events stay in its log).
FETCH_TIMEOUT = 30.0
PRUNE_ANSWERS_EVERY = 3600.0


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
        configured = self.container.config.get("SEAL_KEY")
        self.seal_key = key_from_text(configured) if configured else seal_key(service)
        self.store = EventStore(self.engine, validate=registry.check, seal_key=self.seal_key)
        self.inbox = Inbox(self.engine)
        self.relay: Relay | None = None
        if self.with_relay:
            self.relay = Relay(self.store, service, self.container.config[AMQP_URI_CONFIG_KEY])
        self._answers = Answers(self.engine)
        self._answers_present: bool | None = None  # is the table there? looked up on first use
        self._stopping = threading.Event()
        self._workers: weakref.WeakKeyDictionary[WorkerContext, WorkerEventLog] = weakref.WeakKeyDictionary()

    def start(self) -> None:
        if self.relay is not None:
            self.container.spawn_managed_thread(self.relay.run, identifier="eventlog.relay")
        self.container.spawn_managed_thread(self._prune_answers, identifier="eventlog.prune_answers")

    def stop(self) -> None:
        self._stopping.set()
        if self.relay is not None:
            self.relay.stop()
        self.engine.dispose()

    def kill(self) -> None:
        self.stop()

    def record_dead_letter(self, body: Any, reason: str) -> None:
        with self.engine.begin() as conn:
            record_dead_letter(conn, body, reason)

    @property
    def answers(self) -> Answers | None:
        """The store's `rpc_requests` table (ADR 060); None in a store not migrated to it
        (then commands are not deduplicated: a warning says so once)."""
        if self._answers_present is None:
            try:
                present = sa.inspect(self.engine).has_table("rpc_requests")
            except sa.exc.DBAPIError as exc:  # the database is away: ask again next time
                log.warning("could not look for the rpc_requests table: %s", exc)
                return None
            if not present and self._answers_present is None:
                log.warning(
                    "%s: no rpc_requests table (run the migrations): a redelivered command is executed again",
                    self.container.service_name,
                )
            self._answers_present = present
        # One object for the container's life: it also knows the requests under way.
        return self._answers if self._answers_present else None

    def get_dependency(self, worker_ctx: WorkerContext) -> WorkerEventLog:
        request = None
        request_id = worker_ctx.data.get(REQUEST_KEY)
        # Only our RPC entrypoint sets the key from the message itself; anything else
        # (an event's headers, a caller's context) is not trusted with it.
        if isinstance(worker_ctx.entrypoint, TolerantRpc) and isinstance(request_id, str) and self.answers:
            request = (request_id, worker_ctx.entrypoint.method_name)
        worker = WorkerEventLog(self, _metadata(worker_ctx), request)
        if request is not None:
            self._workers[worker_ctx] = worker
        return worker

    def worker_teardown(self, worker_ctx: WorkerContext) -> None:
        self._workers.pop(worker_ctx, None)

    def claimed(self, worker_ctx: WorkerContext) -> bool:
        """Whether the worker committed a claim on its RPC request (it applied the command)."""
        worker = self._workers.get(worker_ctx)
        return worker is not None and worker.claim_committed

    def _prune_answers(self) -> None:
        while not self._stopping.wait(PRUNE_ANSWERS_EVERY):
            try:
                if self.answers is not None:
                    self.answers.prune()
            except Exception:  # a database that is away: try again next round
                log.warning("could not prune old rpc_requests rows", exc_info=True)


def _metadata(worker_ctx: WorkerContext) -> Metadata:
    stack = worker_ctx.call_id_stack or []
    return Metadata(
        actor=str(worker_ctx.data.get("actor") or f"service:{worker_ctx.service_name}"),
        correlation_id=worker_ctx.data.get("correlation_id") or (stack[0] if stack else None),
        causation_id=worker_ctx.call_id,
    )


class WorkerEventLog:
    """What one worker may do with the log: write in a transaction, consume, read."""

    def __init__(
        self, provider: EventLog, metadata: Metadata, request: tuple[str, str] | None = None
    ) -> None:
        self._provider = provider
        self.store = provider.store
        self.metadata = metadata
        # (correlation id, method) of the RPC request this worker handles, if deduplicated
        self._request = request
        self._claimed_on: sa.Connection | None = None
        self._own: set[sa.Connection] = set()  # connections of `transaction()`s under way
        self.claim_committed = False

    @property
    def engine(self) -> sa.Engine:
        return self._provider.engine

    @contextmanager
    def transaction(self) -> Iterator[sa.Connection]:
        """One transaction for state tables and appended events; the relay wakes after."""
        conn: sa.Connection | None = None
        try:
            with self.engine.begin() as conn:
                self._own.add(conn)
                yield conn
        except BaseException:
            self._claim_undone(conn)  # rolled back, or the commit failed
            raise
        finally:
            self._own.discard(conn)  # type: ignore[arg-type]
        self._claim_kept(conn)
        self.store.notify_committed()

    def append(
        self,
        stream_id: str,
        expected_version: int | None,
        events: Sequence[NewEvent],
        conn: sa.Connection | None = None,
    ) -> list[StoredEvent]:
        """Append to a stream (see `EventStore.append`); pass `conn` to append inside a
        transaction that also writes state. In a worker handling an RPC request, the first
        append also claims the request in that transaction (ADR 060): a second delivery
        of it is then answered from the stored reply, never executed again."""
        if conn is None:
            with self.transaction() as own:
                return self.append(stream_id, expected_version, events, own)
        stored = self.store.append(stream_id, expected_version, events, self.metadata, conn)
        if stored and self._request is not None and self._claimed_on is None and not self.claim_committed:
            answers = self._provider.answers
            assert answers is not None  # a request is only given to workers when it is there
            answers.claim(conn, *self._request)
            self._claimed_on = conn
            if conn not in self._own:  # the caller's own transaction: learn how it ends
                sa.event.listen(conn, "commit", self._claim_kept)
                sa.event.listen(conn, "rollback", self._claim_undone)
        return stored

    def _claim_kept(self, conn: sa.Connection | None) -> None:
        if conn is not None and conn is self._claimed_on:
            self._claimed_on = None
            self.claim_committed = True

    def _claim_undone(self, conn: sa.Connection | None) -> None:
        if conn is not None and conn is self._claimed_on:
            self._claimed_on = None

    def receive(self, delivered: Envelope | list[Envelope], projection: Projection, fetch: Fetch) -> int:
        """Apply what a `consume_events` entrypoint delivered (one envelope or a batch).

        A projection may append events of this service in the inbox's transaction; the
        relay is woken once that has committed (and only then: most events a consumer
        applies write none of its own).
        """
        appends = self.store.appends
        with time_limit(FETCH_TIMEOUT):
            applied = self._provider.inbox.receive(delivered, projection, fetch)
        if self.store.appends != appends:
            self.store.notify_committed()
        return applied

    def catch_up(self, source: str, projection: Projection, fetch: Fetch) -> int:
        """Read the source's log after our position and apply what we have not yet."""
        appends = self.store.appends
        with time_limit(FETCH_TIMEOUT):
            applied = self._provider.inbox.catch_up(source, projection, fetch)
        if self.store.appends != appends:
            self.store.notify_committed()
        return applied

    def catch_up_when_quiet(self, source: str, projection: Projection, fetch: Fetch) -> int:
        """`catch_up`, for a timer: skipped when the bus delivered something of `source`
        since the last tick (that delivery closed any gap before it, so only a tail can be
        missing, and the next quiet tick reads it). Under a steady stream this saves
        reading over RPC, and applying, events that are already on their way."""
        if self._provider.inbox.heard_from(source):
            return 0
        return self.catch_up(source, projection, fetch)

    def read_events(self, after_position: int, limit: int) -> list[Envelope]:
        service = self._provider.container.service_name
        return [e.to_message(service) for e in self.store.read_all(after_position, limit)]

    def status(self) -> dict[str, Any]:
        """Log head, relay position, each source's consumed position, dead letters."""
        with self.engine.connect() as conn:
            consumed = {row.source: int(row.position) for row in conn.execute(sa.select(consumer_progress))}
            published = conn.execute(sa.select(sa.func.max(relay_progress.c.position))).scalar()
        relay = self._provider.relay
        return {
            "log_head": self.store.head(),
            "published": int(published or 0),
            "consumed": consumed,
            "dead_letters": dead_letter_count(self.engine),
            "relay_halted_at": relay.halted_at if relay is not None else None,
        }

    def verify(self) -> VerifyReport:
        return verify_log(self.engine, seal_key=self._provider.seal_key)
