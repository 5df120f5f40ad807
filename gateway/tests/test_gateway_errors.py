"""However malformed a request, the answer is a 4xx in the one format and nothing is written."""

from __future__ import annotations

import json

import pytest
import requests
from campaign import build_tree

ORG = {"org_id": "n1", "kind": "cell", "parent_id": "xA", "name": "Chi bộ", "registered_on": "2024-01-01"}


@pytest.fixture(scope="module")
def tree(gw):
    build_tree(gw.admin)
    return gw


def heads(gw) -> dict:
    return {
        s: v["log_head"]
        for s, v in requests.get(gw.base_url + "/health", timeout=10).json()["services"].items()
    }


def raw(gw, data: bytes, content_type: str = "application/json", path: str = "/api/organizations"):
    return gw.admin.request("POST", path, data=data, headers={"Content-Type": content_type})


@pytest.mark.parametrize(
    "data, status, code",
    [
        (b"{not json", 400, "invalid_json"),
        (b"\xff\xfe{}", 400, "invalid_encoding"),
        (b'{"name": "\xc3\x28"}', 400, "invalid_encoding"),
        (b"[1, 2]", 400, "invalid_json"),
        (b"[" * 5000 + b"]" * 5000, 400, "too_deep"),
        (json.dumps({"a": json.loads("[" * 40 + "]" * 40)}).encode(), 400, "too_deep"),
        (json.dumps({**ORG, "extra": 1}).encode(), 400, "invalid_input"),
        (json.dumps({**ORG, "registered_on": 20240101}).encode(), 400, "invalid_input"),
        (json.dumps({**ORG, "org_id": "bad id!"}).encode(), 400, "invalid_input"),
        (json.dumps({**ORG, "name": None}).encode(), 400, "invalid_input"),
        (b'{"org_id": ' + b'"x' * (2 * 1024 * 1024) + b'"}', 413, "body_too_large"),
    ],
)
def test_malformed_bodies_are_refused_and_change_nothing(tree, data, status, code):
    before = heads(tree)
    answer = raw(tree, data)
    assert answer.status_code == status, answer.text
    assert answer.json()["error"]["code"] == code
    assert set(answer.json()["error"]) == {"code", "message", "fields"}
    assert heads(tree) == before


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
