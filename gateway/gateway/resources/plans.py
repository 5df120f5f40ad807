"""Campaign plans, tasks, cascade status and remediation items (plans service)."""

from __future__ import annotations

from typing import Any

from gateway.policy import Target
from gateway.routes import Call, Route, given, org_in_body, org_in_query, page
from gateway.schemas import plans as s
from gateway.schemas.common import AsOfQuery

SCAN_PAGE = 1000  # the plans service's largest page


def plan_target(call: Call) -> Target:
    call.resource = call.rpc("plans", "get_plan", call.path["plan_id"])
    return Target((call.resource["org_id"],))


def item_target(call: Call) -> Target:
    """The item's organisation; a member may act on the items about themselves."""
    item = call.resource = call.rpc("plans", "get_remediation_item", call.path["item_id"])
    return Target(
        (item["org_id"],), member_id=item["subject_id"] if item["subject_kind"] == "member" else None
    )


def issue(call: Call) -> Any:
    return call.rpc("plans", "issue_plan", call.body)


def listing(call: Call) -> dict[str, Any]:
    q = call.query
    items = call.rpc(
        "plans",
        "list_plans",
        q.get("org_id"),
        q["include_subtree"],
        q.get("parent_plan_id"),
        q["offset"],
        q["limit"],
    )
    return page(items, call)


def complete_task(call: Call) -> Any:
    return call.rpc(
        "plans", "complete_task", call.command(plan_id=call.path["plan_id"], task_id=call.path["task_id"])
    )


def cascade(call: Call) -> Any:
    return call.rpc("plans", "get_cascade_status", call.path["plan_id"], **given(call.query, "as_of"))


def items_target(call: Call) -> Target:
    """The subtree asked for; a member may list the items about themselves (subject_id)."""
    q = call.query
    about = q.get("subject_id") if q.get("subject_kind") == "member" else None
    return Target((q["org_id"],) if q.get("org_id") else None, member_id=about)


def items(call: Call) -> dict[str, Any]:
    q = call.query
    if q.get("subject_id"):
        return items_about(call)
    found = call.rpc(
        "plans",
        "list_remediation_items",
        q.get("org_id"),
        q.get("status"),
        given(q, "overdue_on").get("overdue_on"),
        q["offset"],
        q["limit"],
    )
    return page(found, call)


def items_about(call: Call) -> dict[str, Any]:
    """The items about one subject, filtered by the plans service, a page at a time so
    the answer can say how many there are."""
    q = call.query
    kept: list[dict[str, Any]] = []
    offset = 0
    while True:
        batch = call.rpc(
            "plans",
            "list_remediation_items",
            q.get("org_id"),
            q.get("status"),
            given(q, "overdue_on").get("overdue_on"),
            offset,
            SCAN_PAGE,
            subject_kind=q["subject_kind"],
            subject_id=q["subject_id"],
        )
        kept += batch
        if len(batch) < SCAN_PAGE:
            break
        offset += SCAN_PAGE
    return {**page(kept[q["offset"] : q["offset"] + q["limit"]], call), "total": len(kept)}


def item_command(method: str) -> Any:
    def run(call: Call) -> Any:
        return call.rpc("plans", method, call.command(item_id=call.path["item_id"]))

    return run


def detect_overdue(call: Call) -> dict[str, Any]:
    body = given(call.body, "as_of", "org_id")
    reported = call.rpc("plans", "detect_overdue_remediation", body.get("as_of"), body.get("org_id"))
    return {"reported": reported}


ROUTES = [
    Route(
        "issue_plan",
        "POST",
        "/api/plans",
        "Issue a plan with its number, documents, required units, deadline and tasks; a copy of the "
        "parent's task list is flagged.",
        "plans.write",
        issue,
        org_in_body("org_id"),
        "plans",
        body=s.IssuePlan,
        status=201,
    ),
    Route(
        "list_plans",
        "GET",
        "/api/plans",
        "Plans issued in a subtree (or by one body), newest first.",
        "plans.read",
        listing,
        org_in_query,
        "plans",
        query=s.PlanQuery,
    ),
    Route(
        "get_plan",
        "GET",
        "/api/plans/<plan_id>",
        "One plan with its tasks and any copy assessment.",
        "plans.read",
        lambda call: call.resource,
        plan_target,
        "plans",
    ),
    Route(
        "complete_task",
        "POST",
        "/api/plans/<plan_id>/tasks/<task_id>/complete",
        "Mark one task of a plan as done, with a note.",
        "plans.write",
        complete_task,
        plan_target,
        "plans",
        body=s.CompleteTask,
        versioned=True,
    ),
    Route(
        "get_cascade_status",
        "GET",
        "/api/plans/<plan_id>/cascade",
        "Which required units issued their own plan implementing this one.",
        "plans.read",
        cascade,
        plan_target,
        "plans",
        query=AsOfQuery,
    ),
    Route(
        "list_remediation_items",
        "GET",
        "/api/remediation-items",
        "Remediation items in a subtree, by status, overdue on a day, or about one subject "
        "(subject_id: a member may list their own); paginated.",
        "remediation.read",
        items,
        items_target,
        "remediation",
        query=s.RemediationQuery,
    ),
    Route(
        "get_remediation_item",
        "GET",
        "/api/remediation-items/<item_id>",
        "One remediation item with its plan and status.",
        "remediation.read",
        lambda call: call.resource,
        item_target,
        "remediation",
    ),
    Route(
        "submit_remediation_plan",
        "POST",
        "/api/remediation-items/<item_id>/plan",
        "Submit or revise the plan for an item: actions with owner and due date.",
        "remediation.write",
        item_command("submit_remediation_plan"),
        item_target,
        "remediation",
        body=s.SubmitRemediationPlan,
        versioned=True,
    ),
    Route(
        "report_remediation_progress",
        "POST",
        "/api/remediation-items/<item_id>/progress",
        "Report what was done on an open item.",
        "remediation.write",
        item_command("report_remediation_progress"),
        item_target,
        "remediation",
        body=s.ReportRemediationProgress,
        versioned=True,
    ),
    Route(
        "mark_shortcoming_remedied",
        "POST",
        "/api/remediation-items/<item_id>/remedied",
        "Close an item: its shortcoming is remedied.",
        "remediation.write",
        item_command("mark_shortcoming_remedied"),
        item_target,
        "remediation",
        body=s.MarkRemedied,
        versioned=True,
    ),
    Route(
        "detect_overdue_remediation",
        "POST",
        "/api/remediation-items/detect-overdue",
        "Report every item past due on a day, once, in the subtree of `org_id` (committee "
        "staff of that subtree), or in the whole tree without it (a grant on '*'); the "
        "service also does this every minute.",
        "remediation.write",
        detect_overdue,
        org_in_body("org_id"),
        "remediation",
        body=s.DetectOverdue,
    ),
]
