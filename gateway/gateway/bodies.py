"""Reading what a client sent: size, encoding, JSON, nesting, then marshmallow."""

from __future__ import annotations

import json
import re
from functools import cache
from typing import Any

from marshmallow import Schema, ValidationError
from werkzeug.wrappers import Request

from gateway.errors import ApiError

MAX_BODY = 1024 * 1024
MAX_DEPTH = 32
ETAG = re.compile(r'(?:W/)?("?)([0-9]{1,18})\1')  # 3, "3" or W/"3"; ASCII digits only


def raw_body(request: Request) -> bytes:
    """The body, refused with 413 past 1 MiB without reading more than that."""
    length = request.content_length
    if length is not None and length > MAX_BODY:
        raise ApiError(413, "body_too_large", f"the body is larger than {MAX_BODY} bytes")
    chunked = length is None and "chunked" in request.headers.get("Transfer-Encoding", "").lower()
    # werkzeug reads a body without Content-Length as empty; eventlet's server de-chunks
    # and ends the input itself, so a chunked body is read from it, not silently dropped.
    stream = request.environ["wsgi.input"] if chunked else request.stream
    data = stream.read(MAX_BODY + 1)
    if len(data) > MAX_BODY:
        raise ApiError(413, "body_too_large", f"the body is larger than {MAX_BODY} bytes")
    return data


def _depth(value: Any) -> int:
    """Nesting depth, iteratively, so a hostile document cannot exhaust the stack."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict | list):
            deepest = max(deepest, depth)
            if depth > MAX_DEPTH:
                return depth
            stack.extend((child, depth + 1) for child in (item.values() if isinstance(item, dict) else item))
    return deepest


def json_object(data: bytes) -> dict[str, Any]:
    """A JSON object from UTF-8 bytes; anything else is a 400 naming what was wrong."""
    if not data.strip():
        return {}
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ApiError(400, "invalid_encoding", f"the body is not valid UTF-8 (byte {exc.start})") from None
    try:
        body = json.loads(text)
    except RecursionError:
        raise ApiError(400, "too_deep", f"the body nests deeper than {MAX_DEPTH} levels") from None
    except ValueError as exc:
        raise ApiError(400, "invalid_json", f"the body is not valid JSON: {exc}") from None
    if not isinstance(body, dict):
        raise ApiError(400, "invalid_json", "the body must be a JSON object")
    if _depth(body) > MAX_DEPTH:
        raise ApiError(400, "too_deep", f"the body nests deeper than {MAX_DEPTH} levels")
    return body


@cache
def instance(schema: type[Schema]) -> Schema:
    """The process's one instance of a schema: marshmallow keeps no state between loads,
    and building an instance (a deep copy of its declared fields) costs more than a load."""
    return schema()


def validated(schema: type[Schema], data: dict[str, Any], where: str) -> dict[str, Any]:
    """`data` checked by `schema` (unknown fields refused); 400 with each field's reasons."""
    try:
        return instance(schema).load(data)
    except ValidationError as exc:
        messages = exc.messages if isinstance(exc.messages, dict) else {"_schema": exc.messages}
        raise ApiError(400, "invalid_input", f"invalid {where}", messages) from None


def query_args(request: Request) -> dict[str, Any]:
    """Query parameters; a repeated one is refused rather than silently picking one."""
    args: dict[str, Any] = {}
    for key, values in request.args.lists():
        if len(values) > 1:
            raise ApiError(400, "invalid_input", "invalid query", {key: ["given more than once"]})
        args[key] = values[0]
    return args


def expected_version(request: Request, body: dict[str, Any]) -> int | None:
    """If-Match (`"3"`, `3`, `W/"3"`) or the body's expected_version; they must agree."""
    header = request.headers.get("If-Match")
    from_body = body.get("expected_version")
    if header is None:
        return from_body
    match = ETAG.fullmatch(header.strip())
    if match is None:
        raise ApiError(
            400, "invalid_input", "If-Match must be a version number", {"If-Match": ["not a number"]}
        )
    version = int(match.group(2))
    if from_body is not None and from_body != version:
        raise ApiError(
            400,
            "invalid_input",
            "If-Match and expected_version disagree",
            {"expected_version": ["differs from If-Match"]},
        )
    return version
