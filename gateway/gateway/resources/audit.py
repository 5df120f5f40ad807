"""The auditor's tools: each service's hash-chain check and its log, for replay."""

from __future__ import annotations

from typing import Any

from gateway.errors import ApiError
from gateway.routes import Call, Route, whole_tree
from gateway.schemas.reports import EventsQuery

SERVICES = ("plans", "sessions", "oversight", "reporting")
LOGS = ("plans", "sessions", "oversight")


def verify(call: Call) -> dict[str, Any]:
    """Every service's check; one that is down is reported, not fatal."""
    results: dict[str, Any] = {}
    for service in SERVICES:
        try:
            results[service] = call.rpc(service, "verify_log")
        except ApiError as exc:
            results[service] = {"ok": False, "problem": exc.code}
    return {"services": results, "ok": all(r.get("ok") for r in results.values())}


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
        "Walk every service's hash chain; names the first tampered position, if any.",
        "audit.read",
        verify,
        whole_tree,
        "audit",
    ),
    Route(
        "read_events",
        "GET",
        "/api/audit/events/<service>",
        "A service's events in log order after a position (for replay by auditors).",
        "audit.read",
        events,
        whole_tree,
        "audit",
        query=EventsQuery,
    ),
]
