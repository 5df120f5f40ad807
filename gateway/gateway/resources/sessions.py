"""Themed sessions, their minutes and shortcomings, the catalogue, and ratings (sessions service)."""

from __future__ import annotations

from typing import Any

from gateway.policy import Target
from gateway.routes import Call, Route, given, nothing, org_in_body, org_in_path, org_in_query
from gateway.schemas import sessions as s


def session_target(call: Call) -> Target:
    call.resource = call.rpc("sessions", "get_session", call.path["session_id"])
    return Target((call.resource["org_id"],))


def members_target(call: Call) -> Target:
    """Every rated member's cell: rating a member is acting in their organisation."""
    ids = [r["member_id"] for r in call.body.get("ratings", [])] or [call.path.get("member_id")]
    orgs = {call.rpc("sessions", "get_member", member_id)["org_id"] for member_id in ids}
    return Target(tuple(sorted(orgs)))


def session_command(method: str) -> Any:
    def run(call: Call) -> Any:
        return call.rpc("sessions", method, call.command(session_id=call.path["session_id"]))

    return run


def listing(call: Call) -> dict[str, Any]:
    q = call.query
    query = {
        "subtree": q["subtree"],
        "offset": q["offset"],
        "limit": q["limit"],
        **given(q, "org_id", "held", "pilot", "date_from", "date_to"),
    }
    answer = call.rpc("sessions", "list_sessions", query)
    return {"items": answer["sessions"], "total": answer["total"], "offset": q["offset"], "limit": q["limit"]}


def ratings(call: Call) -> dict[str, Any]:
    q = call.query
    query = {
        "offset": q["offset"],
        "limit": q["limit"],
        **given(q, "org_id", "year", "subject_kind", "flagged_for_review"),
    }
    answer = call.rpc("sessions", "list_ratings", query)
    items = answer.get("ratings", answer.get("items", []))
    return {"items": items, "total": answer.get("total"), "offset": q["offset"], "limit": q["limit"]}


ROUTES = [
    Route(
        "schedule_session",
        "POST",
        "/api/sessions",
        "Plan a cell's themed session (theme, plan implemented, pilot or not, date).",
        "sessions.write",
        lambda call: call.rpc("sessions", "schedule_session", call.body),
        org_in_body("org_id"),
        "sessions",
        body=s.ScheduleSession,
        status=201,
    ),
    Route(
        "list_sessions",
        "GET",
        "/api/sessions",
        "Sessions by cell or subtree, held or not, pilot, dates; paginated.",
        "sessions.read",
        listing,
        org_in_query,
        "sessions",
        query=s.SessionQuery,
    ),
    Route(
        "get_session",
        "GET",
        "/api/sessions/<session_id>",
        "A session with its minutes, figures, shortcomings.",
        "sessions.read",
        lambda call: call.resource,
        session_target,
        "sessions",
    ),
    Route(
        "hold_session",
        "POST",
        "/api/sessions/<session_id>/minutes",
        "Record the session as held from its full minutes; impossible minutes are refused by field.",
        "sessions.write",
        session_command("hold_session"),
        session_target,
        "sessions",
        body=s.HoldSession,
        versioned=True,
    ),
    Route(
        "record_shortcomings",
        "POST",
        "/api/sessions/<session_id>/shortcomings",
        "Name shortcomings agreed in a held session, each tied to catalogue codes.",
        "sessions.write",
        session_command("record_shortcomings"),
        session_target,
        "sessions",
        body=s.RecordShortcomings,
        versioned=True,
    ),
    Route(
        "get_catalogue",
        "GET",
        "/api/catalogue",
        "The shortcoming catalogue in use, with its version.",
        "authenticated",
        lambda call: call.rpc("sessions", "get_catalogue"),
        nothing,
        "sessions",
    ),
    Route(
        "rate_members",
        "POST",
        "/api/ratings/members",
        "Rate members of one grassroots organisation for a year, all or nothing.",
        "ratings.write",
        lambda call: call.rpc("sessions", "rate_members", call.command()),
        members_target,
        "ratings",
        body=s.RateMembers,
        versioned=True,
    ),
    Route(
        "rate_member",
        "POST",
        "/api/ratings/members/<member_id>",
        "Rate one member for a year.",
        "ratings.write",
        lambda call: call.rpc("sessions", "rate_member", call.command(member_id=call.path["member_id"])),
        members_target,
        "ratings",
        body=s.RateMember,
        versioned=True,
    ),
    Route(
        "rate_collective",
        "POST",
        "/api/ratings/organizations/<org_id>",
        "Rate an organisation's collective for a year.",
        "ratings.write",
        lambda call: call.rpc("sessions", "rate_collective", call.command(org_id=call.path["org_id"])),
        org_in_path,
        "ratings",
        body=s.RateCollective,
        versioned=True,
    ),
    Route(
        "list_ratings",
        "GET",
        "/api/ratings",
        "Ratings by year, subtree, subject kind, review flag.",
        "ratings.read",
        ratings,
        org_in_query,
        "ratings",
        query=s.RatingQuery,
    ),
]
