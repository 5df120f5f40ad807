"""Walk the hash chain and name the first position where the log was tampered with."""

from __future__ import annotations

import dataclasses

import sqlalchemy as sa

from .engine import readonly
from .envelope import GENESIS_HASH, chain_hash
from .schema import relay_progress
from .seal import Sealer
from .store import _COLUMNS, VerifyReport, is_postgres


def verify_log(engine: sa.Engine, batch: int = 5000, seal_key: bytes | None = None) -> VerifyReport:
    """Recompute every link; report the first edited, deleted, inserted or moved event.

    With the service's `seal_key` (eventlog.seal), also every seal: an event without one,
    or whose seal does not match its hash, was written by someone without the key (a
    forged event appended at the end with a correct hash, or a stretch of the log
    re-hashed after an edit) and is named at its own position.

    - a missing position (a gap) means an event was deleted there;
    - a stored hash that does not match the event's own content means it was edited;
    - a prev_hash that does not match its predecessor's hash means an event was
      inserted or moved there, or the one before it was edited and re-hashed;
    - a relay that already published past the last position means events were
      deleted from the end of the log.
    """
    sealer = Sealer(seal_key) if seal_key else None
    return dataclasses.replace(_walk(engine, batch, sealer), sealed=sealer is not None)


def _walk(engine: sa.Engine, batch: int, sealer: Sealer | None) -> VerifyReport:
    expected_position = 1
    prev = GENESIS_HASH
    checked = 0
    with readonly(engine.connect()) as conn:
        after = 0
        while True:
            rows = list(_rows_after(conn, after, batch, sealed=sealer is not None))
            if not rows:
                break
            for row in rows:
                position = int(row[0])
                if position != expected_position:
                    return _bad(
                        checked,
                        expected_position,
                        f"position {expected_position} is missing: an event was deleted",
                    )
                if row[9] != prev:
                    return _bad(
                        checked,
                        position,
                        f"event at position {position} does not link to its "
                        "predecessor: an event was inserted or moved here, or the "
                        "one before it was edited and re-hashed",
                    )
                digest = chain_hash(
                    prev, position, row[1], int(row[2]), row[3], row[4], int(row[5]), row[6], row[7], row[8]
                )
                if digest != row[10]:
                    return _bad(
                        checked,
                        position,
                        f"event at position {position} was edited: its content no longer matches its hash",
                    )
                if sealer is not None and not sealer.matches(digest, row[11]):
                    what = "carries no seal" if row[11] is None else "has a seal that does not match its hash"
                    return _bad(
                        checked,
                        position,
                        f"event at position {position} {what} under the service's key: it was "
                        "written by someone without the key (forged, or re-hashed after an edit)",
                    )
                prev = digest
                expected_position += 1
                checked += 1
            after = int(rows[-1][0])
        published = conn.execute(sa.select(sa.func.max(relay_progress.c.position))).scalar()
    if published and int(published) >= expected_position:
        return _bad(
            checked,
            expected_position,
            f"the log ends at position {expected_position - 1} but position "
            f"{published} was already published: events were deleted at the end",
        )
    return VerifyReport(ok=True, checked=checked)


def _rows_after(conn: sa.Connection, after_position: int, limit: int, sealed: bool) -> sa.CursorResult:
    marker = "%s" if is_postgres(conn) else "?"
    columns = _COLUMNS + (", seal" if sealed else "")
    return conn.exec_driver_sql(
        f"SELECT {columns} FROM event_log WHERE position > {marker} ORDER BY position LIMIT {marker}",
        (after_position, limit),
    )


def _bad(checked: int, position: int, problem: str) -> VerifyReport:
    return VerifyReport(ok=False, checked=checked, first_bad_position=position, problem=problem)
