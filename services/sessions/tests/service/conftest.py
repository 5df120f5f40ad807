"""The sessions service on a real broker and both databases, beside a stand-in for plans.

The organisation tree reaches sessions as plans' OrganizationRegistered events, valid under
their contract, published by a stand-in (`testing_support.stand_ins`) on the real broker;
each test waits until the sessions service's local copy holds it, as a client of the
running system would. The flow from the real plans service is in `tests/cross_service/`.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from nameko.exceptions import RemoteError

from sessions.service import SessionsService
from testing_support.services import eventually
from testing_support.stand_ins import publish_tree, start_stand_in

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


@pytest.fixture
def refusal() -> Callable[[pytest.ExceptionInfo[RemoteError]], dict[str, Any]]:
    """Reads the typed refusal a CommandRefused carries over RPC."""
    return read_refusal


def member_id(n: int) -> str:
    return f"dv-{n:02d}"


def knows(rpc: Any, org_id: str) -> bool:
    try:
        rpc.sessions.get_roster(org_id, "2024-01-01")
        return True
    except RemoteError:
        return False


@pytest.fixture
def seeded(system) -> Callable[..., Any]:
    """Sessions and a stand-in for plans running, the tree published and copied into sessions.

    Returns `enrol(rpc, n, cell="cb1", posts=(), **fields)` for enrolling member dv-nn.
    """
    system.start(SessionsService)
    start_stand_in(system, "plans")
    with system.rpc() as rpc:
        publish_tree(rpc, TREE)
        eventually(lambda: knows(rpc, "cb2"))

    def enrol(
        rpc: Any, n: int, cell: str = "cb1", posts: tuple[str, ...] = (), **fields: Any
    ) -> dict[str, Any]:
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

    return enrol
