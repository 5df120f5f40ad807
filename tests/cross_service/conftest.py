"""Flows across real services: one publishes, another builds its local copy from that.

Each test starts the real services it needs (their own packages, migrated stores) on a
throwaway vhost, on SQLite and PostgreSQL alike (`testing_support.services.System`). A
service's own tests use contract-speaking stand-ins instead (`testing_support.stand_ins`);
these are the tests that show the real producer and the real consumer agree.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from nameko.exceptions import RemoteError

from plans.service import PlansService
from sessions.service import SessionsService
from testing_support.roster import TREE, enrol, knows, read_refusal
from testing_support.services import eventually


@pytest.fixture
def refusal() -> Callable[[pytest.ExceptionInfo[RemoteError]], dict[str, Any]]:
    """Reads the typed refusal a CommandRefused carries over RPC."""
    return read_refusal


@pytest.fixture
def seeded(system) -> Callable[..., Any]:
    """The real sessions and plans services running, the tree registered with plans over
    RPC and copied into sessions from plans' events.

    Returns `enrol(rpc, n, cell="cb1", posts=(), **fields)` for enrolling member dv-nn.
    """
    system.start(SessionsService)
    system.start(PlansService)
    with system.rpc() as rpc:
        for org_id, kind, parent_id in TREE:
            rpc.plans.register_organization(
                {
                    "org_id": org_id,
                    "kind": kind,
                    "parent_id": parent_id,
                    "name": f"Tổ chức {org_id}",
                    "registered_on": "2020-01-01",
                }
            )
        eventually(lambda: knows(rpc, "cb2"))

    return enrol
