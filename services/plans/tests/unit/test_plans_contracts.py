"""Every event plans publishes dumps to a payload its strict contract accepts, and every
contract example loads back into the event."""

import json
from datetime import date
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from plans.domain import (
    EVENT_TYPES,
    ActionSpec,
    DomainEvent,
    OrganizationTree,
    OrgKind,
    Plan,
    RecordedShortcoming,
    RemediationItem,
    TaskSpec,
    event_from_payload,
)

CONTRACTS = Path(__file__).resolve().parents[4] / "contracts" / "events"
D = date


def schema_for(event_type: str) -> dict[str, Any]:
    return json.loads((CONTRACTS / event_type / "v1.schema.json").read_text(encoding="utf-8"))


def example_for(event_type: str) -> dict[str, Any]:
    return json.loads((CONTRACTS / event_type / "v1.example.json").read_text(encoding="utf-8"))


def realistic_events() -> list[DomainEvent]:
    """One story that produces every event type plans publishes."""
    events: list[DomainEvent] = []
    tree = OrganizationTree()
    events.append(tree.register("tinh-hg", OrgKind.PROVINCE, "Tỉnh ủy Hậu Giang", None, D(2020, 1, 1)))
    events.append(
        tree.register("huyen-ct", OrgKind.DISTRICT, "Huyện ủy Châu Thành", "tinh-hg", D(2020, 1, 1))
    )
    events.append(
        tree.register("xa-tp", OrgKind.GRASSROOTS, "Đảng bộ xã Tân Phú", "huyen-ct", D(2020, 1, 1), "ĐB-TP")
    )
    events.append(tree.register("cb-kb", OrgKind.CELL, "Chi bộ Kho bạc", "huyen-ct", D(2020, 1, 1)))
    events.append(tree.rename("xa-tp", "Đảng bộ thị trấn Tân Phú", D(2024, 1, 1)))
    events.append(tree.move("xa-tp", "tinh-hg", D(2025, 7, 1)))
    events.append(tree.dissolve("cb-kb", D(2025, 7, 1), "Sáp nhập"))

    task = "Tổ chức quán triệt Kết luận số 21-KL/TW đến 100% cán bộ, đảng viên"
    district = Plan.issue(
        plan_id="kh-87",
        org_id="huyen-ct",
        number="87-KH/HU",
        issued_on=D(2023, 6, 30),
        title="Kế hoạch thực hiện Kết luận 21-KL/TW",
        implements_documents=["21-KL/TW"],
        required_unit_ids=["xa-tp"],
        deadline=D(2023, 12, 31),
        tasks=[TaskSpec("t1", task, "Ban Tuyên giáo", D(2023, 8, 31), "100% đảng viên")],
        issuer_subtree={"huyen-ct", "xa-tp"},
    )
    commune = Plan.issue(
        plan_id="kh-12",
        org_id="xa-tp",
        number="12-KH/ĐU",
        issued_on=D(2023, 7, 15),
        title="Kế hoạch thực hiện Kế hoạch 87-KH/HU",
        implements_documents=["87-KH/HU"],
        required_unit_ids=[],
        deadline=D(2023, 12, 15),
        tasks=[TaskSpec("x1", "1. " + task.upper(), "Bí thư Đảng ủy", D(2023, 8, 31))],
        issuer_subtree={"xa-tp"},
        parent_plan=district,
        issuer_ancestors={"huyen-ct", "tinh-hg"},
    )
    district.complete_task("t1", "Đã quán triệt", D(2023, 8, 20))
    commune.check_against_parent(district, D(2023, 8, 1))
    events += district.collect_events() + commune.collect_events()

    shortcoming = RecordedShortcoming.from_event_payload(
        {
            "shortcoming_id": "sc-1",
            "subject_kind": "member",
            "subject_id": "dv-an",
            "org_id": "xa-tp",
            "catalogue_codes": ["NQ04-3"],
            "description": "Lười học tập nghị quyết",
            "recorded_on": "2023-09-12",
        },
        "sessions",
    )
    item = RemediationItem.open(shortcoming)
    item.submit_plan([ActionSpec("Viết thu hoạch", "Nguyễn Văn An", D(2023, 10, 1))], D(2023, 9, 20))
    item.report_progress("Đang viết", D(2023, 9, 25), percent=50)
    item.check_overdue(D(2023, 10, 20))
    item.mark_remedied(D(2023, 10, 25), "Đã khắc phục")
    events += item.collect_events()
    return events


EVENTS = realistic_events()


def test_the_story_covers_every_event_type_and_every_type_has_a_contract() -> None:
    assert {e.event_type for e in EVENTS} == set(EVENT_TYPES)
    for event_type in EVENT_TYPES:
        assert (CONTRACTS / event_type / "v1.schema.json").is_file(), event_type
        assert schema_for(event_type)["additionalProperties"] is False


@pytest.mark.parametrize("event", EVENTS, ids=lambda e: e.event_type)
def test_each_payload_validates_against_its_strict_schema(event: DomainEvent) -> None:
    payload = event.to_payload()

    jsonschema.validate(
        payload,
        schema_for(event.event_type),
        cls=jsonschema.Draft202012Validator,
        format_checker=jsonschema.FormatChecker(),
    )
    assert json.loads(json.dumps(payload)) == payload
    assert type(event).from_payload(payload) == event


@pytest.mark.parametrize("event_type", sorted(EVENT_TYPES))
def test_each_example_is_valid_and_round_trips(event_type: str) -> None:
    example = example_for(event_type)
    jsonschema.Draft202012Validator.check_schema(schema_for(event_type))
    jsonschema.validate(
        example,
        schema_for(event_type),
        cls=jsonschema.Draft202012Validator,
        format_checker=jsonschema.FormatChecker(),
    )

    event = event_from_payload(event_type, example)

    assert event.to_payload() == example


def test_a_strict_schema_rejects_a_field_it_does_not_know() -> None:
    payload = {**example_for("PlanIssued"), "secret_note": "x"}

    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(payload, schema_for("PlanIssued"))


def test_reading_is_tolerant_of_fields_added_later() -> None:
    payload = {**example_for("PlanTaskCompleted"), "added_in_a_later_version": True}

    event = event_from_payload("PlanTaskCompleted", payload)

    assert event.to_payload() == example_for("PlanTaskCompleted")
