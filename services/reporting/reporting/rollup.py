"""What facts add to the pre-aggregated figures: pure functions, shared by the live
projection (a few groups at a time) and the bulk rebuild (all groups at once).

A contribution is (org_id, metric, month, extra, value). Plain facts contribute on
their own; facts whose figure depends on other facts (a later rating replaces an
earlier one, a plan counts as cascaded once its unit issued its own, a committee post
makes an inspected member count) are read in groups: everything that can change one
figure of the group is in the group, so a change is "group before, group after".
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import NamedTuple


class Row(NamedTuple):
    """The part of a fact row a figure depends on."""

    metric: str
    org_id: str
    on_date: str
    value: int
    subject_id: str | None
    ref: str | None
    source: str
    position: int


class Post(NamedTuple):
    member_id: str
    valid_from: str
    committee: bool
    position: int


Contribution = tuple[str, str, str, str, int]
GroupKey = tuple[str, ...]
NEVER = "9999-99"  # the pairing fact never came

# base metric -> (partner metric, its group name, also match subject_id)
PAIRS = {
    "units.registered.cell": ("units.dissolved", "units", False),
    "plans.units_required": ("plans.cascaded", "plans", True),
    "tasks.due": ("tasks.completed", "tasks", False),
    "remediation.submitted": ("remediation.remedied", "remediation", False),
}
PAIR_OF = {metric: group for base, (partner, group, _) in PAIRS.items() for metric in (base, partner)}
BASE_OF = {group: base for base, (_, group, _) in PAIRS.items()}
DERIVED_KEYS = {
    "units": "~units_required",
    "plans": "~units_required_pair",
    "tasks": "~overdue",
    "remediation": "~in_progress",
}


def is_member_check(metric: str) -> bool:
    return metric.endswith(".member") and metric.startswith(("inspected.", "supervised."))


def plain(rows: Iterable[Row]) -> list[Contribution]:
    """Facts that count as they are (not ratings, not the units register)."""
    return [
        (r.org_id, r.metric, r.on_date[:7], "", r.value)
        for r in rows
        if not r.metric.startswith(("ratings.", "units."))
    ]


def group_keys(r: Row) -> list[GroupKey]:
    """The groups a fact belongs to besides its own event."""
    keys: list[GroupKey] = []
    metric = r.metric
    if metric.startswith("ratings."):
        keys.append(("rating", r.source, r.ref or ""))
    elif is_member_check(metric) and r.subject_id is not None:
        keys.append(("member", r.subject_id))
    elif metric in PAIR_OF:
        keys.append(("pair", PAIR_OF[metric], r.ref or ""))
    elif metric == "sessions.held":
        keys.append(("held", r.org_id, r.on_date[:4]))
    return keys


def committee_on(posts: Sequence[Post], day: str) -> bool:
    """The member's latest post dated by `day` is a committee post."""
    best: Post | None = None
    for post in posts:
        if post.valid_from <= day and (
            best is None or (post.valid_from, post.position) > (best.valid_from, best.position)
        ):
            best = post
    return best is not None and best.committee


def group_contributions(key: GroupKey, rows: Sequence[Row], posts: Sequence[Post] = ()) -> list[Contribution]:
    kind = key[0]
    if kind == "rating":
        latest = max((r.position for r in rows), default=0)
        return [(r.org_id, r.metric, r.on_date[:7], "", r.value) for r in rows if r.position == latest]
    if kind == "member":
        return [
            (r.org_id, f"{r.metric}.committee", r.on_date[:7], "", r.value)
            for r in rows
            if committee_on(posts, r.on_date)
        ]
    if kind == "held":
        mask = 0
        for r in rows:
            mask |= 1 << (int(r.on_date[5:7]) - 1)
        return [(rows[0].org_id, "~units_held", key[2], str(mask), 1)] if rows else []
    return _paired(key[1], rows)


def _paired(group: str, rows: Sequence[Row]) -> list[Contribution]:
    base = BASE_OF[group]
    partner, _, by_subject = PAIRS[base]
    partners = [r for r in rows if r.metric == partner]
    out: list[Contribution] = []
    for r in rows:
        if r.metric != base:
            continue
        matching = [p for p in partners if not by_subject or p.subject_id == r.subject_id]
        if group == "tasks":  # overdue unless completed by its own due day
            if not any(p.on_date <= r.on_date for p in matching):
                out.append((r.org_id, "~overdue", r.on_date[:7], r.on_date, r.value))
            continue
        first = min((p.on_date[:7] for p in matching), default=NEVER)
        out.append((r.org_id, DERIVED_KEYS[group], r.on_date[:7], first, r.value))
    return out


Totals = dict[tuple[str, str, str, str], list[int]]
"""(org_id, metric, month, extra) -> [value, n]"""


_SPANS: dict[str, tuple[str, str, str]] = {}


def spans_of(month: str) -> tuple[str, str, str]:
    """Where a figure of `month` is also summed: its quarter and its year ("2025-03" ->
    "2025-Q1", "2025-Y"), so a year report reads one row per figure, not twelve."""
    spans = _SPANS.get(month)
    if spans is None:
        spans = _SPANS[month] = (month, f"{month[:4]}-Q{(int(month[5:7]) + 2) // 3}", f"{month[:4]}-Y")
    return spans


def span_codes(first: str, last: str) -> list[str]:
    """The fewest spans that cover the months `first`..`last` of one year."""
    year, m, end = first[:4], int(first[5:7]), int(last[5:7])
    if m == 1 and end == 12:
        return [f"{year}-Y"]
    codes = []
    while m <= end:
        if m % 3 == 1 and m + 2 <= end:
            codes.append(f"{year}-Q{(m + 2) // 3}")
            m += 3
        else:
            codes.append(f"{year}-{m:02d}")
            m += 1
    return codes


RANGES = [
    (first, last, sum(1 << (m - 1) for m in range(first, last + 1)))
    for first in range(1, 13)
    for last in range(first, 13)
]


def as_below(metric: str, month: str, extra: str) -> list[tuple[str, str, str]]:
    """How a unit's own figure is kept above it. A year's month mask of sessions held
    becomes one count per month range it touches ("0103": Jan..Mar): a subtree of
    thousands of units then keeps 78 rows a year, not one per distinct mask."""
    if metric != "~units_held":
        return [(metric, month, extra)]
    kept = _HELD_RANGES.get((month, extra))
    if kept is None:  # the same few masks come back for unit after unit
        mask = int(extra)
        kept = _HELD_RANGES[(month, extra)] = [
            ("~units_held_range", month, f"{first:02d}{last:02d}")
            for first, last, bits in RANGES
            if mask & bits
        ]
    return kept


_HELD_RANGES: dict[tuple[str, str], list[tuple[str, str, str]]] = {}


def add(totals: Totals, contributions: Iterable[Contribution], sign: int = 1) -> None:
    """Sum contributions into totals; a plain figure (not "~...") into its quarter and year too."""
    for org_id, metric, month, extra, value in contributions:
        for span in (month,) if metric.startswith("~") else spans_of(month):
            slot = totals.get((org_id, metric, span, extra))
            if slot is None:
                totals[(org_id, metric, span, extra)] = [sign * value, sign]
            else:
                slot[0] += sign * value
                slot[1] += sign
