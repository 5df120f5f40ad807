"""What facts add to the pre-aggregated figures: pure functions, shared by the live
projection (a few groups at a time), the bulk rebuild (all groups at once) and the
migration that recomputes them.

A unit's own figures are kept by the day the facts are dated and by the month they
were recorded in (the "stamp"): (org_id, metric, day, extra, stamp) -> [value, n].
Plain facts count on their own, each at its own stamp; facts whose figure depends on
other facts (a later rating replaces an earlier one, a plan counts as cascaded once its
unit issued its own, a committee post makes an inspected member count, a unit counts
once however many sessions it held) are read in groups: everything that can change one
figure of the group is in the group, so a change is "group before, group after". A
group's figures are counted over the facts known at the end of each of its stamps, and
the change is kept at that stamp, so the rows of the stamps up to a month add up to the
figures as the record stood at the end of that month (an "as of" report).

`extra` holds what a derived figure also needs: the day of the first pairing fact (a
plan cascaded, an item remedied, a unit dissolved), a task's due day, the day a unit
last held a session before this one. Above a unit, the same rows are summed by span
(`below_spans`: the day, its month, its year) for today's tree, and by month and year
per stamp (`stamped_spans`) for the tree as it stood.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import date, timedelta
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
    recorded_at: str


class Post(NamedTuple):
    member_id: str
    valid_from: str
    committee: bool
    position: int


GroupKey = tuple[str, ...]
NEVER = "9999-99-99"  # the pairing fact never came (sorts after every day)
# A units-register row's day is "R" + the day the unit was registered: a range of its own
# under any collation (every other day or span starts with a digit, and digits sort
# before letters in C, glibc and ICU alike).
REGISTER = "R"

Figure = tuple[str, str, str, str]
"""(org_id, metric, day, extra)"""
Counted = dict[Figure, list[int]]
"""What a group counts over the facts it is given: figure -> [value, n]"""
Totals = dict[tuple[str, str, str, str, str], list[int]]
"""(org_id, metric, day, extra, stamp) -> [value, n]"""

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
HELD = "~held"


def stamp_of(recorded_at: str) -> str:
    """The stamp a fact recorded at `recorded_at` is kept at: its month. A string prefix,
    so recorded_at <= T implies stamp <= stamp_of(T) for any strings."""
    return recorded_at[:7]


def is_member_check(metric: str) -> bool:
    return metric.endswith(".member") and metric.startswith(("inspected.", "supervised."))


def plain(rows: Iterable[Row]) -> Totals:
    """Facts that count as they are (not ratings, not the units register)."""
    out: Totals = {}
    for r in rows:
        if not r.metric.startswith(("ratings.", "units.")):
            _put(out, (r.org_id, r.metric, r.on_date, "", stamp_of(r.recorded_at)), r.value, 1)
    return out


def group_keys(r: Row) -> list[GroupKey]:
    """The groups a fact belongs to besides its own event."""
    metric = r.metric
    if metric.startswith("ratings."):
        return [("rating", r.source, r.ref or "")]
    if is_member_check(metric) and r.subject_id is not None:
        return [("member", r.subject_id)]
    if metric in PAIR_OF:
        return [("pair", PAIR_OF[metric], r.ref or "")]
    if metric == "sessions.held":
        return [("held", r.org_id)]
    return []


def committee_on(posts: Sequence[Post], day: str) -> bool:
    """The member's latest post dated by `day` is a committee post."""
    best: Post | None = None
    for post in posts:
        if post.valid_from <= day and (
            best is None or (post.valid_from, post.position) > (best.valid_from, best.position)
        ):
            best = post
    return best is not None and best.committee


def group_totals(key: GroupKey, rows: Sequence[Row], posts: Sequence[Post] = ()) -> Totals:
    """A group's own figures, each change at the stamp it became known at."""
    kind = key[0]
    if kind == "member":  # a committee post (never "as of": posts count as known now)
        out: Totals = {}
        for r in rows:
            if committee_on(posts, r.on_date):
                _put(
                    out,
                    (r.org_id, f"{r.metric}.committee", r.on_date, "", stamp_of(r.recorded_at)),
                    r.value,
                    1,
                )
        return out
    if kind == "rating":
        return by_stamp(rows, latest_rating)
    if kind == "held":
        return by_stamp(rows, held_points)
    group = key[1]
    return by_stamp(rows, lambda known: paired(group, known))


