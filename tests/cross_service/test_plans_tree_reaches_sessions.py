"""Plans' organisation tree reaches sessions: a sessions service started after the tree
was published copies it from the real plans service's log."""

from __future__ import annotations

from nameko.exceptions import RemoteError

from plans.service import PlansService
from sessions.service import SessionsService
from testing_support.services import eventually


def test_a_sessions_service_started_late_catches_up_on_the_tree(system):
    system.start(PlansService)
    with system.rpc() as rpc:
        rpc.plans.register_organization(
            {
                "org_id": "hn",
                "kind": "province",
                "parent_id": None,
                "name": "Tỉnh ủy",
                "registered_on": "2020-01-01",
            }
        )
        rpc.plans.register_organization(
            {
                "org_id": "kb",
                "kind": "district",
                "parent_id": "hn",
                "name": "Huyện ủy",
                "registered_on": "2020-01-01",
            }
        )
        rpc.plans.register_organization(
            {
                "org_id": "cb1",
                "kind": "cell",
                "parent_id": "kb",
                "name": "Chi bộ cơ sở",
                "registered_on": "2020-01-01",
            }
        )
        system.start(SessionsService)  # its queue did not exist when the tree was published

        def copied() -> bool:
            try:
                return rpc.sessions.get_roster("cb1", "2024-01-01")["members_total"] == 0
            except RemoteError:
                return False

        assert eventually(copied, timeout=15)
        assert rpc.sessions.dead_letter_count() == 0
