"""The outbox relay: publishes committed events, in log order, with batched confirms."""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
import uuid
from collections.abc import Sequence

import amqp
import kombu
import sqlalchemy as sa

from .envelope import StoredEvent
from .schema import relay_progress
from .store import EventStore

log = logging.getLogger(__name__)

LEASE_SECONDS = 10.0


def events_exchange(source: str) -> str:
    return f"{source}.events"


class ConfirmingPublisher:
    """Publishes a batch of messages and waits for the broker to confirm all of them.

    One confirm round trip per batch instead of one per message is what lets the relay
    run several times faster than a per-message-confirm publisher while every message
    is still confirmed before the relay records it as published.
    """

    def __init__(self, amqp_uri: str, exchange: str, confirm_timeout: float = 10.0) -> None:
        self.amqp_uri = amqp_uri
        self.exchange = exchange
        self.confirm_timeout = confirm_timeout
        self._conn: kombu.Connection | None = None
        self._channel: amqp.Channel | None = None
        self._next_tag = 0
        self._unconfirmed: set[int] = set()
        self._nacked = False

    def _ensure(self) -> amqp.Channel:
        if self._channel is not None:
            return self._channel
        conn = kombu.Connection(self.amqp_uri, connect_timeout=5, heartbeat=0)
        conn.connect()
        channel = conn.channel()
        channel.exchange_declare(self.exchange, "topic", durable=True, auto_delete=False)
        channel.confirm_select()
        channel.events["basic_ack"].add(self._on_ack)
        channel.events["basic_nack"].add(self._on_nack)
        self._conn, self._channel = conn, channel
        self._next_tag = 0
        self._unconfirmed = set()
        self._nacked = False
        return channel

    def _on_ack(self, delivery_tag: int, multiple: bool) -> None:
        if multiple:
            self._unconfirmed = {tag for tag in self._unconfirmed if tag > delivery_tag}
        else:
            self._unconfirmed.discard(delivery_tag)

    def _on_nack(self, delivery_tag: int, multiple: bool) -> None:
        self._nacked = True

    def publish_batch(self, messages: Sequence[tuple[str, bytes, dict[str, object]]]) -> None:
        """Publish (routing key, body, properties) triples; return once all are confirmed."""
        channel = self._ensure()
        try:
            for routing_key, body, properties in messages:
                message = amqp.Message(
                    body,
                    content_type="application/json",
                    content_encoding="utf-8",
                    delivery_mode=2,
                    **properties,
                )
                channel.basic_publish(message, exchange=self.exchange, routing_key=routing_key)
                self._next_tag += 1
                self._unconfirmed.add(self._next_tag)
            deadline = time.monotonic() + self.confirm_timeout
            assert self._conn is not None
            while self._unconfirmed and not self._nacked:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise TimeoutError("the broker did not confirm the batch in time")
                try:
                    self._conn.drain_events(timeout=min(remaining, 1.0))
                except TimeoutError:
                    continue
            if self._nacked:
                raise ConnectionError("the broker refused (nacked) a message of the batch")
        except Exception:
            self.close()
            raise

    def close(self) -> None:
        conn, self._conn, self._channel = self._conn, None, None
        if conn is not None:
            try:
                conn.release()
            except Exception:  # the connection is already broken; nothing to keep
                pass


def envelope_body(event: StoredEvent, source: str) -> bytes:
    return event.to_message_json(source).encode("utf-8")


