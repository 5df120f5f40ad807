"""Discipline imposed in the real oversight service changes what the real sessions service
accepts and flags in its ratings (oversight itself judging by the tree from the real plans
service and the roster from the real sessions service)."""

from __future__ import annotations

from typing import Any

import pytest
from nameko.exceptions import RemoteError

from oversight.service import OversightService
from testing_support.rating_scenarios import Discipline, discipline_changes_what_rating_accepts
from testing_support.services import eventually


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


def quash_on_appeal(rpc: Any, decision_id: str, member: str, lodged_on: str, decided_on: str) -> None:
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


def test_discipline_imposed_in_oversight_changes_what_rating_accepts(system, oversight, seeded):
    discipline_changes_what_rating_accepts(
        system, seeded, Discipline(impose_warning, reprimand_cell, quash_on_appeal)
    )
