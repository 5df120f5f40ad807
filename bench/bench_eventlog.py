"""Event backbone: append, read-all, relay and commit-to-applied latency, each beside a baseline.

Baselines (same run, same machine, same driver): plain INSERTs of rows of the same size,
through the same raw DBAPI cursor the store writes with; a plain SELECT of the same rows;
raw kombu publishing with a confirm per message.
"""

from __future__ import annotations

import math
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from datetime import datetime
from pathlib import Path

import kombu
import sqlalchemy as sa
from latency_sink import SOURCE
from latency_sink import metadata as sink_metadata

from eventlog.engine import is_postgres, make_engine
from eventlog.envelope import NewEvent, canonical_json, new_event_id
from eventlog.relay import Relay
from eventlog.schema import metadata as backbone_metadata
from eventlog.store import EventStore
from testing_support.broker import Broker
from testing_support.databases import create_pg_database, drop_pg_database

ROOT = Path(__file__).resolve().parent.parent
PG_ADMIN = os.environ.get("TEST_PG_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
PAYLOAD = {
    "org_id": "cb-000123",
    "member_id": "dv-0004567",
    "full_name": "Nguyễn Thị Thu Hương",
    "membership": "full",
    "admitted_on": "2019-05-19",
    "posts_in_cell": ["secretary"],
    "note": "x" * 120,
}


def ping(n: int) -> NewEvent:
    return NewEvent("Ping", {"n": n, "text": PAYLOAD["note"]})


def event(n: int) -> NewEvent:
    return NewEvent("MemberEnrolled", {**PAYLOAD, "n": n})


plain_metadata = sa.MetaData()
plain_rows = sa.Table(
    "plain_rows",
    plain_metadata,
    *[
        sa.Column(c.name, c.type, primary_key=c.primary_key)
        for c in backbone_metadata.tables["event_log"].columns
    ],
)
PLAIN_COLUMNS = [c.name for c in plain_rows.columns]  # the event log's, in its order
SEAL_KEY = bytes.fromhex("5e" * 32)


def plain_rows_like(template: tuple, first_position: int, numbers: range) -> list[tuple]:
    """Rows the size of the store's: its stored row, with the position, stream, event id
    and payload (that of `event(n)` for each n of `numbers`) each append would write.
    Prepared before the clock starts."""
    return [
        (
            first_position + k,
            f"member-{n}",
            1,
            new_event_id(),  # as the store makes them
            *template[4:6],
            canonical_json({**PAYLOAD, "n": n}),
            *template[7:],
            SEAL_KEY.hex(),  # a seal: 64 characters
        )
        for k, n in enumerate(numbers)
    ]


def plain_insert(engine: sa.Engine, rows: list[tuple], table: str = "plain_rows") -> None:
    """One transaction, one multi-row INSERT through the raw DBAPI cursor: the path the
    store writes through (`EventStore.append`), without its lock, head read and hashing."""
    with engine.begin() as conn:
        marker = "%s" if is_postgres(conn) else "?"
        one = "(" + ", ".join([marker] * len(PLAIN_COLUMNS)) + ")"
        sql = f"INSERT INTO {table} ({', '.join(PLAIN_COLUMNS)}) VALUES " + ", ".join([one] * len(rows))
        cursor = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
        try:
            cursor.execute(sql, tuple(value for row in rows for value in row))
        finally:
            cursor.close()


def interleaved(runs: dict[str, list], call: dict, block: int) -> dict[str, float]:
    """Seconds each run took for all its items, the runs taking turns a block at a time, so
    that a change in the machine's load falls on all of them alike."""
    spent = dict.fromkeys(runs, 0.0)
    for start in range(0, max(len(items) for items in runs.values()), block):
        for name, items in runs.items():
            chunk = items[start : start + block]
            began = time.perf_counter()
            for item in chunk:
                call[name](item)
            spent[name] += time.perf_counter() - began
    return spent


def bench_append(label: str, url: str, count: int) -> list[dict]:
    engine = make_engine(url)
    backbone_metadata.create_all(engine)
    plain_metadata.create_all(engine)
    with engine.begin() as conn:  # the same rows with the log's two unique indexes
        conn.exec_driver_sql("CREATE TABLE plain_indexed AS SELECT * FROM plain_rows WHERE 1 = 0")
        conn.exec_driver_sql("CREATE UNIQUE INDEX plain_indexed_position ON plain_indexed (position)")
        conn.exec_driver_sql("CREATE UNIQUE INDEX plain_indexed_event ON plain_indexed (event_id)")
        conn.exec_driver_sql(
            "CREATE UNIQUE INDEX plain_indexed_stream ON plain_indexed (stream_id, stream_version)"
        )
    store = EventStore(engine, seal_key=SEAL_KEY)  # sealed, as every service's store is
    template = tuple(store.append("warm-up", 0, [event(0)])[0])

    # Rows and events are all prepared before the clock starts.
    runs = {
        "plain": [[row] for row in plain_rows_like(template, 1, range(1, count + 1))],
        "indexed": [[row] for row in plain_rows_like(template, 1, range(1, count + 1))],
        "store": [(f"member-{n}", [event(n)]) for n in range(1, count + 1)],
    }
    call = {
        "plain": lambda rows: plain_insert(engine, rows),
        "indexed": lambda rows: plain_insert(engine, rows, "plain_indexed"),
        "store": lambda item: store.append(item[0], 0, item[1]),
    }
    spent = interleaved(runs, call, block=50)
    plain_rate, indexed_rate, single_rate = (count / spent[name] for name in ("plain", "indexed", "store"))

    batches = max(5, count // 100)
    hundreds = {
        "plain": [plain_rows_like(template, count + 1 + b * 100, range(100)) for b in range(batches)],
        "store": [(f"batch-{b}", [event(i) for i in range(100)]) for b in range(batches)],
    }
    spent = interleaved(hundreds, {"plain": call["plain"], "store": call["store"]}, block=2)
    plain_batch_rate, batch_rate = (batches * 100 / spent[name] for name in ("plain", "store"))
    engine.dispose()
    return [
        row_of(
            "append",
            f"{label}: 1 event/txn",
            single_rate,
            "events/s",
            plain_rate,
            ">= 0.60x plain INSERT",
            single_rate >= 0.6 * plain_rate,
        ),
        row_of(
            "append",
            f"{label}: 1 event/txn, vs INSERT into a table with the log's unique indexes",
            single_rate,
            "events/s",
            indexed_rate,
            "(reported: the store's own overhead)",
            None,
        ),
        row_of(
            "append", f"{label}: 100 events/txn", batch_rate, "events/s", plain_batch_rate, "(reported)", None
        ),
    ]


def bench_read_all(label: str, url: str, count: int) -> list[dict]:
    engine = make_engine(url)
    backbone_metadata.create_all(engine)
    store = EventStore(engine, seal_key=SEAL_KEY)
    for b in range(count // 500):
        store.append(f"s-{b}", 0, [event(i) for i in range(500)])
    started = time.perf_counter()
    seen = sum(1 for _ in store.iter_all(batch=5000))
    rate = seen / (time.perf_counter() - started)
    started = time.perf_counter()
    decoded = sum(len(e.payload) > 0 for e in store.iter_all(batch=5000))
    decoded_rate = decoded / (time.perf_counter() - started)
    started = time.perf_counter()
    with engine.connect() as conn:
        raw = len(conn.exec_driver_sql("SELECT * FROM event_log ORDER BY position").fetchall())
    raw_rate = raw / (time.perf_counter() - started)
    engine.dispose()
    target_met = rate >= 100_000 if label == "postgresql" else None
    return [
        row_of(
            "read-all",
            f"{label}: events in log order",
            rate,
            "events/s",
            raw_rate,
            ">= 100,000/s on PostgreSQL" if label == "postgresql" else "(reported)",
            target_met,
        ),
        row_of(
            "read-all",
            f"{label}: events, payload decoded",
            decoded_rate,
            "events/s",
            raw_rate,
            "(reported)",
            None,
        ),
    ]


def bench_relay(url: str, amqp_uri: str, count: int) -> list[dict]:
    engine = make_engine(url)
    backbone_metadata.create_all(engine)
    store = EventStore(engine, seal_key=SEAL_KEY)  # the relay checks every seal, as in a service
    for b in range(count // 500):
        store.append(f"s-{b}", 0, [ping(i) for i in range(500)])
    with kombu.Connection(amqp_uri) as conn:
        channel = conn.channel()
        exchange = kombu.Exchange(f"{SOURCE}.events", type="topic", durable=True)
        queue = kombu.Queue("bench-relay-sink", exchange=exchange, routing_key="#", durable=True)
        queue.bind(channel).declare()
    relay = Relay(store, SOURCE, amqp_uri, batch_size=1000)
    started = time.perf_counter()
    relay.drain(timeout=300)
    relay_rate = count / (time.perf_counter() - started)
    relay.stop()

    baseline_count = min(count, 3000)
    body = b'{"n": 1, "text": "' + PAYLOAD["note"].encode() + b'"}'
    with kombu.Connection(amqp_uri, transport_options={"confirm_publish": True}) as conn:
        producer = kombu.Producer(conn.channel(), exchange=exchange)
        started = time.perf_counter()
        for _ in range(baseline_count):
            producer.publish(body, routing_key="Ping", delivery_mode=2, content_type="application/json")
        baseline_rate = baseline_count / (time.perf_counter() - started)
        kombu.Queue("bench-relay-sink", channel=conn.channel()).purge()
    engine.dispose()
    return [
        row_of(
            "relay",
            "events published and confirmed",
            relay_rate,
            "events/s",
            baseline_rate,
            ">= 5,000/s and >= 5x per-message confirm",
            relay_rate >= 5000 and relay_rate >= 5 * baseline_rate,
        )
    ]


def bench_latency(source_url: str, sink_url: str, amqp_uri: str, seconds: float) -> list[dict]:
    rate = 500
    source_engine = make_engine(source_url)
    backbone_metadata.create_all(source_engine)

    sink_engine = make_engine(sink_url)
    backbone_metadata.create_all(sink_engine)
    sink_metadata.create_all(sink_engine)
    config = Path(tempfile.mkdtemp()) / "sink.yml"
    config.write_text(f"AMQP_URI: '{amqp_uri}'\nEVENT_CONTRACTS_DIR: '{ROOT / 'tests/backbone/contracts'}'\n")
    # The sink, and the source's RPC side it fills gaps from, each on its own database.
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT / "bench"),
        "LATENCY_SINK_DATABASE_URL": sink_url,
        f"{SOURCE.upper()}_DATABASE_URL": source_url,
    }
    sink = subprocess.Popen(
        [
            str(Path(sys.executable).with_name("nameko")),
            "run",
            "--config",
            str(config),
            "latency_sink:LatencySink",
            "latency_sink:BenchSource",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        time.sleep(4)  # the sink declares its queue
        store = EventStore(source_engine, seal_key=SEAL_KEY)
        relay = Relay(store, SOURCE, amqp_uri, batch_size=500, idle_wait=0.01)
        runner = threading.Thread(target=relay.run, daemon=True)
        runner.start()
        total = int(rate * seconds)
        started = time.perf_counter()
        for n in range(total):
            store.append(f"lat-{n}", 0, [ping(n)])
            store.notify_committed()
            wait = started + (n + 1) / rate - time.perf_counter()
            if wait > 0:
                time.sleep(wait)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            with sink_engine.connect() as conn:
                done = conn.execute(sa.text("SELECT count(*) FROM applied")).scalar()
            if done >= total:
                break
            time.sleep(0.2)
        relay.stop()
        with sink_engine.connect() as conn:
            rows = conn.execute(sa.text("SELECT recorded_at, applied_at FROM applied")).fetchall()
    finally:
        sink.terminate()
        sink.wait(20)
    latencies = sorted(
        (applied_at - datetime.fromisoformat(recorded.replace("Z", "+00:00")).timestamp()) * 1000
        for recorded, applied_at in rows
    )
    p50 = statistics.median(latencies) if latencies else None
    p99 = nearest_rank(latencies, 0.99)
    source_engine.dispose()
    sink_engine.dispose()
    return [
        row_of(
            "latency",
            f"commit-to-applied p99 at {rate}/s ({len(rows)}/{total} applied)",
            p99,
            "ms",
            p50,
            "p99 < 100 ms (baseline column: p50)",
            p99 is not None and p99 < 100 and len(rows) == total,
        ),
    ]


def nearest_rank(ordered: list[float], fraction: float) -> float | None:
    """The nearest-rank percentile of sorted values: the smallest value with at least
    `fraction` of them at or below it; None when there are none (nothing was applied)."""
    if not ordered:
        return None
    return ordered[max(1, math.ceil(fraction * len(ordered))) - 1]


def row_of(
    benchmark: str,
    figure: str,
    value: float | None,
    unit: str,
    baseline: float | None,
    target: str,
    met: bool | None,
) -> dict:
    return {
        "benchmark": benchmark,
        "figure": figure,
        "value": value,
        "unit": unit,
        "baseline": baseline,
        "ratio": value / baseline if value is not None and baseline else None,
        "target": target,
        "met": {True: "yes", False: "NO", None: ""}[met],
    }


def main(quick: bool) -> list[dict]:
    n_append = 1000 if quick else 5000
    n_read = 20_000 if quick else 200_000
    n_relay = 5_000 if quick else 50_000
    seconds = 3.0 if quick else 10.0
    rows: list[dict] = []
    vhost = Broker("127.0.0.1", f"bench-{uuid.uuid4().hex[:8]}")
    vhost.create()
    names: list[str] = []

    def pg(label: str) -> str:
        name = f"bench_{label}_{uuid.uuid4().hex[:8]}"
        names.append(name)
        return create_pg_database(PG_ADMIN, name)

    tmp = Path(tempfile.mkdtemp())
    try:
        rows += bench_append("sqlite", f"sqlite:///{tmp / 'append.db'}", n_append)
        rows += bench_append("postgresql", pg("append"), n_append)
        rows += bench_read_all("sqlite", f"sqlite:///{tmp / 'read.db'}", n_read)
        rows += bench_read_all("postgresql", pg("read"), n_read)
        rows += bench_relay(pg("relay"), vhost.amqp_uri, n_relay)
        rows += bench_latency(pg("source"), pg("sink"), vhost.amqp_uri, seconds)
    finally:
        vhost.delete()
        for name in names:
            drop_pg_database(PG_ADMIN, name)
    return rows


if __name__ == "__main__":
    from run import print_table

    print_table(main("--quick" in sys.argv))
