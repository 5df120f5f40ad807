"""`python -m tests.faults.report`: the fault suite's totals, one line per fault.

Reads what `ledger.record` merged into artifacts/faults.json (one entry per fault test,
the last run of each) and prints commands sent, accepted, applied, lost and duplicated per
fault, with a total line. Exits 1 if any fault lost, duplicated or invented a command,
answered an applied command with an error, or saw a service die.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ARTIFACT = Path(__file__).resolve().parents[2] / "artifacts" / "faults.json"  # as ledger.py writes it

COLUMNS = (
    ("sent", "sent"),
    ("accepted", "accepted"),
    ("refused", "refused"),
    ("failed", "failed"),
    ("unknown", "unanswered"),
    ("unknown_applied", "(applied)"),
    ("applied_unanswered", "applied, no result"),
    ("applied", "applied"),
    ("lost", "lost"),
    ("duplicated", "duplicated"),
    ("phantom", "phantom"),
    ("answered_wrongly", "wrong answer"),
)
BAD = ("lost", "duplicated", "phantom", "answered_wrongly")


def table(data: dict[str, dict]) -> tuple[list[str], bool]:
    heads = ["fault", "backend", *(label for _, label in COLUMNS), "died", "s"]
    rows = []
    totals = dict.fromkeys((key for key, _ in COLUMNS), 0)
    clean = True
    for test in sorted(data):
        entry = data[test]
        values = [int(entry.get(key, 0)) for key, _ in COLUMNS]
        for (key, _), value in zip(COLUMNS, values, strict=True):
            totals[key] += value
        died = entry.get("services_died") or []
        clean &= not died and not any(entry.get(key, 0) for key in BAD)
        rows.append(
            [
                test,
                entry.get("backend", "?"),
                *map(str, values),
                ",".join(died) or "-",
                str(entry.get("seconds", "")),
            ]
        )
    rows.append(["TOTAL", "", *(str(totals[key]) for key, _ in COLUMNS), "", ""])
    widths = [max(len(str(r[i])) for r in [heads, *rows]) for i in range(len(heads))]
    lines = [
        "  ".join(
            str(c).ljust(w) if i < 2 else str(c).rjust(w)
            for i, (c, w) in enumerate(zip(r, widths, strict=True))
        )
        for r in [heads, *rows]
    ]
    lines.insert(1, "-" * len(lines[0]))
    lines.insert(len(lines) - 1, "-" * len(lines[0]))
    return lines, clean


def main() -> int:
    if not ARTIFACT.exists():
        print(f"no fault totals: {ARTIFACT} was not written (did the fault tests run?)")
        return 1
    data = json.loads(ARTIFACT.read_text())
    lines, clean = table(data)
    print(f"fault totals ({ARTIFACT.relative_to(ARTIFACT.parents[1])}):")
    print("\n".join(lines))
    print("every accepted command applied exactly once everywhere" if clean else "PROBLEMS: see the table")
    return 0 if clean else 1


if __name__ == "__main__":
    sys.exit(main())
