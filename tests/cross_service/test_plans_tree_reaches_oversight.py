"""Oversight copies the tree it missed while it was down, from the real plans service's log."""

from __future__ import annotations

import pytest

from oversight.service import OversightService
from plans.service import PlansService
from testing_support.services import eventually


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
