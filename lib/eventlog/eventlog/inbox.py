"""The consumer side: apply another service's events exactly once, in its log order."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Sequence
from typing import Any, Protocol

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from .engine import is_postgres, readonly
from .envelope import envelope_is_intact, iso, utcnow
from .errors import EventLogError
from .schema import consumer_progress, dead_letters

log = logging.getLogger(__name__)

Envelope = dict[str, Any]
Fetch = Callable[[int, int], Sequence[Envelope]]
"""Reads the source's log over RPC: (after_position, limit) -> envelopes in order."""

CATCH_UP_BATCH = 1000

Parsed = tuple[Envelope, Any, "str | None"]
"""An envelope, what the projection read from it (None: not its concern), and why it
could not be read (None when it could)."""


class UnreadableEvent(EventLogError):
    """An event this consumer cannot parse: dead-lettered, counted, and stepped over."""


class Projection(Protocol):
    """What a consumer does with a source's events.

    `read` parses the envelope (tolerantly) and returns what `apply` needs, or None for
    an event type this consumer does not care about (its position still advances). It
    raises UnreadableEvent for a payload it cannot parse. `apply` writes the consumer's
    own tables on the given connection, inside the transaction that also records the
    position; it must not call other services (SQLite must not yield while locked).
    """

    def read(self, envelope: Envelope) -> Any | None: ...

    def apply(self, conn: sa.Connection, envelope: Envelope, event: Any) -> None: ...


def check_envelope(body: Any) -> Envelope:
    """The minimum every envelope must carry; anything less is a poison message."""
    if not isinstance(body, dict):
        raise UnreadableEvent("the message is not a JSON object")
    for key, kind in (("source", str), ("position", int), ("type", str), ("payload", dict)):
        if not isinstance(body.get(key), kind) or isinstance(body.get(key), bool):
            raise UnreadableEvent(f"envelope field {key!r} is missing or not a {kind.__name__}")
    if body["position"] < 1:
        raise UnreadableEvent("envelope field 'position' must be 1 or more")
    return body


class Inbox:
    """Records (source, position) in the same transaction as the consumer's writes."""

    def __init__(self, engine: sa.Engine) -> None:
        self.engine = engine
        # Sources whose deliveries this inbox took in full since `heard_from` last asked.
        self._heard: set[str] = set()

    def heard_from(self, source: str) -> bool:
        """Whether a delivery of `source` was taken in full (applied, or already applied)
        since the last time this was asked. A consumer's catch-up timer needs to read the
        source's log only when the bus went quiet: while deliveries flow, each one fills
        any gap before it, and the tail is read on the first quiet tick."""
        heard = source in self._heard
        self._heard.discard(source)
        return heard

    def position(self, source: str) -> int:
        with readonly(self.engine.connect()) as conn:
            value = conn.execute(
                sa.select(consumer_progress.c.position).where(consumer_progress.c.source == source)
            ).scalar()
            return int(value or 0)

    def receive(self, delivered: Any, projection: Projection, fetch: Fetch) -> int:
        """Apply delivered envelopes (one, or a batch from one source) in log order.

        Duplicates are skipped; a gap before or between them is filled from the source's
        log over RPC first (outside any transaction). Returns how many events were applied.
        A malformed envelope raises UnreadableEvent (the caller dead-letters the message;
        a later event or the catch-up timer fills its position from the source's log).
        """
        batch = delivered if isinstance(delivered, list) else [delivered]
        envelopes: list[Parsed] = []
        for body in batch:
            envelope = check_envelope(body)
            try:
                envelopes.append(self._authentic(envelope, projection, fetch))
            except UnreadableEvent as exc:  # forged: count it, keep the rest of the batch
                log.error("dead-lettering a message: %s", exc)
                with self.engine.begin() as conn:
                    record_dead_letter(conn, body, str(exc))
        if not envelopes:
            return 0
        source = envelopes[0][0]["source"]
        if any(e["source"] != source for e, _, _ in envelopes):
            raise UnreadableEvent("a batch must hold events of one source")
        # The usual case is one transaction: the position is read under its lock and the
        # run after it applied. Only when something before the delivered events is
        # missing is the gap read from the source (outside the transaction) and the
        # apply tried again.
        by_position = {parsed[0]["position"]: parsed for parsed in envelopes}
        applied = 0
        for _attempt in range(5):
            count, tracked, complete = self._apply(
                source, [by_position[p] for p in sorted(by_position)], projection
            )
            applied += count
            if complete:
                self._heard.add(source)
                return applied
            by_position = {p: parsed for p, parsed in by_position.items() if p > tracked}
            last = max(by_position)
            missing = [e for e in _fetch_range(fetch, tracked, last) if e["position"] not in by_position]
            by_position.update((parsed[0]["position"], parsed) for parsed in parse(projection, missing))
        raise EventLogError(f"could not close the gap before position {last} of {source}")

    @staticmethod
    def _authentic(envelope: Envelope, projection: Projection, fetch: Fetch) -> Parsed:
        """The delivered envelope read by the projection, or the source log's own copy
        (read in turn) when the delivered one was altered or is unreadable.

        A message changed in transit (its hash no longer matches) or one this consumer
        cannot read is never trusted: the event at that position is read again from the
        source. A message naming a position the source has never written is refused.
        """
        if envelope_is_intact(envelope):
            try:
                return envelope, projection.read(envelope), None
            except UnreadableEvent:
                pass
        position = envelope["position"]
        original = [e for e in fetch(position - 1, 1) if e.get("position") == position]
        if not original:
            raise UnreadableEvent(f"position {position} is not in the source's log: a forged message")
        return parse(projection, [check_envelope(original[0])])[0]

    def catch_up(self, source: str, projection: Projection, fetch: Fetch) -> int:
        """Read the source's log after our position and apply everything found."""
        total = 0
        while True:
            tracked = self.position(source)
            page = [check_envelope(e) for e in fetch(tracked, CATCH_UP_BATCH)]
            if not page:
                return total
            applied, reached, _ = self._apply(source, parse(projection, page), projection)
            total += applied
            if reached == tracked:
                # Nothing after our position fits (a gap in the source's own log):
                # stop rather than spin; verify on the source names the damage.
                log.error("%s: cannot continue after position %s", source, tracked)
                return total

    def _apply(self, source: str, pending: Sequence[Parsed], projection: Projection) -> tuple[int, int, bool]:
        """Apply the contiguous run after our position: (how many applied, the position
        reached, whether everything in `pending` is at or before it)."""
        parsed = sorted(pending, key=lambda p: p[0]["position"])
        applied = 0
        with self.engine.begin() as conn:
            tracked = start = _lock_position(conn, source)
            for envelope, event, problem in parsed:
                position = envelope["position"]
                if position <= tracked:
                    continue
                if position != tracked + 1:
                    break
                if problem is not None:
                    log.error("%s event at position %s is unreadable: %s", source, position, problem)
                    record_dead_letter(conn, envelope, problem)
                elif event is not None:
                    projection.apply(conn, envelope, event)
                    applied += 1
                tracked = position
            if tracked != start:
                conn.execute(_SET_POSITION, {"of_source": source, "reached": tracked})
        return applied, tracked, tracked >= parsed[-1][0]["position"] if parsed else True


