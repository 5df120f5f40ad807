"""A bulk rebuild (COPY on PostgreSQL, batched inserts on SQLite) writes exactly the
read store that applying the same logs event by event writes."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from eventlog.schema import consumer_progress
from reporting.rebuild import log_reader, rebuild
from reporting.tables import PROJECTION_TABLES

from .test_reporting_pre_aggregates import apply_live, read_store, source_logs

ORDER = ("plans", "sessions", "oversight")


def contents(engine: sa.Engine) -> dict[str, list]:
    """Every projection row but its surrogate id, in a stable order."""
    out = {}
    with engine.connect() as conn:
        for table in (*PROJECTION_TABLES, consumer_progress):
            columns = [c for c in table.c if c.name != "id"]
            rows = conn.execute(sa.select(*columns)).all()
            out[table.name] = sorted(
                (tuple(row) for row in rows if not (table.name.endswith("_figures") and not row[-1])),
                key=repr,
            )
    return out


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_a_bulk_rebuild_equals_the_live_projection(tmp_path, backend, pg_database_factory):
    stores = source_logs(tmp_path)
    live = read_store(f"sqlite:///{tmp_path / 'live.db'}")
    apply_live(live, stores, ORDER)
    url = f"sqlite:///{tmp_path / 'rebuilt.db'}" if backend == "sqlite" else pg_database_factory("rebuilt")
    rebuilt = read_store(url)
    readers = {source: log_reader(stores[source].engine) for source in ORDER}
    heads = {source: stores[source].head() for source in ORDER}
    read = rebuild(rebuilt, readers, heads)
    assert read == heads
    expected = contents(live)
    assert expected["report_facts"] and expected["report_below_figures"]
    assert contents(rebuilt) == expected
    rebuild(rebuilt, readers, heads)  # again over a full store: the same, no leftovers
    assert contents(rebuilt) == expected
    for engine in (live, rebuilt, *(store.engine for store in stores.values())):
        engine.dispose()
