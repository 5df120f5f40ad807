"""The pre-aggregated figures answer exactly what the facts answer, whatever the order
the sources arrive in, after moves, re-ratings, late committee posts and pairings."""

from __future__ import annotations

import calendar
import uuid
from collections.abc import Sequence
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
from reporting.tables import FIGURE_TABLES, ancestry, organizations, recorded_months
from testing_support.databases import drop_pg_database
from testing_support.fixtures import PG_ADMIN_URL

from .. import campaign
from ..producers import payload
from ..stores import spread_recording

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


def source_logs(tmp_path: Path, batches: Sequence[campaign.Batch] | None = None) -> dict[str, EventStore]:
    """The campaign and the extra events in three SQLite logs, recorded over 15 months
    (stores.spread_recording): an "as of" at a month's end falls between events."""
    stores = {}
    for source in ("plans", "sessions", "oversight"):
        log = make_engine(f"sqlite:///{tmp_path / (source + '.db')}")
        with log.begin() as conn:
            create_backbone_tables(conn)
        stores[source] = EventStore(log)
    appended: list[tuple[str, int]] = []
    if batches is None:
        batches = (campaign.tree(), campaign.first_half(), campaign.second_half(), extra_events())
    for batch in batches:
        for source, events in batch.items():
            for n, (kind, data) in enumerate(events):
                stored = stores[source].append(f"{kind}-{n}", None, [NewEvent(kind, data)])
                appended += [(source, event.position) for event in stored]
    spread_recording(stores, appended)
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


def _applied(tmp_path: Path, order: tuple[str, ...], url: str | None = None) -> sa.Engine:
    engine = read_store(url or f"sqlite:///{tmp_path / 'reporting.db'}")
    stores = source_logs(tmp_path)
    apply_live(engine, stores, order)
    for store in stores.values():
        store.engine.dispose()
    return engine


def _table(conn: sa.Connection, table: sa.Table) -> dict:
    where = table.c.day if "day" in table.c else table.c.span
    stamp = table.c.stamp if "stamp" in table.c else sa.literal("")
    rows = conn.execute(
        sa.select(table.c.org_id, table.c.metric, where, table.c.extra, stamp, table.c.value, table.c.n)
    )
    return {
        (org, metric, span, extra, *([at] if at else [])): (v, n)
        for org, metric, span, extra, at, v, n in rows
        if v or n
    }


@pytest.mark.parametrize("order", ORDERS)
def test_pre_aggregates_equal_a_recount_from_the_facts(tmp_path, order):
    engine = _applied(tmp_path, order)
    with engine.begin() as conn:
        kept = [_table(conn, table) for table in FIGURE_TABLES]
        recompute_figures(conn)
        assert [_table(conn, table) for table in FIGURE_TABLES] == kept
        assert kept[1][("province", "plans.cascaded", "2025-08", "")] == (1, 1)
        assert kept[1][("province", "plans.cascaded", "2025-08-01", "")] == (1, 1)
        # commune-1 (and cell-1 with it) moved: the stamped rows keep both sides of it
        stamps = {k[-1] for k in kept[2] if k[:3] == ("district", "sessions.held", "2025-Y")}
        assert len(stamps) > 1, stamps
    engine.dispose()


def test_recording_is_spread_over_months(tmp_path):
    """What the as-of tests below rely on: many stamps, and both moves recorded after
    their dates and after some of the facts they move."""
    engine = _applied(tmp_path, ORDERS[0])
    with engine.connect() as conn:
        months = [row[0] for row in conn.execute(sa.select(recorded_months.c.month))]
        moved = conn.execute(
            sa.select(ancestry.c.valid_from, ancestry.c.recorded_at).where(ancestry.c.valid_from > "2001")
        ).all()
    engine.dispose()
    assert months[0] == "2025-01" and len(months) >= 12, months
    assert {day for day, _ in moved} == {"2025-07-01", "2025-09-01"}
    assert all(at[:10] > day for day, at in moved), moved


PERIODS = [
    *PERIODS,
    {"kind": "term", "from": "2025-02-10", "to": "2025-11-20"},
    {"kind": "term", "from": "2020-10-01", "to": "2025-09-30"},
    {"kind": "term", "from": "2025-08-31", "to": "2026-01-01"},
    {"kind": "term", "from": "2025-03-31", "to": "2025-03-31"},
]
WHOLE_MONTHS = [spec for spec in PERIODS if period_of(spec).start[8:] == "01" and spec.get("kind") != "term"]
WHOLE_MONTHS.append({"kind": "term", "from": "2024-11-01", "to": "2026-02-28"})
# Month ends: each ends its month's recordings. Then instants inside a month: before its
# first recording (fast), and between two recordings (only the facts can say).
AS_OF = [
    f"{year}-{month:02d}-{calendar.monthrange(year, month)[1]}"
    for year, month in [
        (2025, 3),
        (2025, 6),
        (2025, 9),
        (2025, 10),
        (2025, 11),
        (2025, 12),
        (2026, 1),
        (2026, 2),
        (2026, 3),
    ]
]
AS_OF += ["2025-10-01T00:00:00Z", "2025-12-01T00:00:00.000001Z", "2025-11-14T12:00:00Z"]
TREE_DATES = [None, "2025-12-31"]


