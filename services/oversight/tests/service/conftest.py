"""The oversight service beside stand-ins for plans and sessions, on a real broker.

The tree arrives as OrganizationRegistered events and the members as MemberEnrolled
events (seats on committees above the cell, `committee_posts`, included), each valid
under its contract and published on the real broker by a stand-in under the producer's
name (`testing_support.stand_ins`). Each test waits until oversight's local copies hold
them, as a client of the running system would. The flows from the real plans and
sessions services are in `tests/cross_service/`.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import sqlalchemy as sa

from eventlog.engine import make_engine
from oversight.service import OversightService
from oversight.tables import members, org_nodes
from testing_support.services import eventually
from testing_support.stand_ins import contract_event, publish_tree, start_stand_in

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


def enrol_member(
    rpc: Any,
    member_id: str,
    org_id: str,
    membership: str,
    posts_in_cell: list[str],
    committee_posts: list[dict[str, str]],
) -> None:
    """Publish, through the sessions stand-in, the member's MemberEnrolled."""
    enrolled = contract_event(
        "MemberEnrolled",
        member_id=member_id,
        full_name=f"Đảng viên {member_id}",
        org_id=org_id,
        membership=membership,
        admitted_on="2015-05-19",
        enrolled_on="2020-01-01",
        posts_in_cell=posts_in_cell,
        posts_outside_cell=["Chủ tịch Hội Nông dân xã"],
        committee_posts=committee_posts,
    )
    rpc.sessions.record_events(f"member-{member_id}", [enrolled], 0)


@pytest.fixture
def seeded(system) -> Iterator[Any]:
    """Oversight running, with the tree and the roster, published by stand-ins for plans
    and sessions, copied into it."""
    system.start(OversightService)
    start_stand_in(system, "plans")
    start_stand_in(system, "sessions")
    with system.rpc() as rpc:
        publish_tree(rpc, TREE)
        for member_id, cell, membership, posts, seats in ROSTER:
            enrol_member(rpc, member_id, cell, membership, posts, seats)
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
