"""The OpenAPI 3 document, generated with apispec from the same schemas that check requests."""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin

from gateway.resources import ALL_ROUTES
from gateway.routes import Route

ERROR = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["code", "message", "fields"],
            "properties": {
                "code": {"type": "string"},
                "message": {"type": "string"},
                "fields": {"type": "object", "additionalProperties": True},
            },
        }
    },
}


def openapi_path(rule: str) -> str:
    return re.sub(r"<(?:[a-z]+:)?([a-z_]+)>", r"{\1}", rule)


def _operation(route: Route) -> dict[str, Any]:
    params: list[dict[str, Any]] = [
        {"in": "path", "name": name, "required": True, "schema": {"type": "string"}}
        for name in re.findall(r"<(?:[a-z]+:)?([a-z_]+)>", route.path)
    ]
    if route.query is not None:
        params.append({"in": "query", "schema": route.query})
    if route.versioned:
        params.append(
            {
                "in": "header",
                "name": "If-Match",
                "required": False,
                "schema": {"type": "string"},
                "description": "the version you read; a stale one is a 409",
            }
        )
    if route.is_write and route.action != "public":
        params.append(
            {
                "in": "header",
                "name": "Idempotency-Key",
                "required": False,
                "schema": {"type": "string"},
                "description": "a retried request with the same key gets the first answer",
            }
        )
    ok = {
        "description": "the resource (with its version) or the collection",
        "content": {
            route.produces: {
                "schema": {"type": "object"}
                if route.produces == "application/json"
                else {"type": "string", "format": "binary"}
            }
        },
    }
    responses: dict[str, Any] = {str(route.status): ok}
    for status, why in (
        ("400", "invalid input"),
        ("401", "not signed in"),
        ("403", "outside your grants"),
        ("404", "not found"),
        ("409", "stale version"),
        ("422", "refused by a rule"),
        ("503", "a service is down"),
    ):
        responses[status] = {"description": why, "content": {"application/json": {"schema": "Error"}}}
    operation: dict[str, Any] = {
        "operationId": route.name,
        "summary": route.summary,
        "tags": [route.tag],
        "parameters": params,
        "responses": responses,
        "x-required-action": route.action,
    }
    if route.body is not None:
        operation["requestBody"] = {"required": True, "content": {"application/json": {"schema": route.body}}}
    if route.action == "public":
        operation["security"] = []
    return operation


@cache
def document() -> dict[str, Any]:
    spec = APISpec(
        title="Tự soi, tự sửa: campaign API",
        version="1.0.0",
        openapi_version="3.0.3",
        plugins=[MarshmallowPlugin()],
        info={
            "description": "Every request needs `Authorization: Bearer <token>` from POST /api/auth/token. "
            'Errors: {"error": {"code", "message", "fields"}}.'
        },
    )
    spec.components.schema("Error", ERROR)
    spec.components.security_scheme("bearer", {"type": "http", "scheme": "bearer"})
    spec.options["security"] = [{"bearer": []}]
    paths: dict[str, dict[str, Any]] = {}
    for route in ALL_ROUTES:
        paths.setdefault(openapi_path(route.path), {})[route.method.lower()] = _operation(route)
    for path, operations in paths.items():
        spec.path(path=path, operations=operations)
    document = spec.to_dict()
    document["security"] = [{"bearer": []}]
    return document
