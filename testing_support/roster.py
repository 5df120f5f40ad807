"""What the sessions tests (the service's own, beside stand-ins, and the cross-service ones,
beside the real plans) share: the little tree they run on, reading a typed refusal over
RPC, and enrolling members. RPC-level only: no service's package is imported here."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from nameko.exceptions import RemoteError

from testing_support.services import eventually

TREE = (  # org_id, kind, parent
    ("hn", "province", None),
    ("kb", "district", "hn"),
    ("xa", "grassroots", "kb"),
    ("cb1", "cell", "xa"),
    ("cb2", "cell", "xa"),
)


def read_refusal(raised: pytest.ExceptionInfo[RemoteError]) -> dict[str, Any]:
    assert raised.value.exc_type == "CommandRefused", raised.value
    return json.loads(raised.value.value)


def member_id(n: int) -> str:
    return f"dv-{n:02d}"


def knows(rpc: Any, org_id: str) -> bool:
    """Whether sessions' local copy of the tree holds `org_id` yet."""
    try:
        rpc.sessions.get_roster(org_id, "2024-01-01")
        return True
    except RemoteError:
        return False


def enrol(rpc: Any, n: int, cell: str = "cb1", posts: tuple[str, ...] = (), **fields: Any) -> dict[str, Any]:
    """Enrol member dv-nn in `cell` through sessions' RPC."""
    return rpc.sessions.enrol_member(
        {
            "member_id": member_id(n),
            "full_name": f"Đảng viên {n:02d}",
            "org_id": cell,
            "membership": "full",
            "admitted_on": "2010-03-02",
            "enrolled_on": "2020-01-01",
            "posts_in_cell": list(posts),
        }
        | fields
    )


Enrol = Callable[..., dict[str, Any]]


def suggest_review_once_cell_known(rpc: Any, timeout: float = 15) -> dict[str, Any]:
    """A review suggestion for cell cb1 (under province hn), retried until oversight's
    copy of the tree holds the cell (refused with 404 until then); its answer."""

    def suggested() -> dict[str, Any] | None:
        try:
            return rpc.oversight.suggest_review(
                {
                    "suggestion_id": "gy-1",
                    "suggesting_body_org_id": "hn",
                    "suggesting_body_type": "standing_committee",
                    "target_kind": "collective",
                    "target_id": "cb1",
                    "points": ["Chậm nộp báo cáo"],
                    "suggested_on": "2025-08-01",
                }
            )
        except RemoteError:
            return None

    return eventually(suggested, timeout=timeout, interval=0.5)
