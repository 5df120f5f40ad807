"""The organisation tree (plans service)."""

from __future__ import annotations

from typing import Any

from gateway.policy import Target
from gateway.routes import Call, Route, org_in_body, org_in_path, page
from gateway.schemas import plans as p
from gateway.schemas import tree as s


def register(call: Call) -> Any:
    return call.rpc("plans", "register_organization", call.body)


def get(call: Call) -> Any:
    return call.rpc("plans", "get_organization", call.path["org_id"])


def children(call: Call) -> dict[str, Any]:
    items = call.rpc("plans", "list_children", call.path["org_id"])
    return {"items": items, "total": len(items)}


def subtree(call: Call) -> dict[str, Any]:
    q = call.query
    items = call.rpc("plans", "list_subtree", call.path["org_id"], q.get("kind"), q["offset"], q["limit"])
    return page(items, call)


def path(call: Call) -> dict[str, Any]:
    items = call.rpc("plans", "path_to_root", call.path["org_id"])
    return {"items": items, "total": len(items)}


def command(method: str) -> Any:
    def run(call: Call) -> Any:
        return call.rpc("plans", method, call.command(org_id=call.path["org_id"]))

    run.__name__ = method
    return run


def move_target(call: Call) -> Target:
    return Target((call.path["org_id"], call.body["parent_id"]))


def overdue(call: Call) -> dict[str, Any]:
    as_of = call.query.get("as_of")
    items = call.rpc("plans", "list_overdue_tasks", call.path["org_id"], as_of.isoformat() if as_of else None)
    offset, limit = call.query["offset"], call.query["limit"]
    return {**page(items[offset : offset + limit], call), "total": len(items)}


ROUTES = [
    Route(
        "register_organization",
        "POST",
        "/api/organizations",
        "Register a province, district, grassroots committee or cell under its parent.",
        "tree.write",
        register,
        org_in_body("parent_id"),
        "organizations",
        body=s.RegisterOrganization,
        status=201,
    ),
    Route(
        "get_organization",
        "GET",
        "/api/organizations/<org_id>",
        "One organisation.",
        "tree.read",
        get,
        org_in_path,
        "organizations",
    ),
    Route(
        "list_children",
        "GET",
        "/api/organizations/<org_id>/children",
        "The organisation's children.",
        "tree.read",
        children,
        org_in_path,
        "organizations",
    ),
    Route(
        "list_subtree",
        "GET",
        "/api/organizations/<org_id>/subtree",
        "Every organisation in the subtree, optionally of one kind; paginated.",
        "tree.read",
        subtree,
        org_in_path,
        "organizations",
        query=s.SubtreeQuery,
    ),
    Route(
        "path_to_root",
        "GET",
        "/api/organizations/<org_id>/path",
        "The organisations from the root down to this.",
        "tree.read",
        path,
        org_in_path,
        "organizations",
    ),
    Route(
        "rename_organization",
        "POST",
        "/api/organizations/<org_id>/rename",
        "Give an organisation a new name (history keeps the old).",
        "tree.write",
        command("rename_organization"),
        org_in_path,
        "organizations",
        body=s.RenameOrganization,
        versioned=True,
    ),
    Route(
        "move_organization",
        "POST",
        "/api/organizations/<org_id>/move",
        "Place an organisation and its subtree under another parent.",
        "tree.write",
        command("move_organization"),
        move_target,
        "organizations",
        body=s.MoveOrganization,
        versioned=True,
    ),
    Route(
        "dissolve_organization",
        "POST",
        "/api/organizations/<org_id>/dissolve",
        "Dissolve an organisation with no active children.",
        "tree.write",
        command("dissolve_organization"),
        org_in_path,
        "organizations",
        body=s.DissolveOrganization,
        versioned=True,
    ),
    Route(
        "list_overdue_tasks",
        "GET",
        "/api/organizations/<org_id>/overdue-tasks",
        "Plan tasks in the subtree past their deadline and not done.",
        "plans.read",
        overdue,
        org_in_path,
        "plans",
        query=p.OverdueTasksQuery,
    ),
]
