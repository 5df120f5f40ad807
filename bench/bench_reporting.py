"""Reporting benchmarks: replay throughput from PostgreSQL against the `eventsourcing`
library on the same machine and run, and report latency per level of a synthetic tree.

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
from reporting.rebuild import rebuild
from reporting.replay import _direct_reader
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


def eventsourcing_replay(dbname: str, count: int) -> float:
    """Events/s for `eventsourcing` reading its notification log back into domain events."""
    from eventsourcing.application import Application
    from eventsourcing.domain import Aggregate, event

    class Cell(Aggregate):
        @event("SessionHeld")
        def hold(self, session_id: str, present: int, held_on: str) -> None:
            self.present = present

    admin = sa.engine.make_url(ADMIN)
    app = Application(env={"PERSISTENCE_MODULE": "eventsourcing.postgres", "POSTGRES_DBNAME": dbname,
                           "POSTGRES_HOST": admin.host or "127.0.0.1",
                           "POSTGRES_PORT": str(admin.port or 5432),
                           "POSTGRES_USER": admin.username or "postgres",
                           "POSTGRES_PASSWORD": admin.password or ""})
    batch = []
    for n in range(count // 50):
        cell = Cell()
        for k in range(49):
            cell.hold(f"s{n}-{k}", k, "2025-03-01")
        batch.append(cell)
        if len(batch) == 100:
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
            tally += getattr(domain_event, "present", 0)
            seen += 1
        start = page[-1].id + 1
    rate = seen / (time.perf_counter() - started)
    app.close()
    return rate


def main(quick: bool = True) -> list[dict[str, Any]]:
    shape, per_cell, samples = ((4, 5, 6), 40, 40) if quick else ((10, 20, 25), 60, 200)
    sources, levels = synthetic_campaign(shape, per_cell)
    total = sum(len(e) for e in sources.values())
    made = {name: f"bench_{name}_{uuid.uuid4().hex[:8]}" for name in ("plans", "sessions", "reporting", "es")}
    urls = {name: create_pg_database(ADMIN, db) for name, db in made.items()}
    rows: list[dict[str, Any]] = []
    try:
        for source, events in sources.items():
            write_log(urls[source], events)
        migrate_read_store(urls["reporting"])
        target = make_engine(urls["reporting"])
        stores = {s: EventStore(make_engine(urls[s])) for s in sources}
        readers = {s: _direct_reader(store, s) for s, store in stores.items()}
        heads = {s: store.head() for s, store in stores.items()}
        started = time.perf_counter()
        rebuild(target, readers, heads)
        with target.begin() as conn:  # fresh statistics, as an operator would after a bulk load
            conn.exec_driver_sql("ANALYZE")
        ours = total / (time.perf_counter() - started)
        theirs = eventsourcing_replay(made["es"], total)
        rows.append({"benchmark": "replay_from_postgresql", "figure": f"{total} events",
                     "value": round(ours), "unit": "events/s", "baseline": round(theirs),
                     "ratio": round(ours / theirs, 2), "target": ">= 50000 events/s and >= 1.5x"})
        year = period_of({"kind": "year", "year": 2025})
        rng = random.Random(1)
        for level, ids in levels.items():
            timings = []
            for _ in range(samples):
                node = rng.choice(ids)
                started = time.perf_counter()
                build_report(target, node, year, None)
                timings.append((time.perf_counter() - started) * 1000)
            timings.sort()
            p99 = timings[min(len(timings) - 1, int(len(timings) * 0.99))]
            rows.append({"benchmark": f"report_latency_level_{level}", "figure": f"{len(ids)} nodes, p50",
                         "value": round(statistics.median(timings), 2), "unit": "ms", "baseline": None,
                         "ratio": None, "target": "p99 < 50 ms"})
            rows.append({"benchmark": f"report_latency_level_{level}", "figure": f"{len(ids)} nodes, p99",
                         "value": round(p99, 2), "unit": "ms", "baseline": None, "ratio": None,
                         "target": "p99 < 50 ms"})
        for store in stores.values():
            store.engine.dispose()
        target.dispose()
    finally:
        for db in made.values():
            drop_pg_database(ADMIN, db)
    return rows


if __name__ == "__main__":
    for row in main(quick="--full" not in sys.argv):
        print(json.dumps(row, ensure_ascii=False))
