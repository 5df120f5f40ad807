"""Plans: subtree and path-to-root queries on a national-scale organisation tree.

The tree (63 provinces, ~700 districts, 50,000 grassroots committees, 250,000 cells) is
bulk-loaded straight into the plans service's `organizations` table, in a throwaway
SQLite file (the default store) and a throwaway PostgreSQL database, each migrated with
the service's own Alembic revisions. Each figure is the service's own query
(`plans.organization_queries.subtree` / `path_to_root`: one scan of the path index, a
range on SQLite and a LIKE prefix on PostgreSQL) beside the baseline measured in the same
run on the same backend: a recursive CTE over `parent_id`, returning the same rows. A
second line per level times the SQL alone (rows fetched as tuples), to separate the index
from the cost of shaping thousands of rows into dicts in Python.

Usage: python bench/bench_plans_subtree.py [--quick] [--backend sqlite|postgresql ...]
"""

from __future__ import annotations

import argparse
import io
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path

import sqlalchemy as sa

sys.path[:0] = [str(Path(__file__).resolve().parents[1])]  # testing_support, when run directly

import plans  # noqa: E402
from eventlog.engine import make_engine  # noqa: E402
from eventlog.migrations import upgrade  # noqa: E402
from plans.organization_queries import path_to_root, subtree  # noqa: E402
from plans.subtree import within  # noqa: E402
from plans.tables import organizations  # noqa: E402
from testing_support.databases import create_pg_database, drop_pg_database  # noqa: E402

PG_ADMIN = os.environ.get("TEST_PG_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
BACKENDS = ("sqlite", "postgresql")
COLUMNS = "org_id, kind, name, code, parent_id, path, depth, registered_on, dissolved_on, version"
BELOW = ", ".join("o." + c.strip() for c in COLUMNS.split(","))

SUBTREE_CTE = sa.text(f"""
    WITH RECURSIVE below AS (
        SELECT {COLUMNS} FROM organizations WHERE org_id = :org_id
        UNION ALL
        SELECT {BELOW} FROM organizations o JOIN below b ON o.parent_id = b.org_id
    ) SELECT * FROM below""")

ANCESTORS_CTE = sa.text(f"""
    WITH RECURSIVE above AS (
        SELECT {COLUMNS}, 0 AS up FROM organizations WHERE org_id = :org_id
        UNION ALL
        SELECT {BELOW}, a.up + 1 FROM organizations o JOIN above a ON o.org_id = a.parent_id
    ) SELECT * FROM above ORDER BY up DESC""")

Row = tuple[str, str, str, None, str | None, str, int, str, None, int]


def tree_rows(provinces: int, districts: int, grassroots: int, cells: int) -> tuple[list[Row], dict]:
    """The tree's rows (children spread evenly) and the ids of each level."""
    rng = random.Random(7)
    levels: dict[str, list[str]] = {"province": [], "district": [], "grassroots": [], "cell": []}
    rows: list[Row] = []
    paths: dict[str | None, str] = {None: "/"}

    def add(org_id: str, kind: str, parent: str | None) -> None:
        levels[kind].append(org_id)
        paths[org_id] = f"{paths[parent]}{org_id}/"
        depth = paths[org_id].count("/") - 2
        rows.append(
            (org_id, kind, f"Tổ chức {org_id}", None, parent, paths[org_id], depth, "2020-01-01", None, 1)
        )

    for p in range(provinces):
        add(f"p{p:02d}", "province", None)
    for d in range(districts):
        parent = levels["province"][d % provinces]
        add(f"{parent}-d{d:03d}", "district", parent)
    for g in range(grassroots):
        add(f"g{g:05d}", "grassroots", levels["district"][rng.randrange(districts)])
    for c in range(cells):
        add(f"c{c:06d}", "cell", levels["grassroots"][c % grassroots])
    return rows, levels


def load(engine: sa.Engine, rows: list[Row]) -> None:
    """COPY into PostgreSQL, one executemany into SQLite; then ANALYZE for the planner."""
    if engine.dialect.name == "postgresql":
        text = "".join("\t".join("\\N" if v is None else str(v) for v in row) + "\n" for row in rows)
        raw = engine.raw_connection()
        try:
            with raw.cursor() as cursor:
                cursor.copy_expert(f"COPY organizations ({COLUMNS}) FROM STDIN", io.StringIO(text))
            raw.commit()
        finally:
            raw.close()
    else:
        names = [c.strip() for c in COLUMNS.split(",")]
        with engine.begin() as conn:
            conn.execute(organizations.insert(), [dict(zip(names, row, strict=True)) for row in rows])
    with engine.begin() as conn:
        conn.execute(sa.text("ANALYZE organizations"))


@contextmanager
def migrated(backend: str) -> Iterator[sa.Engine]:
    """A throwaway, migrated plans database on `backend`, removed afterwards."""
    with tempfile.TemporaryDirectory() as directory:
        name = f"bench_plans_{uuid.uuid4().hex[:8]}"
        url = (
            create_pg_database(PG_ADMIN, name)
            if backend == "postgresql"
            else f"sqlite:///{directory}/plans.db"
        )
        engine = make_engine(url)
        try:
            upgrade(Path(plans.__file__).parent / "migrations", url)
            yield engine
        finally:
            engine.dispose()
            if backend == "postgresql":
                drop_pg_database(PG_ADMIN, name)


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
    backend: str, name: str, ours: Callable[[str], int], baseline: Callable[[str], int], targets: list[str]
) -> list[dict]:
    """p50 and p99 of `ours` against `baseline` on the same targets (same rows returned)."""
    mine, mine_rows = timed(ours, targets)
    base, base_rows = timed(baseline, targets)
    assert mine_rows == base_rows, f"{name}: {mine_rows} rows against the baseline's {base_rows}"
    per_call = mine_rows / len(targets)
    return [
        row_of(
            backend, f"{name} p50 ({per_call:,.0f} rows)", statistics.median(mine), statistics.median(base)
        ),
        row_of(backend, f"{name} p99 ({per_call:,.0f} rows)", p99(mine), p99(base)),
    ]


