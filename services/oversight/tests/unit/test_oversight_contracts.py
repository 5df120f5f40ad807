"""Every event oversight publishes validates against its contract; every example round-trips."""

import json
from datetime import date
from pathlib import Path

import jsonschema
import pytest

from oversight.domain import EVENT_CLASSES, event_from_payload
from oversight.domain.discipline_events import (
    AppealDecided,
    DisciplineAppealed,
    DisciplineImposed,
    DisciplineProposed,
)
from oversight.domain.findings import Finding
from oversight.domain.inspection_events import (
    InspectionConcluded,
    InspectionOpened,
    InspectionPhaseRecorded,
    SupervisionConducted,
)
from oversight.domain.programme_events import (
    InspectionProgrammeAdopted,
    ProgrammeItem,
    ProgrammeItemCarriedOut,
)
from oversight.domain.review_events import ReviewSuggested, ReviewSuggestionAnswered
from oversight.domain.shortcoming_events import ShortcomingRecorded

CONTRACTS = (
    next(p for p in Path(__file__).resolve().parents if (p / "contracts" / "events").is_dir())
    / "contracts"
    / "events"
)
OWN_CONTRACTS = sorted(set(EVENT_CLASSES) - {"ShortcomingRecorded"})  # the sessions service owns that one

REALISTIC = [
    InspectionOpened(
        "kt-2024-07",
        "regular_inspection",
        "thematic",
        "dang-uy-xa-thuan-thien",
        "committee",
        "organisation",
        "chi-bo-thon-3",
        "chi-bo-thon-3",
        "Kiểm tra việc thực hiện Quy định 37-QĐ/TW",
        date(2023, 1, 1),
        date(2023, 12, 31),
        ("Trần Văn Bình", "Lê Thị Hoa", "Phan Đức Minh"),
        15,
        "07-QĐ/ĐU",
        date(2024, 3, 4),
    ),
    InspectionPhaseRecorded(
        "kt-2024-07",
        "regular_inspection",
        "archived",
        date(2024, 5, 2),
        "chi-bo-thon-3",
        "dang-uy-xa-thuan-thien",
    ),
    InspectionConcluded(
        "kt-2024-07",
        "regular_inspection",
        "organisation",
        "chi-bo-thon-3",
        "chi-bo-thon-3",
        "dang-uy-xa-thuan-thien",
        date(2024, 4, 10),
        "Chi bộ thực hiện tốt, còn một số hạn chế",
        False,
        False,
        ("hc-1",),
    ),
    SupervisionConducted(
        "gs-2024-02",
        "regular_supervision",
        "member",
        "dv-001",
        "chi-bo-thon-3",
        "huyen-uy-can-loc",
        date(2024, 7, 25),
        "Không phát hiện dấu hiệu vi phạm",
        False,
        (),
    ),
    ShortcomingRecorded.from_finding(
        "kt-2024-07",
        Finding("hc-1", "organisation", "chi-bo-thon-3", "chi-bo-thon-3", ("NQ04-4",), "Nể nang, né tránh"),
        "2024.1",
        date(2024, 4, 10),
    ),
    InspectionProgrammeAdopted(
        "ctkt-2024",
        "dang-uy-xa-thuan-thien",
        "committee",
        2024,
        (ProgrammeItem("ct-1", "regular_inspection", "Kiểm tra thu nộp đảng phí", "chi-bo-thon-3", 6),),
        date(2024, 1, 12),
    ),
    ProgrammeItemCarriedOut(
        "ctkt-2024", "ct-1", "kt-2024-07", "dang-uy-xa-thuan-thien", 2024, date(2024, 6, 20)
    ),
    ReviewSuggested(
        "gy-1",
        "huyen-uy-can-loc",
        "standing_committee",
        "member",
        "dv-001",
        "chi-bo-thon-3",
        ("Chậm triển khai cho vay vốn",),
        date(2023, 11, 2),
    ),
    ReviewSuggestionAnswered(
        "gy-1",
        "member",
        "dv-001",
        "chi-bo-thon-3",
        date(2023, 12, 20),
        "session",
        "Biên bản sinh hoạt quý IV",
    ),
    DisciplineImposed(
        "qd-1",
        "probationary_member",
        "dv-002",
        "chi-bo-thon-3",
        "chi-bo-thon-3",
        "cell",
        "reprimand",
        date(2024, 5, 6),
        ("QD37-3",),
        "QD69-2022",
        "time_barred",
        True,
        date(2024, 5, 6),
        "Vi phạm nguyên tắc",
    ),
    DisciplineProposed(
        "dn-1",
        "full_member",
        "dv-003",
        "chi-bo-thon-3",
        "chi-bo-thon-3",
        "cell",
        "expulsion",
        date(2024, 4, 18),
        ("QD37-14",),
        "huyen-uy-can-loc",
        "district_standing_committee",
        "a cell may not expel",
        "Nhận hối lộ",
        rule_set="QD69-2022",
    ),
    DisciplineAppealed(
        "qd-1",
        "kn-1",
        "full_member",
        "dv-003",
        "chi-bo-thon-3",
        date(2024, 5, 30),
        "warning",
        "dang-uy-xa-thuan-thien",
        "grassroots_committee",
        "Hình thức quá nặng",
    ),
    AppealDecided(
        "qd-1",
        "kn-1",
        "quashed",
        None,
        date(2024, 7, 1),
        "dang-uy-xa-thuan-thien",
        "grassroots_committee",
        "full_member",
        "dv-003",
        "chi-bo-thon-3",
        rule_set="QD69-2022",
    ),
]


def schema_for(event_type):
    return json.loads((CONTRACTS / event_type / "v1.schema.json").read_text(encoding="utf-8"))


def test_every_event_class_has_a_realistic_instance_here():
    assert {type(e).event_type for e in REALISTIC} == set(EVENT_CLASSES)


@pytest.mark.parametrize("event", REALISTIC, ids=lambda e: type(e).event_type)
def test_the_payload_validates_against_the_contract_and_round_trips(event):
    payload = event.to_payload()
    jsonschema.Draft202012Validator(
        schema_for(event.event_type), format_checker=jsonschema.FormatChecker()
    ).validate(payload)
    assert json.loads(json.dumps(payload)) == payload
    assert event_from_payload(event.event_type, payload) == event


@pytest.mark.parametrize("event_type", OWN_CONTRACTS)
def test_each_contract_is_strict_and_its_example_round_trips(event_type):
    schema = schema_for(event_type)
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["additionalProperties"] is False and schema["type"] == "object"
    example = json.loads((CONTRACTS / event_type / "v1.example.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker()).validate(example)
    assert event_from_payload(event_type, example).to_payload() == example


def test_a_producer_field_outside_the_contract_is_rejected():
    payload = {**REALISTIC[-1].to_payload(), "unexpected": 1}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(payload, schema_for("AppealDecided"))


def test_reading_is_tolerant_of_unknown_fields():
    payload = {**REALISTIC[-1].to_payload(), "added_in_a_later_version": "x"}
    assert event_from_payload("AppealDecided", payload) == REALISTIC[-1]


@pytest.mark.parametrize("event_type", ["AppealDecided", "DisciplineProposed"])
def test_rule_set_was_added_to_v1_without_breaking_events_written_before_it(event_type):
    example = json.loads((CONTRACTS / event_type / "v1.example.json").read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema_for(event_type))
    older = {k: v for k, v in example.items() if k != "rule_set"}
    validator.validate(older)
    assert event_from_payload(event_type, older).rule_set is None
    assert not validator.is_valid({**example, "rule_set": None})  # the producer always names it
