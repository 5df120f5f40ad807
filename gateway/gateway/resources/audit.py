"""The auditor's tools: each service's hash-chain check, its backbone status, and its log.

Verifying and the backbone status reveal positions and counts, no organisation's data, so
any auditor or administrator may ask for them. The events themselves span the whole tree:
reading them (for replay) needs a grant on "*".
"""

from __future__ import annotations

from typing import Any

from gateway.errors import ApiError
from gateway.routes import Call, Route, nothing, whole_tree
from gateway.schemas.reports import EventsQuery

SERVICES = ("plans", "sessions", "oversight", "reporting")
LOGS = ("plans", "sessions", "oversight")
VERIFY_KEYS = ("ok", "checked", "first_bad_position", "problem", "seals_checked")  # never event data


def verify(call: Call) -> dict[str, Any]:
    """Every service's check; one that is down is reported, not fatal."""
    results: dict[str, Any] = {}
    for service in SERVICES:
        try:
            report = call.rpc(service, "verify_log")
            results[service] = {k: report.get(k) for k in VERIFY_KEYS}
        except ApiError as exc:
            results[service] = {"ok": False, "problem": exc.code}
    return {"services": results, "ok": all(r.get("ok") for r in results.values())}


def status(call: Call) -> dict[str, Any]:
    """How far each service wrote, published and consumed, and its dead letters."""
    results: dict[str, Any] = {}
    for service in SERVICES:
        try:
            results[service] = {
                "ok": True,
                "backbone": call.rpc(service, "backbone_status"),
                "dead_letters": call.rpc(service, "dead_letter_count"),
            }
        except ApiError as exc:
            results[service] = {"ok": False, "problem": exc.code}
    return {
        "services": results,
        "ok": all(r["ok"] for r in results.values()),
        "dead_letters": sum(r.get("dead_letters", 0) for r in results.values()),
    }


def events(call: Call) -> dict[str, Any]:
    service = call.path["service"]
    if service not in LOGS:
        raise ApiError(404, "not_found", f"no event log named {service}", {"service": [f"one of {LOGS}"]})
    q = call.query
    items = call.rpc(service, "read_events", q["after"], q["limit"])
    return {
        "items": items,
        "after": q["after"],
        "limit": q["limit"],
        "next_after": items[-1].get("position", q["after"]) if items else q["after"],
    }


ROUTES = [
    Route(
        "verify_logs",
        "GET",
        "/api/audit/verify",
        "Walk every service's hash chain; names the first tampered position, if any "
        "(any auditor: only ok and positions are shown).",
        "audit.read",
        verify,
        nothing,
        "audit",
    ),
    Route(
        "audit_status",
        "GET",
        "/api/audit/status",
        "Each service's backbone status (written, published, consumed) and dead-letter count (any auditor).",
        "audit.read",
        status,
        nothing,
        "audit",
    ),
    Route(
        "read_events",
        "GET",
        "/api/audit/events/<service>",
        "A service's events in log order after a position, for replay (auditors and "
        "administrators granted on '*' only: the events span the whole tree).",
        "audit.read",
        events,
        whole_tree,
        "audit",
        query=EventsQuery,
    ),
]
