"""Oversight copies the tree it missed while it was down, from the source's log.

The tree is published by a stand-in for plans (`testing_support.stand_ins`), which serves
its log over RPC as plans does; the same flow from the real plans service is in
`tests/cross_service/test_plans_tree_reaches_oversight.py`.
"""

from __future__ import annotations

import pytest

from oversight.service import OversightService
from testing_support.services import eventually
from testing_support.stand_ins import publish_tree, start_stand_in


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_events_published_before_oversight_started_are_caught_up(system):
    start_stand_in(system, "plans")
    with system.rpc() as rpc:
        publish_tree(
            rpc, (("hn", "province", None), ("xa1", "grassroots", "hn"), ("cb1", "cell", "xa1")), "2025-07-01"
        )
        system.start(OversightService)  # its queue did not exist when these were published

        def suggested() -> dict | None:
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
            except Exception:  # refused with 404 until the tree is copied
                return None

        assert eventually(suggested, timeout=15, interval=0.5)["org_id"] == "cb1"
