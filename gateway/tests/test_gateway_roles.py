"""Who may do what: every endpoint against every role, inside and outside its subtree.

Each route's own target function is called with a stand-in request (`StubCall`): every
organisation it names in the path, the query or the body, and every organisation named by
the resources the target reads over RPC, is put inside or outside the grant's subtree. The
policy's decision on that target must be the one the issue describes. Then a smaller set
of real HTTP calls shows the running gateway enforces it.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from typing import Any

import pytest
from marshmallow import Schema, fields, missing

from gateway.policy import MEMBER_OWN, ROLES, Target, allowed
from gateway.resources import ALL_ROUTES
from gateway.routes import Route
from gateway.store import Grant, User

TREE = {
    "hn": ["hn"],
    "dA": ["hn", "dA"],
    "cA": ["hn", "dA", "cA"],
    "dB": ["hn", "dB"],
    "cB": ["hn", "dB", "cB"],
}
INSIDE, OUTSIDE = "cA", "cB"  # for grants on dA
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
# Whole-tree by what they do: users are not placed in the tree, the events of a log span it.
# (The overdue sweep names its subtree in the body; without one it needs a grant on "*",
# as test_an_overdue_sweep_without_a_subtree_needs_the_whole_tree checks.)
WHOLE_TREE = {"create_user", "list_users", "read_events"}
# Positions and counts, no organisation's data: any grant of the role will do.
ANYWHERE = {"verify_logs", "audit_status"}
# What a member may do about themselves, wherever the record sits.
OWN = {
    "get_member",
    "list_remediation_items",
    "get_remediation_item",
    "submit_remediation_plan",
    "report_remediation_progress",
    "mark_shortcoming_remedied",
    "get_discipline_decision",
    "lodge_appeal",
}
# Ids a request creates: they have no place in the tree yet.
CREATED = {("register_organization", "org_id")}
# The reads target functions make, and the field naming the resource's organisation.
RESOURCES = {
    "get_plan": "org_id",
    "get_member": "org_id",
    "get_session": "org_id",
    "get_programme": "org_id",
    "get_remediation_item": "org_id",
    "get_inspection": "deciding_body_org_id",
    "get_discipline_decision": "deciding_body_org_id",
}
PATH_PARAMS = re.compile(r"<(?:[a-z]+:)?([a-z_]+)>")


class StubCall:
    """A `Call` as a target function sees it. The n-th organisation the request or its
    fetched resources name is `places(n)`; the member it is about is `member`."""

    def __init__(self, route: Route, places: Callable[[int], str], member: str = "m2") -> None:
        self.route, self.places, self.member = route, places, member
        self.named = 0
        self.rpcs: list[str] = []
        self.resource: Any = None
        self.user = None
        self.version = None
        self.path = {name: self.param(name) for name in PATH_PARAMS.findall(route.path)}
        self.query = self.fill(route.query, in_body=False) if route.query else {}
        self.raw_query = dict(self.query)
        self.body = self.fill(route.body, in_body=True) if route.body else {}

    def org(self) -> str:
        place = self.places(self.named)
        self.named += 1
        return place

    def param(self, name: str) -> str:
        if name == "org_id":
            return self.org()
        return self.member if name == "member_id" else "x1"

    def fill(self, schema: type[Schema] | Schema, in_body: bool) -> dict[str, Any]:
        """Organisations and members where the schema names them, defaults elsewhere."""
        out: dict[str, Any] = {}
        for name, field in (schema() if isinstance(schema, type) else schema).fields.items():
            names_org = name == "org_id" or (in_body and (name.endswith("_org_id") or name == "parent_id"))
            if names_org and (self.route.name, name) not in CREATED:
                out[name] = self.org()
            elif name == "member_id" or (name == "subject_id" and not in_body):
                out[name] = self.member
            elif isinstance(field, fields.List) and isinstance(field.inner, fields.Nested):
                out[name] = [self.fill(field.inner.schema, in_body)]
            elif isinstance(field, fields.Nested):
                out[name] = self.fill(field.schema, in_body)
            elif field.load_default is not missing:
                default = field.load_default
                out[name] = default() if callable(default) else default
        return out

    def rpc(self, service: str, method: str, *args: Any, **kwargs: Any) -> Any:
        self.rpcs.append(method)
        if method == "list_review_suggestions":
            return [{"suggestion_id": self.path["suggestion_id"], "suggesting_body_org_id": self.org()}]
        assert method in RESOURCES, f"{self.route.name}'s target calls {method}: teach StubCall it"
        return {
            RESOURCES[method]: self.org(),
            "member_id": args[0] if method == "get_member" else None,
            # as the services answer: a decision names the kind of member it is about
            "subject_kind": "full_member" if method == "get_discipline_decision" else "member",
            "subject_id": self.member,
        }


def target_of(route: Route, places: Callable[[int], str], member: str = "m2") -> tuple[Target, StubCall]:
    call = StubCall(route, places, member)
    return route.target(call), call  # type: ignore[arg-type]


def role_may(route: Route, role: str) -> bool:
    """The issue's words: all but members read; writes by role; audit for auditors."""
    if role == "administrator":
        return True
    if role == "member":
        return False
    if route.action == "audit.read":
        return role == "auditor"
    if route.action == "users.admin":
        return False
    if route.action.endswith(".read"):
        return True
    return role in WRITERS[route.tag]


