"""After a fault: wait for the system to settle, then account for every command.

Each command's event is looked for in the producer's log, in every consumer's state
(consumed position == producer head; sessions' copy of the tree answers for each new
cell) and in reporting's facts (drill-down) and figures (get_report); the totals are
written to artifacts/faults.json for the lead to quote.
"""

from __future__ import annotations

import fcntl
import json
import time
from collections import Counter

from nameko.exceptions import RemoteError
from nameko.standalone.rpc import ClusterRpcProxy

from tests.e2e.system_processes import ROOT

from .stream import PROVINCE, YEAR, Outcome

PRODUCERS = ("plans", "sessions", "oversight")
EVERYONE = ("plans", "sessions", "oversight", "reporting")
ARTIFACT = ROOT / "artifacts" / "faults.json"
# The report figure each drill-down metric adds to (a registered cell is a unit required
# to hold the themed session).
FIGURE_OF = {"units.registered.cell": "sessions.units_required", "sessions.scheduled": "sessions.scheduled"}


def settle(amqp_uri: str, timeout: float = 90.0) -> dict[str, dict]:
    """Until every relay has published its whole log and every consumer has consumed it."""
    deadline = time.monotonic() + timeout
    last: dict[str, dict] = {}
    while True:
        try:
            with ClusterRpcProxy({"AMQP_URI": amqp_uri}, timeout=10) as rpc:
                last = {s: getattr(rpc, s).backbone_status() for s in EVERYONE}
        except Exception as exc:  # a service still restarting
            last = {"error": {"error": repr(exc)}}
        if "error" not in last and _settled(last):
            return last
        assert time.monotonic() < deadline, f"the system did not settle in {timeout}s: {last}"
        time.sleep(0.5)


CONSUMERS = {
    "plans": ("sessions", "oversight", "reporting"),
    "sessions": ("oversight", "reporting"),
    "oversight": ("sessions", "reporting"),
}


def _settled(status: dict[str, dict]) -> bool:
    for producer, consumers in CONSUMERS.items():
        head = status[producer]["log_head"]
        if status[producer]["published"] != head:
            return False
        if head and any(status[c]["consumed"].get(producer, 0) != head for c in consumers):
            return False
    return True


def read_log(rpc, service: str) -> list[dict]:
    events: list[dict] = []
    after = 0
    while True:
        page = getattr(rpc, service).read_events(after, 5000)
        if not page:
            return events
        events.extend(page)
        after = page[-1]["position"]


