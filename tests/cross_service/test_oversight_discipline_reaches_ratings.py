"""Discipline imposed in the real oversight service changes what the real sessions service
accepts and flags in its ratings (oversight itself judging by the tree from the real plans
service and the roster from the real sessions service)."""

from __future__ import annotations

from typing import Any

import pytest
from nameko.exceptions import RemoteError

from oversight.service import OversightService
from testing_support.services import eventually


def rate(rpc: Any, year: int, rated_on: str, **levels: str) -> dict[str, Any]:
    return rpc.sessions.rate_members(
        {
            "year": year,
            "rated_on": rated_on,
            "ratings": [{"member_id": m.replace("_", "-"), "level": level} for m, level in levels.items()],
        }
    )


@pytest.fixture
def oversight(system) -> None:
    """The real oversight service, started before the tree and roster are published."""
    system.start(OversightService)


def impose_warning(rpc: Any, decision_id: str, member: str, decided_on: str) -> dict[str, Any]:
    """The cell warns its own member; retried until oversight's roster copy knows them."""
    command = {
        "decision_id": decision_id,
        "subject_kind": "member",
        "subject_id": member,
        "form": "warning",
        "violations": [{"codes": ["QD37-3"], "committed_on": "2024-03-01"}],
        "discipline_warranted_on": decided_on,
        "reason": "Vi phạm nguyên tắc tập trung dân chủ",
        "deciding_body_org_id": "cb1",
        "deciding_body_kind": "cell",
        "decided_on": decided_on,
    }

    def attempt() -> dict[str, Any] | None:
        try:
            return rpc.oversight.impose_discipline(command)
        except RemoteError as error:
            if '"status": 404' in (error.value or ""):
                return None
            raise

    return eventually(attempt)


def reprimand_cell(rpc: Any, decision_id: str, cell: str, decided_on: str) -> dict[str, Any]:
    """The district committee reprimands a cell (the organisation itself)."""
    return rpc.oversight.impose_discipline(
        {
            "decision_id": decision_id,
            "subject_kind": "organisation",
            "subject_id": cell,
            "form": "reprimand",
            "violations": [{"codes": ["NQ04-4"], "committed_on": "2024-05-01"}],
            "discipline_warranted_on": decided_on,
            "reason": "Sinh hoạt hình thức kéo dài",
            "deciding_body_org_id": "kb",
            "deciding_body_kind": "district_committee",
            "decided_on": decided_on,
        }
    )


def quash_on_appeal(rpc: Any, decision_id: str, lodged_on: str, decided_on: str) -> None:
    """The member appeals a cell's decision; the grassroots committee above quashes it."""
    rpc.oversight.lodge_appeal(
        {
            "decision_id": decision_id,
            "appeal_id": f"kn-{decision_id}",
            "lodged_on": lodged_on,
            "grounds": "Không đúng sự thật",
        }
    )
    rpc.oversight.decide_appeal(
        {
            "decision_id": decision_id,
            "outcome": "quashed",
            "decided_on": decided_on,
            "deciding_body_org_id": "xa",
            "deciding_body_kind": "grassroots_committee",
        }
    )


def flagged_ratings(rpc: Any, count: int) -> list[dict[str, Any]] | None:
    found = rpc.sessions.list_ratings({"flagged_for_review": True})["ratings"]
    return found if len(found) >= count else None


def test_discipline_imposed_in_oversight_changes_what_rating_accepts(system, oversight, seeded, refusal):
    enrol = seeded
    with system.rpc() as rpc:
        enrol(rpc, 1, posts=("secretary",))
        for n in range(2, 7):
            enrol(rpc, n)
        rate(rpc, 2024, "2024-12-15", dv_01="good", dv_02="good", dv_03="good", dv_04="good")
        for org_id in ("xa", "cb2"):
            rpc.sessions.rate_collective(
                {"org_id": org_id, "year": 2024, "rated_on": "2024-12-15", "level": "good"}
            )

        impose_warning(rpc, "kl-1", "dv-05", "2024-06-05")
        impose_warning(rpc, "kl-2", "dv-04", "2024-12-20")
        flagged = eventually(lambda: rpc.sessions.list_ratings({"flagged_for_review": True})["ratings"])

        with pytest.raises(RemoteError) as disciplined:
            rate(rpc, 2024, "2024-12-28", dv_05="good")
        accepted = rate(rpc, 2024, "2024-12-28", dv_05="not_completed")

        reprimand_cell(rpc, "kl-3", "cb2", "2024-12-22")  # one of xa's two cells: over 20%
        quash_on_appeal(rpc, "kl-1", "2024-06-20", "2025-01-15")  # lifts dv-05's bar
        reviewed = eventually(lambda: flagged_ratings(rpc, 4))
        events = [e["type"] for e in rpc.sessions.read_events(0, 200)]

    assert [(r["subject_id"], r["level"]) for r in flagged] == [("dv-04", "good")]
    assert "kl-2" in flagged[0]["review_reason"]
    assert refusal(disciplined)["status"] == 422
    assert refusal(disciplined)["rule"] == "QD124-2023: DisciplinedMemberIsNotCompleted"
    assert "kl-1" in refusal(disciplined)["message"]
    assert accepted["ratings"][0]["level"] == "not_completed"
    assert sorted((r["subject_kind"], r["subject_id"], r["level"]) for r in reviewed) == [
        ("member", "dv-04", "good"),
        ("member", "dv-05", "not_completed"),
        ("organisation", "cb2", "good"),
        ("organisation", "xa", "good"),
    ]
    reasons = {r["subject_id"]: r["review_reason"] for r in reviewed}
    assert "ManyDisciplinedUnitsMeanNotCompleted" in reasons["xa"] and "kl-3" in reasons["xa"]
    assert "DisciplinedLeadershipMeansNotCompleted" in reasons["cb2"]
    assert "kl-1" in reasons["dv-05"] and "quashed on appeal" in reasons["dv-05"]
    assert events.count("RatingFlaggedForReview") == 4
