"""Reporting benchmarks: replay throughput from PostgreSQL against the `eventsourcing`
library on the same machine and run, and report latency per level of a synthetic tree.

Both replays read the same events (types and payloads) from the same PostgreSQL
server: ours rebuilds every projection (facts, tree, pre-aggregated figures, indexes)
from the services' logs; eventsourcing's reads its notification log back into domain
events and does nothing else, so the ratio is a floor. Latency: year reports for
random nodes of each level, on the pre-aggregated figures, after the rebuild.
Full mode: 15,000 cells, ~300,000 events; quick mode: 640 cells, ~26,000 events.

`python bench/bench_reporting.py [--full]`; `main(quick)` returns the result rows.
Needs PostgreSQL (TEST_PG_ADMIN_URL, default postgres@127.0.0.1) and `eventsourcing[postgres]`.
"""

from __future__ import annotations

import json
import os
import random
import statistics
import sys
import time
import uuid
from typing import Any

import sqlalchemy as sa

from eventlog.engine import make_engine
from eventlog.envelope import GENESIS_HASH, canonical_json, chain_hash
from eventlog.migrations import create_backbone_tables
from eventlog.schema import event_log
from eventlog.store import EventStore
from reporting.migrations_path import migrate_read_store
from reporting.periods import period_of
from reporting.rebuild import log_reader, rebuild
from reporting.report import build_report
from testing_support.databases import create_pg_database, drop_pg_database

