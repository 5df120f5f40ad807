"""The sessions service on a real broker and both databases, beside a stand-in for plans.

The organisation tree reaches sessions as plans' OrganizationRegistered events, valid under
their contract, published by a stand-in (`testing_support.stand_ins`) on the real broker;
each test waits until the sessions service's local copy holds it, as a client of the
running system would. The flow from the real plans service is in `tests/cross_service/`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from nameko.exceptions import RemoteError

from sessions.service import SessionsService
from testing_support.roster import TREE, enrol, knows, read_refusal
from testing_support.services import eventually
from testing_support.stand_ins import publish_tree, start_stand_in


@pytest.fixture
def refusal() -> Callable[[pytest.ExceptionInfo[RemoteError]], dict[str, Any]]:
    """Reads the typed refusal a CommandRefused carries over RPC."""
    return read_refusal


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

    return enrol
