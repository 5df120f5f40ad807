"""Reporting benchmarks: replay throughput from PostgreSQL against the `eventsourcing`
library on the same machine and run, and report latency per level of the tree.

The events are a synthetic campaign year (generate_national.py: the tree, plans and
tasks, sessions with full minutes, shortcomings and their remediation, ratings,
oversight), written straight into each source's event_log (a valid hash chain, recorded
over the year) rather than through EventStore.append, which would take an hour at this
size. Both replays read the same events (types and payloads) from the same PostgreSQL
server: ours rebuilds every projection (facts, tree, pre-aggregated figures, indexes,
then ANALYZE) from the three logs; eventsourcing's reads its notification log back into
domain events and does nothing else, so the ratio is a floor. Each side replays twice,
interleaved (ours, theirs, ours, theirs) so that both meet the same moments of a shared
machine; the best of each is compared and every figure is printed.

Latency: for random nodes of each level, a year, a quarter and a month report, a term
that starts and ends inside a month and one across five years, and "as of" the end of a
month a year and a quarter report: all read from the pre-aggregates (by day for the
terms, by the month they were recorded in for "as of"); nearest-rank p50 and p99 of up
to SAMPLES requests per level and kind, fewer when a kind's time budget runs out first
(the row says how many).

`python bench/bench_reporting.py [--quick] [--scale S]`; `main(quick)` returns the rows.
Full: scale 0.055 (~1.08 M events, 13,750 cells), quick: 0.002 (~39,000 events).
Needs PostgreSQL (TEST_PG_ADMIN_URL, default postgres@127.0.0.1) and `eventsourcing[postgres]`.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import sys
import time
import uuid
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

import sqlalchemy as sa  # noqa: E402
from bench_eventlog import nearest_rank  # noqa: E402
from eventsourcing.application import Application  # noqa: E402
from eventsourcing.domain import Aggregate, event  # noqa: E402
from generate_national import GENERATORS, LEVELS, SOURCES, Tree, prepare  # noqa: E402

from eventlog.engine import make_engine  # noqa: E402
from eventlog.envelope import GENESIS_HASH, canonical_json, chain_hash  # noqa: E402
from eventlog.store import EventStore  # noqa: E402
from reporting.migrations_path import migrate_read_store  # noqa: E402
from reporting.periods import period_of  # noqa: E402
from reporting.rebuild import log_reader, rebuild  # noqa: E402
from reporting.report import build_report  # noqa: E402
from testing_support.databases import create_pg_database, drop_pg_database  # noqa: E402

ADMIN = os.environ.get("TEST_PG_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
SCALE = {True: 0.002, False: 0.055}
SAMPLES = 200
BUDGET = 10.0  # seconds of requests per level and kind at most
REPEATS = 2  # replays of each side, best kept
YEAR_START = datetime(2025, 1, 1)
KINDS = {  # kind of report -> (period, as_of)
    "year": ({"kind": "year", "year": 2025}, None),
    "quarter": ({"kind": "quarter", "year": 2025, "quarter": 3}, None),
    "month": ({"kind": "month", "year": 2025, "month": 10}, None),
    "term": ({"kind": "term", "from": "2025-02-10", "to": "2025-11-20"}, None),  # not whole months
    "term_years": ({"kind": "term", "from": "2020-10-01", "to": "2025-09-30"}, None),
    "as_of": ({"kind": "year", "year": 2025}, "2025-09-30"),
    "as_of_quarter": ({"kind": "quarter", "year": 2025, "quarter": 3}, "2025-10-31"),
}


def source_events(tree: Tree, source: str) -> Iterator[tuple[str, int, str, dict[str, Any]]]:
    """(stream id, stream version, type, payload) of one source's year, in log order."""
    for stream_id, batch in GENERATORS[source](tree):
        for version, new in enumerate(batch, start=1):
            yield stream_id, version, new.type, new.payload


