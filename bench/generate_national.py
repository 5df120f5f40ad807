"""A synthetic national campaign year, written through the services' own event stores.

At scale 1.0: 63 provinces, 700 districts, 50,000 grassroots organisations, 250,000 cells
and 5,000,000 members, and a year of activity: plans cascading from every province down
to every grassroots committee (tasks assigned and mostly completed, some flagged as
copies), four themed sessions per cell (scheduled, then held with full minutes),
shortcomings named in them, a remediation item for each (opened, planned, progress,
remedied or overdue), inspections and supervisions, discipline with appeals, review
suggestions, and a rating for every member and cell.

How it is written: each service's events go through `eventlog.store.EventStore.append`
(contract-validated, hash-chained, sealed when the store seals, positions under the
store's lock) into that service's own throwaway PostgreSQL database, one append per
stream, many streams per transaction (EVENTS_PER_TRANSACTION), one process per service,
streaming: a writer holds at most one transaction's events (~65 MiB RSS each at any
scale). Stream ids follow the services' own (`organization-<id>`, `plan-<id>`,
`remediation-<item>`, `member-<id>`, `session-<id>`, `rating-round-2025-<grassroots>`,
`inspection-<id>`, `discipline-<id>`, `review-suggestion-<id>`); event ids are random
uuid4 hex, as the services make them. What makes the bulk load faster, and nothing else:
- every payload is validated by the contract registry's own compiled jsonschema-rs
  validator of its type (looked up once per type rather than per call; registry.check
  itself for a type's first event and for any refusal); validated == appended == the
  log's head is checked at the end;
- the generator's own connections run with `synchronous_commit = off` (throwaway stores;
  the services' and the replay's connections keep the server's settings);
- the unique index on `event_id` is built after the load (ALTER TABLE ... ADD CONSTRAINT
  with the definition create_backbone_tables made; the index and constraint definitions
  are compared with it afterwards, and a duplicate id would fail the build): inserting
  random ids row by row scatters writes over an index far larger than the server's
  128 MB shared_buffers at full scale. A run that fails leaves stores without it.
The generator's own work (payloads, ids) is ~5% of a writer's time; the rest is the
append itself: ~40 us of Python per event (JSON, hashing, seals, psycopg2) and ~28 us
of PostgreSQL backend (one round trip per stream), the same at scale 0.03 and 0.2.

Snapshots are NOT built: the services' own state tables (organisation tree, rosters,
sessions, inspections...) stay empty, so the services' command and query RPCs cannot be
pointed at these stores. What is measured needs only the logs: generation rate, store
sizes, writer and replay memory, the replay of the whole year into reporting
(`reporting.rebuild.rebuild`, straight from the databases) and report latency on the
rebuilt projection (bench_reporting's `latency_rows`, up to 200 requests per level and
kind of report). `make bench` runs the same year through bench_reporting.py instead,
written straight into the logs, which takes a minute at a million events.

Run:
    .venv/bin/python bench/generate_national.py --quick         # scale 0.002, < 60 s
    .venv/bin/python bench/generate_national.py --scale 0.05    # ~0.98 M events, ~2.5 min
    .venv/bin/python bench/generate_national.py --scale 1.0 --keep
Full scale is about 19.6 million events (linear in the scale: 3,912,686 at 0.2). Measured
on this two-core machine (figures of 2 Dec 2026; the machine was shared, and other work
moves them by up to 40%): at scale 0.2 with little else running, 19,400 events/s for the
three stores together (202 s; 16,960/s before the changes above), the sessions store the
long pole (2.72 M events, 13,450/s; plans 14,280/s); at 0.05, 11,740/s under a load of
~3.5 (10,320/s before). Stores: ~1.0 kB per event with indexes (plans 1.16 GB, sessions
2.44 GB at 0.2). Replay: 51,000-79,000 events/s; its peak RSS is linear in the scale
(253 MiB at 0.01, 799 MiB at 0.05, 2,730 MiB at 0.2: ~13 GiB at 1.0, mostly reporting's
pre-aggregated figures, ratings and posts per member, held until written). Projected
full scale on a quiet machine: ~19 min writing (sessions' 13.6 M events at ~12,000/s),
~7 min replay, ~2 min of reports, ~30 min in all (~40 min under today's load); ~18 GB
of event logs and ~13 GB of reporting, ~13 GiB of RAM for the replay. --no-replay skips
it. Measured at full scale (2 Dec 2026, machine shared with other work for most of the
run): 19,579,786 events in 3,115 s (6,286/s; sessions' 5 M one-event member streams at
2,000-3,000/s were the long pole), stores 5.7 + 11.9 GiB + 58 MiB, replay 437 s
(44,793/s) peaking at 12.5 GiB, reporting 13.3 GiB; README has the latency per level.
Progress lines go to stderr every 30 s. `--keep` leaves the databases in place and
prints their URLs and seal keys (for `verify`). Choices are deterministic.
"""

from __future__ import annotations