def parse(projection: Projection, envelopes: Sequence[Envelope]) -> list[Parsed]:
    """Each envelope with what the projection reads from it, or why it cannot."""
    out: list[Parsed] = []
    for envelope in envelopes:
        try:
            out.append((envelope, projection.read(envelope), None))
        except UnreadableEvent as exc:
            out.append((envelope, None, str(exc)))
    return out


def _fetch_range(fetch: Fetch, after: int, last: int) -> list[Envelope]:
    found: list[Envelope] = []
    while after < last:
        page = [check_envelope(e) for e in fetch(after, min(CATCH_UP_BATCH, last - after))]
        if not page:
            break
        found.extend(e for e in page if e["position"] <= last)
        after = page[-1]["position"]
    return found


_POSITION_FOR_UPDATE = (
    sa.select(consumer_progress.c.position)
    .where(consumer_progress.c.source == sa.bindparam("source"))
    .with_for_update()
)
_SET_POSITION = (
    consumer_progress.update()
    .where(consumer_progress.c.source == sa.bindparam("of_source"))
    .values(position=sa.bindparam("reached"))
)
"""Built once: a consumer runs them for every batch it applies."""


def _lock_position(conn: sa.Connection, source: str) -> int:
    value = conn.execute(_POSITION_FOR_UPDATE, {"source": source}).scalar()
    if value is None:
        dialect_insert = postgresql_insert if is_postgres(conn) else sqlite_insert
        conn.execute(
            dialect_insert(consumer_progress)
            .values(source=source, position=0)
            .on_conflict_do_nothing(index_elements=["source"])
        )
        value = conn.execute(_POSITION_FOR_UPDATE, {"source": source}).scalar()
    return int(value or 0)


def record_dead_letter(conn: sa.Connection, body: Any, reason: str) -> None:
    """Keep what could not be applied, with why, so it is counted and can be inspected."""
    envelope = body if isinstance(body, dict) else {}
    text = body if isinstance(body, str) else json.dumps(body, ensure_ascii=False, default=str)
    conn.execute(
        dead_letters.insert().values(
            source=envelope.get("source") if isinstance(envelope.get("source"), str) else None,
            position=envelope.get("position") if isinstance(envelope.get("position"), int) else None,
            event_type=envelope.get("type") if isinstance(envelope.get("type"), str) else None,
            reason=reason,
            body=text[:100_000],
            received_at=iso(utcnow()),
        )
    )


def dead_letter_count(engine: sa.Engine) -> int:
    with readonly(engine.connect()) as conn:
        return int(conn.execute(sa.select(sa.func.count()).select_from(dead_letters)).scalar() or 0)
