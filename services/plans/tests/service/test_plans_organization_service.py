"""The plans service's organisation tree over RPC, on a real broker and both databases."""

from __future__ import annotations

import json

import pytest
from nameko.exceptions import RemoteError

from plans.service import PlansService


def refusal(raised: pytest.ExceptionInfo[RemoteError]) -> dict:
    assert raised.value.exc_type == "CommandRefused"
    return json.loads(raised.value.value)


def register(rpc, org_id, kind, parent_id=None, name=None):
    return rpc.plans.register_organization(
        {
            "org_id": org_id,
            "kind": kind,
            "parent_id": parent_id,
            "name": name or f"Tổ chức {org_id}",
            "registered_on": "2023-01-05",
        }
    )


def test_a_tree_is_registered_and_queried(system):
    system.start(PlansService)
    with system.rpc() as rpc:
        register(rpc, "hn", "province", name="Tỉnh ủy Hà Nam")
        register(rpc, "dv", "district", "hn")
        register(rpc, "xa1", "grassroots", "dv")
        register(rpc, "cb1", "cell", "xa1", name="Chi bộ Thôn Đông")
        register(rpc, "cb2", "cell", "xa1", name="Chi bộ Thôn Bắc")

        assert rpc.plans.get_organization("cb1")["name"] == "Chi bộ Thôn Đông"
        # By name, so "Bắc" before "Đông": neither the order of registering nor of ids.
        assert [o["org_id"] for o in rpc.plans.list_children("xa1")] == ["cb2", "cb1"]
        assert [o["org_id"] for o in rpc.plans.list_subtree("dv")] == ["dv", "xa1", "cb1", "cb2"]
        assert [o["org_id"] for o in rpc.plans.list_subtree("dv", "cell", 1, 5)] == ["cb2"]
        assert [o["org_id"] for o in rpc.plans.get_path_to_root("cb2")] == ["hn", "dv", "xa1", "cb2"]
        assert rpc.plans.path_to_root("cb2") == rpc.plans.get_path_to_root("cb2")  # the old name
        assert rpc.plans.log_head() == 5


def test_refusals_name_the_field_and_write_nothing(system):
    system.start(PlansService)
    with system.rpc() as rpc:
        register(rpc, "hn", "province")
        register(rpc, "xa1", "grassroots", "hn")
        register(rpc, "cb1", "cell", "xa1")

        with pytest.raises(RemoteError) as unknown:
            register(rpc, "cb9", "cell", "nowhere")
        with pytest.raises(RemoteError) as cell_under_cell:
            register(rpc, "cb9", "cell", "cb1")
        with pytest.raises(RemoteError) as bad_input:
            rpc.plans.register_organization({"org_id": "x y", "kind": "club", "name": ""})
        with pytest.raises(RemoteError) as under_itself:
            rpc.plans.move_organization({"org_id": "xa1", "parent_id": "xa1", "moved_on": "2024-01-01"})
        with pytest.raises(RemoteError) as under_descendant:
            rpc.plans.move_organization({"org_id": "hn", "parent_id": "cb1", "moved_on": "2024-01-01"})

        assert (refusal(unknown)["status"], refusal(unknown)["code"], refusal(unknown)["field"]) == (
            422,
            "unknown_parent",
            "parent_id",
        )
        wrong_kind = refusal(cell_under_cell)
        assert (wrong_kind["status"], wrong_kind["code"], wrong_kind["field"]) == (
            422,
            "wrong_parent_kind",
            "parent_id",
        )
        detail = refusal(bad_input)
        assert detail["status"] == 400
        assert {"org_id", "kind", "name", "registered_on"} <= set(detail["fields"])
        for cycle, where in [(under_itself, "itself"), (under_descendant, "one of its own descendants")]:
            assert (refusal(cycle)["status"], refusal(cycle)["code"], refusal(cycle)["field"]) == (
                422,
                "move_would_create_cycle",
                "parent_id",
            )
            assert refusal(cycle)["message"].endswith(f"moved under {where}.")
        assert rpc.plans.get_organization("hn")["parent_id"] is None
        assert rpc.plans.log_head() == 3


def test_moving_a_grassroots_committee_moves_its_cells(system):
    system.start(PlansService)
    with system.rpc() as rpc:
        register(rpc, "hn", "province")
        register(rpc, "dv", "district", "hn")
        register(rpc, "xa1", "grassroots", "dv")
        register(rpc, "cb1", "cell", "xa1")
        moved = rpc.plans.move_organization({"org_id": "xa1", "parent_id": "hn", "moved_on": "2025-07-01"})

        assert moved["parent_id"] == "hn" and moved["depth"] == 1
        assert [o["org_id"] for o in rpc.plans.get_path_to_root("cb1")] == ["hn", "xa1", "cb1"]
        assert {o["org_id"] for o in rpc.plans.list_subtree("dv")} == {"dv"}