def by_stamp(rows: Sequence[Row], count: Callable[[Sequence[Row]], Counted]) -> Totals:
    """`count` over the rows known at the end of each stamp the rows have, kept as the
    change from the stamp before: summed up to a stamp, they are `count` of what was
    known then."""
    stamps = sorted({r.recorded_at[:7] for r in rows})  # stamp_of
    if len(stamps) == 1:
        only = stamps[0]
        return {(*figure, only): slot for figure, slot in count(rows).items()}
    out: Totals = {}
    before: Counted = {}
    for stamp in stamps:
        now = count([r for r in rows if r.recorded_at[:7] <= stamp])
        for figure in now.keys() | before.keys():
            v1, n1 = now.get(figure, (0, 0))
            v0, n0 = before.get(figure, (0, 0))
            if v1 != v0 or n1 != n0:
                out[(*figure, stamp)] = [v1 - v0, n1 - n0]
        before = now
    return out


def latest_rating(rows: Sequence[Row]) -> Counted:
    """A later rating of the same subject and year replaces the earlier ones."""
    latest = max((r.position for r in rows), default=0)
    out: Counted = {}
    for r in rows:
        if r.position == latest:
            _put(out, (r.org_id, r.metric, r.on_date, ""), r.value, 1)
    return out


def held_points(rows: Sequence[Row]) -> Counted:
    """One point per day the unit held a session, with the day it held one before ("" for
    the first): the unit held a session in [start, end] exactly when one of its points
    falls in [start, end] with the day before it earlier than `start` (and only one does),
    so "units that held one" is a sum over any period."""
    out: Counted = {}
    if not rows:
        return out
    org_id = rows[0].org_id
    before = ""
    for day in sorted({r.on_date for r in rows}):
        out[(org_id, HELD, day, before)] = [1, 1]
        before = day
    return out


def paired(group: str, rows: Sequence[Row]) -> Counted:
    """Each base fact of a pairing group with the day of its first partner (or NEVER); a
    task's due fact only while no completion is dated by its due day."""
    base = BASE_OF[group]
    partner, _, by_subject = PAIRS[base]
    first: dict[str | None, str] = {}
    for r in rows:
        if r.metric == partner:
            match = r.subject_id if by_subject else None
            if r.on_date < first.get(match, NEVER):
                first[match] = r.on_date
    out: Counted = {}
    derived = DERIVED_KEYS[group]
    for r in rows:
        if r.metric != base:
            continue
        came = first.get(r.subject_id if by_subject else None, NEVER)
        if group == "tasks":  # overdue unless completed by its own due day
            if came <= r.on_date:
                continue
            figure = (r.org_id, derived, r.on_date, r.on_date)
        elif group == "units":
            figure = (r.org_id, derived, REGISTER + r.on_date, came)
        else:
            figure = (r.org_id, derived, r.on_date, came)
        _put(out, figure, r.value, 1)
    return out


def _put(into: dict, key: tuple, value: int, n: int) -> None:
    slot = into.get(key)
    if slot is None:
        into[key] = [value, n]
    else:
        slot[0] += value
        slot[1] += n


def add(into: Totals, other: Totals, sign: int = 1) -> None:
    for key, (value, n) in other.items():
        slot = into.get(key)
        if slot is None:
            into[key] = [sign * value, sign * n]
        else:
            slot[0] += sign * value
            slot[1] += sign * n


# -- spans: where a unit's own figure is summed above it ----------------------------------


def year_span(day: str) -> str:
    return f"{day[:4]}-Y"


def below_spans(day: str) -> tuple[str, ...]:
    """Today's tree: a day's figure is also summed into its month and its year (a register
    row stays as it is: it is read by "registered by the period's end")."""
    if day[:1] == REGISTER:
        return (day,)
    return (day, day[:7], f"{day[:4]}-Y")


def stamped_spans(day: str) -> tuple[str, ...]:
    """The tree as it stood: by month and year only (an "as of" report is for whole months)."""
    if day[:1] == REGISTER:
        return (day,)
    return (day[:7], f"{day[:4]}-Y")


MAX_CODES = 400


def span_codes(start: str, end: str, days: bool = True) -> list[str] | None:
    """The fewest spans that tile the days start..end (ISO dates): whole years, whole
    months, single days. None when that takes days and `days` is False, or more than
    MAX_CODES spans (a report the pre-aggregates cannot answer in a few rows)."""
    try:
        day, last = date.fromisoformat(start), date.fromisoformat(end)
    except ValueError:
        return None
    codes: list[str] = []
    while day <= last:
        month_end = _month_end(day)
        if day.month == 1 and day.day == 1 and date(day.year, 12, 31) <= last:
            codes.append(f"{day.year:04d}-Y")
            step = date(day.year, 12, 31)
        elif day.day == 1 and month_end <= last:
            codes.append(f"{day.year:04d}-{day.month:02d}")
            step = month_end
        elif days:
            codes.append(day.isoformat())
            step = day
        else:
            return None
        if len(codes) > MAX_CODES:
            return None
        if step == date.max:
            break
        day = step + timedelta(days=1)
    return codes


def _month_end(day: date) -> date:
    if day.month == 12:
        return date(day.year, 12, 31)
    return date(day.year, day.month + 1, 1) - timedelta(days=1)
