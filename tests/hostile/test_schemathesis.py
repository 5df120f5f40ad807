"""Requests generated from the gateway's own /openapi.json, sent as the administrator.

Two passes over every operation, a bounded number of examples each: first requests that
break the document (wrong types, missing fields, values out of range), then requests that
follow it. No answer may be a 5xx, every answer must match the documented response
schema, and an invalid request answered 4xx must leave every service's log head where it
was. The invalid pass runs first, on a fresh system, so nothing else moves the heads.
"""

from __future__ import annotations

import time
from collections import Counter
from typing import Any

import requests
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.parameters import ParameterLocation
from schemathesis.specs.openapi.checks import negative_data_rejection, response_schema_conformance

INVALID_EXAMPLES = 15  # per operation and pass; the whole test stays under 2 minutes
VALID_EXAMPLES = 10
CHECKS = [not_a_server_error, response_schema_conformance]


def breaks_more_than_headers(case: Any) -> bool:
    """A negative case whose only broken part is headers is sent valid: the token we add
    replaces the Authorization it generated, and other headers are free text here."""
    components = getattr(case.meta, "components", None) or {}
    return any(
        info.mode is GenerationMode.NEGATIVE and location is not ParameterLocation.HEADER
        for location, info in components.items()
    )


def heads(base_url: str) -> dict[str, int]:
    services = requests.get(base_url + "/health", timeout=10).json()["services"]
    return {name: s["log_head"] for name, s in services.items()}


def settled(base_url: str, quiet: float = 0.5) -> dict[str, int]:
    last = heads(base_url)
    for _ in range(60):
        time.sleep(quiet)
        if (now := heads(base_url)) == last:
            return now
        last = now
    raise AssertionError(f"the log heads kept moving: {last}")


class Run:
    """Sends each case with the administrator's token and counts what came back."""

    def __init__(self, base_url: str, token: str) -> None:
        self.base_url = base_url
        self.headers = {"Authorization": f"Bearer {token}"}
        self.session = requests.Session()
        self.statuses: Counter[str] = Counter()

    def send(self, case: Any, mode: GenerationMode) -> None:
        invalid = mode is GenerationMode.NEGATIVE and breaks_more_than_headers(case)
        before = heads(self.base_url) if invalid else None
        response = case.call(base_url=self.base_url, session=self.session, headers=self.headers, timeout=30)
        self.statuses[f"{'invalid' if invalid else 'valid'} {response.status_code // 100}xx"] += 1
        checks = [*CHECKS, negative_data_rejection] if invalid else CHECKS
        case.validate_response(response, checks=checks, headers=self.headers)
        if before is not None:
            after = heads(self.base_url)
            assert after == before, (
                f"{case.method} {case.formatted_path} was invalid but wrote: {before} -> {after}"
            )
        elif case.method.upper() == "POST" and response.status_code < 300:
            settled(self.base_url)  # the next invalid request's heads must not move for this one

    def operation(self, operation: Any, mode: GenerationMode, examples: int) -> None:
        @settings(
            max_examples=examples,
            deadline=None,
            database=None,
            derandomize=True,
            phases=[Phase.explicit, Phase.generate],  # no shrinking: keep the run bounded
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy(generation_mode=mode))
        def each(case: Any) -> None:
            self.send(case, mode)

        each()


def test_generated_requests_never_break_the_gateway(gw, report_line):
    schema = schemathesis.openapi.from_url(gw.base_url + "/openapi.json")
    operations = [result.ok() for result in schema.get_all_operations()]
    run = Run(gw.base_url, gw.admin.token)
    started = time.monotonic()
    settled(gw.base_url)
    for mode, examples in (
        (GenerationMode.NEGATIVE, INVALID_EXAMPLES),
        (GenerationMode.POSITIVE, VALID_EXAMPLES),
    ):
        for operation in operations:
            run.operation(operation, mode, examples)
    total = sum(run.statuses.values())
    summary = ", ".join(f"{k}: {v}" for k, v in sorted(run.statuses.items()))
    took = time.monotonic() - started
    report_line(f"schemathesis: {total} cases over {len(operations)} operations in {took:.0f}s ({summary})")
    assert len(operations) >= 60 and run.statuses["invalid 4xx"] >= len(operations) * 2
    assert run.statuses["valid 2xx"] > 0 and total >= len(operations) * 2 * min(VALID_EXAMPLES, 4)