def test_a_stale_expected_version_is_a_conflict(system):
    system.start(PlansService)
    with system.rpc() as rpc:
        register(rpc, "hn", "province")
        rpc.plans.rename_organization(
            {"org_id": "hn", "name": "Tỉnh ủy mới", "renamed_on": "2024-01-01", "expected_version": 1}
        )
        with pytest.raises(RemoteError) as stale:
            rpc.plans.rename_organization(
                {"org_id": "hn", "name": "Tên khác", "renamed_on": "2024-02-01", "expected_version": 1}
            )
        assert refusal(stale)["status"] == 409
        assert rpc.plans.get_organization("hn")["name"] == "Tỉnh ủy mới"


def test_a_dissolved_organisation_stays_readable_and_takes_no_children(system):
    system.start(PlansService)
    with system.rpc() as rpc:
        register(rpc, "hn", "province")
        register(rpc, "xa1", "grassroots", "hn")
        register(rpc, "cb1", "cell", "xa1")
        with pytest.raises(RemoteError) as has_children:
            rpc.plans.dissolve_organization({"org_id": "xa1", "dissolved_on": "2024-03-01"})
        rpc.plans.dissolve_organization({"org_id": "cb1", "dissolved_on": "2024-02-01", "reason": "Sáp nhập"})
        dissolved = rpc.plans.dissolve_organization({"org_id": "xa1", "dissolved_on": "2024-03-01"})
        head = rpc.plans.log_head()
        with pytest.raises(RemoteError) as under_dissolved:
            register(rpc, "cb2", "cell", "xa1")
        with pytest.raises(RemoteError) as twice:
            rpc.plans.dissolve_organization({"org_id": "cb1", "dissolved_on": "2024-04-01"})

        assert (refusal(has_children)["status"], refusal(has_children)["code"]) == (
            409,
            "organization_has_active_children",
        )
        assert (dissolved["dissolved_on"], dissolved["version"]) == ("2024-03-01", 2)
        assert rpc.plans.get_organization("cb1")["dissolved_on"] == "2024-02-01"
        assert [o["org_id"] for o in rpc.plans.list_subtree("hn")] == ["hn", "xa1", "cb1"]
        assert [o["org_id"] for o in rpc.plans.get_path_to_root("cb1")] == ["hn", "xa1", "cb1"]
        history = [
            (e["type"], e["payload"])
            for e in rpc.plans.read_events(0, 100)
            if e["stream_id"] == "organization-cb1"
        ]
        assert [t for t, _ in history] == ["OrganizationRegistered", "OrganizationDissolved"]
        assert history[1][1]["reason"] == "Sáp nhập"
        assert (refusal(under_dissolved)["status"], refusal(under_dissolved)["code"]) == (
            409,
            "parent_dissolved",
        )
        assert refusal(under_dissolved)["field"] == "parent_id"
        assert (refusal(twice)["status"], refusal(twice)["code"]) == (409, "organization_already_dissolved")
        assert rpc.plans.log_head() == head


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_query_arguments_are_checked_at_the_edge(system):
    system.start(PlansService)
    with system.rpc() as rpc:
        register(rpc, "hn", "province")
        calls = {
            "get_organization": [("org_id", ["x y"]), ("org_id", [None])],
            "list_children": [("org_id", [{"id": "hn"}])],
            "list_subtree": [
                ("offset", ["hn", None, "ten"]),
                ("limit", ["hn", None, 0, 0]),
                ("limit", ["hn", None, 0, "many"]),
                ("kind", ["hn", "club"]),
                ("offset", ["hn", None, -1]),
            ],
            "get_path_to_root": [("org_id", [""])],
            "path_to_root": [("org_id", ["a/b"])],
            "get_plan": [("plan_id", [7.5])],
            "get_remediation_item": [("item_id", [""]), ("item_id", [["sessions:sc-1"]])],
        }
        for method, attempts in calls.items():
            for field, args in attempts:
                with pytest.raises(RemoteError) as refused:
                    getattr(rpc.plans, method)(*args)
                detail = refusal(refused)
                assert (detail["status"], detail["code"], detail["field"]) == (400, "invalid_input", field), (
                    method,
                    args,
                    detail,
                )
        assert [o["org_id"] for o in rpc.plans.list_subtree("hn", None, "0", "10")] == ["hn"]
        with pytest.raises(RemoteError) as unknown:
            rpc.plans.get_path_to_root("nowhere")
        assert (refusal(unknown)["status"], refusal(unknown)["field"]) == (404, "org_id")
