"""Oversight copies the tree it missed while it was down, from the real plans service's log."""

from __future__ import annotations

import pytest

from oversight.service import OversightService
from plans.service import PlansService
from testing_support.roster import suggest_review_once_cell_known


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_events_published_before_oversight_started_are_caught_up(system):
    system.start(PlansService)
    with system.rpc() as rpc:
        for org_id, kind, parent_id in (
            ("hn", "province", None),
            ("xa1", "grassroots", "hn"),
            ("cb1", "cell", "xa1"),
        ):
            rpc.plans.register_organization(
                {
                    "org_id": org_id,
                    "kind": kind,
                    "parent_id": parent_id,
                    "name": org_id,
                    "registered_on": "2025-07-01",
                }
            )
        system.start(OversightService)  # its queue did not exist when these were published

        assert suggest_review_once_cell_known(rpc)["org_id"] == "cb1"
