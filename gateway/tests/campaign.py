"""A small campaign built through the HTTP API: tree, members, a session, shortcomings."""

from __future__ import annotations

import time
from typing import Any

from gateway_system import Client

MEMBERS = [f"dv-{n:02d}" for n in range(1, 6)]


def eventually(check: Any, timeout: float = 20.0) -> Any:
    deadline = time.monotonic() + timeout
    value = check()
    while not value and time.monotonic() < deadline:
        time.sleep(0.1)
        value = check()
    assert value, f"not reached in {timeout}s: {value!r}"
    return value


def org(client: Client, org_id: str, kind: str, parent: str | None) -> dict[str, Any]:
    answer = client.post(
        "/api/organizations",
        {
            "org_id": org_id,
            "kind": kind,
            "parent_id": parent,
            "name": f"Tổ chức {org_id}",
            "registered_on": "2023-01-05",
        },
    )
    assert answer.status_code == 201, answer.text
    return answer.json()


def build_tree(admin: Client) -> None:
    """hn > (dA > xA > cA, dB > xB > cB)."""
    org(admin, "hn", "province", None)
    for side in "AB":
        org(admin, f"d{side}", "district", "hn")
        org(admin, f"x{side}", "grassroots", f"d{side}")
        org(admin, f"c{side}", "cell", f"x{side}")


def enrol(client: Client, member_id: str, cell: str, posts: tuple[str, ...] = ()) -> Any:
    body = {
        "member_id": member_id,
        "full_name": f"Nguyễn Văn {member_id}",
        "org_id": cell,
        "membership": "full",
        "admitted_on": "2015-05-19",
        "enrolled_on": "2024-01-02",
        "posts_in_cell": list(posts),
    }
    seen: list[int] = []

    def attempt() -> Any:
        answer = client.post("/api/members", body)
        seen.append(answer.status_code)
        return answer if answer.status_code != 404 else None  # the cell is not yet known to sessions

    answer = eventually(attempt)
    assert answer.status_code == 201, (seen, answer.text)
    return answer


def minutes(**changes: Any) -> dict[str, Any]:
    return {
        "held_on": "2025-11-14",
        "starts_at": "19:00",
        "ends_at": "20:45",
        "place": "Nhà văn hóa",
        "chair_id": MEMBERS[0],
        "minute_taker_id": MEMBERS[1],
        "attendance": [{"member_id": m, "presence": "present"} for m in MEMBERS],
        "speaking_turns": {m: 1 for m in MEMBERS},
        "report": "Báo cáo",
        "conclusions": "Thống nhất",
        "resolution": "Nghị quyết",
        "vote": {"for": 5, "against": 0, "abstain": 0},
    } | changes