import argparse
import calendar
import inspect
import json
import multiprocessing
import os
import resource
import secrets
import sys
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
# This working tree's code, whatever the venv's editable installs point at.
for _folder in (
    ROOT,
    ROOT / "lib" / "eventlog",
    *(ROOT / "services" / s for s in ("plans", "sessions", "oversight", "reporting")),
):
    sys.path.insert(0, str(_folder))

import sqlalchemy as sa  # noqa: E402

from eventlog import contracts  # noqa: E402
from eventlog.contracts import ContractRegistry  # noqa: E402
from eventlog.engine import make_engine  # noqa: E402
from eventlog.envelope import Metadata, NewEvent  # noqa: E402
from eventlog.migrations import create_backbone_tables  # noqa: E402
from eventlog.store import EventStore  # noqa: E402
from testing_support.databases import create_pg_database, drop_pg_database  # noqa: E402

ADMIN = os.environ.get("TEST_PG_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
NATIONAL = {"province": 63, "district": 700, "grassroots": 50_000, "cell": 250_000, "member": 5_000_000}
SOURCES = ("plans", "sessions", "oversight")
EVENTS_PER_TRANSACTION = 5000
PROGRESS_SECONDS = 30.0
YEAR = 2025
LEVELS = ("province", "district", "grassroots", "cell")


def _examples() -> dict[str, dict[str, Any]]:
    registry = ContractRegistry(ROOT / "contracts" / "events")
    return {t: registry.example(t, 1) for t in registry.event_types()}


EXAMPLE = _examples()


def pick(key: int, n: int, salt: int = 0) -> int:
    """A deterministic, well-spread choice in range(n) for an integer key (splitmix64);
    a different salt for each kind of decision keeps the decisions independent."""
    x = (key * 0x9E3779B97F4A7C15 + (salt + 1) * 0xBF58476D1CE4E5B9) & 0xFFFFFFFFFFFFFFFF
    x = ((x ^ (x >> 31)) * 0x94D049BB133111EB) & 0xFFFFFFFFFFFFFFFF
    return (x ^ (x >> 29)) % n


@dataclass(frozen=True)
class Tree:
    """Counts per level; parents are assigned round-robin, ids are level letter + index."""

    provinces: int
    districts: int
    grassroots: int
    cells: int
    members: int

    @classmethod
    def at(cls, scale: float) -> Tree:
        p = max(1, round(NATIONAL["province"] * scale))
        d = max(p, round(NATIONAL["district"] * scale))
        g = max(d, round(NATIONAL["grassroots"] * scale))
        c = max(g, round(NATIONAL["cell"] * scale))
        return cls(p, d, g, c, max(3 * c, round(NATIONAL["member"] * scale)))

    def province_of(self, d: int) -> int:
        return d % self.provinces

    def district_of(self, g: int) -> int:
        return g % self.districts

    def grassroots_of(self, c: int) -> int:
        return c % self.grassroots

    def members_of(self, c: int) -> range:
        """Members are spread evenly: cell c holds member indices [start, end)."""
        return range(c * self.members // self.cells, (c + 1) * self.members // self.cells)

    def ids(self, level: str) -> list[str]:
        count = {
            "province": self.provinces,
            "district": self.districts,
            "grassroots": self.grassroots,
            "cell": self.cells,
        }[level]
        return [f"{level[0]}{i}" for i in range(count)]


def day(month: int, dom: int) -> str:
    return f"{YEAR}-{month:02d}-{dom:02d}"


# -- the events of each service, stream by stream ------------------------------------------

Streams = Iterator[tuple[str, list[NewEvent]]]


# Event ids as uuid4().hex makes them (random, version 4, RFC 4122 variant), a third of
# the time: 16 random bytes at a time from one os.urandom call per 4,096 ids.
_V4_CLEAR = ~((0xF000 << 64) | (0xC000 << 48)) & ((1 << 128) - 1)
_V4_SET = (4 << 76) | (0x8000 << 48)


def _uuid4_hexes() -> Iterator[str]:
    while True:
        block = os.urandom(16 * 4096)
        for i in range(0, len(block), 16):
            yield f"{(int.from_bytes(block[i : i + 16]) & _V4_CLEAR) | _V4_SET:032x}"


_event_ids = _uuid4_hexes()


def _fresh_event_ids() -> None:  # a forked writer must not replay its parent's random block
    global _event_ids
    _event_ids = _uuid4_hexes()


os.register_at_fork(after_in_child=_fresh_event_ids)


def ev(event_type: str, **fields: Any) -> NewEvent:
    return NewEvent(event_type, {**EXAMPLE[event_type], **fields}, 1, next(_event_ids))


def plans_events(tree: Tree) -> Streams:
    """The tree, the plan cascade with tasks, copies flagged, and remediation of every
    shortcoming the sessions service records (the same deterministic choices)."""
    parent_of = {
        "province": lambda i: None,
        "district": lambda i: f"p{tree.province_of(i)}",
        "grassroots": lambda i: f"d{tree.district_of(i)}",
        "cell": lambda i: f"g{tree.grassroots_of(i)}",
    }
    for level in LEVELS:
        for i, org_id in enumerate(tree.ids(level)):
            yield (
                f"organization-{org_id}",
                [
                    ev(
                        "OrganizationRegistered",
                        org_id=org_id,
                        kind=level,
                        name=f"Tổ chức {org_id}",
                        parent_id=parent_of[level](i),
                        code=None,
                        registered_on="2020-01-15",
                    )
                ],
            )
    children: dict[str, list[str]] = {}
    for i in range(tree.districts):
        children.setdefault(f"p{tree.province_of(i)}", []).append(f"d{i}")
    for i in range(tree.grassroots):
        children.setdefault(f"d{tree.district_of(i)}", []).append(f"g{i}")
    for level, month in (("province", 1), ("district", 2), ("grassroots", 3)):
        for i, org_id in enumerate(tree.ids(level)):
            parent_plan = None
            if level == "district":
                parent_plan = f"kh-p{tree.province_of(i)}"
            elif level == "grassroots":
                parent_plan = f"kh-d{tree.district_of(i)}"
            plan_id = f"kh-{org_id}"
            events = [
                ev(
                    "PlanIssued",
                    plan_id=plan_id,
                    org_id=org_id,
                    number=f"{i + 1}-KH/{org_id}",
                    issued_on=day(month, 10),
                    parent_plan_id=parent_plan,
                    required_unit_ids=children.get(org_id, [])[:200],
                    deadline=day(12, 31),
                )
            ]
            for t in range(1, 4):
                events.append(
                    ev(
                        "PlanTaskAssigned",
                        plan_id=plan_id,
                        org_id=org_id,
                        task_id=f"{plan_id}-t{t}",
                        deadline=day(6 + t, 28),
                        assigned_on=day(month, 10),
                    )
                )
            if level == "grassroots" and pick(i, 20, salt=3) == 0:
                events.append(
                    ev(
                        "PlanFlaggedAsCopy",
                        plan_id=plan_id,
                        org_id=org_id,
                        parent_plan_id=parent_plan,
                        parent_org_id=f"d{tree.district_of(i)}",
                        flagged_on=day(month, 20),
                    )
                )
            for t in range(1, 4):
                if pick(i * 3 + t, 3, salt=2):
                    events.append(
                        ev(
                            "PlanTaskCompleted",
                            plan_id=plan_id,
                            org_id=org_id,
                            task_id=f"{plan_id}-t{t}",
                            completed_on=day(6 + t, 20),
                        )
                    )
            yield f"plan-{plan_id}", events
    for shortcoming in shortcomings(tree):
        item = f"sessions:{shortcoming['shortcoming_id']}"
        common = {
            "item_id": item,
            "shortcoming_id": shortcoming["shortcoming_id"],
            "org_id": shortcoming["org_id"],
        }
        who = {"subject_kind": shortcoming["subject_kind"], "subject_id": shortcoming["subject_id"]}
        month = shortcoming["month"]
        events = [
            ev(
                "RemediationOpened",
                **common,
                **who,
                source_service="sessions",
                catalogue_codes=shortcoming["codes"],
                recorded_on=day(month, 15),
                opened_on=day(month, 15),
                due_on=day(month + 1, 15),
            ),
            ev("RemediationPlanSubmitted", **common, **who, submitted_on=day(month, 20)),
            ev("RemediationProgressReported", **common, reported_on=day(month + 1, 1)),
        ]
        if pick(shortcoming["key"], 5, salt=1):
            events.append(
                ev(
                    "ShortcomingRemedied",
                    **common,
                    **who,
                    source_service="sessions",
                    catalogue_codes=shortcoming["codes"],
                    remedied_on=day(month + 1, 10),
                )
            )
        else:
            events.append(
                ev(
                    "RemediationOverdue",
                    **common,
                    **who,
                    due_on=day(month + 1, 15),
                    detected_on=day(month + 1, 16),
                    days_overdue=1,
                )
            )
        yield f"remediation-{item}", events


def shortcomings(tree: Tree) -> Iterator[dict[str, Any]]:
    for c in range(tree.cells):
        yield from shortcomings_of_cell(tree, c)


def shortcomings_of_cell(tree: Tree, c: int) -> Iterator[dict[str, Any]]:
    """Named in the cell's themed sessions: one for the cell in about a third of them,
    and about one member in twenty per session."""
    members = tree.members_of(c)
    for q in range(1, 5):
        key = c * 4 + q
        month = 3 * q - 1
        if pick(key, 3, salt=4) == 0:
            yield {
                "shortcoming_id": f"hc-c{c}-q{q}",
                "subject_kind": "organisation",
                "subject_id": f"c{c}",
                "org_id": f"c{c}",
                "codes": [f"NQ04-{1 + pick(key, 27, salt=5)}"],
                "month": month,
                "key": key,
                "session": f"ss-c{c}-q{q}",
            }
        for m in members:
            if pick(m * 4 + q, 20, salt=6) == 0:
                yield {
                    "shortcoming_id": f"hc-m{m}-q{q}",
                    "subject_kind": "member",
                    "subject_id": f"m{m}",
                    "org_id": f"c{c}",
                    "codes": [f"QD37-{1 + pick(m * 4 + q, 19, salt=7)}"],
                    "month": month,
                    "key": m * 4 + q,
                    "session": f"ss-c{c}-q{q}",
                }


def sessions_events(tree: Tree) -> Streams:
    for c in range(tree.cells):
        cell = f"c{c}"
        members = [f"m{m}" for m in tree.members_of(c)]
        for n, member_id in enumerate(members):
            yield (
                f"member-{member_id}",
                [
                    ev(
                        "MemberEnrolled",
                        member_id=member_id,
                        full_name=f"Đảng viên {member_id}",
                        org_id=cell,
                        membership="full" if pick(n + c * 1000, 10, salt=13) else "probationary",
                        admitted_on="2015-05-19",
                        enrolled_on="2020-01-15",
                        posts_in_cell=["secretary"] if n == 0 else [],
                        posts_outside_cell=[],
                    )
                ],
            )
    for c in range(tree.cells):
        cell = f"c{c}"
        members = [f"m{m}" for m in tree.members_of(c)]
        n = len(members)
        by_session: dict[str, list[dict[str, Any]]] = {}
        for s in shortcomings_of_cell(tree, c):
            by_session.setdefault(s["session"], []).append(s)
        attendance = [{"member_id": m, "presence": "present", "reason": ""} for m in members[:-1]]
        attendance.append({"member_id": members[-1], "presence": "absent_with_reason", "reason": "Ốm"})
        for q in range(1, 5):
            session_id = f"ss-c{c}-q{q}"
            held_on = day(3 * q - 1, 15)
            events = [
                ev(
                    "SessionScheduled",
                    session_id=session_id,
                    org_id=cell,
                    scheduled_on=day(3 * q - 1, 1),
                    plan_id=f"kh-g{tree.grassroots_of(c)}",
                    pilot=q == 1 and pick(c, 10, salt=14) == 0,
                ),
                ev(
                    "SessionHeld",
                    session_id=session_id,
                    org_id=cell,
                    plan_id=f"kh-g{tree.grassroots_of(c)}",
                    pilot=q == 1 and pick(c, 10, salt=14) == 0,
                    held_on=held_on,
                    starts_at="14:00",
                    ends_at="16:00",
                    chair_id=members[0],
                    minute_taker_id=members[1],
                    attendance=attendance,
                    speaking_turns_by_member={members[0]: 2, members[1]: 1},
                    duration_minutes=120,
                    members_total=n,
                    full_members=n,
                    probationary_members=0,
                    exempted=0,
                    present=n - 1,
                    absent_with_reason=1,
                    absent_without_reason=0,
                    absent_without_reason_members=[],
                    speaking_turns=3,
                    speakers=2,
                    members_counted_for_vote=n,
                    vote={"for": n - 1, "against": 0, "abstain": 0},
                    resolution_passed=True,
                    non_compliant=False,
                    non_compliance=[],
                ),
            ]
            for s in by_session.pop(session_id, []):
                events.append(
                    ev(
                        "ShortcomingRecorded",
                        shortcoming_id=s["shortcoming_id"],
                        source="session",
                        session_id=session_id,
                        inspection_id=None,
                        subject_kind=s["subject_kind"],
                        subject_id=s["subject_id"],
                        org_id=cell,
                        codes=s["codes"],
                        recorded_on=held_on,
                    )
                )
            yield f"session-{session_id}", events
    for g in range(tree.grassroots):
        cells = range(g, tree.cells, tree.grassroots)
        ratings = []
        for c in cells:
            for m in tree.members_of(c):
                ratings.append(
                    ev(
                        "RatingAssigned",
                        subject_kind="member",
                        subject_id=f"m{m}",
                        org_id=f"c{c}",
                        grassroots_org_id=f"g{g}",
                        year=YEAR,
                        level=("excellent", "good", "good", "good", "completed")[pick(m, 5, salt=12)],
                        score=75.0,
                        rated_on=day(12, 10),
                    )
                )
            ratings.append(
                ev(
                    "RatingAssigned",
                    subject_kind="organisation",
                    subject_id=f"c{c}",
                    org_id=f"c{c}",
                    grassroots_org_id=f"g{g}",
                    year=YEAR,
                    level="good",
                    score=80.0,
                    rated_on=day(12, 10),
                )
            )
        yield f"rating-round-{YEAR}-g{g}", ratings


def oversight_events(tree: Tree) -> Streams:
    """A regular inspection of one grassroots committee in ten, a thematic supervision per
    district, review suggestions, and for one member in five hundred an inspection upon
    signs of violation ending in discipline (one appeal in ten)."""
    for g in range(tree.grassroots):
        d = tree.district_of(g)
        if pick(g, 10, salt=8) == 0:
            inspection = f"kt-g{g}"
            base = {
                "inspection_id": inspection,
                "kind": "regular_inspection",
                "subject_kind": "organisation",
                "subject_id": f"g{g}",
                "org_id": f"g{g}",
                "deciding_body_org_id": f"d{d}",
            }
            yield (
                f"inspection-{inspection}",
                [
                    ev(
                        "InspectionOpened",
                        **base,
                        scope=None,
                        deciding_body_type="inspection_commission",
                        decided_on=day(4, 1),
                        period_from=day(1, 1),
                        period_to=day(3, 31),
                        programme_item_id=None,
                    ),
                    ev(
                        "InspectionConcluded",
                        **base,
                        concluded_on=day(5, 15),
                        violation_found=False,
                        discipline_warranted=False,
                        shortcoming_ids=[],
                    ),
                ],
            )
        if pick(g, 20, salt=9) == 0:
            yield (
                f"review-suggestion-gy-g{g}",
                [
                    ev(
                        "ReviewSuggested",
                        suggestion_id=f"gy-g{g}",
                        suggesting_body_org_id=f"d{d}",
                        suggesting_body_type="standing_committee",
                        target_kind="collective",
                        target_id=f"g{g}",
                        org_id=f"g{g}",
                        suggested_on=day(6, 2),
                    )
                ],
            )
    for d in range(tree.districts):
        g = d  # the district's first grassroots committee (round-robin parents)
        supervision = f"gs-d{d}"
        yield (
            f"inspection-{supervision}",
            [
                ev(
                    "SupervisionConducted",
                    inspection_id=supervision,
                    kind="thematic_supervision",
                    subject_kind="organisation",
                    subject_id=f"g{g}",
                    org_id=f"g{g}",
                    deciding_body_org_id=f"d{d}",
                    conducted_on=day(7, 25),
                    violation_signs_found=False,
                    shortcoming_ids=[],
                )
            ],
        )
    for m in range(0, tree.members, 500):
        c = next(
            c
            for c in (m * tree.cells // tree.members, m * tree.cells // tree.members + 1)
            if m in tree.members_of(c)
        )
        g = tree.grassroots_of(c)
        d = tree.district_of(g)
        inspection, decision = f"kt-m{m}", f"qd-m{m}"
        base = {
            "inspection_id": inspection,
            "kind": "inspection_on_signs_of_violation",
            "subject_kind": "member",
            "subject_id": f"m{m}",
            "org_id": f"c{c}",
            "deciding_body_org_id": f"d{d}",
        }
        yield (
            f"inspection-{inspection}",
            [
                ev(
                    "InspectionOpened",
                    **base,
                    scope=None,
                    deciding_body_type="inspection_commission",
                    decided_on=day(8, 1),
                    period_from=day(1, 1),
                    period_to=day(7, 31),
                    programme_item_id=None,
                ),
                ev(
                    "InspectionConcluded",
                    **base,
                    concluded_on=day(9, 1),
                    violation_found=True,
                    discipline_warranted=True,
                    shortcoming_ids=[],
                ),
            ],
        )
        form = ("reprimand", "warning")[pick(m, 2, salt=10)]
        discipline = [
            ev(
                "DisciplineImposed",
                decision_id=decision,
                subject_kind="full_member",
                subject_id=f"m{m}",
                org_id=f"c{c}",
                deciding_body_org_id=f"d{d}",
                form=form,
                decided_on=day(9, 20),
                inspection_id=inspection,
                proposal_id=None,
                received_on=day(9, 22),
                discipline_warranted_on=day(9, 1),
                limitation_clock_started_on=day(3, 1),
                limitation_expires_on="2030-03-01",
            )
        ]
        if pick(m, 10, salt=11) == 0:
            appeal = f"kn-m{m}"
            common = {
                "decision_id": decision,
                "appeal_id": appeal,
                "subject_kind": "full_member",
                "subject_id": f"m{m}",
                "org_id": f"c{c}",
            }
            discipline += [
                ev(
                    "DisciplineAppealed",
                    **common,
                    lodged_on=day(10, 5),
                    appealed_form=form,
                    appeal_to_org_id=f"p{tree.province_of(d)}",
                ),
                ev(
                    "AppealDecided",
                    **common,
                    outcome="upheld",
                    new_form=None,
                    decided_on=day(11, 5),
                    deciding_body_org_id=f"p{tree.province_of(d)}",
                ),
            ]
        yield f"discipline-{decision}", discipline


GENERATORS = {"plans": plans_events, "sessions": sessions_events, "oversight": oversight_events}


# -- writing -------------------------------------------------------------------------------

# Built after the load instead of row by row (ALTER TABLE ... ADD CONSTRAINT, the very
# definition create_backbone_tables made, checked after): random uuid4 ids scatter the
# inserts over the whole index, and at national scale (~1 GB of index per store against
# PostgreSQL's 128 MB shared_buffers here) every insert reads, dirties and after each
# checkpoint logs a full page of it. The other two indexes stay during the load: the
# append's guard looks up the head by position and the stream's version by stream id.
DEFERRED_CONSTRAINTS = ("event_log_event_id_key",)
_BULK_SESSION = (  # the generator's own connections to its throwaway stores only
    "SET synchronous_commit TO off",  # a crash loses the last commits, never consistency
)


def bulk_engine(url: str) -> sa.Engine:
    """An engine for the generator's own bulk load: make_engine's, with `_BULK_SESSION` set
    on each of its connections."""
    engine = make_engine(url)

    @sa.event.listens_for(engine, "connect")
    def _bulk(dbapi_conn: Any, _record: Any) -> None:
        cursor = dbapi_conn.cursor()
        for statement in _BULK_SESSION:
            cursor.execute(statement)
        cursor.close()
        dbapi_conn.commit()

    return engine


def contract_checker(registry: ContractRegistry) -> tuple[Callable[[NewEvent], None], Counter[str]]:
    """registry.check for every event, minus its per-call path building: the registry's own
    compiled jsonschema-rs validator of each (type, version), looked up once; any payload it
    refuses, and the first event of each type, go through registry.check itself (which
    raises InvalidEvent with its message). Counts the payloads validated, per type."""
    validated: Counter[str] = Counter()
    compiled: dict[tuple[str, int], Any] = {}
    fast = getattr(contracts, "_compiled", None)

    def check(event: NewEvent) -> None:
        validated[event.type] += 1
        key = (event.type, event.schema_version)
        validator = compiled.get(key)
        if validator is not None and validator.is_valid(event.payload):
            return
        registry.check(event)
        if validator is None and fast is not None:
            compiled[key] = fast(str(registry.root / event.type / f"v{event.schema_version}.schema.json"))

    return check, validated


def _constraints(conn: sa.Connection) -> dict[str, tuple[str, str | None]]:
    """event_log's constraints and indexes: name -> (constraint definition, index definition)."""
    found: dict[str, tuple[str, str | None]] = {}
    for name, definition in conn.execute(
        sa.text(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint"
            " WHERE conrelid = 'event_log'::regclass"
        )
    ):
        found[name] = (definition, None)
    for name, definition in conn.execute(
        sa.text("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'event_log'")
    ):
        found[name] = (found.get(name, ("", None))[0], definition)
    return found


def write_source(args: tuple[str, str, Tree]) -> dict[str, Any]:
    """One service's year into its store: many streams per transaction, each stream one
    EventStore.append (validated, chained, positions under the lock); the event id index
    built once at the end."""
    source, url, tree = args
    engine = bulk_engine(url)
    prepare(url)
    with engine.begin() as conn:
        made = _constraints(conn)
        for name in DEFERRED_CONSTRAINTS:
            conn.exec_driver_sql(f'ALTER TABLE event_log DROP CONSTRAINT "{name}"')
    registry = ContractRegistry(ROOT / "contracts" / "events")
    check, validated = contract_checker(registry)
    # The services seal every event (eventlog.seal) when their store can: so does this,
    # under a key of its own for these throwaway stores.
    seal_key = secrets.token_bytes(32) if "seal_key" in inspect.signature(EventStore).parameters else None
    store = EventStore(engine, validate=check, **({"seal_key": seal_key} if seal_key else {}))
    metadata = Metadata(actor="bench:generate_national", occurred_at=f"{YEAR}-12-31T00:00:00.000000Z")
    events = streams = transactions = 0
    by_type: Counter[str] = Counter()
    started = time.perf_counter()
    pending: list[tuple[str, list[NewEvent]]] = []
    pending_events = 0

    last = (started, 0)

    def flush() -> None:
        nonlocal transactions, last
        with engine.begin() as conn:
            for stream_id, batch in pending:
                store.append(stream_id, 0, batch, metadata, conn)
        transactions += 1
        now = time.perf_counter()
        if now - last[0] >= PROGRESS_SECONDS:  # an hour-long run says how it is going
            kind = pending[-1][0].split("-", 1)[0]
            rate = (events - last[1]) / (now - last[0])
            print(f"  {source}: {events:,} events, {kind} streams, {rate:,.0f} events/s", file=sys.stderr)
            last = (now, events)
        pending.clear()

    for stream_id, batch in GENERATORS[source](tree):
        pending.append((stream_id, batch))
        pending_events += len(batch)
        events += len(batch)
        streams += 1
        for new in batch:
            by_type[new.type] += 1
        if pending_events >= EVENTS_PER_TRANSACTION:
            flush()
            pending_events = 0
    if pending:
        flush()
    appended = time.perf_counter()
    with engine.begin() as conn:
        conn.exec_driver_sql("SET LOCAL maintenance_work_mem = '1GB'")
        for name in DEFERRED_CONSTRAINTS:
            conn.exec_driver_sql(f'ALTER TABLE event_log ADD CONSTRAINT "{name}" {made[name][0]}')
        rebuilt = _constraints(conn)
        if rebuilt != made:
            raise AssertionError(f"{source}: event_log's indexes {rebuilt} are not the schema's {made}")
    seconds = time.perf_counter() - started
    with engine.connect() as conn:
        head = conn.execute(sa.text("SELECT max(position) FROM event_log")).scalar()
        size = conn.execute(sa.text("SELECT pg_database_size(current_database())")).scalar()
        log_size = conn.execute(sa.text("SELECT pg_total_relation_size('event_log')")).scalar()
    engine.dispose()
    # Positions are gap-free: the head is the number of events the log holds.
    if head != events or validated != by_type:
        raise AssertionError(f"{source}: {events} appended, head {head}, {sum(validated.values())} validated")
    return {
        "source": source,
        "events": events,
        "streams": streams,
        "transactions": transactions,
        "seconds": seconds,
        "index_seconds": seconds - (appended - started),
        "validated": sum(validated.values()),
        "sealed": seal_key is not None,
        "seal_key": seal_key.hex() if seal_key else None,
        "bytes": int(size or 0),
        "log_bytes": int(log_size or 0),
        "by_type": dict(by_type),
        "max_rss": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
    }


def prepare(url: str) -> None:
    engine = make_engine(url)
    with engine.begin() as conn:
        create_backbone_tables(conn)
    engine.dispose()


def row_of(
    benchmark: str,
    figure: str,
    value: float,
    unit: str,
    baseline: float | None,
    target: str,
    met: bool | None,
) -> dict[str, Any]:
    return {
        "benchmark": benchmark,
        "figure": figure,
        "value": value,
        "unit": unit,
        "baseline": baseline,
        "ratio": round(value / baseline, 2) if baseline else None,
        "target": target,
        "met": {True: "yes", False: "NO", None: ""}[met],
    }


def replay_rows(
    urls: dict[str, str], tree: Tree, by_type: dict[str, int], samples: int
) -> list[dict[str, Any]]:
    """The whole year replayed into reporting, then report latency per kind and level."""
    from reporting.migrations_path import migrate_read_store
    from reporting.periods import period_of
    from reporting.rebuild import log_reader, rebuild
    from reporting.report import build_report

    total = sum(by_type.values())
    migrate_read_store(urls["reporting"])
    target = make_engine(urls["reporting"])
    logs = {s: make_engine(urls[s]) for s in SOURCES}
    heads = {s: EventStore(engine).head() for s, engine in logs.items()}
    rss_before = _rss()
    started = time.perf_counter()
    rebuild(target, {s: log_reader(engine) for s, engine in logs.items()}, heads)
    replay_seconds = time.perf_counter() - started
    # This process did little before the replay: its peak is the replay's (which keeps
    # the tree and the pre-aggregated figures in memory until it writes them).
    replay_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    with target.begin() as conn:
        conn.exec_driver_sql("ANALYZE")
    # The replayed year must add up to what was generated (summed over the provinces).
    year = period_of({"kind": "year", "year": YEAR})
    expected = {
        "sessions.held": by_type.get("SessionHeld", 0),
        "shortcomings.recorded": by_type.get("ShortcomingRecorded", 0),
        "sessions.units_required": tree.cells,
    }
    reports = [build_report(target, p, year, None)["figures"] for p in tree.ids("province")]
    got = {metric: sum(figures.get(metric, 0) for figures in reports) for metric in expected}
    rows = [
        row_of(
            "national_replay",
            f"whole year, {total:,} events into reporting",
            round(replay_seconds, 1),
            "s",
            None,
            "rebuild from the three logs straight from PostgreSQL",
            None,
        ),
        row_of(
            "national_replay",
            "replay rate",
            round(total / replay_seconds),
            "events/s",
            50_000.0,
            ">= 50000 events/s",
            total / replay_seconds >= 50_000,
        ),
    ]
    rows.append(
        row_of(
            "national_memory",
            f"replay (reporting.rebuild): peak RSS of the replaying process, "
            f"{rss_before / 2**20:,.0f} MiB before it",
            round(replay_peak / 2**20, 1),
            "MiB",
            None,
            f"{(replay_peak - rss_before) / max(total, 1):,.0f} bytes/event above the start",
            None,
        )
    )
    rows.append(
        row_of(
            "national_replay",
            f"province reports add up to the generated year: {got}",
            int(got == expected),
            "bool",
            None,
            f"== {expected}",
            got == expected,
        )
    )
    from bench_reporting import latency_rows  # a year, quarter, month, term and as-of report per level

    rows += latency_rows(target, tree, samples, kinds=_national_kinds(target))
    size = _size(target)
    rows.append(
        row_of(
            "national_store_size",
            "reporting (rebuilt projections)",
            round(size / 2**20, 1),
            "MiB",
            None,
            "",
            None,
        )
    )
    for engine in (*logs.values(), target):
        engine.dispose()
    return rows


def _rss() -> int:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    return 0


def _size(engine: sa.Engine) -> int:
    with engine.connect() as conn:
        return int(conn.execute(sa.text("SELECT pg_database_size(current_database())")).scalar() or 0)


def _national_kinds(target: sa.Engine) -> dict[str, tuple[dict[str, Any], str | None]]:
    """bench_reporting's kinds of report, with "as of" instants that mean something here.

    This year is recorded while it is generated (today), not over the campaign as
    bench_reporting's logs are: "as of" 30 September 2025 is before anything was recorded
    (the answer is nothing, and the fast path says so at once). The "as of" reports are
    taken at the end of the month the year was recorded in (everything known: the
    stamped pre-aggregates), and once before the record (nothing known)."""
    from bench_reporting import KINDS

    with target.connect() as conn:
        month = conn.exec_driver_sql("SELECT max(month) FROM report_recorded_months").scalar()
    year, number = (int(part) for part in month.split("-"))
    end = f"{month}-{calendar.monthrange(year, number)[1]:02d}"
    kinds = {kind: spec for kind, spec in KINDS.items() if spec[1] is None}
    kinds["as_of"] = (KINDS["as_of"][0], end)
    kinds["as_of_quarter"] = (KINDS["as_of_quarter"][0], end)
    kinds["as_of_before_the_record"] = KINDS["as_of"]
    return kinds


def run(scale: float, replay: bool = True, keep: bool = False, samples: int = 200) -> list[dict[str, Any]]:
    tree = Tree.at(scale)
    print(f"scale {scale}: {tree}", file=sys.stderr, flush=True)
    made = {s: f"national_{s}_{uuid.uuid4().hex[:8]}" for s in (*SOURCES, "reporting")}
    urls = {s: create_pg_database(ADMIN, name) for s, name in made.items()}
    rows: list[dict[str, Any]] = []
    results: list[dict[str, Any]] = []
    try:
        started = time.perf_counter()
        with multiprocessing.get_context("fork").Pool(len(SOURCES)) as pool:
            results = pool.map(write_source, [(s, urls[s], tree) for s in SOURCES])
        wall = time.perf_counter() - started
        total = sum(r["events"] for r in results)
        rows.append(
            row_of(
                "national_generate",
                f"scale {scale}: {tree.provinces} provinces, {tree.districts} "
                f"districts, {tree.grassroots:,} grassroots, {tree.cells:,} cells, "
                f"{tree.members:,} members; {total:,} events",
                round(total / wall),
                "events/s",
                None,
                "through EventStore.append, contract-validated"
                + (", sealed" if all(r["sealed"] for r in results) else "")
                + f", 3 stores in parallel, {wall:,.0f} s",
                None,
            )
        )
        for r in results:
            rows.append(
                row_of(
                    "national_generate",
                    f"{r['source']}: {r['events']:,} events in {r['streams']:,} "
                    f"streams, {r['transactions']:,} transactions, {r['validated']:,} payloads "
                    f"validated, {r['seconds']:,.1f} s of which {r['index_seconds']:,.1f} s building "
                    "the event id index",
                    round(r["events"] / r["seconds"]),
                    "events/s",
                    None,
                    "",
                    None,
                )
            )
            rows.append(
                row_of(
                    "national_memory",
                    f"{r['source']}: peak RSS of its writer process",
                    round(r["max_rss"] / 2**20, 1),
                    "MiB",
                    None,
                    "bounded: streams, at most one transaction's events held",
                    None,
                )
            )
            rows.append(
                row_of(
                    "national_store_size",
                    f"{r['source']}: whole database (pg_database_size)",
                    round(r["bytes"] / 2**20, 1),
                    "MiB",
                    None,
                    "",
                    None,
                )
            )
            rows.append(
                row_of(
                    "national_store_size",
                    f"{r['source']}: event_log with its indexes",
                    round(r["log_bytes"] / 2**20, 1),
                    "MiB",
                    None,
                    f"{r['log_bytes'] / max(r['events'], 1):,.0f} bytes/event",
                    None,
                )
            )
        print(json.dumps({r["source"]: r["by_type"] for r in results}, ensure_ascii=False), file=sys.stderr)
        if replay:
            by_type: dict[str, int] = {}
            for r in results:
                for event_type, count in r["by_type"].items():
                    by_type[event_type] = by_type.get(event_type, 0) + count
            rows += replay_rows(urls, tree, by_type, samples)
    finally:
        if keep:
            print(json.dumps(urls, indent=1), file=sys.stderr)
            if results:  # what `verify` needs to check the seals of the kept stores
                keys = {r["source"]: r["seal_key"] for r in results if r["seal_key"]}
                print(json.dumps({"seal_keys": keys}, indent=1), file=sys.stderr)
        else:
            for name in made.values():
                drop_pg_database(ADMIN, name)
    return rows


def main(quick: bool = True) -> list[dict[str, Any]]:
    """The bench runner's entry point: scale 0.002 when quick (< 60 s), else 0.02."""
    return run(0.002 if quick else 0.02)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--scale", type=float, default=None, help="1.0 = national size")
    parser.add_argument("--quick", action="store_true", help="scale 0.002, under a minute")
    parser.add_argument("--no-replay", action="store_true", help="skip the replay and report latencies")
    parser.add_argument("--keep", action="store_true", help="keep the databases and print their URLs")
    parser.add_argument(
        "--samples", type=int, default=200, help="report requests per tree level and kind of report (at most)"
    )
    options = parser.parse_args()
    scale = options.scale if options.scale is not None else (0.002 if options.quick else 0.02)
    for row in run(scale, replay=not options.no_replay, keep=options.keep, samples=options.samples):
        print(json.dumps(row, ensure_ascii=False))