def write_log(url: str, tree: Tree, source: str) -> int:
    """Fill a source's event_log with COPY: a valid hash chain, recorded evenly over the
    year in log order (so an "as of" sees part of it). Returns the events written."""
    total = sum(1 for _ in source_events(tree, source))
    step = timedelta(days=365) / max(total, 1)
    meta = canonical_json(
        {
            "actor": "bench",
            "correlation_id": None,
            "causation_id": None,
            "occurred_at": "2025-12-31T00:00:00.000000Z",
        }
    )
    prepare(url)
    engine = make_engine(url)
    raw = engine.raw_connection()
    cursor, prev, lines = raw.cursor(), GENESIS_HASH, []
    columns = (
        "position, stream_id, stream_version, event_id, event_type, schema_version, payload,"
        " metadata, recorded_at, prev_hash, hash"
    )

    def flush() -> None:
        text = "\n".join(lines) + "\n"
        cursor.copy_expert(f"COPY event_log ({columns}) FROM STDIN", io.StringIO(text))
        lines.clear()

    for position, (stream_id, version, kind, payload) in enumerate(source_events(tree, source), start=1):
        body, event_id = canonical_json(payload), uuid.uuid4().hex
        at = (YEAR_START + step * position).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        digest = chain_hash(prev, position, stream_id, version, event_id, kind, 1, body, meta, at)
        escaped = body.replace("\\", "\\\\")  # COPY text: JSON has no raw tab or newline
        lines.append(
            f"{position}\t{stream_id}\t{version}\t{event_id}\t{kind}\t1\t{escaped}\t{meta}\t{at}"
            f"\t{prev}\t{digest}"
        )
        prev = digest
        if len(lines) == 20_000:
            flush()
    if lines:
        flush()
    raw.commit()
    raw.close()
    engine.dispose()
    return total


class Unit(Aggregate):
    """eventsourcing's side: an aggregate that records each event as it is given."""

    @event("Registered")
    def __init__(self, kind: str, payload: dict) -> None:
        self.seen = 1

    @event("Recorded")
    def record(self, kind: str, payload: dict) -> None:
        self.seen += 1


def eventsourcing_store(dbname: str, tree: Tree) -> Any:
    """An `eventsourcing` application holding the same events (types and payloads) as
    ours, 50 per aggregate, in its own PostgreSQL database."""
    admin = sa.engine.make_url(ADMIN)
    app = Application(
        env={
            "PERSISTENCE_MODULE": "eventsourcing.postgres",
            "POSTGRES_DBNAME": dbname,
            "POSTGRES_HOST": admin.host or "127.0.0.1",
            "POSTGRES_PORT": str(admin.port or 5432),
            "POSTGRES_USER": admin.username or "postgres",
            "POSTGRES_PASSWORD": admin.password or "",
        }
    )
    batch: list[Any] = []
    unit = None
    for source in SOURCES:
        for n, (_, _, kind, payload) in enumerate(source_events(tree, source)):
            if n % 50 == 0:
                if unit is not None:
                    batch.append(unit)
                unit = Unit(kind, payload)
            else:
                unit.record(kind, payload)
            if len(batch) == 40:
                app.save(*batch)
                batch = []
        if unit is not None:
            batch.append(unit)
        unit = None
    if batch:
        app.save(*batch)
    return app


def eventsourcing_replay(app: Any) -> tuple[float, int]:
    """(events/s, events replayed) for `eventsourcing` reading its whole notification log
    back into domain events, through its own recorder and mapper, and nothing else."""
    started, seen, tally = time.perf_counter(), 0, 0
    start = 1
    while True:
        page = app.recorder.select_notifications(start, 5000)
        if not page:
            break
        for notification in page:
            domain_event = app.mapper.to_domain_event(notification)
            tally += len(getattr(domain_event, "payload", ()))
            seen += 1
        start = page[-1].id + 1
    return seen / (time.perf_counter() - started), seen


def our_replay(target: sa.Engine, logs: dict[str, sa.Engine]) -> float:
    """Seconds to rebuild every projection from the three logs, then ANALYZE."""
    readers = {s: log_reader(engine) for s, engine in logs.items()}
    heads = {s: EventStore(engine).head() for s, engine in logs.items()}
    started = time.perf_counter()
    rebuild(target, readers, heads)
    with target.begin() as conn:  # fresh statistics, as an operator would after a bulk load
        conn.exec_driver_sql("ANALYZE")
    return time.perf_counter() - started


def _check_adds_up(target: sa.Engine, sessions: sa.Engine, tree: Tree) -> None:
    """The rebuilt year counts every session held the log holds, summed over provinces."""
    with sessions.connect() as conn:
        held = conn.exec_driver_sql(
            "SELECT count(*) FROM event_log WHERE event_type = 'SessionHeld'"
        ).scalar()
    year = period_of(KINDS["year"][0])
    counted = sum(
        build_report(target, province, year, None)["figures"]["sessions.held"]
        for province in tree.ids("province")
    )
    assert counted == held, (counted, held)