def compare_every_node(engine: sa.Engine) -> dict[str, int]:
    """Every node's figures on the fast path equal `count`'s, for every period, as of every
    instant and on several tree dates; returns how many of each the fast path answered."""
    answered = {"now": 0, "as_of": 0, "declined": 0}
    with engine.connect() as conn:
        nodes = [row[0] for row in conn.execute(sa.select(organizations.c.org_id))]
        for node in nodes:
            for spec in PERIODS:
                for tree_date in TREE_DATES:
                    scope = scope_of(node, period_of(spec), None, tree_date)
                    fast = count_fast(conn, scope)
                    assert fast is not None, (node, spec, tree_date)
                    assert _shown(fast) == _shown(count(conn, scope)), (node, spec, tree_date)
                    answered["now"] += 1
            for spec in WHOLE_MONTHS:
                for as_of in AS_OF:
                    for tree_date in TREE_DATES:
                        scope = scope_of(node, period_of(spec), as_of, tree_date)
                        fast = count_fast(conn, scope)
                        if fast is None:
                            answered["declined"] += 1
                            continue
                        raw = count(conn, scope)
                        assert _shown(fast) == _shown(raw), (
                            node,
                            spec,
                            as_of,
                            tree_date,
                            _diff(_shown(fast), _shown(raw)),
                        )
                        answered["as_of"] += 1
    return answered


@pytest.mark.parametrize("order", ORDERS)
def test_a_report_from_pre_aggregates_equals_one_from_the_facts(tmp_path, order):
    engine = _applied(tmp_path, order)
    answered = compare_every_node(engine)
    assert answered["as_of"] > answered["declined"] > 0, answered
    with engine.connect() as conn:
        # a move dated after the tree date, a term not tiled by days, an instant between two
        # recordings of its month: only the facts can say
        assert count_fast(conn, scope_of("province", period_of(PERIODS[0]), None, "2025-08-31")) is None
        assert count_fast(conn, scope_of("province", period_of(PERIODS[0]), "2025-08-31")) is None
        term = period_of({"kind": "term", "from": "2025-02-10", "to": "2025-11-20"})
        assert count_fast(conn, scope_of("province", term, "2025-12-31")) is None
        assert count_fast(conn, scope_of("province", period_of(PERIODS[0]), "2025-11-14T12:00:00Z")) is None
        assert count_fast(conn, scope_of("province", period_of(PERIODS[0]), "2025-12-31")) is not None
        # before anything was recorded: nothing, at once, for every node, as the facts say
        nodes = [row[0] for row in conn.execute(sa.select(organizations.c.org_id))]
        for node in nodes:
            for spec in (PERIODS[0], WHOLE_MONTHS[-1]):
                scope = scope_of(node, period_of(spec), "2024-12-31")
                assert count_fast(conn, scope) == {} and _shown(count(conn, scope)) == {}, node
    engine.dispose()


@pytest.fixture
def icu_pg_url():
    """A PostgreSQL database ordering strings as en-US does (ICU), not as C: "~" then sorts
    before letters and "." is nearly ignored, as in a server set up with a language's
    locale (the postgres image's default is en_US)."""
    name = f"test_icu_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)
    try:
        with admin.connect() as conn:
            conn.exec_driver_sql(
                f"CREATE DATABASE \"{name}\" TEMPLATE template0 LOCALE_PROVIDER icu ICU_LOCALE 'en-US'"
            )
    except sa.exc.DBAPIError as exc:  # a server built without ICU
        pytest.skip(f"no ICU collation here: {exc}")
    finally:
        admin.dispose()
    try:
        yield str(sa.engine.make_url(PG_ADMIN_URL).set(database=name).render_as_string(hide_password=False))
    finally:
        drop_pg_database(PG_ADMIN_URL, name)


@pytest.mark.parametrize("collation", ["default", "icu"])
def test_the_same_on_postgresql(tmp_path, pg_database_factory, request, collation):
    """The live projection on PostgreSQL: its pre-aggregates equal a recount, and every
    node's fast report equals the facts' (terms and "as of" included), whatever order the
    database gives strings."""
    url = pg_database_factory("live") if collation == "default" else request.getfixturevalue("icu_pg_url")
    engine = _applied(tmp_path, ORDERS[1], url)
    with engine.begin() as conn:
        kept = [_table(conn, table) for table in FIGURE_TABLES]
        recompute_figures(conn)
        assert [_table(conn, table) for table in FIGURE_TABLES] == kept
    answered = compare_every_node(engine)
    assert answered["as_of"] > answered["declined"] > 0, answered
    engine.dispose()


def test_as_of_a_month_end_counts_a_moved_unit_where_it_then_was(tmp_path):
    """cell-1 moved from commune-1 (in the district) to commune-2 (by then under the
    province) on 1 September, a move recorded in February: as of the end of January (on
    the tree of that day, as known then) its session still counts under commune-1 and the
    district, as of the end of February under commune-2; both from the stamped
    pre-aggregates, both what the facts say."""
    engine = _applied(tmp_path, ORDERS[0])
    year = period_of(PERIODS[0])
    with engine.connect() as conn:
        recorded = conn.execute(
            sa.select(ancestry.c.recorded_at).where(
                ancestry.c.org_id == "cell-1", ancestry.c.ancestor_id == "commune-2"
            )
        ).scalar()
        assert recorded[:7] == "2026-02"
        held = {}
        for node in ("province", "district"):
            for as_of in ("2026-01-31", "2026-02-28"):
                scope = scope_of(node, year, as_of)
                fast = count_fast(conn, scope)
                assert fast is not None and _shown(fast) == _shown(count(conn, scope)), (node, as_of)
                held[node, as_of] = {child: f.get("sessions.held") for child, f in fast.items() if child}
    engine.dispose()
    assert held["province", "2026-01-31"] == {"district": 2, "commune-2": 1}
    assert held["province", "2026-02-28"] == {"district": 1, "commune-2": 2}
    assert held["district", "2026-01-31"] == {"commune-1": 2}
    assert held["district", "2026-02-28"] == {"commune-1": 1}


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
