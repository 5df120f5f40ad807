"""The discipline-and-ratings scenario the sessions tests run twice: beside a stand-in
that publishes oversight's events as their contracts say (services/sessions/tests), and
beside the real oversight service (tests/cross_service). Only how discipline is imposed
differs, so the steps and every assertion live here once. RPC-level only."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from nameko.exceptions import RemoteError

from testing_support.roster import read_refusal
from testing_support.services import eventually


def rate(rpc: Any, year: int, rated_on: str, **levels: str) -> dict[str, Any]:
    return rpc.sessions.rate_members(
        {
            "year": year,
            "rated_on": rated_on,
            "ratings": [{"member_id": m.replace("_", "-"), "level": level} for m, level in levels.items()],
        }
    )


def flagged_ratings(rpc: Any, count: int) -> list[dict[str, Any]] | None:
    found = rpc.sessions.list_ratings({"flagged_for_review": True})["ratings"]
    return found if len(found) >= count else None


@dataclass(frozen=True)
class Discipline:
    """How the scenario's decisions come about (each takes the RPC proxy first)."""

    impose_warning: Callable[[Any, str, str, str], Any]  # decision, member, decided_on
    reprimand_cell: Callable[[Any, str, str, str], Any]  # decision, cell, decided_on
    quash_on_appeal: Callable[[Any, str, str, str, str], Any]  # decision, member, lodged, decided


def discipline_changes_what_rating_accepts(
    system: Any, enrol: Callable[..., Any], discipline: Discipline
) -> None:
    """A warned member cannot be rated good; a late warning and a reprimanded cell flag
    ratings already given; a quash on appeal flags the rating its bar held down."""
    with system.rpc() as rpc:
        enrol(rpc, 1, posts=("secretary",))
        for n in range(2, 7):
            enrol(rpc, n)
        rate(rpc, 2024, "2024-12-15", dv_01="good", dv_02="good", dv_03="good", dv_04="good")
        for org_id in ("xa", "cb2"):
            rpc.sessions.rate_collective(
                {"org_id": org_id, "year": 2024, "rated_on": "2024-12-15", "level": "good"}
            )

        discipline.impose_warning(rpc, "kl-1", "dv-05", "2024-06-05")
        discipline.impose_warning(rpc, "kl-2", "dv-04", "2024-12-20")
        flagged = eventually(lambda: rpc.sessions.list_ratings({"flagged_for_review": True})["ratings"])

        with pytest.raises(RemoteError) as disciplined:
            rate(rpc, 2024, "2024-12-28", dv_05="good")
        accepted = rate(rpc, 2024, "2024-12-28", dv_05="not_completed")

        discipline.reprimand_cell(rpc, "kl-3", "cb2", "2024-12-22")  # one of xa's two cells: over 20%
        discipline.quash_on_appeal(rpc, "kl-1", "dv-05", "2024-06-20", "2025-01-15")  # lifts dv-05's bar
        reviewed = eventually(lambda: flagged_ratings(rpc, 4))
        events = [e["type"] for e in rpc.sessions.read_events(0, 200)]

    refusal = read_refusal(disciplined)
    assert [(r["subject_id"], r["level"]) for r in flagged] == [("dv-04", "good")]
    assert "kl-2" in flagged[0]["review_reason"]
    assert refusal["status"] == 422
    assert refusal["rule"] == "QD124-2023: DisciplinedMemberIsNotCompleted"
    assert "kl-1" in refusal["message"]
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
