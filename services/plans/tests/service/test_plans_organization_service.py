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
    return rpc.plans.register_organization({
        "org_id": org_id, "kind": kind, "parent_id": parent_id,
        "name": name or f"Tổ chức {org_id}", "registered_on": "2023-01-05"})


def test_a_tree_is_registered_and_queried(system):
    system.start(PlansService)
    with system.rpc() as rpc:
        register(rpc, "hn", "province", name="Tỉnh ủy Hà Nam")
        register(rpc, "dv", "district", "hn")
        register(rpc, "xa1", "grassroots", "dv")
        register(rpc, "cb1", "cell", "xa1", name="Chi bộ Thôn Đông")
        register(rpc, "cb2", "cell", "xa1")

        assert rpc.plans.get_organization("cb1")["name"] == "Chi bộ Thôn Đông"
        assert [o["org_id"] for o in rpc.plans.list_children("xa1")] == ["cb2", "cb1"] or \
            {o["org_id"] for o in rpc.plans.list_children("xa1")} == {"cb1", "cb2"}
        assert {o["org_id"] for o in rpc.plans.list_subtree("dv")} == {"dv", "xa1", "cb1", "cb2"}
        assert [o["org_id"] for o in rpc.plans.path_to_root("cb2")] == ["hn", "dv", "xa1", "cb2"]
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
        with pytest.raises(RemoteError) as cycle:
            rpc.plans.move_organization({"org_id": "xa1", "parent_id": "xa1", "moved_on": "2024-01-01"})

        assert refusal(unknown)["field"] == "parent_id"
        assert refusal(unknown)["status"] in (404, 422)
        wrong_kind = refusal(cell_under_cell)
        assert wrong_kind["field"] == "parent_id" or wrong_kind["code"] == "wrong_parent_kind"
        detail = refusal(bad_input)
        assert detail["status"] == 400
        assert {"org_id", "kind", "name", "registered_on"} <= set(detail["fields"])
        assert refusal(cycle)["status"] == 422
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
        assert [o["org_id"] for o in rpc.plans.path_to_root("cb1")] == ["hn", "xa1", "cb1"]
        assert {o["org_id"] for o in rpc.plans.list_subtree("dv")} == {"dv"}


def test_a_stale_expected_version_is_a_conflict(system):
    system.start(PlansService)
    with system.rpc() as rpc:
        register(rpc, "hn", "province")
        rpc.plans.rename_organization({"org_id": "hn", "name": "Tỉnh ủy mới", "renamed_on": "2024-01-01",
                                       "expected_version": 1})
        with pytest.raises(RemoteError) as stale:
            rpc.plans.rename_organization({"org_id": "hn", "name": "Tên khác", "renamed_on": "2024-02-01",
                                           "expected_version": 1})
        assert refusal(stale)["status"] == 409
        assert rpc.plans.get_organization("hn")["name"] == "Tỉnh ủy mới"
