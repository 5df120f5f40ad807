"""Walk the hash chain and name the first position where the log was tampered with."""

from __future__ import annotations

import sqlalchemy as sa

from .engine import readonly
from .envelope import GENESIS_HASH, chain_hash
from .schema import relay_progress
from .store import VerifyReport, _raw_after


def verify_log(engine: sa.Engine, batch: int = 5000) -> VerifyReport:
    """Recompute every link; report the first edited, deleted, inserted or moved event.

    - a missing position (a gap) means an event was deleted there;
    - a stored hash that does not match the event's own content means it was edited;
    - a prev_hash that does not match its predecessor's hash means an event was
      inserted or moved there, or the one before it was edited and re-hashed;
    - a relay that already published past the last position means events were
      deleted from the end of the log.
    """
    expected_position = 1
    prev = GENESIS_HASH
    checked = 0
    with readonly(engine.connect()) as conn:
        after = 0
        while True:
            rows = list(_raw_after(conn, after, batch))
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


def _bad(checked: int, position: int, problem: str) -> VerifyReport:
    return VerifyReport(ok=False, checked=checked, first_bad_position=position, problem=problem)
