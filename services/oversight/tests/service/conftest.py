"""The oversight service beside the real plans service and a stand-in for sessions.

The tree is registered over RPC with the real plans service; members are enrolled by a
tiny "sessions" service that appends MemberEnrolled events valid under the contract,
seats on committees above the cell (`committee_posts`) included. Each test waits until
oversight's local copies hold them, as a client of the running system would.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import sqlalchemy as sa
from nameko.rpc import rpc

from eventlog.dependencies import EventLog
from eventlog.engine import make_engine
from eventlog.envelope import NewEvent
from eventlog.migrations import create_backbone_tables
from eventlog.rpc import EventLogRpc
from oversight.service import OversightService
from oversight.tables import members, org_nodes
from plans.service import PlansService
from testing_support.services import eventually

TREE = (  # org_id, kind, parent
    ("hn", "province", None),
    ("dv", "district", "hn"),
    ("xa1", "grassroots", "dv"),
    ("cb1", "cell", "xa1"),
    ("cb2", "cell", "xa1"),
)
ROSTER = (  # member_id, cell, membership, posts in the cell, seats on committees above it
    ("m1", "cb1", "full", ["secretary"], []),
    ("m2", "cb1", "probationary", [], []),
    ("m3", "cb2", "full", [], []),
    ("m4", "cb2", "full", ["secretary"], [{"org_id": "xa1", "title": "Phó Bí thư Đảng ủy"}]),
)


class StandInSessionsService(EventLogRpc):
    """Publishes MemberEnrolled as the sessions service's contract says, nothing more."""

    name = "sessions"
    event_log = EventLog()

    @rpc
    def enrol_member(
        self,
        member_id: str,
        org_id: str,
        membership: str,
        posts_in_cell: list[str],
        committee_posts: list[dict[str, str]],
    ) -> int:
        [stored] = self.event_log.append(
            f"member-{member_id}",
            0,
            [
                NewEvent(
                    "MemberEnrolled",
                    {
                        "member_id": member_id,
                        "full_name": f"Đảng viên {member_id}",
                        "org_id": org_id,
                        "membership": membership,
                        "admitted_on": "2015-05-19",
                        "enrolled_on": "2020-01-01",
                        "posts_in_cell": posts_in_cell,
                        "posts_outside_cell": ["Chủ tịch Hội Nông dân xã"],
                        "committee_posts": committee_posts,
                    },
                )
            ],
        )
        self.event_log.store.notify_committed()
        return stored.position


@pytest.fixture
def seeded(system, tmp_path, container_factory) -> Iterator[Any]:
    """Oversight running, with the plans tree and the roster copied into it."""
    system.start(OversightService)
    system.start(PlansService)
    sessions_url = f"sqlite:///{tmp_path / 'stand_in_sessions.db'}"
    engine = make_engine(sessions_url)
    with engine.begin() as conn:
        create_backbone_tables(conn)
    engine.dispose()
    container_factory(
        StandInSessionsService, {"AMQP_URI": system.amqp_uri, "DATABASE_URL": sessions_url}
    ).start()
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
        for member_id, cell, membership, posts, seats in ROSTER:
            rpc.sessions.enrol_member(member_id, cell, membership, posts, seats)
    local = make_engine(system.url_for("oversight"))

    def copied() -> bool:
        with local.connect() as conn:
            count = sa.select(sa.func.count())
            return conn.execute(count.select_from(org_nodes)).scalar() == len(TREE) and conn.execute(
                count.select_from(members)
            ).scalar() == len(ROSTER)

    eventually(copied, timeout=30)
    local.dispose()
    yield system
