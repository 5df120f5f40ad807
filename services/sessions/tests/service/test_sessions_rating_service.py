"""Yearly ratings over RPC, and discipline published by oversight changing what is accepted."""

from __future__ import annotations

from typing import Any

import pytest
from nameko.exceptions import RemoteError

from testing_support.rating_scenarios import Discipline, discipline_changes_what_rating_accepts, rate
from testing_support.stand_ins import contract_event, start_stand_in


def test_ratings_follow_the_rule_set_of_their_year(system, seeded, refusal):
    enrol = seeded
    with system.rpc() as rpc:
        enrol(rpc, 1, posts=("secretary",))
        for n in range(2, 8):
            enrol(rpc, n)
        enrol(rpc, 8, admitted_on="2024-09-01", enrolled_on="2024-09-01")
        rpc.sessions.change_member_status(
            {"member_id": "dv-07", "status": "exempted", "effective_on": "2024-03-01"}
        )
        rated = rate(
            rpc,
            2024,
            "2024-12-15",
            dv_01="good",
            dv_02="good",
            dv_03="good",
            dv_04="good",
            dv_05="good",
            dv_06="excellent",
        )
        with pytest.raises(RemoteError) as capped:
            rpc.sessions.rate_member(
                {"member_id": "dv-03", "year": 2024, "rated_on": "2024-12-16", "level": "excellent"}
            )
        with pytest.raises(RemoteError) as recent:
            rate(rpc, 2024, "2024-12-15", dv_08="good")
        with pytest.raises(RemoteError) as exempted:
            rate(rpc, 2024, "2024-12-15", dv_07="good")
        with pytest.raises(RemoteError) as level_in_2025:
            rate(rpc, 2025, "2025-12-10", dv_01="good")
        scored = rpc.sessions.rate_member(
            {"member_id": "dv-01", "year": 2025, "rated_on": "2025-12-10", "score": 75}
        )
        collective = rpc.sessions.rate_collective(
            {"org_id": "cb1", "year": 2024, "rated_on": "2024-12-20", "level": "good"}
        )
        listed = rpc.sessions.list_ratings({"org_id": "xa", "year": 2024})

    assert rated["rule_set"] == "QD124-2023" and len(rated["ratings"]) == 6
    assert refusal(capped)["status"] == 422
    assert refusal(capped)["rule"].endswith("ExcellentMembersAreCappedByGood")
    assert refusal(recent)["rule"] == "QD124-2023: RecentlyAdmittedMembersAreNotRated"
    assert refusal(exempted)["rule"] == "QD124-2023: ExemptedAndSuspendedMembersAreNotRated"
    assert (refusal(level_in_2025)["status"], refusal(level_in_2025)["field"]) == (400, "score")
    assert scored["rule_set"] == "QD366-2025" and scored["ratings"][0]["level"] == "good"
    assert collective["ratings"][0]["subject_kind"] == "organisation"
    assert listed["total"] == 7


def test_every_refusal_over_rpc_names_its_rule(system, seeded, refusal):
    enrol = seeded
    member = {"member_id": "dv-01", "year": 2024, "rated_on": "2024-12-15"}
    refused = {}
    with system.rpc() as rpc:
        enrol(rpc, 1)
        for case, command in {
            "score 101": member | {"year": 2025, "rated_on": "2025-12-10", "score": 101},
            "unknown level": member | {"level": "outstanding"},
            "year out of range": member | {"year": 1999, "level": "good"},
            "year as text": member | {"year": "2024", "level": "good"},
            "score as text": member | {"year": 2025, "rated_on": "2025-12-10", "score": "many"},
            "unknown field": member | {"level": "good", "grade": "A"},
        }.items():
            with pytest.raises(RemoteError) as raised:
                rpc.sessions.rate_member(command)
            refused[case] = refusal(raised)
        with pytest.raises(RemoteError) as raised:
            rpc.sessions.rate_collective(
                {"org_id": "cb1", "year": 2017, "rated_on": "2017-12-15", "level": "good"}
            )
        refused["no rule set yet"] = refusal(raised)
        rpc.sessions.rate_member(member | {"level": "good"})
        with pytest.raises(RemoteError) as stale:
            rpc.sessions.rate_member(member | {"level": "completed", "expected_version": 0})
        with pytest.raises(RemoteError) as collective:
            rpc.sessions.rate_collective(
                {"org_id": "cb1", "year": 2024, "rated_on": "2024-12-15", "level": "top"}
            )
        with pytest.raises(RemoteError) as query:
            rpc.sessions.list_ratings({"limit": 0})

    assert {case: (r["status"], r["field"], r["rule"]) for case, r in refused.items()} == {
        "score 101": (400, "score", "QD366-2025: LevelFollowsTheScore"),
        "unknown level": (400, "level", "LevelMustBeKnown"),
        "year out of range": (400, "year", "RatingInputMustBeWellFormed"),
        "year as text": (400, "year", "RatingInputMustBeWellFormed"),
        "score as text": (400, "score", "RatingInputMustBeWellFormed"),
        "unknown field": (400, "grade", "RatingInputMustBeWellFormed"),
        "no rule set yet": (400, "year", "RatingYearMustHaveARuleSetInForce"),
    }
    assert (refusal(stale)["status"], refusal(stale)["rule"]) == (409, "RatingRoundVersionMustBeCurrent")
    assert refusal(collective)["rule"] == "LevelMustBeKnown"
    assert refusal(query)["rule"] == "RatingInputMustBeWellFormed"


