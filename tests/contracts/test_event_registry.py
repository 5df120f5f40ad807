"""The contract registry: every event of the architecture has a schema and an example,
producers are strict, and every consumer reads every example it subscribes to."""

from __future__ import annotations

from typing import Any
from unittest.mock import MagicMock

import jsonschema
import pytest

from eventlog.contracts import ContractRegistry
from eventlog.envelope import NewEvent
from eventlog.errors import InvalidEvent

# The events ARCHITECTURE.md names, by producer.
ARCHITECTURE_EVENTS = {
    "plans": [
        "OrganizationRegistered",
        "OrganizationMoved",
        "OrganizationDissolved",
        "PlanIssued",
        "PlanTaskAssigned",
        "PlanTaskCompleted",
        "PlanFlaggedAsCopy",
        "RemediationPlanSubmitted",
        "RemediationProgressReported",
        "ShortcomingRemedied",
        "RemediationOverdue",
    ],
    "sessions": [
        "MemberEnrolled",
        "MemberTransferred",
        "MemberStatusChanged",
        "SessionScheduled",
        "SessionHeld",
        "ShortcomingRecorded",
        "RatingAssigned",
    ],
    "oversight": [
        "InspectionOpened",
        "InspectionConcluded",
        "SupervisionConducted",
        "ReviewSuggested",
        "ShortcomingRecorded",
        "DisciplineImposed",
        "DisciplineAppealed",
        "AppealDecided",
    ],
}
REGISTRY = ContractRegistry()
ALL_TYPES = REGISTRY.event_types()


def envelope(source: str, event_type: str, position: int = 1) -> dict[str, Any]:
    return {
        "source": source,
        "position": position,
        "stream_id": "s",
        "stream_version": 1,
        "event_id": "e" * 32,
        "type": event_type,
        "schema_version": 1,
        "payload": REGISTRY.example(event_type, 1),
        "metadata": {"actor": "test"},
        "recorded_at": "2025-01-01T00:00:00.000000Z",
        "prev_hash": "0" * 64,
        "hash": "0" * 64,
    }


@pytest.mark.parametrize("event_type", sorted({e for events in ARCHITECTURE_EVENTS.values() for e in events}))
def test_every_event_of_the_architecture_has_a_contract(event_type):
    assert 1 in REGISTRY.versions(event_type)


@pytest.mark.parametrize("event_type", ALL_TYPES)
def test_each_schema_is_valid_strict_and_its_example_validates(event_type):
    for version in REGISTRY.versions(event_type):
        schema = REGISTRY.schema(event_type, version)
        jsonschema.validators.validator_for(schema).check_schema(schema)
        assert schema.get("additionalProperties") is False, "producers must be strict"
        REGISTRY.validate(event_type, version, REGISTRY.example(event_type, version))


def test_a_payload_that_breaks_its_contract_is_refused_naming_the_field():
    payload = dict(REGISTRY.example("OrganizationRegistered", 1))
    payload["kind"] = 42
    with pytest.raises(InvalidEvent, match="kind"):
        REGISTRY.check(NewEvent("OrganizationRegistered", payload))
    with pytest.raises(InvalidEvent, match=r"unexpected|additional"):
        REGISTRY.check(
            NewEvent("OrganizationRegistered", {**REGISTRY.example("OrganizationRegistered", 1), "extra": 1})
        )
    with pytest.raises(InvalidEvent, match="no contract"):
        REGISTRY.check(NewEvent("SomethingNobodyDeclared", {}))


def consumers() -> list[tuple[str, str, Any, list[str]]]:
    """(consumer, source, projection, the event types it must understand)."""
    from oversight.local_copies import OrgTreeCopy, RosterCopy
    from plans.domain.remediation_policy import RemediationPolicy
    from plans.shortcomings import ShortcomingProjection
    from reporting.projection import ReportingProjection
    from sessions.discipline_copy import DisciplineProjection
    from sessions.organisation_copy import OrganisationProjection

    tree = ["OrganizationRegistered", "OrganizationMoved", "OrganizationDissolved"]
    return [
        (
            "plans",
            "sessions",
            ShortcomingProjection(MagicMock(), RemediationPolicy()),
            ["ShortcomingRecorded"],
        ),
        (
            "plans",
            "oversight",
            ShortcomingProjection(MagicMock(), RemediationPolicy()),
            ["ShortcomingRecorded"],
        ),
        ("sessions", "plans", OrganisationProjection(), tree),
        ("sessions", "oversight", DisciplineProjection(MagicMock()), ["DisciplineImposed", "AppealDecided"]),
        ("oversight", "plans", OrgTreeCopy(), tree),
        ("oversight", "sessions", RosterCopy(), ["MemberEnrolled", "MemberTransferred"]),
        # Reporting counts every §8 figure; rosters themselves are not a report line.
        *[
            ("reporting", source, ReportingProjection(), [e for e in events if not e.startswith("Member")])
            for source, events in ARCHITECTURE_EVENTS.items()
        ],
    ]


def test_every_consumer_reads_every_example_it_subscribes_to():
    checked = 0
    for consumer, source, projection, event_types in consumers():
        for event_type in event_types:
            read = projection.read(envelope(source, event_type))
            assert read is not None, f"{consumer} ignored {source}'s {event_type}"
            checked += 1
        for event_type in ALL_TYPES:  # the rest must be read or skipped, never crash
            projection.read(envelope(source, event_type))
    assert checked >= 30


def test_consumers_ignore_fields_they_do_not_know():
    for _consumer, source, projection, event_types in consumers():
        for event_type in event_types:
            grown = envelope(source, event_type)
            grown["payload"] = {**grown["payload"], "a_field_from_the_future": {"x": 1}}
            assert projection.read(grown) is not None
