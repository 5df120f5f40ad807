"""Signing in, who am I, and the administrator's users and grants."""

from __future__ import annotations

from typing import Any

from gateway.dispatch import ancestors_of, secret
from gateway.errors import ApiError
from gateway.policy import Target, grantable
from gateway.routes import Call, Route, nothing, whole_tree
from gateway.schemas import tree as s
from gateway.store import Grant
from gateway.tokens import issue_token, password_matches

TOKEN_SECONDS = 8 * 3600


def login(call: Call) -> dict[str, Any]:
    stored = call.store.password_hash(call.body["username"])
    if stored is None or not password_matches(call.body["password"], stored):
        raise ApiError(401, "bad_credentials", "unknown user or wrong password")
    user = call.store.user(call.body["username"])
    assert user is not None
    ttl = int(call.service.config.get("GATEWAY_TOKEN_SECONDS", TOKEN_SECONDS))
    token, expires = issue_token(secret(call.service), user.username, ttl)
    return {"token": token, "expires_at": expires, "user": user.to_dict()}


def me(call: Call) -> dict[str, Any]:
    assert call.user is not None
    return call.user.to_dict()


def create_user(call: Call) -> dict[str, Any]:
    body = call.body
    if not call.store.create_user(body["username"], body["password"], body["display_name"]):
        raise ApiError(409, "user_exists", "that username is taken", {"username": ["already exists"]})
    user = call.store.user(body["username"])
    assert user is not None
    return user.to_dict()


def list_users(call: Call) -> dict[str, Any]:
    users = [u.to_dict() for u in call.store.list_users()]
    return {"items": users, "total": len(users), "offset": 0, "limit": len(users)}


def add_grant(call: Call) -> dict[str, Any]:
    assert call.user is not None
    grant = Grant(call.body["role"], call.body["org_id"], call.body.get("member_id"))
    if grant.role == "member" and not grant.member_id:
        raise ApiError(400, "invalid_input", "a member grant names the member", {"member_id": ["required"]})
    if call.store.user(call.path["username"]) is None:
        raise ApiError(404, "unknown_user", f"no user {call.path['username']}")
    if not grantable(call.user, grant.org_id, lambda org: ancestors_of(call, org)):
        raise ApiError(403, "forbidden", "you may grant roles only inside your own subtree")
    call.store.add_grant(call.path["username"], grant)
    user = call.store.user(call.path["username"])
    assert user is not None
    return user.to_dict()


def grant_target(call: Call) -> Target:
    org_id = call.body.get("org_id")
    return Target(None if org_id in (None, "*") else (org_id,))


ROUTES = [
    Route(
        "login",
        "POST",
        "/api/auth/token",
        "Exchange a username and password for a signed token.",
        "public",
        login,
        nothing,
        "auth",
        body=s.Login,
    ),
    Route(
        "me", "GET", "/api/me", "The signed-in user and their grants.", "authenticated", me, nothing, "auth"
    ),
    Route(
        "create_user",
        "POST",
        "/api/users",
        "Create a user (administrators).",
        "users.admin",
        create_user,
        whole_tree,
        "users",
        body=s.CreateUser,
        status=201,
    ),
    Route(
        "list_users",
        "GET",
        "/api/users",
        "Every user with their grants (administrators).",
        "users.admin",
        list_users,
        whole_tree,
        "users",
    ),
    Route(
        "add_grant",
        "POST",
        "/api/users/<username>/grants",
        "Grant a role on an organisation subtree ('*' for all) to a user.",
        "users.admin",
        add_grant,
        grant_target,
        "users",
        body=s.CreateGrant,
        status=201,
    ),
]
