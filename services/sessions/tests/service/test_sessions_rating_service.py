"""Yearly ratings over RPC, and discipline imposed in oversight changing what is accepted."""

from __future__ import annotations

from typing import Any

import pytest
from nameko.exceptions import RemoteError

from oversight.service import OversightService
from testing_support.services import eventually


def rate(rpc: Any, year: int, rated_on: str, **levels: str) -> dict[str, Any]:
    return rpc.sessions.rate_members({"year": year, "rated_on": rated_on, "ratings": [
        {"member_id": m.replace("_", "-"), "level": level} for m, level in levels.items()]})


def test_ratings_follow_the_rule_set_of_their_year(system, seeded, refusal):
    enrol = seeded
    with system.rpc() as rpc:
        enrol(rpc, 1, posts=("secretary",))
        for n in range(2, 8):
            enrol(rpc, n)
        enrol(rpc, 8, admitted_on="2024-09-01", enrolled_on="2024-09-01")
        rpc.sessions.change_member_status({"member_id": "dv-07", "status": "exempted",
                                           "effective_on": "2024-03-01"})
        rated = rate(rpc, 2024, "2024-12-15", dv_01="good", dv_02="good", dv_03="good",
                     dv_04="good", dv_05="good", dv_06="excellent")
        with pytest.raises(RemoteError) as capped:
            rpc.sessions.rate_member({"member_id": "dv-03", "year": 2024, "rated_on": "2024-12-16",
                                      "level": "excellent"})
        with pytest.raises(RemoteError) as recent:
            rate(rpc, 2024, "2024-12-15", dv_08="good")
        with pytest.raises(RemoteError) as exempted:
            rate(rpc, 2024, "2024-12-15", dv_07="good")
        with pytest.raises(RemoteError) as level_in_2025:
            rate(rpc, 2025, "2025-12-10", dv_01="good")
        scored = rpc.sessions.rate_member({"member_id": "dv-01", "year": 2025,
                                           "rated_on": "2025-12-10", "score": 75})
        collective = rpc.sessions.rate_collective({"org_id": "cb1", "year": 2024,
                                                   "rated_on": "2024-12-20", "level": "good"})
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


@pytest.fixture
def oversight(system) -> None:
    """The real oversight service, started before the tree and roster are published."""
    system.start(OversightService)


def impose_warning(rpc: Any, decision_id: str, member: str, decided_on: str) -> dict[str, Any]:
    """The cell warns its own member; retried until oversight's roster copy knows them."""
    command = {
        "decision_id": decision_id, "subject_kind": "member", "subject_id": member,
        "form": "warning", "violations": [{"codes": ["QD37-3"], "committed_on": "2024-03-01"}],
        "discipline_warranted_on": decided_on, "reason": "Vi phạm nguyên tắc tập trung dân chủ",
        "deciding_body_org_id": "cb1", "deciding_body_kind": "cell", "decided_on": decided_on}

    def attempt() -> dict[str, Any] | None:
        try:
            return rpc.oversight.impose_discipline(command)
        except RemoteError as error:
            if '"status": 404' in (error.value or ""):
                return None
            raise

    return eventually(attempt)


def test_discipline_imposed_in_oversight_changes_what_rating_accepts(
        system, oversight, seeded, refusal):
    enrol = seeded
    with system.rpc() as rpc:
        enrol(rpc, 1, posts=("secretary",))
        for n in range(2, 7):
            enrol(rpc, n)
        rate(rpc, 2024, "2024-12-15", dv_01="good", dv_02="good", dv_03="good", dv_04="good")

        impose_warning(rpc, "kl-1", "dv-05", "2024-06-05")
        impose_warning(rpc, "kl-2", "dv-04", "2024-12-20")
        flagged = eventually(lambda: rpc.sessions.list_ratings({"flagged_for_review": True})["ratings"])

        with pytest.raises(RemoteError) as disciplined:
            rate(rpc, 2024, "2024-12-28", dv_05="good")
        accepted = rate(rpc, 2024, "2024-12-28", dv_05="not_completed")
        events = [e["type"] for e in rpc.sessions.read_events(0, 200)]

    assert [(r["subject_id"], r["level"]) for r in flagged] == [("dv-04", "good")]
    assert "kl-2" in flagged[0]["review_reason"]
    assert refusal(disciplined)["status"] == 422
    assert refusal(disciplined)["rule"] == "QD124-2023: DisciplinedMemberIsNotCompleted"
    assert "kl-1" in refusal(disciplined)["message"]
    assert accepted["ratings"][0]["level"] == "not_completed"
    assert events.count("RatingFlaggedForReview") == 1
