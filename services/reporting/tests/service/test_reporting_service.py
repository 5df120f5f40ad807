"""The reporting service on a real broker and both databases, fed by fake producers."""

from __future__ import annotations

import base64
import csv
import io
import json
import random
import time
from contextlib import contextmanager
from datetime import UTC, datetime

import eventlet
import kombu
import pytest
import sqlalchemy as sa
from nameko.exceptions import RemoteError
from openpyxl import load_workbook

from eventlog.engine import make_engine
from eventlog.refusals import parse_refusal
from eventlog.store import EventStore
from reporting.audit import PRE_AGGREGATED, differences, snapshot
from reporting.figures_fast import count_fast
from reporting.migrations_path import migrate_read_store
from reporting.periods import period_of
from reporting.rebuild import rebuild
from reporting.report import build_report, normalise_instant, scope_of
from reporting.service import ReportingService
from reporting.tables import organizations
from testing_support.services import eventually

from .. import campaign
from ..producers import FAKES, QUIET, heads_and_progress, prepare_log_database

YEAR = {"kind": "year", "year": 2025}


def _world(system, container_factory, producers):
    urls = {source: system.url_for(source) for source in producers}
    for source, cls in producers.items():
        prepare_log_database(urls[source])
        container_factory(cls, {"AMQP_URI": system.amqp_uri, "DATABASE_URL": urls[source]}).start()

    class World:
        producer_urls = urls
        reporting_url = system.url_for("reporting")

        def record(self, batch):
            with system.rpc() as rpc:
                for source, events in batch.items():
                    getattr(rpc, source).record(events)

        def caught_up(self):
            def check():
                heads, tracked = heads_and_progress(self.reporting_url, urls)
                return heads == tracked and all(heads.values())

            eventually(check, timeout=30)

    return World()


@pytest.fixture
def world(system, container_factory):
    """Fake plans, sessions and oversight on their own stores, plus a way to feed them."""
    return _world(system, container_factory, FAKES)


@pytest.fixture
def quiet_world(system, container_factory):
    """The same producers, but their events reach the bus only as the test delivers them."""
    return _world(system, container_factory, QUIET)


def test_reports_drill_down_and_exports_over_rpc(system, world):
    system.start(ReportingService)
    for batch in (campaign.tree(), campaign.first_half(), campaign.second_half()):
        world.record(batch)
    world.caught_up()
    with system.rpc() as rpc:
        report = rpc.reporting.get_report("district", YEAR)
        assert report["figures"]["sessions.held"] == 2
        # What the gateway sends on: the same report, encoded here.
        assert json.loads(rpc.reporting.get_report_json("district", YEAR)) == report
        assert report["children"][0]["figures"]["shortcomings.recorded"] == 3
        rows = rpc.reporting.drill_down("district", "sessions.attendances", YEAR)
        assert sorted((r["org_id"], r["value"]) for r in rows) == [("cell-1", 15), ("cell-2", 9)]
        for row in rows:  # named from the sessions log, as its minutes have them
            assert row["members"] == campaign.attendees(row["subject_id"], row["value"])
        page = rpc.reporting.drill_down_page("district", "sessions.attendances", YEAR, None, 0, 1)
        assert (len(page["items"]), page["total"], page["truncated"]) == (1, 2, True)
        assert page["items"][0]["members"] and page["items"][0] == rows[0]
        whole = rpc.reporting.drill_down_page("province", "sessions.held", YEAR, limit=10**9)
        assert (whole["total"], whole["truncated"], whole["limit"]) == (3, False, 100_000)
        then = rpc.reporting.get_report("province", YEAR, tree_date="2025-06-30")
        assert [c["org_id"] for c in then["children"]] == ["district"] and then["tree_date"] == "2025-06-30"
        assert then["children"][0]["figures"]["sessions.held"] == 3  # cell-3's, before commune-2 moved
        behind = rpc.reporting.drill_down("district", "sessions.held", YEAR, None, 10, "2025-06-30")
        assert sorted(r["org_id"] for r in behind) == ["cell-1", "cell-2", "cell-3"]
        with pytest.raises(RemoteError) as refused:
            rpc.reporting.get_report("province", YEAR, tree_date="30/06/2025")
        assert parse_refusal(refused.value.exc_type, refused.value.value)["field"] == "tree_date"
        as_csv = rpc.reporting.export_report("province", YEAR, "csv")
        as_xlsx = rpc.reporting.export_report("province", YEAR, "xlsx", "vi")
        in_english = rpc.reporting.export_report("province", YEAR, "csv", "en")
    table = list(csv.reader(io.StringIO(base64.b64decode(as_csv["content_base64"]).decode("utf-8-sig"))))
    assert table[0][:3] == ["Chỉ tiêu", "Mã chỉ tiêu", "Tổng"]
    assert ["Buổi sinh hoạt chuyên đề đã tổ chức", "sessions.held", "3", "0", "1", "2"] in [
        r[:6] for r in table
    ] or any(r[1] == "sessions.held" and r[2] == "3" for r in table)
    assert "Themed sessions held" in base64.b64decode(in_english["content_base64"]).decode("utf-8-sig")
    sheet = load_workbook(io.BytesIO(base64.b64decode(as_xlsx["content_base64"]))).active
    cells = {row[1]: row for row in sheet.iter_rows(values_only=True) if len(row) > 2}
    assert cells["Mã chỉ tiêu"][0] == "Chỉ tiêu"
    assert cells["sessions.held"][2] == 3 and isinstance(cells["sessions.held"][2], int)
    assert cells["ratings.member.good_or_better_share"][2] == 50  # a number, not text
    assert as_xlsx["filename"].endswith(".xlsx")


