"""Oversight copies the tree it missed while it was down, from the source's log.

The tree is published by a stand-in for plans (`testing_support.stand_ins`), which serves
its log over RPC as plans does; the same flow from the real plans service is in
`tests/cross_service/test_plans_tree_reaches_oversight.py`.
"""

from __future__ import annotations

import pytest

from oversight.service import OversightService
from testing_support.roster import suggest_review_once_cell_known
from testing_support.stand_ins import publish_tree, start_stand_in


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_events_published_before_oversight_started_are_caught_up(system):
    start_stand_in(system, "plans")
    with system.rpc() as rpc:
        publish_tree(
            rpc, (("hn", "province", None), ("xa1", "grassroots", "hn"), ("cb1", "cell", "xa1")), "2025-07-01"
        )
        system.start(OversightService)  # its queue did not exist when these were published

        assert suggest_review_once_cell_known(rpc)["org_id"] == "cb1"
