"""The reporting service on a real broker and both databases, fed by fake producers."""

from __future__ import annotations

import base64
import csv
import io
import json
import random
import time
from datetime import UTC, datetime

import kombu
import pytest
from openpyxl import load_workbook

from eventlog.engine import make_engine
from reporting.audit import differences, snapshot
from reporting.rebuild import rebuild
from reporting.report import normalise_instant
from reporting.service import ReportingService
from testing_support.services import eventually

from .. import campaign
from ..producers import FAKES, heads_and_progress, prepare_log_database

YEAR = {"kind": "year", "year": 2025}


@pytest.fixture
def world(system, container_factory):
    """Fake plans, sessions and oversight on their own stores, plus a way to feed them."""
    urls = {source: system.url_for(source) for source in FAKES}
    for source, cls in FAKES.items():
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


def test_reports_drill_down_and_exports_over_rpc(system, world):
    system.start(ReportingService)
    for batch in (campaign.tree(), campaign.first_half(), campaign.second_half()):
        world.record(batch)
    world.caught_up()
    with system.rpc() as rpc:
        report = rpc.reporting.get_report("district", YEAR)
        assert report["figures"]["sessions.held"] == 2
        assert report["children"][0]["figures"]["shortcomings.recorded"] == 3
        rows = rpc.reporting.drill_down("district", "sessions.attendances", YEAR)
        assert sorted((r["org_id"], r["value"]) for r in rows) == [("cell-1", 15), ("cell-2", 9)]
        as_csv = rpc.reporting.export_report("province", YEAR, "csv")
        as_xlsx = rpc.reporting.export_report("province", YEAR, "xlsx", "vi")
        in_english = rpc.reporting.export_report("province", YEAR, "csv", "en")
    table = list(csv.reader(io.StringIO(base64.b64decode(as_csv["content_base64"]).decode("utf-8-sig"))))
    assert table[0][:3] == ["Chỉ tiêu", "Mã chỉ tiêu", "Tổng"]
    assert ["Buổi sinh hoạt chuyên đề đã tổ chức", "sessions.held", "3", "0", "1", "2"] in [
        r[:6] for r in table] or any(r[1] == "sessions.held" and r[2] == "3" for r in table)
    assert "Themed sessions held" in base64.b64decode(in_english["content_base64"]).decode("utf-8-sig")
    sheet = load_workbook(io.BytesIO(base64.b64decode(as_xlsx["content_base64"]))).active
    cells = {row[1]: row for row in sheet.iter_rows(values_only=True) if len(row) > 2}
    assert cells["Mã chỉ tiêu"][0] == "Chỉ tiêu"
    assert cells["sessions.held"][2] == 3 and isinstance(cells["sessions.held"][2], int)
    assert cells["ratings.member.good_or_better_share"][2] == 50  # a number, not text
    assert as_xlsx["filename"].endswith(".xlsx")


def _redeliver_shuffled(amqp_uri, url, source, rng):
    """Publish every event of a source's log again, twice, in a random order."""
    from eventlog.store import EventStore

    store = EventStore(make_engine(url))
    envelopes = [e.to_message(source) for e in store.read_all(0, 10_000)] * 2
    store.engine.dispose()
    rng.shuffle(envelopes)
    with kombu.Connection(amqp_uri) as conn:
        producer = kombu.Producer(conn.channel(), exchange=kombu.Exchange(f"{source}.events", type="topic",
                                                                         durable=True))
        for envelope in envelopes:
            producer.publish(json.dumps(envelope), routing_key=envelope["type"],
                             content_type="application/json", content_encoding="utf-8")


def test_duplicates_reordering_two_instances_and_a_restart_match_a_clean_replay(system, world):
    first = system.start(ReportingService)
    system.start(ReportingService)
    world.record(campaign.tree())
    world.record(campaign.first_half())
    world.caught_up()
    between = normalise_instant(datetime.now(UTC).isoformat())
    time.sleep(0.05)  # recorded_at of the next batch is strictly later than `between`
    first.stop()  # one instance goes away mid-stream and comes back
    world.record(campaign.second_half())
    system.start(ReportingService)
    rng = random.Random(6)
    for source, url in world.producer_urls.items():
        _redeliver_shuffled(system.amqp_uri, url, source, rng)
    world.caught_up()
    live = make_engine(world.reporting_url)
    with system.rpc() as rpc:
        readers = {s: getattr(rpc, s).read_events for s in FAKES}
        heads = {s: getattr(rpc, s).log_head() for s in FAKES}
        clean = make_engine(system.url_for("reporting-clean"))
        from reporting.migrations_path import migrate_read_store
        migrate_read_store(str(clean.url.render_as_string(hide_password=False)))
        rebuild(clean, readers, heads)
        assert differences(snapshot(live), snapshot(clean)) == []
        assert snapshot(clean)["province"]["district"]["sessions.held"] == 2
        past = make_engine(system.url_for("reporting-past"))
        migrate_read_store(str(past.url.render_as_string(hide_password=False)))
        rebuild(past, readers, heads, as_of=between)
        assert differences(snapshot(live, between), snapshot(past, between)) == []
        province_then = snapshot(past, between)["province"]
        assert province_then["district"]["sessions.held"] == 2
        assert "ratings.member.completed" not in province_then["district"]
        report_then = rpc.reporting.get_report("province", YEAR, between)
    assert report_then["figures"].get("ratings.member.rated") is None
    assert report_then["figures"]["sessions.held"] == 2
    for engine in (live, clean, past):
        engine.dispose()