@pytest.fixture
def oversight(system) -> None:
    """A stand-in for oversight: publishes its discipline events as their contracts say."""
    start_stand_in(system, "oversight")


def imposed(
    decision_id: str, subject: tuple[str, str], org_id: str, body: tuple[str, str], **fields: Any
) -> dict[str, Any]:
    """A DisciplineImposed as oversight publishes it: `subject` is (kind, id), `body` is
    the deciding body's (org_id, kind); `fields` carry the rest of the decision."""
    decided_on = fields["decided_on"]
    return contract_event(
        "DisciplineImposed",
        decision_id=decision_id,
        subject_kind=subject[0],
        subject_id=subject[1],
        org_id=org_id,
        deciding_body_org_id=body[0],
        deciding_body_kind=body[1],
        rule_set="QD69-2022",
        status="enforced",
        self_detected_and_remedied=False,
        received_on=decided_on,
        discipline_warranted_on=decided_on,
        inspection_id=None,
        proposal_id=None,
        **fields,
    )


def impose_warning(rpc: Any, decision_id: str, member: str, decided_on: str) -> None:
    """The cell warns its own member."""
    warning = imposed(
        decision_id,
        ("full_member", member),
        "cb1",
        ("cb1", "cell"),
        form="warning",
        decided_on=decided_on,
        violation_codes=["QD37-3"],
        reason="Vi phạm nguyên tắc tập trung dân chủ",
        limitation_clock_started_on="2024-03-01",
        limitation_expires_on="2034-03-01",
    )
    rpc.oversight.record_events(f"discipline-{decision_id}", [warning], 0)


def reprimand_cell(rpc: Any, decision_id: str, cell: str, decided_on: str) -> None:
    """The district committee reprimands a cell (the organisation itself)."""
    reprimand = imposed(
        decision_id,
        ("organisation", cell),
        cell,
        ("kb", "district_committee"),
        form="reprimand",
        decided_on=decided_on,
        violation_codes=["NQ04-4"],
        reason="Sinh hoạt hình thức kéo dài",
        limitation_clock_started_on="2024-05-01",
        limitation_expires_on="2029-05-01",
    )
    rpc.oversight.record_events(f"discipline-{decision_id}", [reprimand], 0)


def quash_on_appeal(rpc: Any, decision_id: str, member: str, lodged_on: str, decided_on: str) -> None:
    """The member appeals a cell's warning; the grassroots committee above quashes it."""
    subject = {"subject_kind": "full_member", "subject_id": member, "org_id": "cb1"}
    appeal = {"decision_id": decision_id, "appeal_id": f"kn-{decision_id}"}
    appealed = contract_event(
        "DisciplineAppealed",
        **appeal,
        **subject,
        lodged_on=lodged_on,
        appealed_form="warning",
        appeal_to_org_id="xa",
        appeal_to_body_kind="grassroots_committee",
        grounds="Không đúng sự thật",
    )
    decided = contract_event(
        "AppealDecided",
        **appeal,
        **subject,
        outcome="quashed",
        new_form=None,
        decided_on=decided_on,
        deciding_body_org_id="xa",
        deciding_body_kind="grassroots_committee",
        reason="",
        rule_set="QD69-2022",
        form_in_force="warning",
        decision_decided_on="2024-06-05",
    )
    rpc.oversight.record_events(f"discipline-{decision_id}", [appealed, decided], 1)


def test_discipline_published_by_oversight_changes_what_rating_accepts(system, oversight, seeded):
    """Oversight's DisciplineImposed and AppealDecided, as their contracts say, bar and
    flag ratings here (the same flow from the real oversight: tests/cross_service/)."""
    discipline_changes_what_rating_accepts(
        system, seeded, Discipline(impose_warning, reprimand_cell, quash_on_appeal)
    )
