"""Discipline over RPC: the right body decides, the wrong one is told who may, appeals decided."""

from __future__ import annotations

import json

import pytest
from nameko.exceptions import RemoteError


def refusal(raised: pytest.ExceptionInfo[RemoteError]) -> dict:
    assert raised.value.exc_type == "CommandRefused"
    return json.loads(raised.value.value)


def case(
    subject_id: str, form: str, committed_on: str = "2023-06-01", warranted_on: str = "2024-02-20", **extra
) -> dict:
    return {
        "subject_kind": "member",
        "subject_id": subject_id,
        "form": form,
        "violations": [{"codes": ["QD37-3"], "committed_on": committed_on}],
        "discipline_warranted_on": warranted_on,
        "reason": "Vi phạm nguyên tắc tổ chức",
        **extra,
    }


def test_the_right_body_imposes_and_the_wrong_one_is_told_who_may_decide(seeded):
    with seeded.rpc() as rpc:
        reprimand = rpc.oversight.impose_discipline(
            {
                **case("m2", "reprimand"),
                "decision_id": "kl-1",
                "deciding_body_org_id": "cb1",
                "deciding_body_kind": "cell",
                "decided_on": "2024-03-01",
                "self_detected_and_remedied": True,
            }
        )
        assert reprimand["status"] == "enforced" and reprimand["subject_kind"] == "probationary_member"
        assert reprimand["rule_set"] == "QD69-2022" and reprimand["self_detected_and_remedied"] is True

        head = rpc.oversight.log_head()
        with pytest.raises(RemoteError) as cell_expels:
            rpc.oversight.impose_discipline(
                {
                    **case("m1", "expulsion"),
                    "decision_id": "kl-2",
                    "deciding_body_org_id": "cb1",
                    "deciding_body_kind": "cell",
                    "decided_on": "2024-03-01",
                }
            )
        with pytest.raises(RemoteError) as probationary_expelled:
            rpc.oversight.impose_discipline(
                {
                    **case("m2", "expulsion"),
                    "decision_id": "kl-3",
                    "deciding_body_org_id": "dv",
                    "deciding_body_kind": "district_standing_committee",
                    "decided_on": "2024-03-01",
                }
            )
        refused = refusal(cell_expels)
        assert refused["status"] == 422 and refused["rule"] == "CellMayOnlyReprimandOrWarn"
        assert "a cell may not expel" in refused["message"]
        assert "the district standing committee may, on the cell's proposal" in refused["message"]
        instead = "the district standing committee may, on the cell's proposal"
        assert refused["fields"]["allowed_instead"] == instead
        assert refusal(probationary_expelled)["rule"] == "DisciplineFormMustSuitSubject"
        assert refusal(probationary_expelled)["fields"]["allowed_instead"].startswith("reprimand or warning")
        assert rpc.oversight.log_head() == head

        proposal = rpc.oversight.propose_discipline(
            {
                **case("m1", "expulsion"),
                "proposal_id": "dx-1",
                "proposing_body_org_id": "cb1",
                "proposing_body_kind": "cell",
                "proposed_on": "2024-03-01",
            }
        )
        assert (proposal["proposed_to_org_id"], proposal["proposed_to_body_kind"]) == (
            "dv",
            "district_standing_committee",
        )
        assert proposal["rule_set"] == "QD69-2022"
        expulsion = rpc.oversight.impose_discipline(
            {
                **case("m1", "expulsion"),
                "decision_id": "kl-2",
                "deciding_body_org_id": "dv",
                "deciding_body_kind": "district_standing_committee",
                "decided_on": "2024-03-15",
                "proposal_id": "dx-1",
            }
        )
        assert expulsion["status"] == "enforced" and expulsion["form"] == "expulsion"
        assert {"DisciplineImposed", "DisciplineProposed"} <= {
            e["type"] for e in rpc.oversight.read_events(0, 100)
        }
        assert [d["decision_id"] for d in rpc.oversight.list_discipline_decisions(org_id="cb1")] == [
            "kl-1",
            "kl-2",
        ]


def test_a_time_barred_form_is_recorded_not_enforced(seeded):
    with seeded.rpc() as rpc:
        barred = rpc.oversight.impose_discipline(
            {
                **case("m3", "reprimand", committed_on="2017-01-01", warranted_on="2023-01-02"),
                "decision_id": "kl-9",
                "deciding_body_org_id": "cb2",
                "deciding_body_kind": "cell",
                "decided_on": "2023-01-05",
            }
        )
        assert barred["status"] == "time_barred" and barred["is_in_force"] is False
        assert barred["limitation_expires_on"] == "2022-01-01"
        assert rpc.oversight.list_discipline_decisions(status="time_barred")[0]["decision_id"] == "kl-9"
        with pytest.raises(RemoteError) as appeal:
            rpc.oversight.lodge_appeal(
                {"decision_id": "kl-9", "appeal_id": "kn-9", "lodged_on": "2023-01-10", "grounds": "..."}
            )
        assert refusal(appeal)["status"] == 409


