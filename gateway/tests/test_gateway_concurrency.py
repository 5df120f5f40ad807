"""Two clients at once: one If-Match wins, and a retried key gets the first answer only.

Each runs on SQLite and on PostgreSQL. The clients are green threads started together at
a barrier, so their requests are in flight in the gateway and the service at one time.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable
from functools import partial
from typing import Any

import pytest
import requests
from campaign import build_tree, enrol
from gateway_system import Client


@pytest.fixture(scope="module")
def system(gw_both):
    build_tree(gw_both.admin)
    enrol(gw_both.admin, "race-1", "cA")
    settle(gw_both)
    return gw_both


def heads(gw) -> dict[str, int]:
    services = requests.get(gw.base_url + "/health", timeout=10).json()["services"]
    return {name: s["log_head"] for name, s in services.items()}


def settle(gw, quiet: float = 1.0) -> dict[str, int]:
    """The heads once consumers have caught up (nothing else writes in these tests)."""
    last = heads(gw)
    for _ in range(30):
        time.sleep(quiet)
        if (now := heads(gw)) == last:
            return now
        last = now
    raise AssertionError(f"the log heads kept moving: {last}")


def together(*sends: Callable[[], requests.Response]) -> list[requests.Response]:
    """Start every request at the same moment; their answers in the same order."""
    barrier = threading.Barrier(len(sends))
    answers: list[Any] = [None] * len(sends)

    def run(n: int) -> None:
        barrier.wait()
        answers[n] = sends[n]()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(len(sends))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert all(a is not None for a in answers), "a request did not finish"
    return answers


def two_clients(gw) -> tuple[Client, Client]:
    return Client(gw.base_url, gw.admin.token), Client(gw.base_url, gw.admin.token)


def renamed(_: dict[str, Any], n: int) -> dict[str, Any]:
    return {"name": f"Chi bộ {n}", "renamed_on": "2025-02-01"}


def status_changed(member: dict[str, Any], n: int) -> dict[str, Any]:
    # The two clients ask for different new statuses: had they asked for the same, the
    # loser might be refused for asking a status the member already has, not as stale.
    others = [s for s in ("suspended", "exempted", "active") if s != member["status"]]
    return {"status": others[n % 2], "effective_on": "2025-03-01", "reason": f"lần {n}"}


WRITES = {  # a versioned write and where to read what it changes
    "rename": ("/api/organizations/cB/rename", renamed, "/api/organizations/cB"),
    "member status": ("/api/members/race-1/status", status_changed, "/api/members/race-1"),
}


@pytest.mark.parametrize("write", WRITES, ids=str)
def test_the_same_if_match_twice_at_once_one_wins_one_is_told_of_the_conflict(system, write):
    path, body, read = WRITES[write]
    one, two = two_clients(system)
    for round_ in range(3):
        now = system.admin.get(read).json()
        match = {"If-Match": f'"{now["version"]}"'}
        answers = together(
            partial(one.post, path, body(now, 2 * round_), headers=match),
            partial(two.post, path, body(now, 2 * round_ + 1), headers=match),
        )
        statuses = sorted(a.status_code for a in answers)
        assert statuses == [200, 409], [a.text for a in answers]
        winner = next(a for a in answers if a.status_code == 200).json()
        loser = next(a for a in answers if a.status_code == 409).json()["error"]
        assert loser["code"] == "version_conflict", loser
        assert "expected_version" in loser["fields"], loser
        assert winner["version"] > now["version"]
        assert system.admin.get(read).json()["version"] == winner["version"]


def test_a_retried_post_gets_the_first_answer_and_creates_nothing(system):
    key = {"Idempotency-Key": f"org-{uuid.uuid4()}"}
    org_id = f"k{uuid.uuid4().hex[:8]}"
    body = {
        "org_id": org_id,
        "kind": "cell",
        "parent_id": "xB",
        "name": "Chi bộ",
        "registered_on": "2024-02-01",
    }
    first = system.admin.post("/api/organizations", body, headers=key)
    assert first.status_code == 201, first.text
    after_first = settle(system)
    for _ in range(3):
        again = system.admin.post("/api/organizations", body, headers=key)
        assert (again.status_code, again.json()) == (201, first.json())
        assert again.headers["Idempotent-Replayed"] == "true"
    assert heads(system) == after_first
    children = system.admin.get("/api/organizations/xB/children").json()["items"]
    assert [c["org_id"] for c in children].count(org_id) == 1


def test_retries_sent_at_once_create_one_thing(system):
    key = {"Idempotency-Key": f"race-{uuid.uuid4()}"}
    org_id = f"r{uuid.uuid4().hex[:8]}"
    body = {
        "org_id": org_id,
        "kind": "cell",
        "parent_id": "xB",
        "name": "Chi bộ",
        "registered_on": "2024-02-01",
    }
    one, two = two_clients(system)
    answers = together(
        partial(one.post, "/api/organizations", body, headers=key),
        partial(two.post, "/api/organizations", body, headers=key),
    )
    statuses = sorted(a.status_code for a in answers)
    # The second either saw the first's stored answer or found it still running.
    assert statuses in ([201, 201], [201, 409]), [a.text for a in answers]
    if statuses == [201, 409]:
        running = next(a for a in answers if a.status_code == 409).json()["error"]
        assert running["code"] == "request_in_progress"
    children = system.admin.get("/api/organizations/xB/children").json()["items"]
    assert [c["org_id"] for c in children].count(org_id) == 1


def test_a_retried_versioned_write_is_not_refused_as_stale(system):
    """The retry of a write that went through gets its 200, not a 409 for its own change."""
    version = system.admin.get("/api/organizations/cA").json()["version"]
    headers = {"Idempotency-Key": f"ren-{uuid.uuid4()}", "If-Match": f'"{version}"'}
    body = {"name": "Chi bộ A", "renamed_on": "2025-04-01"}
    first = system.admin.post("/api/organizations/cA/rename", body, headers=headers)
    assert first.status_code == 200, first.text
    before = settle(system)
    again = system.admin.post("/api/organizations/cA/rename", body, headers=headers)
    assert (again.status_code, again.json()) == (200, first.json())
    assert heads(system) == before
    stale = system.admin.post("/api/organizations/cA/rename", body, headers={"If-Match": f'"{version}"'})
    assert stale.status_code == 409


def test_a_refused_first_answer_is_the_answer_to_its_retries(system):
    key = {"Idempotency-Key": f"no-{uuid.uuid4()}"}
    org_id = f"n{uuid.uuid4().hex[:8]}"
    body = {
        "org_id": org_id,
        "kind": "cell",
        "parent_id": "not-yet",
        "name": "C",
        "registered_on": "2024-02-01",
    }
    first = system.admin.post("/api/organizations", body, headers=key)
    assert 400 <= first.status_code < 500, first.text
    parent = {
        "org_id": "not-yet",
        "kind": "grassroots",
        "parent_id": "dB",
        "name": "Đảng ủy",
        "registered_on": "2024-01-01",
    }
    assert system.admin.post("/api/organizations", parent).status_code == 201
    again = system.admin.post("/api/organizations", body, headers=key)
    assert (again.status_code, again.json()) == (first.status_code, first.json())
    assert system.admin.get(f"/api/organizations/{org_id}").status_code == 404


def test_a_key_belongs_to_its_user(system):
    key = {"Idempotency-Key": f"shared-{uuid.uuid4()}"}
    clerk = system.user(f"clerk{uuid.uuid4().hex[:6]}", [{"role": "committee_staff", "org_id": "*"}])
    bodies = [
        {
            "org_id": f"u{n}{uuid.uuid4().hex[:6]}",
            "kind": "cell",
            "parent_id": "xB",
            "name": "C",
            "registered_on": "2024-02-01",
        }
        for n in range(2)
    ]
    assert system.admin.post("/api/organizations", bodies[0], headers=key).status_code == 201
    theirs = clerk.post("/api/organizations", bodies[1], headers=key)
    assert theirs.status_code == 201 and "Idempotent-Replayed" not in theirs.headers
