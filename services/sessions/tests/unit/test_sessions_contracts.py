"""The sessions service's events keep to their published contracts."""

from __future__ import annotations

import json
from datetime import date, time
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from sessions.domain import (
    EVENT_TYPES,
    RATING_RULE_SETS,
    Attendance,
    CellRoster,
    DisciplineRecord,
    DisciplineRegister,
    MembershipEndReason,
    MemberStatus,
    OrganisationTreeCopy,
    Presence,
    RatingLevel,
    RatingRound,
    SessionMinutes,
    SubjectKind,
    ThemedSession,
    Vote,
    load_catalogue,
)

CONTRACTS = Path(__file__).resolve().parents[4] / "contracts" / "events"


def validator_for(event_type: str) -> Draft202012Validator:
    schema = json.loads((CONTRACTS / event_type / "v1.schema.json").read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


def example_of(event_type: str) -> dict:
    return json.loads((CONTRACTS / event_type / "v1.example.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("event_type", sorted(EVENT_TYPES))
def test_every_example_is_valid_and_round_trips_through_the_event_class(event_type):
    example = example_of(event_type)
    event = EVENT_TYPES[event_type].from_payload(example)

    validator_for(event_type).validate(example)
    assert event.to_payload() == example
    assert event.schema_version == 1


@pytest.mark.parametrize("event_type", sorted(EVENT_TYPES))
def test_producer_schemas_refuse_unknown_fields(event_type):
    example = example_of(event_type) | {"surprise": 1}
    assert not validator_for(event_type).is_valid(example)


def test_the_events_a_campaign_year_produces_keep_to_their_schemas(enrol, tree):
    members = [enrol(f"dv-{n}") for n in range(1, 7)]
    members[5].change_status(MemberStatus.ATTACHED_ELSEWHERE, date(2024, 2, 1))
    produced = list(members[5].pending_events)
    produced.append(members[4].transfer("chi-bo-2", date(2024, 3, 1), tree))
    held_on = date(2024, 11, 20)
    session = ThemedSession.schedule("ss-1", "chi-bo-1", "Chuyên đề 2024", held_on, tree)
    roster = CellRoster.from_members("chi-bo-1", held_on, members)
    session.hold(
        SessionMinutes(
            held_on=held_on,
            starts_at=time(19, 0),
            ends_at=time(20, 10),
            chair_id="dv-1",
            minute_taker_id="dv-2",
            attendance=(
                Attendance("dv-1", Presence.PRESENT),
                Attendance("dv-2", Presence.PRESENT),
                Attendance("dv-3", Presence.PRESENT),
                Attendance("dv-4", Presence.ABSENT_WITHOUT_REASON),
                Attendance("dv-6", Presence.ABSENT_WITH_REASON, "Sinh hoạt tạm thời nơi khác"),
            ),
            speaking_turns={"dv-3": 2},
            resolution="Nghị quyết chuyên đề",
            vote=Vote(3, 0, 0),
        ),
        roster,
        tree,
    )
    session.record_shortcoming(
        "hc-1",
        SubjectKind.ORGANISATION,
        "chi-bo-1",
        ["NQ04-4"],
        "Sinh hoạt hình thức",
        load_catalogue(),
    )
    produced += session.pending_events
    rating_round = RatingRound("xa-an-binh", 2024)
    rating_round.rate_member(
        members[0], date(2024, 12, 10), DisciplineRegister(), tree, level=RatingLevel.GOOD
    )
    rating_round.flag_for_review(
        DisciplineRecord("kl-1", "dv-1", "chi-bo-1", date(2024, 12, 20), "warning"),
        date(2025, 1, 2),
        DisciplineRegister(),
        tree,
    )
    produced += rating_round.pending_events
    produced.append(members[3].end_membership(MembershipEndReason.STRUCK_OFF, date(2025, 2, 1)))

    for event in produced:
        validator_for(event.event_type).validate(event.to_payload())
    assert {e.event_type for e in produced} == {
        "MemberStatusChanged",
        "MemberTransferred",
        "SessionScheduled",
        "SessionHeld",
        "ShortcomingRecorded",
        "RatingAssigned",
        "RatingFlaggedForReview",
        "MembershipEnded",
    }


@pytest.mark.parametrize("rule_set", [r.name for r in RATING_RULE_SETS])
def test_every_rule_set_may_be_recorded_on_a_rating(rule_set):
    rating = example_of("RatingAssigned") | {"rule_set": rule_set, "score": None, "level": "good"}
    validator_for("RatingAssigned").validate(rating)


def test_the_local_copies_read_what_plans_and_oversight_publish():
    tree = OrganisationTreeCopy()
    for event_type in ("OrganizationRegistered", "OrganizationDissolved"):
        tree.apply_plans_event(event_type, example_of(event_type))
    registered = example_of("OrganizationRegistered")
    assert tree.find(registered["org_id"]).kind == registered["kind"]

    imposed = example_of("DisciplineImposed")
    record = DisciplineRecord.from_discipline_imposed(imposed)
    register = DisciplineRegister([record])
    year = record.decided_on.year
    assert record.member_id == imposed["subject_id"] and record.org_id == imposed["org_id"]
    assert register.against_member(imposed["subject_id"], year) == [record]

    appeal = example_of("AppealDecided") | {"outcome": "quashed"}
    register.apply_appeal_decided(appeal)
    assert register.against_member(imposed["subject_id"], year) == []
