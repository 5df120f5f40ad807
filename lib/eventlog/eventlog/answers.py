"""Exactly-once answers for RPC commands (ADR 060).

A command applied by an RPC worker leaves a row in `rpc_requests`, keyed by the request's
correlation id and inserted in the very transaction that appended its events: proof that
it was applied. The reply is stored on that row before it is published, so a delivery of
the same request that comes again (the broker redelivers what was not acked) is answered
from the row instead of being executed a second time.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import sqlalchemy as sa
from eventlet.semaphore import Semaphore
from kombu.utils import json as kombu_json
from nameko.exceptions import serialize

from .engine import is_postgres
from .envelope import iso, utcnow
from .errors import AlreadyClaimed
from .refusals import CommandRefused
from .schema import rpc_requests

log = logging.getLogger(__name__)

REQUEST_KEY = "eventlog.request_id"
"""Where `TolerantRpc` puts the request's correlation id in the worker's context data."""

ANSWER_WAIT = 5.0  # how long a later delivery waits for the reply of a claimed request
POLL_INTERVAL = 0.05
KEEP_ANSWERS = timedelta(days=7)  # callers stop retrying long before this
MAX_ID_LENGTH = 200  # the column's width; a longer correlation id is not deduplicated

Reply = dict[str, Any]
"""What nameko sends back: {"result": ..., "error": None or a serialised exception}."""


@dataclass(frozen=True)
class Recorded:
    """A request some delivery applied; `reply` is None until its answer is stored."""

    method: str
    reply: Reply | None


class Answers:
    """The `rpc_requests` table of one service's store, and which requests this process
    is handling right now (so two deliveries of one request run one after the other)."""

    def __init__(self, engine: sa.Engine) -> None:
        self.engine = engine
        self._postgres = is_postgres(engine)
        marker = "%s" if self._postgres else "?"
        self._lookup_sql = f"SELECT method, reply FROM rpc_requests WHERE correlation_id = {marker}"
        self._claim_sql = (
            "INSERT INTO rpc_requests (correlation_id, method, claimed_at, reply) "
            f"VALUES ({marker}, {marker}, {marker}, NULL)"
        )
        self._store_sql = (
            f"UPDATE rpc_requests SET reply = {marker} WHERE correlation_id = {marker} AND reply IS NULL"
        )
        if self._postgres:
            # The reply need not survive a database crash (a redelivery would then be
            # answered `already_applied`), so its commit does not wait for the WAL flush:
            # one fsync per command is the claim's, in the command's own transaction.
            self._store_sql = "SET LOCAL synchronous_commit TO OFF; " + self._store_sql
        self._in_flight: dict[str, tuple[Semaphore, list[int]]] = {}

    # -- the table -------------------------------------------------------------

    def recorded(self, correlation_id: str) -> Recorded | None:
        """The request's row, if some delivery of it already applied it.

        Every RPC delivery asks, so this is a primary-key read on the bare DBAPI
        connection: SQLAlchemy's per-statement work would cost more than the read (on
        SQLite it runs in autocommit: one statement, no write lock).
        """
        with self._bare(autocommit=True) as cursor:  # PostgreSQL: no BEGIN and ROLLBACK
            cursor.execute(self._lookup_sql, (correlation_id,))
            row = cursor.fetchone()
        if row is None:
            return None
        method, reply = row
        return Recorded(method, kombu_json.loads(reply) if reply is not None else None)

    def claim(self, conn: sa.Connection, correlation_id: str, method: str) -> None:
        """Record, in the caller's transaction, that this delivery applies the request.

        Raises AlreadyClaimed if another delivery claimed it first (the caller's
        transaction must then roll back: the command is not applied twice).
        """
        try:
            conn.exec_driver_sql(self._claim_sql, (correlation_id, method, iso(utcnow())))
        except sa.exc.IntegrityError as exc:
            raise AlreadyClaimed(correlation_id) from exc

    def store(self, correlation_id: str, reply: Reply) -> bool:
        """Keep the reply of a request this process applied; False if it could not."""
        try:
            text = kombu_json.dumps(reply)
        except (TypeError, ValueError) as exc:
            log.warning("the reply to %s is not JSON (%s): a redelivery is answered 409", correlation_id, exc)
            return False
        # One statement, committed on its own (on SQLite in autocommit: a write lock for
        # the UPDATE alone), on the bare DBAPI connection like `recorded`; the rowcount is
        # the UPDATE's (the last statement's).
        with self._bare(autocommit=False) as cursor:
            cursor.execute(self._store_sql, (text, correlation_id))
            updated = cursor.rowcount
        return updated == 1

    @contextmanager
    def _bare(self, autocommit: bool) -> Iterator[Any]:
        """A cursor on a pooled DBAPI connection, committed after; a connection that
        failed is discarded (SQLAlchemy's disconnect handling does not see these calls)."""
        raw = self.engine.raw_connection()
        try:
            if self._postgres and autocommit:
                raw.driver_connection.autocommit = True  # type: ignore[union-attr]
            cursor = raw.cursor()
            try:
                yield cursor
            finally:
                cursor.close()
            if self._postgres and autocommit:
                raw.driver_connection.autocommit = False  # type: ignore[union-attr]
            else:
                raw.commit()
        except BaseException:
            raw.invalidate()
            raise
        finally:
            raw.close()

    def wait_for_reply(self, correlation_id: str, seen: Recorded, timeout: float | None = None) -> Recorded:
        """The row once its reply is stored, or as it is after `timeout` (default
        ANSWER_WAIT: the delivery that applied it may still be finishing, in another
        instance, or may have died between its commit and storing the reply)."""
        deadline = time.monotonic() + (ANSWER_WAIT if timeout is None else timeout)
        while seen.reply is None and time.monotonic() < deadline:
            time.sleep(POLL_INTERVAL)
            seen = self.recorded(correlation_id) or seen
        return seen

    def prune(self, older_than: timedelta = KEEP_ANSWERS) -> int:
        """Forget requests claimed longer ago than `older_than`; how many were dropped."""
        cutoff = iso(utcnow() - older_than)
        with self.engine.begin() as conn:
            return int(conn.execute(rpc_requests.delete().where(rpc_requests.c.claimed_at < cutoff)).rowcount)

    # -- this process ----------------------------------------------------------

    def hold(self, correlation_id: str, timeout: float) -> bool:
        """Wait until no other delivery of the request is being handled in this process,
        then hold it; False if that took longer than `timeout` (nothing is held)."""
        semaphore, waiting = self._in_flight.setdefault(correlation_id, (Semaphore(1), [0]))
        waiting[0] += 1
        if semaphore.acquire(timeout=timeout):
            return True
        self._forget(correlation_id, waiting)
        return False

    def release(self, correlation_id: str) -> None:
        entry = self._in_flight.get(correlation_id)
        if entry is None:  # a bug, but not one worth killing the container over
            log.error("released request %s, which was not held", correlation_id)
            return
        semaphore, waiting = entry
        semaphore.release()
        self._forget(correlation_id, waiting)

    def _forget(self, correlation_id: str, waiting: list[int]) -> None:
        waiting[0] -= 1
        if waiting[0] == 0:
            del self._in_flight[correlation_id]


def already_applied(method: str) -> Reply:
    """The answer for a request applied by an earlier delivery whose reply was lost."""
    refusal = CommandRefused(
        409,
        "already_applied",
        f"{method}: this command was applied by an earlier delivery of the same request, whose "
        "answer was lost; read the resource to see its state",
    )
    return {"result": None, "error": serialize(refusal)}


def applied_unanswered(method: str, error: BaseException) -> Reply:
    """The answer for a command this delivery applied, whose answer then failed to be
    built (the read-back after the commit failed: the database went away, say)."""
    refusal = CommandRefused(
        409,
        "already_applied",
        f"{method}: this command was applied, but its answer could not be built "
        f"({type(error).__name__}: {str(error)[:200]}); read the resource to see its state",
    )
    return {"result": None, "error": serialize(refusal)}


def reused_id(method: str, recorded: Recorded) -> Reply:
    """The answer for a request whose correlation id already named another command."""
    refusal = CommandRefused(
        409,
        "request_id_reused",
        f"{method}: this request's correlation id already names a {recorded.method} request",
    )
    return {"result": None, "error": serialize(refusal)}
