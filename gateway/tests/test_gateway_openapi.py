"""The OpenAPI document, the offline API page, and the gateway's own store and tokens."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import requests
import sqlalchemy as sa
from openapi_spec_validator import validate

from gateway.openapi import document, openapi_path
from gateway.pages import STATIC
from gateway.resources import ALL_ROUTES
from gateway.tokens import hash_password, issue_token, password_matches, token_subject

ROOT = Path(__file__).resolve().parents[2]
SVG_NAMESPACE = "http://www.w3.org/2000/svg"


def test_the_document_is_valid_openapi_and_lists_every_endpoint():
    spec = document()
    validate(spec)
    for route in ALL_ROUTES:
        operation = spec["paths"][openapi_path(route.path)][route.method.lower()]
        assert operation["summary"] == route.summary
        if route.body is not None:
            assert "requestBody" in operation
    assert "HoldSession" in spec["components"]["schemas"]


def test_the_document_and_the_api_page_are_served(gw):
    served = requests.get(gw.base_url + "/openapi.json", timeout=10)
    assert served.status_code == 200 and served.json()["openapi"].startswith("3.")
    page = requests.get(gw.base_url + "/api/docs", timeout=10)
    assert page.status_code == 200 and "/api/sessions/{session_id}/minutes" in page.text
    assert "<script src=" not in page.text
    assert external_urls(page.text) == set(), "the API page must work without the internet"
    for name in sorted(p.name for p in STATIC.iterdir() if p.is_file()):
        served = requests.get(f"{gw.base_url}/static/{name}", timeout=10)
        assert served.status_code == 200, name
        assert external_urls(served.text) == set(), name
    assert external_urls(requests.get(gw.base_url + "/", timeout=10).text) == set()


def external_urls(text: str) -> set[str]:
    """Every http(s) URL in `text` but the SVG namespace (a name, never fetched)."""
    return set(re.findall(r"https?://[^\s\"'<>`)]+", text, flags=re.IGNORECASE)) - {SVG_NAMESPACE}


def test_external_urls_finds_what_it_should():
    page = f'<a href="https://cdn.example.org/x.js">x</a> HTTP://A.B/c <svg xmlns="{SVG_NAMESPACE}">'
    assert external_urls(page) == {"https://cdn.example.org/x.js", "HTTP://A.B/c"}


def test_passwords_and_tokens():
    stored = hash_password("s3cret-pass")
    assert password_matches("s3cret-pass", stored) and not password_matches("other", stored)
    token, _ = issue_token("k", "alice", 60)
    assert token_subject("k", token) == "alice"
    assert token_subject("other-key", token) is None
    assert token_subject("k", token[:-2] + "xx") is None
    assert token_subject("k", issue_token("k", "alice", -5)[0]) is None
    assert token_subject("k", "garbage") is None


def test_the_gateway_store_is_migrated_like_the_services(tmp_path, pg_url):
    for url in (f"sqlite:///{tmp_path / 'gateway.db'}", pg_url):
        env = {**os.environ, "GATEWAY_DATABASE_URL": url}
        subprocess.run(
            [sys.executable, "-m", "eventlog.migrate", "gateway"],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
        )
        engine = sa.create_engine(url.replace("postgresql://", "postgresql+psycopg2://"))
        assert {"users", "grants", "idempotency"} <= set(sa.inspect(engine).get_table_names())
        engine.dispose()
