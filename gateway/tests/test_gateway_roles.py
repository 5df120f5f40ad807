"""Who may do what: every endpoint against every role, inside and outside its subtree.

The decision of every (endpoint, role, place) is checked against the policy with the
real route table; then a smaller set of real HTTP calls shows the gateway enforces it.
"""

from __future__ import annotations

import uuid

import pytest

from gateway.policy import ROLES, Target, allowed
from gateway.resources import ALL_ROUTES
from gateway.store import Grant, User

TREE = {
    "hn": ["hn"],
    "dA": ["hn", "dA"],
    "cA": ["hn", "dA", "cA"],
    "dB": ["hn", "dB"],
    "cB": ["hn", "dB", "cB"],
}
WRITERS = {
    "organizations": {"committee_staff"},
    "members": {"committee_staff", "cell_secretary"},
    "plans": {"committee_staff"},
    "remediation": {"committee_staff"},
    "sessions": {"cell_secretary"},
    "inspections": {"inspection_commission"},
    "review suggestions": {"inspection_commission"},
    "discipline": {"inspection_commission"},
    "ratings": {"committee_staff"},
    "users": set(),
    "audit": set(),
}


def expected(route, role: str, inside: bool) -> bool:
    if route.action in ("public", "authenticated"):
        return True
    if role == "administrator":
        return inside
    if not inside or role == "member":
        return False
    if route.action == "audit.read":
        return role == "auditor"
    if route.action == "users.admin":
        return False
    if route.action.endswith(".read"):
        return True
    return role in WRITERS[route.tag]


@pytest.mark.parametrize("route", ALL_ROUTES, ids=lambda r: r.name)
@pytest.mark.parametrize("role", ROLES)
def test_every_endpoint_for_every_role(route, role):
    user = User("u", "U", (Grant(role, "dA", "m1" if role == "member" else None),))
    whole = route.target.__name__ == "whole_tree"
    for place, inside in (("cA", True), ("cB", False)):
        target = Target(None if whole else (place,))
        decision = allowed(user, route.action, target, lambda org: TREE[org])
        assert decision == (
            expected(route, role, inside) and (not whole or route.action in ("public", "authenticated"))
        ), (route.name, role, place)


def test_an_administrator_of_the_root_may_do_everything():
    root = User("root", "Root", (Grant("administrator", "*"),))
    assert all(allowed(root, r.action, Target(None), lambda org: TREE[org]) for r in ALL_ROUTES)


def test_a_member_may_act_only_on_their_own_records():
    member = User("m", "M", (Grant("member", "cA", "m1"),))
    for action in ("members.read", "remediation.read", "remediation.write", "appeals.lodge"):
        assert allowed(member, action, Target(("cA",), member_id="m1"), lambda org: TREE[org])
        assert not allowed(member, action, Target(("cA",), member_id="m2"), lambda org: TREE[org])
    assert not allowed(member, "tree.read", Target(("cA",)), lambda org: TREE[org])


@pytest.fixture(scope="module")
def people(gw):
    from campaign import build_tree, enrol

    build_tree(gw.admin)
    enrol(gw.admin, "m1", "cA")
    made = {}
    for role in ROLES:
        name = f"{role.replace('_', '')[:12]}{uuid.uuid4().hex[:4]}"
        made[role] = gw.user(
            name, [{"role": role, "org_id": "dA", **({"member_id": "m1"} if role == "member" else {})}]
        )
    return made


@pytest.mark.parametrize("role", ROLES)
def test_over_http_reads_and_writes_stop_at_the_subtree(gw, people, role):
    client = people[role]
    may_read = role != "member"
    assert client.get("/api/organizations/cA").status_code == (200 if may_read else 403)
    assert client.get("/api/organizations/cB").status_code == 403
    assert client.get("/api/reports/cB", params={"period": "year:2025"}).status_code == 403
    assert client.get("/api/members/m1").status_code == 200
    assert client.get("/api/audit/verify").status_code == 403
    suffix = uuid.uuid4().hex[:6]
    body = {"kind": "cell", "name": "Chi bộ", "registered_on": "2024-01-01"}
    inside = client.post("/api/organizations", {**body, "org_id": f"in{suffix}", "parent_id": "dA"})
    outside = client.post("/api/organizations", {**body, "org_id": f"out{suffix}", "parent_id": "dB"})
    assert inside.status_code == (201 if role in ("committee_staff", "administrator") else 403)
    assert outside.status_code == 403
    assert gw.admin.get(f"/api/organizations/out{suffix}").status_code == 404


def test_every_endpoint_refuses_a_stranger(gw):
    stranger = gw.anonymous()
    for route in ALL_ROUTES:
        if route.action == "public":
            continue
        path = route.path.replace("<path:", "<")
        for name in (
            "org_id",
            "member_id",
            "plan_id",
            "task_id",
            "session_id",
            "item_id",
            "inspection_id",
            "programme_id",
            "suggestion_id",
            "decision_id",
            "username",
            "service",
        ):
            path = path.replace(f"<{name}>", "x1")
        answer = stranger.request(route.method, path, json={} if route.method == "POST" else None)
        assert answer.status_code == 401, (route.name, answer.text)