def test_an_appeal_is_lodged_and_decided_by_the_level_above(seeded):
    with seeded.rpc() as rpc:
        rpc.oversight.impose_discipline(
            {
                **case("m2", "warning"),
                "decision_id": "kl-1",
                "deciding_body_org_id": "cb1",
                "deciding_body_kind": "cell",
                "decided_on": "2024-03-01",
                "received_on": "2024-03-02",
            }
        )
        with pytest.raises(RemoteError) as too_late:
            rpc.oversight.lodge_appeal(
                {"decision_id": "kl-1", "appeal_id": "kn-1", "lodged_on": "2024-04-03", "grounds": "Quá nặng"}
            )
        assert refusal(too_late)["rule"] == "AppealMustBeLodgedWithinWindow"
        assert refusal(too_late)["fields"]["allowed_instead"] == (
            "an appeal lodged from 2024-03-02 to 2024-04-02"
        )
        lodged = rpc.oversight.lodge_appeal(
            {"decision_id": "kl-1", "appeal_id": "kn-1", "lodged_on": "2024-04-02", "grounds": "Quá nặng"}
        )
        assert lodged["is_in_force"] is True
        assert lodged["pending_appeal"]["appeal_to_org_id"] == "xa1"

        with pytest.raises(RemoteError) as wrong_body:
            rpc.oversight.decide_appeal(
                {
                    "decision_id": "kl-1",
                    "outcome": "quashed",
                    "decided_on": "2024-04-20",
                    "deciding_body_org_id": "dv",
                    "deciding_body_kind": "district_standing_committee",
                }
            )
        assert refusal(wrong_body)["rule"] == "AppealIsDecidedByTheRightBody"
        assert "the grassroots committee of 'xa1' may" in refusal(wrong_body)["message"]

        changed = rpc.oversight.decide_appeal(
            {
                "decision_id": "kl-1",
                "outcome": "changed",
                "new_form": "reprimand",
                "decided_on": "2024-04-20",
                "deciding_body_org_id": "xa1",
                "deciding_body_kind": "grassroots_committee",
                "reason": "Tình tiết giảm nhẹ",
                "expected_version": 2,
            }
        )
        assert changed["form"] == "reprimand" and changed["imposed_form"] == "warning"
        assert changed["pending_appeal"] is None and changed["version"] == 3
        [decided] = [e for e in rpc.oversight.read_events(0, 100) if e["type"] == "AppealDecided"]
        assert decided["payload"]["outcome"] == "changed" and decided["payload"]["new_form"] == "reprimand"
        assert decided["payload"]["rule_set"] == "QD69-2022"
        assert changed["appeals_decided"][0]["rule_set"] == "QD69-2022"


def test_a_grassroots_committee_may_not_remove_or_expel_its_own_committee_member(seeded):
    """m4, secretary of cb2, sits on xa1's committee (as sessions published it): removing or
    expelling them is proposed by the cell and decided by the district standing committee."""
    with seeded.rpc() as rpc:
        head = rpc.oversight.log_head()
        refused = {}
        for form in ("removal_from_post", "expulsion"):
            with pytest.raises(RemoteError) as raised:
                rpc.oversight.impose_discipline(
                    {
                        **case("m4", form),
                        "decision_id": f"kl-{form}",
                        "deciding_body_org_id": "xa1",
                        "deciding_body_kind": "grassroots_committee",
                        "decided_on": "2024-03-01",
                    }
                )
            refused[form] = refusal(raised)
        for form, detail in refused.items():
            assert detail["status"] == 422, form
            assert detail["rule"] == "GrassrootsCommitteeMembersAreRemovedOrExpelledByTheLevelAbove", form
            assert detail["fields"]["allowed_instead"] == (
                "the district standing committee may, on the cell's proposal"
            ), form
            assert "its own committee members" in detail["message"]
        assert rpc.oversight.log_head() == head

        proposal = rpc.oversight.propose_discipline(
            {
                **case("m4", "removal_from_post"),
                "proposal_id": "dx-4",
                "proposing_body_org_id": "cb2",
                "proposing_body_kind": "cell",
                "proposed_on": "2024-03-01",
            }
        )
        assert (proposal["proposed_to_org_id"], proposal["proposed_to_body_kind"]) == (
            "dv",
            "district_standing_committee",
        )

        with pytest.raises(RemoteError) as unknown_proposal:
            rpc.oversight.impose_discipline(
                {
                    **case("m4", "removal_from_post"),
                    "decision_id": "kl-4",
                    "deciding_body_org_id": "dv",
                    "deciding_body_kind": "district_standing_committee",
                    "decided_on": "2024-03-15",
                    "proposal_id": "dx-none",
                }
            )
        with pytest.raises(RemoteError) as not_addressed:
            rpc.oversight.impose_discipline(
                {
                    **case("m4", "removal_from_post"),
                    "decision_id": "kl-4",
                    "deciding_body_org_id": "dv",
                    "deciding_body_kind": "district_inspection_commission",
                    "decided_on": "2024-03-15",
                    "proposal_id": "dx-4",
                }
            )
        assert (refusal(unknown_proposal)["status"], refusal(unknown_proposal)["field"]) == (
            404,
            "proposal_id",
        )
        assert refusal(not_addressed)["rule"] == "DecisionMustAnswerAProposalAddressedToTheBody"
        assert refusal(not_addressed)["fields"]["allowed_instead"] == (
            "the district standing committee of 'dv' may answer it"
        )

        removed = rpc.oversight.impose_discipline(
            {
                **case("m4", "removal_from_post"),
                "decision_id": "kl-4",
                "deciding_body_org_id": "dv",
                "deciding_body_kind": "district_standing_committee",
                "decided_on": "2024-03-15",
                "proposal_id": "dx-4",
            }
        )
        assert removed["status"] == "enforced" and removed["proposal_id"] == "dx-4"
