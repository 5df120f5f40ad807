"""Remediation: a ShortcomingRecorded from another service opens an item here, which is
followed until remedied, and reported overdue exactly once even with two instances."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from nameko.exceptions import RemoteError
from nameko.rpc import rpc

from eventlog.dependencies import EventLog
from eventlog.engine import make_engine
from eventlog.envelope import NewEvent
from eventlog.rpc import EventLogRpc
from eventlog.schema import metadata as backbone_metadata
from plans.service import PlansService
from testing_support.services import eventually


class FakeSessions(EventLogRpc):
    """Stands in for the sessions service: records shortcomings in its own log."""

    name = "sessions"
    event_log = EventLog()

    @rpc
    def record_shortcoming(self, payload: dict[str, Any]) -> int:
        stream = f"shortcoming-{payload['shortcoming_id']}"
        [stored] = self.event_log.append(stream, None, [NewEvent("ShortcomingRecorded", payload)])
        return stored.position


class FakeOversight(FakeSessions):
    name = "oversight"


def shortcoming(shortcoming_id: str, recorded_on: str = "2023-09-12", **changes) -> dict:
    """A payload valid under contracts/events/ShortcomingRecorded/v1.schema.json."""
    return {
        "shortcoming_id": shortcoming_id,
        "source": "session",
        "session_id": "ss-2023-q3",
        "inspection_id": None,
        "subject_kind": "member",
        "subject_id": "dv-an",
        "org_id": "cb-1",
        "codes": ["NQ04-3"],
        "catalogue_version": "2024.1",
        "description": "Chưa tích cực học tập nghị quyết",
        "recorded_on": recorded_on,
        **changes,
    }


@pytest.fixture
def start_source(system, container_factory, tmp_path):
    """Start a fake source service on its own SQLite store."""

    def start(cls: type) -> None:
        url = f"sqlite:///{tmp_path / (cls.name + '.db')}"
        engine = make_engine(url)
        backbone_metadata.create_all(engine)
        engine.dispose()
        container_factory(cls, {"AMQP_URI": system.amqp_uri, "DATABASE_URL": url}).start()

    return start


def tree(rpc) -> None:
    for org_id, kind, parent in [
        ("tinh", "province", None),
        ("xa-1", "grassroots", "tinh"),
        ("cb-1", "cell", "xa-1"),
        ("xa-2", "grassroots", "tinh"),
    ]:
        rpc.plans.register_organization(
            {
                "org_id": org_id,
                "kind": kind,
                "parent_id": parent,
                "name": org_id,
                "registered_on": "2020-01-01",
            }
        )


def event_types(rpc) -> list[str]:
    return [e["type"] for e in rpc.plans.read_events(0, 1000)]


def test_a_recorded_shortcoming_is_followed_until_remedied(system, start_source):
    system.start(PlansService, REMEDIATION_DUE_DAYS=20)
    start_source(FakeSessions)
    start_source(FakeOversight)
    with system.rpc() as rpc:
        tree(rpc)
        rpc.sessions.record_shortcoming(shortcoming("sc-1"))
        rpc.sessions.record_shortcoming(shortcoming("sc-1"))  # recorded twice: one item
        rpc.oversight.record_shortcoming(
            shortcoming("ins-7", source="inspection", session_id=None, inspection_id="kt-1")
        )
        eventually(lambda: len(rpc.plans.list_remediation_items("tinh")) == 2)
        item = rpc.plans.get_remediation_item("sessions:sc-1")
        assert item["due_on"] == "2023-10-02" and item["status"] == "opened"
        assert item["catalogue_codes"] == ["NQ04-3"]
        assert rpc.plans.get_remediation_item("oversight:ins-7")["source_service"] == "oversight"

        rpc.plans.submit_remediation_plan(
            {
                "item_id": "sessions:sc-1",
                "submitted_on": "2023-09-20",
                "actions": [
                    {"description": "Viết thu hoạch", "owner": "Nguyễn Văn An", "due_on": "2023-09-30"}
                ],
            }
        )
        rpc.plans.report_remediation_progress(
            {"item_id": "sessions:sc-1", "note": "Đang viết", "reported_on": "2023-09-25", "percent": 50}
        )
        closed = rpc.plans.mark_shortcoming_remedied(
            {"item_id": "sessions:sc-1", "note": "Xong", "remedied_on": "2023-09-28"}
        )
        assert closed["status"] == "remedied" and closed["last_percent"] == 50
        assert event_types(rpc).count("ShortcomingRemedied") == 1
        assert [i["item_id"] for i in rpc.plans.list_remediation_items(status="remedied")] == [
            "sessions:sc-1"
        ]
        assert [i["item_id"] for i in rpc.plans.list_remediation_items("tinh", overdue_on="2023-10-20")] == [
            "oversight:ins-7"
        ]
        assert rpc.plans.list_remediation_items("xa-2") == []

        head = rpc.plans.log_head()
        with pytest.raises(RemoteError) as closed_item:
            rpc.plans.report_remediation_progress(
                {"item_id": "sessions:sc-1", "note": "Thêm", "reported_on": "2023-10-01"}
            )
        with pytest.raises(RemoteError) as ownerless:
            rpc.plans.submit_remediation_plan(
                {
                    "item_id": "oversight:ins-7",
                    "submitted_on": "2023-09-20",
                    "actions": [{"description": "Sửa", "due_on": "2023-09-30"}],
                }
            )
        assert json.loads(closed_item.value.value)["field"] == "item_id"
        assert json.loads(closed_item.value.value)["status"] == 409
        assert json.loads(ownerless.value.value)["field"] == "actions[0].owner"
        assert rpc.plans.log_head() == head


def test_a_shortcoming_recorded_while_plans_was_down_is_caught_up(system, start_source):
    start_source(FakeSessions)  # no oversight at all: its catch-up must only log
    with system.rpc() as rpc:
        rpc.sessions.record_shortcoming(shortcoming("sc-early"))  # no queue bound yet: lost
        system.start(PlansService)
        tree(rpc)

        item = eventually(lambda: rpc.plans.list_remediation_items("tinh"), timeout=15)
        assert [i["item_id"] for i in item] == ["sessions:sc-early"]
        assert rpc.plans.dead_letter_count() == 0


def test_overdue_is_reported_once_per_item_with_two_instances(system, start_source):
    # Two instances whose timers stay quiet, so the racing RPC callers are the ones to report.
    system.start(PlansService, REMEDIATION_OVERDUE_INTERVAL=3600)
    system.start(PlansService, REMEDIATION_OVERDUE_INTERVAL=3600)
    start_source(FakeSessions)
    with system.rpc() as rpc:
        tree(rpc)
        for n in range(6):
            rpc.sessions.record_shortcoming(shortcoming(f"sc-{n}", recorded_on=f"2023-01-0{n + 1}"))
        eventually(lambda: len(rpc.plans.list_remediation_items()) == 6)
        assert not any(i["overdue_reported"] for i in rpc.plans.list_remediation_items())

        # A sweep of one subtree reports only what is in it; an unknown one is refused.
        head = rpc.plans.log_head()
        assert rpc.plans.detect_overdue_remediation("2023-03-01", "xa-2") == []
        with pytest.raises(RemoteError) as unknown:
            rpc.plans.detect_overdue_remediation("2023-03-01", "nowhere")
        assert json.loads(unknown.value.value)["field"] == "org_id"
        assert rpc.plans.log_head() == head

        with ThreadPoolExecutor(6) as pool:  # racing callers, spread over both instances
            # half of them sweep the grassroots unit's subtree, which holds every item
            reported = list(
                pool.map(lambda n: rpc_detect(system, "2023-03-01", "xa-1" if n % 2 else None), range(6))
            )

        first_six = [f"sessions:sc-{n}" for n in range(6)]
        assert sorted(i for ids in reported for i in ids) == first_six  # each item by one caller
        assert rpc.plans.detect_overdue_remediation("2023-03-01", "xa-1") == []
        assert rpc.plans.detect_overdue_remediation("2023-03-01") == []

        # Then two instances whose timers race each other (and the quiet ones) for a new item.
        system.start(PlansService, REMEDIATION_OVERDUE_INTERVAL=0.1)
        system.start(PlansService, REMEDIATION_OVERDUE_INTERVAL=0.1)
        rpc.sessions.record_shortcoming(shortcoming("sc-6"))
        eventually(lambda: len(rpc.plans.list_remediation_items(status="opened")) == 7)
        eventually(lambda: all(i["overdue_reported"] for i in rpc.plans.list_remediation_items()))

        overdue = [e["payload"] for e in rpc.plans.read_events(0, 1000) if e["type"] == "RemediationOverdue"]
        assert sorted(p["item_id"] for p in overdue) == [*first_six, "sessions:sc-6"]
        assert rpc.plans.detect_overdue_remediation() == []


def rpc_detect(system, as_of: str, org_id: str | None = None) -> list[str]:
    with system.rpc() as rpc:
        return rpc.plans.detect_overdue_remediation(as_of, org_id)