def latency_rows(
    target: sa.Engine,
    tree: Tree,
    samples: int = SAMPLES,
    budget: float = BUDGET,
    kinds: dict[str, tuple[dict[str, Any], str | None]] | None = None,
) -> list[dict[str, Any]]:
    """p50/p99 (nearest rank) per kind of report and level of the tree, random nodes."""
    rows = []
    for kind, (spec, as_of) in (kinds or KINDS).items():
        period = period_of(spec)
        rng = random.Random(1)
        for level in LEVELS:
            ids = tree.ids(level)
            build_report(target, ids[0], period, as_of)  # warm the pool and the plan cache
            timings: list[float] = []
            began = time.perf_counter()
            while len(timings) < samples and time.perf_counter() - began < budget:
                node = rng.choice(ids)
                started = time.perf_counter()
                build_report(target, node, period, as_of)
                timings.append((time.perf_counter() - started) * 1000)
            timings.sort()
            p50, p99 = nearest_rank(timings, 0.5), nearest_rank(timings, 0.99)
            rows.append(
                {
                    "benchmark": f"report_{kind}",
                    "figure": f"{level}: {len(ids):,} nodes, {len(timings)} requests, p50 {p50:.1f} ms, p99",
                    "value": round(p99, 1),
                    "unit": "ms",
                    "baseline": 50.0,
                    "ratio": round(p99 / 50.0, 2),
                    "target": "p99 < 50 ms",
                    "met": "yes" if p99 < 50 else "NO",
                }
            )
    return rows


def _say(text: str) -> None:
    print(f"  {time.strftime('%H:%M:%S')} {text}", file=sys.stderr, flush=True)


def main(quick: bool = True, scale: float | None = None) -> list[dict[str, Any]]:
    tree = Tree.at(scale if scale is not None else SCALE[quick])
    made = {name: f"bench_{name}_{uuid.uuid4().hex[:8]}" for name in (*SOURCES, "reporting", "es")}
    urls = {name: create_pg_database(ADMIN, db) for name, db in made.items()}
    rows: list[dict[str, Any]] = []
    try:
        total = sum(write_log(urls[source], tree, source) for source in SOURCES)
        _say(f"{total:,} events written into the three logs; storing them in eventsourcing")
        app = eventsourcing_store(made["es"], tree)
        migrate_read_store(urls["reporting"])
        target = make_engine(urls["reporting"])
        logs = {s: make_engine(urls[s]) for s in SOURCES}
        ours, theirs = [], []
        for _ in range(REPEATS):  # interleaved: both meet the same moments of a shared machine
            ours.append(total / our_replay(target, logs))
            rate, replayed = eventsourcing_replay(app)
            assert replayed == total, (replayed, total)
            theirs.append(rate)
            _say(f"replayed: ours {ours[-1]:,.0f} events/s, eventsourcing {theirs[-1]:,.0f} events/s")
        app.close()
        _check_adds_up(target, logs["sessions"], tree)
        best, their_best = max(ours), max(theirs)
        rows.append(
            {
                "benchmark": "replay_from_postgresql",
                "figure": f"{total:,} events, {tree.cells:,} cells, best of {REPEATS} (ours "
                f"{', '.join(f'{r:,.0f}' for r in ours)}; eventsourcing, the same events: "
                f"{', '.join(f'{r:,.0f}' for r in theirs)})",
                "value": round(best),
                "unit": "events/s",
                "baseline": round(their_best),
                "ratio": round(best / their_best, 2),
                "target": ">= 50000 events/s and ratio >= 1.5",
                "met": "yes" if best >= 50_000 and best >= 1.5 * their_best else "NO",
            }
        )
        rows += latency_rows(target, tree)
        for engine in (*logs.values(), target):
            engine.dispose()
    finally:
        for db in made.values():
            drop_pg_database(ADMIN, db)
    return rows


if __name__ == "__main__":
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help=f"scale {SCALE[True]}")
    parser.add_argument("--scale", type=float, help=f"1.0: national size (default {SCALE[False]})")
    options = parser.parse_args()
    for row in main(quick=options.quick, scale=options.scale):
        print(json.dumps(row, ensure_ascii=False))