ADMIN = os.environ.get("TEST_PG_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
EXAMPLES = os.path.join(os.path.dirname(__file__), "..", "contracts", "events")


def _example(kind: str) -> dict[str, Any]:
    with open(os.path.join(EXAMPLES, kind, "v1.example.json"), encoding="utf-8") as handle:
        return json.load(handle)


Campaign = tuple[dict[str, list], dict[int, list[str]]]


def synthetic_campaign(shape: tuple[int, int, int], per_cell: int) -> Campaign:
    """(events per source, org ids per level) for 1 province / D districts / G communes / C cells."""
    districts, communes, cells = shape
    levels: dict[int, list[str]] = {0: [], 1: [], 2: [], 3: []}
    plans: list[tuple[str, dict]] = []
    sessions: list[tuple[str, dict]] = []
    org = _example("OrganizationRegistered")

    def register(org_id: str, kind: str, parent: str | None, level: int) -> None:
        levels[level].append(org_id)
        plans.append(("OrganizationRegistered", {**org, "org_id": org_id, "kind": kind, "parent_id": parent}))

    register("p", "province", None, 0)
    held, short, rating = _example("SessionHeld"), _example("ShortcomingRecorded"), _example("RatingAssigned")
    rng = random.Random(6)
    for d in range(districts):
        register(f"p-{d}", "district", "p", 1)
        for g in range(communes):
            register(f"p-{d}-{g}", "grassroots", f"p-{d}", 2)
            for c in range(cells):
                cell = f"p-{d}-{g}-{c}"
                register(cell, "cell", f"p-{d}-{g}", 3)
                for n in range(per_cell):
                    day = f"2025-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
                    kind = n % 3
                    if kind == 0:
                        sessions.append(("SessionHeld", {**held, "session_id": f"{cell}-s{n}", "org_id": cell,
                                                         "held_on": day, "present": rng.randint(3, 30)}))
                    elif kind == 1:
                        sessions.append(("ShortcomingRecorded", {
                            **short, "shortcoming_id": f"{cell}-h{n}", "org_id": cell, "recorded_on": day,
                            "codes": [f"NQ04-{rng.randint(1, 27)}"]}))
                    else:
                        sessions.append(("RatingAssigned", {
                            **rating, "subject_id": f"{cell}-m{n}", "org_id": cell,
                            "level": rng.choice(["excellent", "good", "good", "completed"])}))
    moved = _example("OrganizationMoved")
    for n, unit in enumerate(levels[2][::7]):  # some communes change district mid-year
        district = levels[1][(int(unit.split("-")[1]) + 1) % districts]
        plans.append(("OrganizationMoved", {**moved, "org_id": unit, "parent_id": district,
                                            "previous_parent_id": unit.rsplit("-", 1)[0],
                                            "moved_on": f"2025-07-{1 + n % 28:02d}"}))
    return {"plans": plans, "sessions": sessions}, levels


def write_log(url: str, events: list[tuple[str, dict]]) -> None:
    """Fill a source's event_log directly (a valid hash chain), fast."""
    engine = make_engine(url)
    rows, prev = [], GENESIS_HASH
    meta = canonical_json({"actor": "bench", "correlation_id": None, "causation_id": None,
                           "occurred_at": "2025-12-31T00:00:00.000000Z"})
    for position, (kind, payload) in enumerate(events, start=1):
        body, event_id, at = canonical_json(payload), uuid.uuid4().hex, "2025-12-31T00:00:00.000000Z"
        digest = chain_hash(prev, position, f"s-{position}", 1, event_id, kind, 1, body, meta, at)
        rows.append({"position": position, "stream_id": f"s-{position}", "stream_version": 1,
                     "event_id": event_id, "event_type": kind, "schema_version": 1, "payload": body,
                     "metadata": meta, "recorded_at": at, "prev_hash": prev, "hash": digest})
        prev = digest
    with engine.begin() as conn:
        create_backbone_tables(conn)
        for start in range(0, len(rows), 10_000):
            conn.execute(event_log.insert(), rows[start:start + 10_000])
    engine.dispose()


def eventsourcing_replay(dbname: str, events: list[tuple[str, dict]]) -> tuple[float, int]:
    """(events/s, events replayed) for `eventsourcing` reading its notification log back
    into domain events: the same events (types and payloads) as ours, 50 per aggregate."""
    from eventsourcing.application import Application
    from eventsourcing.domain import Aggregate, event

    class Unit(Aggregate):
        @event("Registered")
        def __init__(self, kind: str, payload: dict) -> None:
            self.seen = 1

        @event("Recorded")
        def record(self, kind: str, payload: dict) -> None:
            self.seen += 1

    admin = sa.engine.make_url(ADMIN)
    app = Application(env={"PERSISTENCE_MODULE": "eventsourcing.postgres", "POSTGRES_DBNAME": dbname,
                           "POSTGRES_HOST": admin.host or "127.0.0.1",
                           "POSTGRES_PORT": str(admin.port or 5432),
                           "POSTGRES_USER": admin.username or "postgres",
                           "POSTGRES_PASSWORD": admin.password or ""})
    batch = []
    for first in range(0, len(events), 50):
        unit = Unit(*events[first])
        for kind, payload in events[first + 1:first + 50]:
            unit.record(kind, payload)
        batch.append(unit)
        if len(batch) == 40:
            app.save(*batch)
            batch = []
    if batch:
        app.save(*batch)
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
    rate = seen / (time.perf_counter() - started)
    app.close()
    return rate, seen


def _latency_rows(target: sa.Engine, levels: dict[int, list[str]], samples: int) -> list[dict[str, Any]]:
    """p50/p99 of a year report for random nodes of each level of the tree."""
    year = period_of({"kind": "year", "year": 2025})
    rng = random.Random(1)
    rows = []
    for level, ids in levels.items():
        build_report(target, ids[0], year, None)  # warm the connection pool and the plan cache
        timings = []
        for _ in range(samples):
            node = rng.choice(ids)
            started = time.perf_counter()
            build_report(target, node, year, None)
            timings.append((time.perf_counter() - started) * 1000)
        timings.sort()
        p99 = timings[min(len(timings) - 1, int(len(timings) * 0.99))]
        for figure, value in ((f"{LEVELS[level]}: {len(ids)} nodes, {samples} requests, p50",
                               statistics.median(timings)), (f"{LEVELS[level]}, p99", p99)):
            rows.append({"benchmark": f"report_latency_{LEVELS[level]}", "figure": figure,
                         "value": round(value, 2), "unit": "ms", "baseline": 50.0,
                         "ratio": round(value / 50.0, 2), "target": "p99 < 50 ms (ratio < 1)"})
    return rows


LEVELS = {0: "province", 1: "district", 2: "grassroots", 3: "cell"}


def main(quick: bool = True) -> list[dict[str, Any]]:
    shape, per_cell, samples = ((4, 8, 20), 40, 40) if quick else ((10, 25, 60), 20, 200)
    sources, levels = synthetic_campaign(shape, per_cell)
    everything = [event for events in sources.values() for event in events]
    total = len(everything)
    made = {name: f"bench_{name}_{uuid.uuid4().hex[:8]}" for name in ("plans", "sessions", "reporting", "es")}
    urls = {name: create_pg_database(ADMIN, db) for name, db in made.items()}
    rows: list[dict[str, Any]] = []
    try:
        for source, events in sources.items():
            write_log(urls[source], events)
        migrate_read_store(urls["reporting"])
        target = make_engine(urls["reporting"])
        logs = {s: make_engine(urls[s]) for s in sources}
        readers = {s: log_reader(engine) for s, engine in logs.items()}
        heads = {s: EventStore(engine).head() for s, engine in logs.items()}
        started = time.perf_counter()
        rebuild(target, readers, heads)
        with target.begin() as conn:  # fresh statistics, as an operator would after a bulk load
            conn.exec_driver_sql("ANALYZE")
        ours = total / (time.perf_counter() - started)
        theirs, replayed = eventsourcing_replay(made["es"], everything)
        assert replayed == total, (replayed, total)
        rows.append({"benchmark": "replay_from_postgresql",
                     "figure": f"{total} events, {len(levels[3])} cells (eventsourcing: the same events)",
                     "value": round(ours), "unit": "events/s", "baseline": round(theirs),
                     "ratio": round(ours / theirs, 2), "target": ">= 50000 events/s and ratio >= 1.5"})
        rows += _latency_rows(target, levels, samples)
        for engine in (*logs.values(), target):
            engine.dispose()
    finally:
        for db in made.values():
            drop_pg_database(ADMIN, db)
    return rows


if __name__ == "__main__":
    for row in main(quick="--full" not in sys.argv):
        print(json.dumps(row, ensure_ascii=False))