def account(
    amqp_uri: str, run: str, outcomes: list[Outcome], baseline: dict[str, int], status: dict[str, dict]
) -> dict:
    """Totals for one stream; `baseline`: report figures before the stream began."""
    with ClusterRpcProxy({"AMQP_URI": amqp_uri}, timeout=60) as rpc:
        logs = {p: read_log(rpc, p) for p in ("plans", "sessions")}
        report = rpc.reporting.get_report(PROVINCE, YEAR)
        facts = {
            m: rpc.reporting.drill_down(PROVINCE, m, YEAR, None, 100_000)
            for m in ("units.registered.cell", "sessions.scheduled")
        }
        in_store: Counter[str] = Counter()
        event_ids: Counter[str] = Counter()
        for events in logs.values():
            for e in events:
                event_ids[e["event_id"]] += 1
                if e["stream_id"].startswith((f"organization-{run}-", f"session-{run}-")):
                    in_store[e["stream_id"]] += 1
        in_reports: Counter[str] = Counter(
            f["subject_id"] for rows in facts.values() for f in rows if f["subject_id"].startswith(f"{run}-")
        )
        # sessions' own copy of the tree must know each cell that plans registered
        unknown_to_sessions = []
        for o in outcomes:
            if o.command.service == "plans" and in_store[o.command.stream_id]:
                try:
                    rpc.sessions.list_members({"org_id": o.command.key, "limit": 1})
                except RemoteError:
                    unknown_to_sessions.append(o.command.key)

    by_stream = {o.command.stream_id: o for o in outcomes}
    problems: list[str] = []
    lost = duplicated = phantom = unknown_applied = failed_applied = 0
    for o in outcomes:
        n_store, n_report = in_store[o.command.stream_id], in_reports[o.command.key]
        if o.status == "accepted" and n_store == 0:
            lost += 1
            problems.append(f"accepted {o.command.key} is not in the {o.command.service} log")
        if o.status == "applied_unanswered" and n_store == 0:
            lost += 1
            problems.append(f"{o.command.key} was answered 'already applied' but is not in the log")
        if o.status == "refused" and n_store:
            if "already" in o.error:  # its own first delivery was applied: see the report
                failed_applied += 1
                problems.append(
                    f"BUG: {o.command.key} was applied, yet answered ({o.error[:100]}): "
                    "the RPC request was redelivered after a crash and re-executed"
                )
            else:
                phantom += 1
                problems.append(f"refused {o.command.key} ({o.error}) left {n_store} event(s)")
        if o.status == "unknown" and n_store:
            unknown_applied += 1
        if o.status == "failed" and n_store:
            failed_applied += 1
            problems.append(
                f"BUG: {o.command.key} was answered with an error ({o.error[:120]}) "
                f"but its event was committed"
            )
        if n_store > 1:
            duplicated += 1
            problems.append(f"{o.command.key} is {n_store} times in the {o.command.service} log")
        if n_report != min(n_store, 1):
            if n_report > 1:
                duplicated += 1
            elif n_report < min(n_store, 1):
                lost += 1
            else:
                phantom += 1
            problems.append(f"{o.command.key}: {n_store} in the store, {n_report} in the report facts")
    stray = [s for s in in_store if s not in by_stream]
    phantom += len(stray)
    problems += [f"event of a command never sent: {s}" for s in stray]
    if unknown_to_sessions:
        lost += len(unknown_to_sessions)
        problems.append(f"cells missing from sessions' copy: {unknown_to_sessions[:5]}")
    duplicate_ids = [i for i, n in event_ids.items() if n > 1]
    if duplicate_ids:
        duplicated += len(duplicate_ids)
        problems.append(f"event ids stored twice: {duplicate_ids[:5]}")
    applied = {
        m: sum(1 for o in outcomes if o.command.metric == m and in_store[o.command.stream_id]) for m in facts
    }
    for metric, count in applied.items():
        figure = report["figures"].get(FIGURE_OF[metric], 0) - baseline.get(FIGURE_OF[metric], 0)
        if figure != count:
            problems.append(f"report figure {metric} grew by {figure}, {count} commands were applied")
    dead_letters = {s: status[s]["dead_letters"] for s in EVERYONE}
    return {
        "sent": len(outcomes),
        "accepted": sum(o.status == "accepted" for o in outcomes),
        "refused": sum(o.status == "refused" for o in outcomes),
        "unknown": sum(o.status == "unknown" for o in outcomes),
        "failed": sum(o.status == "failed" for o in outcomes),
        "applied_unanswered": sum(o.status == "applied_unanswered" for o in outcomes),
        "unknown_applied": unknown_applied,
        "answered_wrongly": failed_applied,
        "applied": sum(1 for o in outcomes if in_store[o.command.stream_id]),
        "in_reports": sum(1 for o in outcomes if in_reports[o.command.key]),
        "lost": lost,
        "duplicated": duplicated,
        "phantom": phantom,
        "dead_letters": dead_letters,
        "log_heads": {s: status[s]["log_head"] for s in PRODUCERS},
        "problems": problems[:20],
        "errors_seen": sorted({o.error.split(":")[0] for o in outcomes if o.error}),
    }


def figures(amqp_uri: str) -> dict[str, int]:
    with ClusterRpcProxy({"AMQP_URI": amqp_uri}, timeout=30) as rpc:
        report = rpc.reporting.get_report(PROVINCE, YEAR)
    return {f: report["figures"].get(f, 0) for f in FIGURE_OF.values()}


def record(test: str, totals: dict) -> None:
    """Merge one test's totals into artifacts/faults.json (tests may run in parallel)."""
    ARTIFACT.parent.mkdir(exist_ok=True)
    with open(ARTIFACT.with_suffix(".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        data = json.loads(ARTIFACT.read_text()) if ARTIFACT.exists() else {}
        data[test] = totals
        ARTIFACT.write_text(json.dumps(data, indent=2, ensure_ascii=False, sort_keys=True))
    print(f"\n{test}: {json.dumps({k: v for k, v in totals.items() if k != 'problems'})}")
    for problem in totals["problems"]:
        print(f"  PROBLEM {problem}")


def assert_exactly_once(totals: dict) -> None:
    assert totals["lost"] == 0 and totals["duplicated"] == 0 and totals["phantom"] == 0, totals["problems"]
    assert [p for p in totals["problems"] if not p.startswith("BUG:")] == [], totals["problems"]
    assert totals["accepted"] > 0


def whole(supervisor) -> None:
    """Every process alive (restart any a previous test left dead) and caught up."""
    for service, alive in supervisor.alive().items():
        if not alive:
            supervisor.start(service)
    settle(supervisor.amqp_uri)