def expected(route: Route, role: str, grant_on: str, inside: bool) -> bool:
    if route.action in ("public", "authenticated"):
        return True
    if not role_may(route, role):
        return False
    if grant_on == "*" or route.name in ANYWHERE:
        return True
    return inside and route.name not in WHOLE_TREE


def ancestors(org: str) -> list[str]:
    return TREE[org]


@pytest.mark.parametrize("route", ALL_ROUTES, ids=lambda r: r.name)
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("grant_on", ["dA", "*"])
def test_every_endpoint_for_every_role(route, role, grant_on):
    user = User("u", "U", (Grant(role, grant_on, "m1" if role == "member" else None),))
    for place, inside in ((INSIDE, True), (OUTSIDE, False)):
        target, _ = target_of(route, lambda _, place=place: place)
        decision = allowed(user, route.action, target, ancestors)
        assert decision == expected(route, role, grant_on, inside), (
            route.name,
            role,
            grant_on,
            place,
            target,
        )


SCOPED = [
    r
    for r in ALL_ROUTES
    if r.action not in ("public", "authenticated") and r.name not in ANYWHERE | WHOLE_TREE
]


@pytest.mark.parametrize("route", SCOPED, ids=lambda r: r.name)
def test_every_organisation_a_request_names_must_be_inside(route):
    """One organisation outside the subtree, wherever it is named, makes the request 403."""
    admin = User("a", "A", (Grant("administrator", "dA"),))
    _, call = target_of(route, lambda _: INSIDE)
    assert call.named, f"{route.name} names no organisation: is it meant to be whole-tree?"
    for outside in range(call.named):
        target, _ = target_of(route, lambda n, k=outside: OUTSIDE if n == k else INSIDE)
        assert not allowed(admin, route.action, target, ancestors), (route.name, outside, target)


@pytest.mark.parametrize("route", ALL_ROUTES, ids=lambda r: r.name)
def test_a_member_reaches_their_own_records_and_nothing_else(route):
    member = User("m", "M", (Grant("member", "dA", "m1"),))
    for place in (INSIDE, OUTSIDE):  # their own records wherever they are
        own, _ = target_of(route, lambda _, place=place: place, member="m1")
        other, _ = target_of(route, lambda _, place=place: place, member="m2")
        public = route.action in ("public", "authenticated")
        assert allowed(member, route.action, own, ancestors) == (public or route.name in OWN), route.name
        assert allowed(member, route.action, other, ancestors) == public, route.name


def test_what_a_member_may_do_about_themselves_names_real_routes():
    assert OWN == {r.name for r in ALL_ROUTES if r.name in OWN and r.action in MEMBER_OWN}


def test_an_administrator_of_the_root_may_do_everything():
    root = User("root", "Root", (Grant("administrator", "*"),))
    assert all(allowed(root, r.action, Target(None), ancestors) for r in ALL_ROUTES)


def test_an_overdue_sweep_without_a_subtree_needs_the_whole_tree():
    route = next(r for r in ALL_ROUTES if r.name == "detect_overdue_remediation")
    call = StubCall(route, lambda _: INSIDE, "m2")
    call.body = {"as_of": "2025-01-01"}
    target = route.target(call)  # type: ignore[arg-type]
    clerk = User("c", "C", (Grant("committee_staff", "dA"),))
    assert target.org_ids is None and not allowed(clerk, route.action, target, ancestors)
    assert allowed(User("c", "C", (Grant("committee_staff", "*"),)), route.action, target, ancestors)


def test_a_member_may_act_only_on_their_own_records():
    member = User("m", "M", (Grant("member", "cA", "m1"),))
    for action in ("members.read", "remediation.read", "remediation.write", "appeals.lodge"):
        assert allowed(member, action, Target(("cA",), member_id="m1"), ancestors)
        assert not allowed(member, action, Target(("cA",), member_id="m2"), ancestors)
    assert not allowed(member, "tree.read", Target(("cA",)), ancestors)


