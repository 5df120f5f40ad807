"""Members and rosters (sessions service)."""

from __future__ import annotations

from typing import Any

from gateway.policy import Target
from gateway.routes import Call, Route, given, org_in_body, org_in_path
from gateway.schemas import members as s


def member_target(call: Call) -> Target:
    """The member's current cell; the member themselves may read their own record."""
    call.resource = call.rpc("sessions", "get_member", call.path["member_id"])
    return Target((call.resource["org_id"],), member_id=call.path["member_id"])


def transfer_target(call: Call) -> Target:
    here = member_target(call)
    return Target((*(here.org_ids or ()), call.body["to_org_id"]))


def enrol(call: Call) -> Any:
    return call.rpc("sessions", "enrol_member", call.body)


def get(call: Call) -> Any:
    return call.resource


def listing(call: Call) -> dict[str, Any]:
    q = call.query
    answer = call.rpc(
        "sessions",
        "list_members",
        {
            "org_id": q["org_id"],
            "subtree": q["subtree"],
            "status": q.get("status"),
            "include_ended": q["include_ended"],
            "offset": q["offset"],
            "limit": q["limit"],
        },
    )
    return {"items": answer["members"], "total": answer["total"], "offset": q["offset"], "limit": q["limit"]}


def roster(call: Call) -> Any:
    return call.rpc("sessions", "get_roster", call.path["org_id"], **given(call.query, "as_of"))


def command(method: str) -> Any:
    def run(call: Call) -> Any:
        return call.rpc("sessions", method, call.command(member_id=call.path["member_id"]))

    return run


ROUTES = [
    Route(
        "enrol_member",
        "POST",
        "/api/members",
        "Put a member on a cell's roster, with the posts held.",
        "members.write",
        enrol,
        org_in_body("org_id"),
        "members",
        body=s.EnrolMember,
        status=201,
    ),
    Route(
        "list_members",
        "GET",
        "/api/members",
        "Members now in a cell, or in a subtree (subtree=true); filter by status; paginated.",
        "members.read",
        listing,
        lambda call: Target((call.query["org_id"],)),
        "members",
        query=s.MemberQuery,
    ),
    Route(
        "get_member",
        "GET",
        "/api/members/<member_id>",
        "One member and the cells they have been in.",
        "members.read",
        get,
        member_target,
        "members",
    ),
    Route(
        "transfer_member",
        "POST",
        "/api/members/<member_id>/transfer",
        "Move a member to another cell from a date.",
        "members.write",
        command("transfer_member"),
        transfer_target,
        "members",
        body=s.TransferMember,
        versioned=True,
    ),
    Route(
        "change_member_status",
        "POST",
        "/api/members/<member_id>/status",
        "Record that a member became active, exempted, suspended or attached elsewhere.",
        "members.write",
        command("change_member_status"),
        member_target,
        "members",
        body=s.ChangeMemberStatus,
        versioned=True,
    ),
    Route(
        "end_membership",
        "POST",
        "/api/members/<member_id>/end",
        "Take a member off the rolls (expelled, struck off, withdrew, deceased...).",
        "members.write",
        command("end_membership"),
        member_target,
        "members",
        body=s.EndMembership,
        versioned=True,
    ),
    Route(
        "get_roster",
        "GET",
        "/api/organizations/<org_id>/roster",
        "A cell's roster as it stood on a day.",
        "members.read",
        roster,
        org_in_path,
        "members",
        query=s.RosterQuery,
    ),
]
