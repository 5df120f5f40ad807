"""End to end through HTTP with every service running, on SQLite and PostgreSQL."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from campaign import MEMBERS, build_tree, enrol, eventually, minutes


def test_a_campaign_runs_through_the_api(gw_both):
    admin = gw_both.admin
    build_tree(admin)
    assert admin.get("/api/organizations/xA/children").json()["total"] == 1
    subtree = admin.get("/api/organizations/dA/subtree", params={"limit": 2}).json()
    assert len(subtree["items"]) == 2 and subtree["limit"] == 2
    assert [o["org_id"] for o in admin.get("/api/organizations/cA/path").json()["items"]] == [
        "hn",
        "dA",
        "xA",
        "cA",
    ]

    for n, member in enumerate(MEMBERS):
        assert enrol(admin, member, "cA", ("secretary",) if n == 0 else ()).status_code == 201
    members = admin.get("/api/members", params={"org_id": "xA", "subtree": "true"}).json()
    assert members["total"] == 5 and len(members["items"]) == 5

    key = {"Idempotency-Key": f"s-{uuid.uuid4()}"}
    body = {
        "session_id": "ss-1",
        "org_id": "cA",
        "theme": "Tự soi, tự sửa",
        "scheduled_on": "2025-11-14",
        "pilot": True,
    }
    first = admin.post("/api/sessions", body, headers=key)
    again = admin.post("/api/sessions", body, headers=key)
    assert first.status_code == again.status_code == 201 and first.json() == again.json()
    assert again.headers.get("Idempotent-Replayed") == "true"
    other = admin.post("/api/sessions", {**body, "theme": "khác"}, headers=key)
    assert other.status_code == 422 and other.json()["error"]["code"] == "idempotency_key_reused"
    assert admin.get("/api/sessions", params={"org_id": "cA"}).json()["total"] == 1

    stale = admin.post("/api/sessions/ss-1/minutes", minutes(), headers={"If-Match": '"7"'})
    assert stale.status_code == 409, stale.text
    held = admin.post("/api/sessions/ss-1/minutes", minutes(), headers={"If-Match": '"1"'})
    assert held.status_code == 200, held.text
    assert held.headers["ETag"] == f'"{held.json()["version"]}"'
    recorded = admin.post(
        "/api/sessions/ss-1/shortcomings",
        {
            "shortcomings": [
                {
                    "shortcoming_id": "hc-1",
                    "subject_kind": "member",
                    "subject_id": MEMBERS[3],
                    "codes": ["NQ04-3"],
                    "description": "Ngại học tập nghị quyết",
                }
            ]
        },
    )
    assert recorded.status_code == 200, recorded.text

    item = eventually(lambda: admin.get("/api/remediation-items", params={"org_id": "xA"}).json()["items"])[0]
    plan = admin.post(
        f"/api/remediation-items/{item['item_id']}/plan",
        {
            "actions": [{"description": "Học nghị quyết", "owner": MEMBERS[3], "due_on": "2026-01-31"}],
            "submitted_on": "2025-11-20",
            "expected_version": item["version"],
        },
    )
    assert plan.status_code == 200, plan.text

    issued = admin.post(
        "/api/plans",
        {
            "plan_id": "kh-1",
            "org_id": "dA",
            "number": "87-KH/HU",
            "issued_on": "2025-06-30",
            "title": "Kế hoạch",
            "deadline": "2025-12-31",
            "required_unit_ids": ["xA"],
            "tasks": [
                {
                    "task_id": "t1",
                    "title": "Tổ chức sinh hoạt",
                    "owner": "Ban tổ chức",
                    "deadline": "2025-09-30",
                }
            ],
        },
    )
    assert issued.status_code == 201, issued.text
    assert admin.get("/api/plans/kh-1/cascade").status_code == 200
    overdue = admin.get("/api/organizations/dA/overdue-tasks", params={"as_of": "2025-10-01"}).json()
    assert overdue["total"] == 1
    done = admin.post(
        "/api/plans/kh-1/tasks/t1/complete",
        {"note": "Xong", "completed_on": "2025-10-02"},
        headers={"If-Match": str(issued.json()["version"])},
    )
    assert done.status_code == 200, done.text

    report = eventually(
        lambda: (
            (r := admin.get("/api/reports/hn", params={"period": "year:2025"})).ok
            and r.json()["figures"]
            and r
        )
    )
    assert report.json()["children"]
    drill = admin.get(
        "/api/reports/hn/drill-down",
        params={"metric": next(iter(report.json()["figures"])), "period": "year:2025"},
    )
    assert drill.status_code == 200 and "items" in drill.json(), drill.text
    # Pages come from the service: the total is known on every page, and pages chain.
    metric = max(report.json()["figures"], key=lambda m: drill_total(admin, m))
    whole = admin.get(
        "/api/reports/hn/drill-down", params={"metric": metric, "period": "year:2025", "limit": 10_000}
    ).json()
    assert whole["total"] == len(whole["items"]) >= 2 and whole["truncated"] is False, whole
    pages = [
        admin.get(
            "/api/reports/hn/drill-down",
            params={"metric": metric, "period": "year:2025", "offset": offset, "limit": 1},
        ).json()
        for offset in range(whole["total"])
    ]
    assert [p["items"][0] for p in pages] == whole["items"]
    assert {p["total"] for p in pages} == {whole["total"]}
    assert [p["truncated"] for p in pages] == [True] * (whole["total"] - 1) + [False]
    beyond = admin.get(
        "/api/reports/hn/drill-down",
        params={"metric": metric, "period": "year:2025", "offset": whole["total"], "limit": 5},
    ).json()
    assert beyond["items"] == [] and beyond["total"] == whole["total"]
    # A tree date is passed through (today's tree: the same figures) and checked.
    today = datetime.now(UTC).date().isoformat()
    now = admin.get("/api/reports/hn", params={"period": "year:2025"}).json()
    on_tree = admin.get("/api/reports/hn", params={"period": "year:2025", "tree_date": today})
    assert on_tree.status_code == 200 and on_tree.json()["tree_date"] == today, on_tree.text
    assert on_tree.json()["figures"] == now["figures"] and now["tree_date"] == today
    bad = admin.get("/api/reports/hn", params={"period": "year:2025", "tree_date": "2025-13-01"})
    assert bad.status_code in (400, 422) and "tree_date" in bad.json()["error"]["fields"], bad.text
    export = admin.get(
        "/api/reports/hn/export", params={"period": "year:2025", "format": "csv", "lang": "en"}
    )
    assert export.status_code == 200 and "attachment" in export.headers["Content-Disposition"]

    events = admin.get("/api/audit/events/sessions").json()["items"]
    assert {e["metadata"]["actor"] for e in events} == {"user:admin"}
    verified = admin.get("/api/audit/verify").json()
    assert verified["ok"] is True, verified


def drill_total(client, metric: str) -> int:
    return client.get(
        "/api/reports/hn/drill-down", params={"metric": metric, "period": "year:2025", "limit": 1}
    ).json()["total"]


def test_the_acting_user_goes_into_the_event_metadata(gw_both):
    clerk = gw_both.user(f"clerk{uuid.uuid4().hex[:6]}", [{"role": "committee_staff", "org_id": "hn"}])
    renamed = clerk.post("/api/organizations/cB/rename", {"name": "Chi bộ mới", "renamed_on": "2025-02-01"})
    assert renamed.status_code == 200, renamed.text
    events = gw_both.admin.get("/api/audit/events/plans", params={"limit": 5000}).json()["items"]
    last = [e for e in events if e["type"] != "OrganizationRegistered"][-1]
    assert last["metadata"]["actor"] == f"user:{clerk.whoami()}"
