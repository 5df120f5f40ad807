"""Roll-up by subtree, children breakdown, moves and drill-down, on SQLite without a broker."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from eventlog.engine import make_engine
from eventlog.envelope import NewEvent
from eventlog.inbox import Inbox
from eventlog.migrations import create_backbone_tables, upgrade
from eventlog.store import EventStore
from reporting.figures import Scope, count
from reporting.periods import period_of
from reporting.projection import ReportingProjection
from reporting.report import build_report, drill_down

from .. import campaign

YEAR = period_of({"kind": "year", "year": 2025})


@pytest.fixture
def engine(tmp_path):
    """Reporting's store with the whole campaign applied through the inbox."""
    from pathlib import Path

    import reporting

    url = f"sqlite:///{tmp_path / 'reporting.db'}"
    upgrade(Path(reporting.__file__).parent / "migrations", url)
    engine = make_engine(url)
    stores = {}
    for source in ("plans", "sessions", "oversight"):
        log = make_engine(f"sqlite:///{tmp_path / (source + '.db')}")
        with log.begin() as conn:
            create_backbone_tables(conn)
        stores[source] = EventStore(log)
    for batch in (campaign.tree(), campaign.first_half(), campaign.second_half()):
        for source, events in batch.items():
            for n, (kind, data) in enumerate(events):
                stores[source].append(f"{kind}-{n}", None, [NewEvent(kind, data)])
    inbox = Inbox(engine)
    for source, store in stores.items():

        def fetch(after, limit, store=store, source=source):
            return [e.to_message(source) for e in store.read_all(after, limit)]

        inbox.catch_up(source, ReportingProjection(), fetch)
    yield engine
    engine.dispose()


def test_a_district_report_counts_its_subtree_per_child(engine):
    report = build_report(engine, "district", YEAR, None)
    figures = report["figures"]
    assert figures["sessions.held"] == 2 and figures["sessions.attendances"] == 24
    assert figures["sessions.units_held"] == 2 and figures["sessions.units_required"] == 2
    assert figures["sessions.pilot"] == 1
    assert figures["shortcomings.recorded"] == 3
    assert figures["shortcomings.group.I"] == 1 and figures["shortcomings.group.III"] == 1
    assert figures["shortcomings.item.NQ04-12"] == 1 and figures["shortcomings.group.RA"] == 1
    assert figures["plans.issued"] == 2 and figures["plans.cascaded"] == 1
    assert figures["plans.units_required"] == 1 and figures["plans.units_pending"] == 0
    assert figures["tasks.overdue"] == 1
    assert figures["inspected.inspection_on_signs_of_violation.member"] == 1
    assert figures["inspected.inspection_on_signs_of_violation.member.committee"] == 1
    assert figures["discipline.member.warning"] == 1
    # dv-1 was re-rated: only the latest rating counts
    assert figures["ratings.member.completed"] == 1 and "ratings.member.excellent" not in figures
    assert [c["org_id"] for c in report["children"]] == ["commune-1"]
    assert report["children"][0]["figures"]["sessions.held"] == 2
    assert report["own"]["plans.issued"] == 1


def test_a_moved_unit_takes_its_history_to_its_new_parent(engine):
    province = build_report(engine, "province", YEAR, None)
    children = {c["org_id"]: c["figures"] for c in province["children"]}
    assert set(children) == {"district", "commune-2"}
    assert children["commune-2"]["sessions.held"] == 1
    assert province["figures"]["plans.units_pending"] == 1
    assert province["figures"]["ratings.member.rated"] == 2
    assert province["figures"]["ratings.member.good_or_better_share"] == 50.0
    with engine.connect() as conn:
        before_move = count(conn, Scope("district", YEAR.start, YEAR.end, "2025-06-30", None))
    assert before_move["commune-2"]["sessions.held"] == 1  # still the district's on 30 June


def test_a_figure_drills_down_to_its_events(engine):
    rows = drill_down(engine, "district", "shortcomings.group.I", YEAR, None)
    assert [(r["source"], r["event_type"], r["org_id"]) for r in rows] == [
        ("sessions", "ShortcomingRecorded", "cell-1")
    ]
    pending = drill_down(engine, "province", "plans.units_pending", YEAR, None)
    assert [r["subject_id"] for r in pending] == ["commune-2"]
    assert all(r["event_id"] and r["position"] for r in pending)
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM dead_letters")).scalar() == 0