class Courier:
    """Delivers what the quiet producers write, as a bad network would: the events of a
    write shuffled, some held for a few writes while later ones overtake them, a few
    held back until the very end, some delivered twice."""

    def __init__(self, amqp_uri, producer_urls, rng, held_back):
        self.rng, self.held_back = rng, held_back
        self.stores = {s: EventStore(make_engine(url)) for s, url in producer_urls.items()}
        self.connection = kombu.Connection(amqp_uri)
        self.exchanges = {
            s: kombu.Producer(
                self.connection.channel(), exchange=kombu.Exchange(f"{s}.events", type="topic", durable=True)
            )
            for s in producer_urls
        }
        self.delayed, self.held, self.twice = [], [], []
        self.first_seen, self.overtaken, self.step = set(), 0, 0

    def publish(self, envelope):
        key = (envelope["source"], envelope["position"])
        if key not in self.first_seen:
            self.first_seen.add(key)
            self.overtaken += any(s == key[0] and p > key[1] for s, p in self.first_seen)
        self.exchanges[envelope["source"]].publish(
            json.dumps(envelope),
            routing_key=envelope["type"],
            content_type="application/json",
            content_encoding="utf-8",
        )

    def write(self, rpc, source, events):
        """The producer appends `events`; their delivery starts, disorderly."""
        positions = getattr(rpc, source).record(events)
        written = self.stores[source].read_all(positions[0] - 1, len(positions))
        envelopes = [e.to_message(source) for e in written]
        self.rng.shuffle(envelopes)
        self.step += 1
        for envelope in envelopes:
            if self.held_back(envelope) and not any(
                e["type"] == envelope["type"] and e["source"] == source for e in self.held
            ):
                self.held.append(envelope)
            elif self.rng.random() < 0.25:
                self.delayed.append((self.step + self.rng.randint(2, 6), envelope))
            else:
                self.publish(envelope)
            if self.rng.random() < 0.15:
                self.twice.append(envelope)
        self.release(self.step)

    def release(self, step):
        due = [e for when, e in self.delayed if when <= step]
        self.delayed = [(when, e) for when, e in self.delayed if when > step]
        for envelope in due:
            self.publish(envelope)

    def close(self):
        self.connection.release()
        for store in self.stores.values():
            store.engine.dispose()


def _held_back(envelope):
    """A move of the tree, a re-rating and an inspection's conclusion arrive last."""
    p = envelope["payload"]
    return envelope["type"] in ("OrganizationMoved", "InspectionConcluded") or (
        envelope["type"] == "RatingAssigned" and p.get("level") == "completed"
    )


def _redeliver_shuffled(courier, rng):
    """Every event of every log once more, in a random order."""
    envelopes = [e.to_message(s) for s, store in courier.stores.items() for e in store.read_all(0, 10_000)]
    rng.shuffle(envelopes)
    for envelope in envelopes:
        courier.publish(envelope)


def _queues_drained(amqp_uri):
    with kombu.Connection(amqp_uri) as conn:
        channel = conn.channel()
        return all(
            channel.queue_declare(f"evt-{s}--reporting.handle_{s}_event", passive=True).message_count == 0
            for s in FAKES
        )


FAST_PERIODS = [
    YEAR,
    {"kind": "quarter", "year": 2025, "quarter": 3},
    {"kind": "month", "year": 2025, "month": 7},
    {"kind": "half", "year": 2025},
    {"kind": "year", "year": 2026},
    {"kind": "quarter", "year": 2026, "quarter": 1},
    {"kind": "term", "from": "2025-02-10", "to": "2026-01-20"},  # days, months and a year
]


