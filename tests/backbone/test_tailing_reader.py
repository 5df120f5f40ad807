"""A reader tailing "after position N" while many writers commit never skips an event."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import sqlalchemy as sa

from eventlog.engine import make_engine
from eventlog.schema import metadata as backbone_metadata
from eventlog.store import EventStore

WRITERS = 8
TRANSACTIONS_EACH = 400  # 400 transactions of 1-3 events: ~6,400 events in all


def test_a_tailing_reader_sees_every_event_once_and_in_final_order(pg_url):
    engine = make_engine(pg_url)
    backbone_metadata.create_all(engine)
    store = EventStore(engine)
    script = Path(__file__).with_name("writer_process.py")
    writers = [
        subprocess.Popen([sys.executable, str(script), pg_url, f"w{n}", str(TRANSACTIONS_EACH)])
        for n in range(WRITERS)
    ]
    seen: list[tuple[int, str]] = []
    heads_while_writing: set[int] = set()  # how far the reader had got, read mid-write
    after = 0
    while True:
        writing = any(w.poll() is None for w in writers)
        page = store.read_all(after, 500)
        seen.extend((e.position, e.event_id) for e in page)
        if page:
            after = page[-1].position
            if writing and any(w.poll() is None for w in writers):  # the read lay inside the writes
                heads_while_writing.add(after)
        elif all(w.poll() is not None for w in writers):
            if not store.read_all(after, 1):
                break
        else:
            time.sleep(0.001)

    assert all(w.returncode == 0 for w in writers)
    with engine.connect() as conn:
        final = [
            tuple(r)
            for r in conn.execute(sa.text("SELECT position, event_id FROM event_log ORDER BY position"))
        ]
    expected_events = WRITERS * sum(1 + i % 3 for i in range(TRANSACTIONS_EACH))
    assert len(final) == expected_events
    assert seen == final  # every event, exactly once, in the log's final order
    assert [p for p, _ in final] == list(range(1, expected_events + 1))  # gap-free
    # The reader really tailed a growing log, not one already complete.
    assert len(heads_while_writing - {expected_events}) >= 2, sorted(heads_while_writing)
    engine.dispose()
