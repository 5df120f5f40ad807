"""`make bench`: every benchmark, each figure beside a baseline measured in the same run.

Usage: python bench/run.py [--quick] [--only NAME ...]
Each bench_*.py module exposes `main(quick: bool) -> list[dict]`; rows carry the
benchmark, the figure, its value and unit, the baseline, their ratio and the target.
"""

from __future__ import annotations

import argparse
import importlib
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]


def fmt(value: object) -> str:
    if isinstance(value, float):
        return f"{value:,.1f}" if abs(value) >= 100 else f"{value:,.3f}"
    return "" if value is None else str(value)


def print_table(rows: list[dict]) -> None:
    columns = ["benchmark", "figure", "value", "unit", "baseline", "ratio", "target", "met"]
    cells = [[fmt(row.get(c)) for c in columns] for row in rows]
    widths = [max(len(c), *(len(r[i]) for r in cells)) if cells else len(c) for i, c in enumerate(columns)]
    print("  ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True)))
    print("  ".join("-" * w for w in widths))
    for r in cells:
        print("  ".join(v.ljust(w) for v, w in zip(r, widths, strict=True)))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small sizes, for a smoke run")
    parser.add_argument("--only", nargs="*", help="bench module names, e.g. bench_eventlog")
    args = parser.parse_args()
    names = args.only or sorted(p.stem for p in (ROOT / "bench").glob("bench_*.py"))
    rows: list[dict] = []
    for name in names:
        started = time.monotonic()
        print(f"running {name} ...", file=sys.stderr, flush=True)
        module = importlib.import_module(name)
        rows.extend(module.main(args.quick))
        print(f"  {name} took {time.monotonic() - started:.0f}s", file=sys.stderr, flush=True)
    print_table(rows)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