class Relay:
    """Moves events from a service's log to its `<service>.events` topic exchange.

    It reads after the position it last recorded, publishes a batch with confirms, then
    records the new position. A crash between the two re-publishes the batch, which
    consumers skip by position: delivery is at least once, application exactly once.
    A broker outage only delays: the relay retries from its recorded position.
    Only the instance holding the lease publishes, so two service instances never
    interleave their streams.
    """

    def __init__(
        self,
        store: EventStore,
        source: str,
        amqp_uri: str,
        batch_size: int = 500,
        idle_wait: float = 0.05,
    ) -> None:
        self.store = store
        self.source = source
        self.publisher = ConfirmingPublisher(amqp_uri, events_exchange(source))
        self.batch_size = batch_size
        self.idle_wait = idle_wait
        self.owner = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        self._wake = threading.Event()
        self._stopped = threading.Event()
        self._position: int | None = None  # what we recorded, while we hold the lease
        self._lease_until = 0.0
        self.standing_by = False
        # The position of an event the store's key did not seal (eventlog.seal): the relay
        # publishes nothing from there on until it is gone, so a row slipped into the log
        # never reaches a consumer.
        self.halted_at: int | None = None
        store.on_commit(self._wake.set)

    # -- progress and lease ------------------------------------------------------

    def _claim(self) -> int | None:
        """Take or renew the lease; return the recorded position if we hold it."""
        now = time.time()
        with self.store.engine.begin() as conn:
            row = conn.execute(
                sa.select(relay_progress.c.position).where(relay_progress.c.name == self.source)
            ).first()
            if row is None:
                conn.execute(
                    relay_progress.insert().values(
                        name=self.source,
                        position=0,
                        owner=self.owner,
                        lease_until=now + LEASE_SECONDS,
                    )
                )
                return 0
            updated = conn.execute(
                relay_progress.update()
                .where(relay_progress.c.name == self.source)
                .where(
                    sa.or_(
                        relay_progress.c.owner == self.owner,
                        relay_progress.c.lease_until < now,
                    )
                )
                .values(owner=self.owner, lease_until=now + LEASE_SECONDS)
            )
            return int(row[0]) if updated.rowcount == 1 else None

    def _held_position(self) -> int | None:
        """Our recorded position, renewing the lease only when half of it has run out."""
        if self._position is None or time.time() > self._lease_until - LEASE_SECONDS / 2:
            started = time.time()
            self._position = self._claim()
            self._lease_until = started + LEASE_SECONDS if self._position is not None else 0.0
        self.standing_by = self._position is None
        return self._position

    def _record(self, position: int) -> None:
        started = time.time()
        with self.store.engine.begin() as conn:
            updated = conn.execute(
                relay_progress.update()
                .where(relay_progress.c.name == self.source)
                .where(relay_progress.c.owner == self.owner)
                .values(position=position, lease_until=started + LEASE_SECONDS)
            )
        if updated.rowcount == 1:
            self._position, self._lease_until = position, started + LEASE_SECONDS
        else:  # another instance took over: it re-publishes from its own recorded position
            self._position, self._lease_until = None, 0.0

    def published_position(self) -> int:
        with self.store.engine.connect() as conn:
            value = conn.execute(
                sa.select(relay_progress.c.position).where(relay_progress.c.name == self.source)
            ).scalar()
            return int(value or 0)

    # -- the loop --------------------------------------------------------------------

    def run_once(self) -> int:
        """Publish at most one batch. Returns how many events were published."""
        position = self._held_position()
        if position is None:
            return 0
        events = self.store.read_all(position, self.batch_size)
        if not events:
            return 0
        forged = self.store.first_unsealed(events)
        if forged is not None:
            if forged != self.halted_at:
                log.error(
                    "relay %s halted: the event at position %d is not sealed by this service's key"
                    " (written by someone without it); nothing from there on is published."
                    " Run `python -m reporting.replay verify`",
                    self.source,
                    forged,
                )
            self.halted_at = forged
            events = [event for event in events if event.position < forged]
            if not events:
                return 0
        else:
            self.halted_at = None
        self.publisher.publish_batch(
            [
                (
                    event.type,
                    envelope_body(event, self.source),
                    {
                        "message_id": event.event_id,
                        "application_headers": {
                            "source": self.source,
                            "position": event.position,
                        },
                    },
                )
                for event in events
            ]
        )
        self._record(events[-1].position)
        return len(events)

    def run(self) -> None:
        """Publish until `stop()`; back off while the broker is away."""
        backoff = 0.2
        while not self._stopped.is_set():
            try:
                published = self.run_once()
                backoff = 0.2
            except Exception as exc:  # broker down, connection cut, database busy
                log.warning("relay %s: %s; retrying in %.1fs", self.source, exc, backoff)
                self._stopped.wait(backoff)
                backoff = min(backoff * 2, 5.0)
                continue
            if self.standing_by:  # another instance publishes; check its lease now and then
                self._stopped.wait(LEASE_SECONDS / 4)
            elif self.halted_at is not None and not published:
                self._stopped.wait(1.0)
            elif published < self.batch_size:
                self._wake.wait(self.idle_wait)
                self._wake.clear()

    def drain(self, timeout: float = 30.0) -> None:
        """Publish until everything committed so far is out (for tools and tests)."""
        deadline = time.monotonic() + timeout
        while self.published_position() < self.store.head():
            if time.monotonic() > deadline:
                raise TimeoutError(f"relay {self.source} did not catch up in {timeout}s")
            try:
                self.run_once()
            except Exception as exc:
                log.warning("relay %s: %s", self.source, exc)
                time.sleep(0.2)
                continue
            if self.halted_at is not None and self.published_position() >= self.halted_at - 1:
                raise RuntimeError(
                    f"relay {self.source} halted at an unsealed event, position {self.halted_at}"
                )

    def stop(self) -> None:
        self._stopped.set()
        self._wake.set()
        self.publisher.close()