def test_a_disorderly_stream_with_restarts_and_two_instances_matches_a_clean_rebuild(system, quiet_world):
    """While ~250 events are still being written and delivered out of order (some late, a
    move, a re-rating and a conclusion held back to the very end, some twice), two
    instances consume, one restarts, both stop, two start again. Afterwards the figures
    from the facts, both pre-aggregated tables and every node's report on the fast path
    are those of a rebuild from scratch."""
    rng = random.Random(6)
    courier = Courier(system.amqp_uri, quiet_world.producer_urls, rng, _held_back)
    running = [system.start(ReportingService), system.start(ReportingService)]
    stops, engines = [], {}

    def stop(count):  # in the background: the stream keeps arriving meanwhile
        for container in running[:count]:
            stops.append(eventlet.spawn(container.stop))
        del running[:count]

    def start():
        running.append(system.start(ReportingService))

    def tracked(source):
        return heads_and_progress(quiet_world.reporting_url, quiet_world.producer_urls)[1][source]

    with system.rpc() as rpc, _closing(courier, engines):
        for batch in (campaign.tree(), campaign.first_half()):
            for source, events in batch.items():
                courier.write(rpc, source, events)
        courier.release(10**6)
        quiet_world.caught_up()
        between = normalise_instant(datetime.now(UTC).isoformat())
        time.sleep(0.05)  # recorded_at of the stream is strictly later than `between`
        steps = [*campaign.second_half().items(), *campaign.stream()]
        # One of two instances restarts; then both stop, and two start again, mid-stream.
        actions = {
            len(steps) // 5: lambda: stop(1),
            len(steps) * 7 // 20: start,
            len(steps) // 2: lambda: stop(2),
            len(steps) * 3 // 5: start,
            len(steps) * 3 // 4: start,
        }
        for n, (source, events) in enumerate(steps):
            if n in actions:
                actions[n]()
            courier.write(rpc, source, events)
            time.sleep(0.03)
        assert len(running) == 2
        courier.release(10**6)
        for thread in stops:
            thread.wait()
        assert sorted(e["type"] for e in courier.held) == [
            "InspectionConcluded",
            "OrganizationMoved",
            "RatingAssigned",
        ]
        for envelope in courier.held:  # reporting filled its place from the log long before
            eventually(lambda e=envelope: tracked(e["source"]) >= e["position"], timeout=30)
            courier.publish(envelope)
        for envelope in courier.twice:
            courier.publish(envelope)
        _redeliver_shuffled(courier, rng)
        quiet_world.caught_up()
        eventually(lambda: _queues_drained(system.amqp_uri), timeout=30)
        assert courier.overtaken >= 20, courier.overtaken  # first deliveries really came out of order

        live = engines["live"] = make_engine(quiet_world.reporting_url)
        readers = {s: getattr(rpc, s).read_events for s in FAKES}
        heads = {s: getattr(rpc, s).log_head() for s in FAKES}
        for name, as_of in (("clean", None), ("past", between)):
            engines[name] = make_engine(system.url_for(f"reporting-{name}"))
            migrate_read_store(engines[name].url.render_as_string(hide_password=False))
            rebuild(engines[name], readers, heads, as_of=as_of)
        clean = engines["clean"]

        # The figures counted from the facts, and the pre-aggregated tables get_report reads.
        now_live, now_clean = snapshot(live), snapshot(clean)
        assert differences(now_live, now_clean, limit=50) == []
        below = now_clean[PRE_AGGREGATED + "report_below_figures"]
        assert below["province"]["sessions.held 2026-Y"] > 0 and below["commune-3"]
        assert now_clean["province"]["commune-3"]["sessions.held"] > 0
        # Every node's report on the fast path, for several periods, as get_report makes it.
        with live.connect() as conn:
            nodes = sorted(row[0] for row in conn.execute(sa.select(organizations.c.org_id)))
        assert len(nodes) == 28
        for engine in (live, clean):
            with engine.connect() as conn:
                assert count_fast(conn, scope_of("province", period_of(YEAR), None)) is not None
        for node in nodes:
            for spec in FAST_PERIODS:
                period = period_of(spec)
                assert build_report(live, node, period, None) == build_report(clean, node, period, None), (
                    node,
                    spec,
                )
        served = rpc.reporting.get_report("province", YEAR)
        assert served == build_report(clean, "province", period_of(YEAR), None)
        # As of the instant before the stream: the same as a replay of what was known then.
        assert differences(snapshot(live, between), snapshot(engines["past"], between)) == []
        province_then = snapshot(engines["past"], between)["province"]
        assert province_then["district"]["sessions.held"] == 2 and "commune-3" not in province_then
        report_then = rpc.reporting.get_report("province", YEAR, between)
        assert report_then["figures"].get("ratings.member.rated") is None
        assert report_then["figures"]["sessions.held"] == 2

        # The comparison sees a pre-aggregate that drifted, and get_report serves the drift
        # (a province report reads its children's rows of what is below them).
        with live.begin() as conn:
            conn.execute(
                sa.text(
                    "UPDATE report_below_figures SET value = value + 1 WHERE org_id = 'district'"
                    " AND metric = 'sessions.held' AND span = '2025-Y' AND extra = ''"
                )
            )
        was = below["district"]["sessions.held 2025-Y"]
        drift = f"{PRE_AGGREGATED}report_below_figures / district / sessions.held 2025-Y"
        assert differences(snapshot(live), now_clean) == [f"{drift}: live {was + 1}, rebuilt {was}"]
        assert (
            rpc.reporting.get_report("province", YEAR)["figures"]["sessions.held"]
            == 1 + build_report(clean, "province", period_of(YEAR), None)["figures"]["sessions.held"]
        )


@contextmanager
def _closing(courier, engines):
    try:
        yield
    finally:
        courier.close()
        for engine in engines.values():
            engine.dispose()