def row_of(backend: str, figure: str, value: float, baseline: float) -> dict:
    ratio = value / baseline if baseline else None
    return {
        "benchmark": f"plans subtree ({backend})",
        "figure": figure,
        "value": value,
        "unit": "ms",
        "baseline": baseline,
        "ratio": ratio,
        "target": "≤ recursive CTE on parent_id (ratio ≤ 1)",
        "met": "" if ratio is None else ("yes" if ratio <= 1.0 else "NO"),
    }


def counting(engine: sa.Engine, query: Callable[[str], sa.Executable], shaped: bool) -> Callable[[str], int]:
    """Run `query(org_id)` alone and count its rows; `shaped`: into dicts, as the service does."""

    def run(org_id: str) -> int:
        with engine.connect() as conn:
            result = conn.execute(query(org_id))
            return len([dict(r._mapping) for r in result] if shaped else result.all())

    return run


def recursive(cte: sa.TextClause) -> Callable[[str], sa.Executable]:
    return lambda org_id: cte.bindparams(org_id=org_id)


def path_index_scan(paths: dict[str, str]) -> Callable[[str], sa.Executable]:
    """The service's subtree condition as each backend compiles it, without the lookup."""
    path = organizations.c.path
    return lambda org_id: sa.select(*organizations.c).where(within(paths[org_id], path)).order_by(path)


def service_subtree(engine: sa.Engine, org_id: str) -> int:
    return len(subtree(engine, org_id, None, 0, 10**7))


def service_path_to_root(engine: sa.Engine, org_id: str) -> int:
    return len(path_to_root(engine, org_id))


def bench(backend: str, rows: list[Row], levels: dict[str, list[str]], samples: int) -> list[dict]:
    """Every figure on one backend, on targets drawn the same way on each."""
    with migrated(backend) as engine:
        started = time.monotonic()
        load(engine, rows)
        elapsed = time.monotonic() - started
        print(f"  {backend}: {len(rows):,} organisations loaded in {elapsed:.1f}s", file=sys.stderr)
        with engine.connect() as conn:
            paths = dict(conn.execute(sa.select(organizations.c.org_id, organizations.c.path)).all())
        rng = random.Random(11)
        below = recursive(SUBTREE_CTE)
        out: list[dict] = []
        for kind in ("province", "district", "grassroots"):
            targets = [rng.choice(levels[kind]) for _ in range(samples)]
            ours, baseline = partial(service_subtree, engine), counting(engine, below, True)
            out += figures(backend, f"list_subtree of a {kind}", ours, baseline, targets)
            ours, baseline = counting(engine, path_index_scan(paths), False), counting(engine, below, False)
            out += figures(backend, "  its SQL alone: path index scan", ours, baseline, targets)
        cells = [rng.choice(levels["cell"]) for _ in range(samples)]
        ours, baseline = (
            partial(service_path_to_root, engine),
            counting(engine, recursive(ANCESTORS_CTE), True),
        )
        return out + figures(backend, "path_to_root of a cell", ours, baseline, cells)


def main(quick: bool, backends: tuple[str, ...] = BACKENDS) -> list[dict]:
    """The figures on each backend, the same tree and targets on each."""
    sizes = (3, 30, 2_000, 10_000) if quick else (63, 700, 50_000, 250_000)
    rows, levels = tree_rows(*sizes)
    return [row for backend in backends for row in bench(backend, rows, levels, 20 if quick else 60)]


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from run import print_table

    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="a tree of ~12,000, for a smoke run")
    parser.add_argument("--backend", nargs="*", choices=BACKENDS, default=list(BACKENDS))
    args = parser.parse_args()
    print_table(main(args.quick, tuple(args.backend)))
