"""Plans: subtree and path-to-root queries on a national-scale organisation tree.

The tree (63 provinces, ~700 districts, 50,000 grassroots committees, 250,000 cells) is
bulk-loaded straight into the plans service's `organizations` table in a throwaway
PostgreSQL database migrated with the service's own Alembic revisions. Each figure is
the service's own query (`plans.organizations.subtree` / `path_to_root`: one indexed
prefix scan on the materialised path) beside the baseline measured in the same run: a
recursive CTE over `parent_id`, returning the same rows. A second line per level times
the SQL alone (prefix scan against the CTE, rows fetched as tuples), to separate the
index from the cost of shaping thousands of rows into dicts in Python.
"""

from __future__ import annotations

import io
import os
import random
import statistics
import sys
import time
import uuid
from collections.abc import Callable
from pathlib import Path

import sqlalchemy as sa

sys.path[:0] = [str(Path(__file__).resolve().parents[1])]  # testing_support, when run directly

import plans  # noqa: E402
from eventlog.engine import make_engine  # noqa: E402
from eventlog.migrations import upgrade  # noqa: E402
from plans.organizations import path_to_root, subtree  # noqa: E402
from testing_support.databases import create_pg_database, drop_pg_database  # noqa: E402

PG_ADMIN = os.environ.get("TEST_PG_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
NULL = "\\N"  # COPY's text format
COLUMNS = "org_id, kind, name, code, parent_id, path, depth, registered_on, dissolved_on, version"

SUBTREE_CTE = sa.text(f"""
    WITH RECURSIVE below AS (
        SELECT {COLUMNS} FROM organizations WHERE org_id = :org_id
        UNION ALL
        SELECT {", ".join("o." + c.strip() for c in COLUMNS.split(","))}
        FROM organizations o JOIN below b ON o.parent_id = b.org_id
    ) SELECT * FROM below""")

PREFIX_SCAN = sa.text(f"SELECT {COLUMNS} FROM organizations WHERE path LIKE :org_id ORDER BY path")

ANCESTORS_CTE = sa.text(f"""
    WITH RECURSIVE above AS (
        SELECT {COLUMNS}, 0 AS up FROM organizations WHERE org_id = :org_id
        UNION ALL
        SELECT {", ".join("o." + c.strip() for c in COLUMNS.split(","))}, a.up + 1
        FROM organizations o JOIN above a ON o.org_id = a.parent_id
    ) SELECT * FROM above ORDER BY up DESC""")


def build_tree(
    engine: sa.Engine, provinces: int, districts: int, grassroots: int, cells: int
) -> dict[str, list[str]]:
    """COPY the tree in (children spread evenly); return the ids of each level."""
    rng = random.Random(7)
    levels: dict[str, list[str]] = {"province": [], "district": [], "grassroots": [], "cell": []}
    buffer = io.StringIO()

    def row(org_id: str, kind: str, parent: str | None, path: str, depth: int) -> None:
        levels[kind].append(org_id)
        fields = [
            org_id,
            kind,
            f"Tổ chức {org_id}",
            NULL,
            parent or NULL,
            path,
            str(depth),
            "2020-01-01",
            NULL,
            "1",
        ]
        buffer.write("\t".join(fields) + "\n")

    paths: dict[str, str] = {}
    for p in range(provinces):
        org_id = f"p{p:02d}"
        paths[org_id] = f"/{org_id}/"
        row(org_id, "province", None, paths[org_id], 0)
    for d in range(districts):
        parent = levels["province"][d % provinces]
        org_id = f"{parent}-d{d:03d}"
        paths[org_id] = f"{paths[parent]}{org_id}/"
        row(org_id, "district", parent, paths[org_id], 1)
    for g in range(grassroots):
        parent = levels["district"][rng.randrange(districts)]
        org_id = f"g{g:05d}"
        paths[org_id] = f"{paths[parent]}{org_id}/"
        row(org_id, "grassroots", parent, paths[org_id], 2)
    for c in range(cells):
        parent = levels["grassroots"][c % grassroots]
        org_id = f"c{c:06d}"
        row(org_id, "cell", parent, f"{paths[parent]}{org_id}/", 3)
    buffer.seek(0)
    raw = engine.raw_connection()
    try:
        with raw.cursor() as cursor:
            cursor.copy_expert(f"COPY organizations ({COLUMNS}) FROM STDIN", buffer)
        raw.commit()
    finally:
        raw.close()
    with engine.connect() as conn:
        conn.execute(sa.text("ANALYZE organizations"))
        conn.commit()
    return levels


def timed(call: Callable[[str], int], targets: list[str]) -> tuple[list[float], int]:
    """Milliseconds per call over `targets` (after one warm-up round), and rows returned."""
    for target in targets[:3]:
        call(target)
    samples, rows = [], 0
    for target in targets:
        started = time.perf_counter()
        rows += call(target)
        samples.append((time.perf_counter() - started) * 1000)
    return samples, rows


def p99(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=100)[98] if len(samples) > 1 else samples[0]


def figures(
    name: str, ours: Callable[[str], int], baseline: Callable[[str], int], targets: list[str]
) -> list[dict]:
    """p50 and p99 of `ours` against `baseline` on the same targets (same rows returned)."""
    mine, mine_rows = timed(ours, targets)
    base, base_rows = timed(baseline, targets)
    assert mine_rows == base_rows, f"{name}: {mine_rows} rows against the baseline's {base_rows}"
    per_call = mine_rows / len(targets)
    return [
        row_of(f"{name} p50 ({per_call:,.0f} rows)", statistics.median(mine), statistics.median(base)),
        row_of(f"{name} p99 ({per_call:,.0f} rows)", p99(mine), p99(base)),
    ]


def row_of(figure: str, value: float, baseline: float) -> dict:
    ratio = value / baseline if baseline else None
    return {
        "benchmark": "plans subtree",
        "figure": figure,
        "value": value,
        "unit": "ms",
        "baseline": baseline,
        "ratio": ratio,
        "target": "≤ recursive CTE on parent_id (ratio ≤ 1)",
        "met": "" if ratio is None else ("yes" if ratio <= 1.0 else "NO"),
    }


def main(quick: bool) -> list[dict]:
    sizes = (3, 30, 2_000, 10_000) if quick else (63, 700, 50_000, 250_000)
    samples = 20 if quick else 60
    name = f"bench_plans_{uuid.uuid4().hex[:8]}"
    url = create_pg_database(PG_ADMIN, name)
    engine = make_engine(url)
    try:
        upgrade(Path(plans.__file__).parent / "migrations", url)
        started = time.monotonic()
        levels = build_tree(engine, *sizes)
        print(
            f"  tree of {sum(map(len, levels.values())):,} organisations loaded in "
            f"{time.monotonic() - started:.1f}s",
            file=sys.stderr,
        )
        rng = random.Random(11)

        def pick(kind: str) -> list[str]:
            return [rng.choice(levels[kind]) for _ in range(samples)]

        def bare(query: sa.TextClause, shaped: bool, key: Callable[[str], str] = str) -> Callable[[str], int]:
            """Run `query` alone; `shaped`: into dicts, as the service returns rows."""

            def run(org_id: str) -> int:
                with engine.connect() as conn:
                    result = conn.execute(query, {"org_id": key(org_id)})
                    return len([dict(r._mapping) for r in result] if shaped else result.all())

            return run

        paths = {}

        def path_of(org_id: str) -> str:
            if org_id not in paths:
                with engine.connect() as conn:
                    paths[org_id] = conn.execute(
                        sa.text("SELECT path FROM organizations WHERE org_id = :o"), {"o": org_id}
                    ).scalar()
            return f"{paths[org_id]}%"

        def ours_subtree(org_id: str) -> int:
            return len(subtree(engine, org_id, None, 0, 10**7))

        def ours_path(org_id: str) -> int:
            return len(path_to_root(engine, org_id))

        rows: list[dict] = []
        for kind in ("province", "district", "grassroots"):
            targets = pick(kind)
            rows += figures(f"list_subtree of a {kind}", ours_subtree, bare(SUBTREE_CTE, True), targets)
            rows += figures(
                "  its SQL alone: path prefix scan",
                bare(PREFIX_SCAN, False, path_of),
                bare(SUBTREE_CTE, False),
                targets,
            )
        rows += figures("path_to_root of a cell", ours_path, bare(ANCESTORS_CTE, True), pick("cell"))
        return rows
    finally:
        engine.dispose()
        drop_pg_database(PG_ADMIN, name)


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from run import print_table

    print_table(main("--quick" in sys.argv))
