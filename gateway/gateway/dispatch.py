"""How every endpoint answers: authenticate, validate, authorise, deduplicate, call, shape."""

from __future__ import annotations

import hashlib
import json
import logging
import time
from typing import Any

from werkzeug.wrappers import Request, Response

from gateway.bodies import expected_version, json_object, query_args, raw_body, validated
from gateway.errors import ApiError, json_response
from gateway.policy import allowed
from gateway.routes import Call, Route
from gateway.store import User
from gateway.tokens import token_subject

log = logging.getLogger(__name__)
DEV_SECRET = "dev-only-gateway-secret-change-me"
ANCESTOR_SECONDS = 10.0
_ancestors: dict[str, tuple[float, list[str]]] = {}


def secret(service: Any) -> str:
    return str(service.config.get("GATEWAY_SECRET") or DEV_SECRET)


def authenticate(service: Any, request: Request) -> User:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token:
        raise ApiError(401, "unauthenticated", "send Authorization: Bearer <token> (POST /api/auth/token)")
    username = token_subject(secret(service), token.strip())
    user = service.store.user(username) if username else None
    if user is None:
        raise ApiError(401, "unauthenticated", "the token is invalid or has expired")
    return user


def ancestors_of(call: Call, org_id: str) -> list[str]:
    """`org_id` and every organisation above it, from the plans service, cached briefly."""
    cached = _ancestors.get(org_id)
    if cached and cached[0] > time.monotonic():
        return cached[1]
    path = [o["org_id"] for o in call.rpc("plans", "path_to_root", org_id)]
    _ancestors[org_id] = (time.monotonic() + ANCESTOR_SECONDS, path)
    return path


def handle(service: Any, route: Route, request: Request, path: dict[str, Any]) -> Response:
    """The whole life of one request; every failure is an ApiError in the one format."""
    try:
        return _handle(service, route, request, path)
    except ApiError as exc:
        return exc.response()


def _handle(service: Any, route: Route, request: Request, path: dict[str, Any]) -> Response:
    user = None if route.action == "public" else authenticate(service, request)
    data = raw_body(request) if route.method == "POST" else b""
    body = json_object(data) if route.method == "POST" else {}
    if route.body is not None:
        validated(route.body, body, "body")
    elif body:
        raise ApiError(400, "invalid_input", "this endpoint takes no body", {"_schema": ["unexpected body"]})
    raw_query = query_args(request)
    query = validated(route.query, raw_query, "query") if route.query else {}
    if raw_query and route.query is None:
        raise ApiError(400, "invalid_input", "invalid query", {k: ["unknown field"] for k in raw_query})
    version = expected_version(request, body) if route.versioned else None
    call = Call(service, user, path, query, body, version, raw_query)
    if user is not None:
        target = route.target(call)
        if not allowed(user, route.action, target, lambda org: ancestors_of(call, org)):
            raise ApiError(403, "forbidden", f"{user.username} may not {route.action} here")
        service.ctx.data["actor"] = f"user:{user.username}"
    key = request.headers.get("Idempotency-Key")
    if route.is_write and key and user is not None:
        return _once(call, route, key, request, data)
    return _answer(route, route.run(call))


def _answer(route: Route, result: Any) -> Response:
    if isinstance(result, Response):
        return result
    headers = {}
    if isinstance(result, dict) and isinstance(result.get("version"), int):
        headers["ETag"] = f'"{result["version"]}"'
    return json_response(result, route.status, headers)


def _once(call: Call, route: Route, key: str, request: Request, data: bytes) -> Response:
    """Answer a keyed write once; a retry gets the first answer, a different body a 422."""
    assert call.user is not None
    if len(key) > 200:
        raise ApiError(400, "invalid_input", "Idempotency-Key is too long", {"Idempotency-Key": ["max 200"]})
    digest = hashlib.sha256(
        b"\n".join(
            [
                route.method.encode(),
                request.path.encode(),
                (request.headers.get("If-Match") or "").encode(),
                data,
            ]
        )
    ).hexdigest()
    stored = call.store.reserve(call.user.username, key, digest)
    if stored is not None:
        status, body, first_digest = stored
        if first_digest != digest:
            raise ApiError(
                422,
                "idempotency_key_reused",
                "this Idempotency-Key was used with another request",
                {"Idempotency-Key": ["used with a different request"]},
            )
        if status == 0:
            raise ApiError(409, "request_in_progress", "the first request with this key is still running")
        response = _answer(route, json.loads(body))
        response.status_code = status
        response.headers["Idempotent-Replayed"] = "true"
        return response
    try:
        response = _answer(route, route.run(call))
    except ApiError as exc:
        if exc.status >= 500:
            call.store.release(call.user.username, key)
        else:
            call.store.remember(call.user.username, key, exc.status, json.dumps(exc.response().get_json()))
        raise
    except BaseException:
        call.store.release(call.user.username, key)
        raise
    call.store.remember(call.user.username, key, response.status_code, response.get_data(as_text=True))
    return response
