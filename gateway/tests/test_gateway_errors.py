"""However malformed a request, the answer is a 4xx in the one format and nothing is written.

Every POST route gets the same hostile bodies and headers, and every GET route with a
query schema a bad value for each of its parameters; the services' log heads must not move.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
import requests
from campaign import build_tree
from schema_samples import bad_query_value, valid_body, wrong_type

from gateway.resources import ALL_ROUTES
from gateway.routes import Route

ORG = {"org_id": "n1", "kind": "cell", "parent_id": "xA", "name": "Chi bộ", "registered_on": "2024-01-01"}
POSTS = [r for r in ALL_ROUTES if r.method == "POST"]
QUERIED = [r for r in ALL_ROUTES if r.method == "GET" and r.query is not None]
MIB = 1024 * 1024


@pytest.fixture(scope="module")
def tree(gw):
    build_tree(gw.admin)
    settled(gw)
    return gw


def heads(gw) -> dict:
    return {
        s: v["log_head"]
        for s, v in requests.get(gw.base_url + "/health", timeout=10).json()["services"].items()
    }


def settled(gw, quiet: float = 1.0, timeout: float = 30.0) -> dict:
    """The heads once the services have stopped catching up with each other."""
    deadline = time.monotonic() + timeout
    last = heads(gw)
    while time.monotonic() < deadline:
        time.sleep(quiet)
        now = heads(gw)
        if now == last:
            return now
        last = now
    raise AssertionError(f"the log heads kept moving: {last}")


def raw(gw, data: Any, content_type: str = "application/json", path: str = "/api/organizations", **headers):
    return gw.admin.request("POST", path, data=data, headers={"Content-Type": content_type, **headers})


def url_of(route: Route) -> str:
    return re.sub(r"<(?:[a-z]+:)?([a-z_]+)>", "x1", route.path)


def refused(answer: requests.Response) -> dict:
    """The answer is a 4xx in the one error format; its error."""
    assert 400 <= answer.status_code < 500, (answer.status_code, answer.text[:300])
    error = answer.json()["error"]
    assert set(error) == {"code", "message", "fields"}, error
    return error


@dataclass
class Bad:
    label: str
    data: Any
    status: int = 400
    code: str | None = "invalid_input"
    names: str | None = None  # the field the error must name
    headers: dict[str, str] = field(default_factory=dict)


def hostile(route: Route) -> Iterator[Bad]:
    """What every POST route must refuse before anything reaches a service."""
    yield Bad("not json", b"{not json", code="invalid_json")
    yield Bad("not utf-8", b"\xff\xfe{}", code="invalid_encoding")
    yield Bad("bad utf-8 in a string", b'{"name": "\xc3\x28"}', code="invalid_encoding")
    for value in (b"[1, 2]", b'"text"', b"123", b"null", b"true"):
        yield Bad(f"json {value!r}", value, code="invalid_json")
    yield Bad("deep arrays", b"[" * 5000 + b"]" * 5000, code="too_deep")
    yield Bad("deep object", json.dumps({"a": json.loads("[" * 40 + "]" * 40)}).encode(), code="too_deep")
    yield Bad("over 1 MiB", b'{"x": "' + b"x" * (MIB + 10) + b'"}', 413, "body_too_large")
    chunks = iter([b'{"x": "', *([b"x" * 65536] * 17), b'"}'])  # chunked: no Content-Length
    yield Bad("over 1 MiB, chunked", chunks, 413, "body_too_large")
    yield Bad("only an unknown field", b'{"surprise_field": 1}', names="surprise_field")
    sample = valid_body(route.body) if route.body else {}
    yield Bad("unknown field", json.dumps({**sample, "surprise_field": 1}).encode(), names="surprise_field")
    for name, spec in route.body().fields.items() if route.body else ():
        key = spec.data_key or name
        wrong = json.dumps({**sample, key: wrong_type(spec)}).encode()
        yield Bad(f"{key} of the wrong type", wrong, names=key)
    if route.versioned:
        good = json.dumps(sample).encode()
        for garbage in ("abc", '"1', '1"', "W/x", "-1", "1.5", "\u00e9", "\u00b2", "9" * 40, "*"):
            yield Bad(f"If-Match {garbage!r}", good, names="If-Match", headers={"If-Match": garbage})
        disagree = json.dumps({**sample, "expected_version": 4}).encode()
        yield Bad("If-Match disagrees", disagree, names="expected_version", headers={"If-Match": '"3"'})
    if route.action != "public":
        yield Bad(
            "Idempotency-Key too long",
            json.dumps({**sample, "surprise_field": 1}).encode(),
            headers={"Idempotency-Key": "k" * 201},
        )


@pytest.mark.parametrize("route", POSTS, ids=lambda r: r.name)
def test_malformed_bodies_are_refused_and_change_nothing(tree, route):
    before = heads(tree)
    for bad in hostile(route):
        answer = raw(tree, bad.data, path=url_of(route), **bad.headers)
        assert answer.status_code == bad.status, (bad.label, answer.text[:300])
        error = refused(answer)
        assert bad.code is None or error["code"] == bad.code, (bad.label, error)
        assert bad.names is None or bad.names in error["fields"], (bad.label, error)
    assert heads(tree) == before


@pytest.mark.parametrize("route", QUERIED, ids=lambda r: r.name)
def test_bad_query_values_are_refused_and_change_nothing(tree, route):
    before = heads(tree)
    for name, spec in route.query().fields.items():
        value = bad_query_value(spec)
        if value is None:
            continue
        error = refused(tree.admin.get(url_of(route), params={spec.data_key or name: value}))
        assert error["code"] == "invalid_input" and name in error["fields"], (name, error)
    for params in ({"surprise": "1"}, "offset=1&offset=2", {"limit": "-5"}, {"offset": "1e9999"}):
        refused(tree.admin.get(url_of(route), params=params))
    assert heads(tree) == before


def test_a_chunked_body_is_read_not_dropped(tree):
    """A body without Content-Length is still checked: dropping it would run the command empty."""
    chunks = iter([b'{"surprise_field":', b" 1}"])
    error = refused(raw(tree, chunks, path="/api/remediation-items/detect-overdue"))
    assert "surprise_field" in error["fields"], error


def test_the_org_fields_of_a_registration_are_checked(tree):
    before = heads(tree)
    for body in (
        {**ORG, "registered_on": 20240101},
        {**ORG, "org_id": "bad id!"},
        {**ORG, "name": None},
        {**ORG, "kind": "club"},
    ):
        assert refused(tree.admin.post("/api/organizations", body))["code"] == "invalid_input"
    assert heads(tree) == before


def test_no_route_takes_a_query_it_does_not_declare(tree):
    for route in ALL_ROUTES:
        if route.method == "GET" and route.query is None:
            refused(tree.admin.get(url_of(route), params={"surprise": "1"}))


def test_field_errors_name_the_field(tree):
    answer = tree.admin.post("/api/organizations", {**ORG, "extra": 1, "kind": "club"})
    assert answer.status_code == 400
    assert {"extra", "kind"} <= set(answer.json()["error"]["fields"])


def test_service_refusals_keep_their_status_and_field(tree):
    unknown = tree.admin.post("/api/organizations", {**ORG, "parent_id": "nowhere"})
    assert unknown.status_code in (404, 422) and "parent_id" in unknown.json()["error"]["fields"]
    assert tree.admin.get("/api/organizations/nowhere").status_code == 404
    assert tree.admin.get("/api/reports/hn", params={"period": "decade:2025"}).status_code == 400
    assert tree.admin.get("/api/members", params={"org_id": "cA", "limit": "x"}).status_code == 400
    assert tree.admin.get("/api/organizations/hn", params={"surprise": "1"}).status_code == 400


def test_routing_and_authentication_errors_use_the_format(tree):
    anonymous = tree.anonymous()
    for answer, status in [
        (tree.admin.get("/api/nothing-here"), 404),
        (tree.admin.request("DELETE", "/api/organizations/hn"), 405),
        (anonymous.get("/api/organizations/hn"), 401),
        (anonymous.get("/api/organizations/hn", headers={"Authorization": "Bearer x.y"}), 401),
        (anonymous.post("/api/auth/token", {"username": "admin", "password": "wrong"}), 401),
        (tree.admin.get("/static/missing.js"), 404),
    ]:
        assert answer.status_code == status
        assert answer.json()["error"]["code"]


def test_an_expired_token_is_refused(tree):
    from gateway.dispatch import DEV_SECRET
    from gateway.tokens import issue_token

    token, _ = issue_token(DEV_SECRET, "admin", -1)
    assert tree.anonymous().get("/api/me", headers={"Authorization": f"Bearer {token}"}).status_code == 401
    token, _ = issue_token(DEV_SECRET, "admin", 60)
    assert tree.anonymous().get("/api/me", headers={"Authorization": f"Bearer {token}"}).status_code == 200


def test_a_stopped_service_is_a_503_not_a_500(tree):
    """Last in this module: it stops the reporting service."""
    tree.stop_service("reporting")
    answer = tree.admin.get("/api/reports/hn", params={"period": "year:2025"})
    assert answer.status_code == 503, answer.text
    assert answer.json()["error"]["code"] == "service_unavailable"