def test_no_organisation_needs_a_grant_of_the_role_not_a_place():
    auditor = User("a", "A", (Grant("auditor", "cB"),))
    clerk = User("c", "C", (Grant("committee_staff", "*"),))
    assert allowed(auditor, "audit.read", Target(()), ancestors)
    assert not allowed(auditor, "audit.read", Target(None), ancestors)
    assert not allowed(clerk, "audit.read", Target(()), ancestors)


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
    may_audit = role in ("auditor", "administrator")
    assert client.get("/api/organizations/cA").status_code == (200 if may_read else 403)
    assert client.get("/api/organizations/cB").status_code == 403
    assert client.get("/api/reports/cB", params={"period": "year:2025"}).status_code == 403
    assert client.get("/api/members/m1").status_code == 200
    verified = client.get("/api/audit/verify")
    assert verified.status_code == (200 if may_audit else 403), verified.text
    if may_audit:
        assert set(verified.json()["services"]["plans"]) == {
            "ok",
            "checked",
            "first_bad_position",
            "problem",
            "seals_checked",
        }
    assert client.get("/api/audit/status").status_code == (200 if may_audit else 403)
    assert client.get("/api/audit/events/plans").status_code == 403  # events span the tree
    overdue = client.post("/api/remediation-items/detect-overdue", {})
    assert overdue.status_code == 403, overdue.text  # a whole-tree sweep
    suffix = uuid.uuid4().hex[:6]
    body = {"kind": "cell", "name": "Chi bộ", "registered_on": "2024-01-01"}
    inside = client.post("/api/organizations", {**body, "org_id": f"in{suffix}", "parent_id": "dA"})
    outside = client.post("/api/organizations", {**body, "org_id": f"out{suffix}", "parent_id": "dB"})
    assert inside.status_code == (201 if role in ("committee_staff", "administrator") else 403)
    assert outside.status_code == 403
    assert gw.admin.get(f"/api/organizations/out{suffix}").status_code == 404


def test_over_http_whole_tree_grants_reach_the_whole_tree_tools(gw, people):
    auditor = gw.user(f"auditor{uuid.uuid4().hex[:4]}", [{"role": "auditor", "org_id": "*"}])
    clerk = gw.user(f"clerk{uuid.uuid4().hex[:4]}", [{"role": "committee_staff", "org_id": "*"}])
    assert auditor.get("/api/audit/events/plans").status_code == 200
    status = auditor.get("/api/audit/status")
    assert status.status_code == 200, status.text
    plans = status.json()["services"]["plans"]
    assert plans["ok"] and plans["backbone"]["log_head"] >= 1 and plans["dead_letters"] == 0
    assert auditor.post("/api/remediation-items/detect-overdue", {}).status_code == 403
    swept = clerk.post("/api/remediation-items/detect-overdue", {"as_of": "2025-01-01"})
    assert swept.status_code == 200, swept.text
    assert clerk.get("/api/audit/verify").status_code == 403


@pytest.fixture(scope="module")
def items_about_members(gw, people):
    """A held session in cB (cA's roster has m1) naming two members' shortcomings."""
    from campaign import MEMBERS, enrol, eventually, minutes

    admin = gw.admin
    for member in MEMBERS:
        enrol(admin, member, "cB")
    scheduled = admin.post(
        "/api/sessions",
        {"session_id": "own-1", "org_id": "cB", "theme": "Tự soi", "scheduled_on": "2025-11-14"},
    )
    assert scheduled.status_code == 201, scheduled.text
    held = admin.post("/api/sessions/own-1/minutes", minutes(), headers={"If-Match": '"1"'})
    assert held.status_code == 200, held.text
    shortcomings = [
        {"subject_kind": "member", "subject_id": m, "codes": ["NQ04-3"], "description": "Ngại học tập"}
        for m in MEMBERS[3:]
    ]
    recorded = admin.post("/api/sessions/own-1/shortcomings", {"shortcomings": shortcomings})
    assert recorded.status_code == 200, recorded.text

    def both() -> list:
        items = admin.get("/api/remediation-items", params={"org_id": "cB"}).json()["items"]
        return items if {i["subject_id"] for i in items} >= set(MEMBERS[3:]) else []

    return {i["subject_id"]: i for i in eventually(both)}


def test_a_member_lists_and_reads_only_their_own_remediation_items(gw, items_about_members):
    from campaign import MEMBERS

    mine, theirs = MEMBERS[3], MEMBERS[4]
    member = gw.user(f"dv{uuid.uuid4().hex[:6]}", [{"role": "member", "org_id": "cB", "member_id": mine}])
    listed = member.get("/api/remediation-items", params={"subject_id": mine})
    assert listed.status_code == 200, listed.text
    assert [i["subject_id"] for i in listed.json()["items"]] == [mine] and listed.json()["total"] == 1
    assert member.get("/api/remediation-items", params={"subject_id": theirs}).status_code == 403
    assert member.get("/api/remediation-items").status_code == 403
    assert member.get("/api/remediation-items", params={"org_id": "cB"}).status_code == 403
    as_org = {"subject_id": mine, "subject_kind": "organisation"}
    assert member.get("/api/remediation-items", params=as_org).status_code == 403
    assert member.get(f"/api/remediation-items/{items_about_members[mine]['item_id']}").status_code == 200
    assert member.get(f"/api/remediation-items/{items_about_members[theirs]['item_id']}").status_code == 403
    staff = gw.admin.get("/api/remediation-items", params={"org_id": "dB", "subject_id": theirs}).json()
    assert [i["item_id"] for i in staff["items"]] == [items_about_members[theirs]["item_id"]]


def test_every_endpoint_refuses_a_stranger(gw):
    stranger = gw.anonymous()
    for route in ALL_ROUTES:
        if route.action == "public":
            continue
        path = PATH_PARAMS.sub("x1", route.path)
        answer = stranger.request(route.method, path, json={} if route.method == "POST" else None)
        assert answer.status_code == 401, (route.name, answer.text)
