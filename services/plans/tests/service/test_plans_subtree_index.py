"""Subtree queries are answered from the path index on both backends, and a prefix
range never takes in a sibling whose id merely starts the same way."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import sqlalchemy as sa

from eventlog.engine import make_engine
from plans.organization_queries import subtree
from plans.subtree import end_of_subtree, inside_subtree, within
from plans.tables import organizations
from testing_support.services import migrate

# Siblings of "b" whose ids sort just below and above "b/" byte by byte.
TREE = {
    "a": "/a/",
    "b": "/a/b/",
    "c": "/a/b/c/",
    "d": "/a/b/c/d/",
    "b-x": "/a/b-x/",
    "b.": "/a/b./",
    "b0": "/a/b0/",
    "b_": "/a/b_/",
    "bb": "/a/bb/",
}


@pytest.fixture
def engine(db_url: str) -> Iterator[sa.Engine]:
    migrate("plans", db_url)
    engine = make_engine(db_url)
    rows = [
        {
            "org_id": org_id,
            "kind": "cell",
            "name": org_id,
            "path": path,
            "depth": path.count("/") - 2,
            "registered_on": "2020-01-01",
            "version": 1,
        }
        for org_id, path in TREE.items()
    ]
    with engine.begin() as conn:
        conn.execute(organizations.insert(), rows)
    yield engine
    engine.dispose()


def statements_of(engine: sa.Engine, run) -> list[tuple[str, object]]:
    """The SQL `run()` sends, with its parameters."""
    sent: list[tuple[str, object]] = []

    def record(conn, cursor, statement, parameters, context, executemany) -> None:
        sent.append((statement, parameters))

    sa.event.listen(engine, "before_cursor_execute", record)
    try:
        run()
    finally:
        sa.event.remove(engine, "before_cursor_execute", record)
    return sent


def plan_of(engine: sa.Engine, statement: str, parameters: object) -> str:
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            rows = conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", parameters).all()
            return "\n".join(str(r[-1]) for r in rows)
        conn.exec_driver_sql("SET enable_seqscan = off")  # nine rows: only ask if the index can serve
        return "\n".join(r[0] for r in conn.exec_driver_sql(f"EXPLAIN {statement}", parameters))


def test_the_end_of_a_subtree_is_the_path_with_its_last_slash_raised() -> None:
    assert end_of_subtree("/a/b/") == "/a/b0"
    assert all("/a/b/" <= path < "/a/b0" for path in ["/a/b/", "/a/b/c/", "/a/b/zzz/"])
    assert not any("/a/b/" <= path < "/a/b0" for path in ["/a/b-x/", "/a/b./", "/a/b0/", "/a/b_/", "/a/"])


def test_a_subtree_holds_its_descendants_and_no_lookalike_sibling(engine: sa.Engine) -> None:
    assert [o["org_id"] for o in subtree(engine, "b")] == ["b", "c", "d"]
    assert [o["org_id"] for o in subtree(engine, "c")] == ["c", "d"]
    assert len(subtree(engine, "a")) == len(TREE)
    with engine.connect() as conn:
        assert inside_subtree(conn, "/a/b/", TREE) == {"b", "c", "d"}
        assert (
            conn.execute(sa.select(sa.func.count()).where(~within("/a/b/", organizations.c.path))).scalar()
            == len(TREE) - 3
        )


def test_the_subtree_query_uses_the_path_index(engine: sa.Engine) -> None:
    [(statement, parameters)] = [
        s for s in statements_of(engine, lambda: subtree(engine, "b", "cell", 0, 10)) if "ORDER BY" in s[0]
    ]
    plan = plan_of(engine, statement, parameters)

    assert "ix_organizations_path" in plan, plan
    if engine.dialect.name == "sqlite":
        assert "SEARCH organizations USING INDEX ix_organizations_path (path>? AND path<?)" in plan, plan
        assert "SCAN organizations" not in plan, plan
    else:
        assert (
            "Index Cond: (((path)::text ~>=~ '/a/b/'::text) AND ((path)::text ~<~ '/a/b0'::text))" in plan
        ), plan
