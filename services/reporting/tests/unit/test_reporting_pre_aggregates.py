"""The pre-aggregated figures answer exactly what the facts answer, whatever the order
the sources arrive in, after moves, re-ratings, late committee posts and pairings."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa

import reporting
from eventlog.engine import make_engine
from eventlog.envelope import NewEvent
from eventlog.inbox import Inbox
from eventlog.migrations import create_backbone_tables, upgrade
from eventlog.store import EventStore
from reporting.figures import count
from reporting.figures_fast import count_fast
from reporting.periods import period_of
from reporting.projection import ReportingProjection
from reporting.report import scope_of
from reporting.rollup_store import recompute_figures
from reporting.tables import below_figures, organizations, unit_figures

from .. import campaign
from ..producers import payload

ORDERS = [("plans", "sessions", "oversight"), ("oversight", "sessions", "plans")]
PERIODS = [
    {"kind": "year", "year": 2025},
    {"kind": "quarter", "year": 2025, "quarter": 3},
    {"kind": "month", "year": 2025, "month": 10},
    {"kind": "half", "year": 2025},
    {"kind": "year", "year": 2026},
    {"kind": "nine_months", "year": 2025},
    {"kind": "term", "from": "2025-02-01", "to": "2025-11-30"},
]


def extra_events() -> campaign.Batch:
    """Pairings, a dissolution, a late committee post and a second move."""
    item = {"subject_kind": "member", "subject_id": "dv-1", "org_id": "cell-2"}
    return {
        "plans": [
            [
                "PlanIssued",
                payload(
                    "PlanIssued",
                    plan_id="kh-c2",
                    org_id="commune-2",
                    issued_on="2025-08-01",
                    parent_plan_id="kh-d",
                    required_unit_ids=["cell-3"],
                ),
            ],
            [
                "RemediationPlanSubmitted",
                payload("RemediationPlanSubmitted", item_id="r-1", submitted_on="2025-04-01", **item),
            ],
            [
                "RemediationPlanSubmitted",
                payload("RemediationPlanSubmitted", item_id="r-2", submitted_on="2025-05-01", **item),
            ],
            [
                "ShortcomingRemedied",
                payload("ShortcomingRemedied", item_id="r-1", remedied_on="2025-09-01", **item),
            ],
            [
                "OrganizationDissolved",
                payload("OrganizationDissolved", org_id="cell-2", dissolved_on="2025-08-15"),
            ],
            [
                "OrganizationMoved",
                payload(
                    "OrganizationMoved",
                    org_id="cell-1",
                    parent_id="commune-2",
                    previous_parent_id="commune-1",
                    moved_on="2025-09-01",
                ),
            ],
        ],
        "sessions": [
            [
                "MemberTransferred",
                payload(
                    "MemberTransferred",
                    member_id="dv-9",
                    from_org_id="cell-1",
                    org_id="cell-3",
                    effective_on="2025-01-01",
                    posts_in_cell=["deputy"],
                ),
            ]
        ],
        "oversight": [
            [
                "InspectionOpened",
                payload(
                    "InspectionOpened",
                    inspection_id="kt-2",
                    subject_id="dv-9",
                    subject_kind="member",
                    org_id="cell-3",
                    decided_on="2025-10-04",
                ),
            ],
            [
                "SupervisionConducted",
                payload(
                    "SupervisionConducted",
                    inspection_id="gs-1",
                    subject_id="dv-1",
                    subject_kind="member",
                    org_id="cell-1",
                    conducted_on="2025-11-04",
                    violation_signs_found=True,
                ),
            ],
        ],
    }


def source_logs(tmp_path: Path) -> dict[str, EventStore]:
    """The campaign and the extra events in three SQLite logs."""
    stores = {}
    for source in ("plans", "sessions", "oversight"):
        log = make_engine(f"sqlite:///{tmp_path / (source + '.db')}")
        with log.begin() as conn:
            create_backbone_tables(conn)
        stores[source] = EventStore(log)
    for batch in (campaign.tree(), campaign.first_half(), campaign.second_half(), extra_events()):
        for source, events in batch.items():
            for n, (kind, data) in enumerate(events):
                stores[source].append(f"{kind}-{n}", None, [NewEvent(kind, data)])
    return stores


def read_store(url: str) -> sa.Engine:
    upgrade(Path(reporting.__file__).parent / "migrations", url)
    return make_engine(url)


def apply_live(engine: sa.Engine, stores: dict[str, EventStore], order: tuple[str, ...]) -> None:
    """Event by event through the inbox, as the service does."""
    inbox = Inbox(engine)
    for source in order:
        store = stores[source]

        def fetch(after, limit, store=store, source=source):
            return [e.to_message(source) for e in store.read_all(after, limit)]

        inbox.catch_up(source, ReportingProjection(), fetch)


def _applied(tmp_path: Path, order: tuple[str, ...]) -> sa.Engine:
    engine = read_store(f"sqlite:///{tmp_path / 'reporting.db'}")
    stores = source_logs(tmp_path)
    apply_live(engine, stores, order)
    for store in stores.values():
        store.engine.dispose()
    return engine


def _table(conn: sa.Connection, table: sa.Table) -> dict:
    return {
        (r.org_id, r.metric, r.month, r.extra): (r.value, r.n)
        for r in conn.execute(sa.select(table))
        if r.value or r.n
    }


@pytest.mark.parametrize("order", ORDERS)
def test_pre_aggregates_equal_a_recount_from_the_facts(tmp_path, order):
    engine = _applied(tmp_path, order)
    with engine.begin() as conn:
        kept = _table(conn, unit_figures), _table(conn, below_figures)
        recompute_figures(conn)
        assert (_table(conn, unit_figures), _table(conn, below_figures)) == kept
        assert kept[1][("province", "plans.cascaded", "2025-08", "")] == (1, 1)
    engine.dispose()


@pytest.mark.parametrize("order", ORDERS)
def test_a_report_from_pre_aggregates_equals_one_from_the_facts(tmp_path, order):
    engine = _applied(tmp_path, order)
    with engine.connect() as conn:
        nodes = [row[0] for row in conn.execute(sa.select(organizations.c.org_id))]
        for node in nodes:
            for spec in PERIODS:
                scope = scope_of(node, period_of(spec), None)
                fast = count_fast(conn, scope)
                assert fast is not None
                raw = count(conn, scope)
                assert _shown(fast) == _shown(raw), (node, spec, _diff(_shown(fast), _shown(raw)))
        assert (
            count_fast(
                conn,
                scope_of(
                    "province", period_of({"kind": "term", "from": "2025-01-05", "to": "2025-03-01"}), None
                ),
            )
            is None
        )
        assert count_fast(conn, scope_of("province", period_of(PERIODS[0]), "2025-12-31")) is None
    engine.dispose()


def _shown(figures: dict) -> dict:
    """What a report shows: derived figures default to 0, so a 0 and no row are the same."""
    from reporting.figures import DERIVED

    return {
        child: {m: v for m, v in values.items() if not (m in DERIVED and v == 0)}
        for child, values in figures.items()
        if any(not (m in DERIVED and v == 0) for m, v in values.items())
    }


def _diff(a: dict, b: dict) -> list:
    return [
        (c, m, a.get(c, {}).get(m), b.get(c, {}).get(m))
        for c in set(a) | set(b)
        for m in set(a.get(c, {})) | set(b.get(c, {}))
        if a.get(c, {}).get(m) != b.get(c, {}).get(m)
    ]
