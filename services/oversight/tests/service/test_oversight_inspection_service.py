"""An inspection file over RPC: opened, walked through its phases, concluded, archived late."""

from __future__ import annotations

import json

import pytest
from nameko.exceptions import RemoteError


def refusal(raised: pytest.ExceptionInfo[RemoteError]) -> dict:
    assert raised.value.exc_type == "CommandRefused"
    return json.loads(raised.value.value)


OPEN = {
    "inspection_id": "kt-2024-01",
    "kind": "regular_inspection",
    "scope": "thematic",
    "deciding_body_org_id": "dv",
    "deciding_body_type": "inspection_commission",
    "subject_kind": "organisation",
    "subject_id": "xa1",
    "content": "Kiểm tra việc thực hiện Quy định 37-QĐ/TW",
    "period_from": "2023-01-01",
    "period_to": "2023-12-31",
    "team": ["Trần Văn Bình", "Lê Thị Hoa", "Phan Đức Minh"],
    "planned_duration_days": 30,
    "decision_number": "07-QĐ/UBKT",
    "decided_on": "2024-03-04",
}
FINDING = {
    "shortcoming_id": "hc-1",
    "subject_kind": "member",
    "subject_id": "m1",
    "org_id": "cb1",
    "codes": ["QD37-2"],
    "description": "Tự ứng cử khi chưa được đồng ý",
}


def test_an_inspection_is_walked_through_its_phases_and_concluded_with_a_shortcoming(seeded):
    with seeded.rpc() as rpc:
        rpc.oversight.adopt_inspection_programme(
            {
                "programme_id": "ct-2024-dv",
                "org_id": "dv",
                "body_type": "inspection_commission",
                "year": 2024,
                "adopted_on": "2024-01-10",
                "items": [
                    {
                        "item_id": "i1",
                        "kind": "regular_inspection",
                        "content": "QĐ 37",
                        "subject_org_id": "xa1",
                        "planned_month": 3,
                    },
                    {
                        "item_id": "i2",
                        "kind": "thematic_supervision",
                        "content": "Sinh hoạt chuyên đề",
                        "subject_org_id": "cb2",
                        "planned_month": 9,
                    },
                ],
            }
        )
        opened = rpc.oversight.open_inspection({**OPEN, "programme_item_id": "i1"})
        assert opened["phase"] == "opened" and opened["version"] == 1 and opened["org_id"] == "xa1"
        for phase, on in (
            ("notified", "2024-03-06"),
            ("self_report_received", "2024-03-15"),
            ("verified", "2024-03-25"),
            ("draft_discussed", "2024-04-01"),
        ):
            current = rpc.oversight.record_inspection_phase(
                {"inspection_id": "kt-2024-01", "phase": phase, "recorded_on": on}
            )
        assert current["phase"] == "draft_discussed" and current["version"] == 5

        with pytest.raises(RemoteError) as skipped:
            rpc.oversight.record_inspection_phase(
                {"inspection_id": "kt-2024-01", "phase": "archived", "recorded_on": "2024-04-02"}
            )
        with pytest.raises(RemoteError) as stale:
            rpc.oversight.conclude_inspection(
                {
                    "inspection_id": "kt-2024-01",
                    "conclusion": "x",
                    "concluded_on": "2024-04-10",
                    "violation_found": True,
                    "discipline_warranted": True,
                    "expected_version": 4,
                }
            )
        assert refusal(skipped)["status"] == 409 and refusal(skipped)["field"] == "phase"
        assert refusal(stale)["status"] == 409 and refusal(stale)["field"] == "expected_version"

        concluded = rpc.oversight.conclude_inspection(
            {
                "inspection_id": "kt-2024-01",
                "concluded_on": "2024-04-10",
                "expected_version": 5,
                "conclusion": "Đảng ủy xã thực hiện chưa nghiêm; đồng chí m1 có vi phạm",
                "violation_found": True,
                "discipline_warranted": True,
                "findings": [FINDING],
                "catalogue_version": "2024.1",
            }
        )
        assert concluded["phase"] == "concluded" and concluded["shortcoming_ids"] == ["hc-1"]
        [shortcoming] = [e for e in rpc.oversight.read_events(0, 100) if e["type"] == "ShortcomingRecorded"]
        assert shortcoming["payload"]["source"] == "inspection"
        assert shortcoming["payload"]["codes"] == ["QD37-2"] and shortcoming["payload"]["subject_id"] == "m1"
        assert shortcoming["payload"]["inspection_id"] == "kt-2024-01"

        notified = rpc.oversight.record_inspection_phase(
            {"inspection_id": "kt-2024-01", "phase": "conclusion_notified", "recorded_on": "2024-04-12"}
        )
        # 15 working days after the notice, skipping Giỗ Tổ (18/4), 30/4 and 1/5 of the default calendar
        assert notified["archive_deadline"] == "2024-05-08"
        late = rpc.oversight.list_inspections(org_id="dv", late=True, as_of="2024-06-01")
        assert [(i["inspection_id"], i["archive_deadline"]) for i in late] == [("kt-2024-01", "2024-05-08")]
        assert rpc.oversight.list_inspections(org_id="dv", late=True, as_of="2024-05-08") == []
        assert rpc.oversight.get_inspection("kt-2024-01", as_of="2024-05-08")["is_archive_late"] is False
        assert rpc.oversight.get_inspection("kt-2024-01", as_of="2024-05-09")["is_archive_late"] is True
        assert rpc.oversight.list_inspections(org_id="cb1") == []
        assert rpc.oversight.list_inspections(kind="regular_supervision") == []

        rpc.oversight.record_inspection_phase(
            {"inspection_id": "kt-2024-01", "phase": "archived", "recorded_on": "2024-04-25"}
        )
        assert rpc.oversight.list_inspections(org_id="hn", late=True, as_of="2024-06-01") == []
        assert rpc.oversight.get_inspection("kt-2024-01")["is_archive_late"] is False

        programme = rpc.oversight.record_programme_item_carried_out(
            {
                "programme_id": "ct-2024-dv",
                "item_id": "i1",
                "inspection_id": "kt-2024-01",
                "carried_out_on": "2024-04-25",
            }
        )
        assert programme["share_carried_out"] == "1/2" and programme["items_not_carried_out"] == ["i2"]
        assert rpc.oversight.get_programme("ct-2024-dv")["percent_carried_out"] == 50.0


def test_bad_input_and_unknown_subjects_are_refused_and_nothing_is_written(seeded):
    with seeded.rpc() as rpc:
        head = rpc.oversight.log_head()
        with pytest.raises(RemoteError) as bad_input:
            rpc.oversight.open_inspection({**OPEN, "team": ["A", "B"], "colour": "red"})
        with pytest.raises(RemoteError) as small_team:
            rpc.oversight.open_inspection({**OPEN, "team": ["A", "B"]})
        with pytest.raises(RemoteError) as outside:
            rpc.oversight.open_inspection(
                {
                    **OPEN,
                    "deciding_body_org_id": "cb2",
                    "subject_id": "cb1",
                    "deciding_body_type": "committee",
                }
            )
        with pytest.raises(RemoteError) as unknown:
            rpc.oversight.get_inspection("kt-none")

        assert refusal(bad_input)["status"] == 400 and "colour" in refusal(bad_input)["fields"]
        assert refusal(small_team)["status"] == 422 and refusal(small_team)["field"] == "team"
        assert refusal(outside)["rule"] == "SubjectMustBeWithinOversightBodysSubtree"
        assert refusal(outside)["fields"]["allowed_instead"] == "a body of 'cb1', 'xa1', 'dv' or 'hn' may"
        assert refusal(unknown)["status"] == 404
        assert rpc.oversight.log_head() == head


def test_a_supervision_of_a_member_takes_the_lighter_path(seeded):
    with seeded.rpc() as rpc:
        opened = rpc.oversight.open_inspection(
            {
                **OPEN,
                "inspection_id": "gs-2024-01",
                "kind": "regular_supervision",
                "scope": None,
                "deciding_body_org_id": "xa1",
                "deciding_body_type": "committee",
                "subject_kind": "member",
                "subject_id": "m3",
            }
        )
        assert opened["org_id"] == "cb2"  # the member's cell, from the roster copy
        conducted = rpc.oversight.conduct_supervision(
            {
                "inspection_id": "gs-2024-01",
                "conducted_on": "2024-05-10",
                "conclusion": "Có dấu hiệu vi phạm, đề nghị kiểm tra",
                "violation_signs_found": True,
                "findings": [{**FINDING, "shortcoming_id": "hc-9", "subject_id": "m3", "org_id": "cb2"}],
                "catalogue_version": "2024.1",
            }
        )
        assert conducted["phase"] == "conducted" and conducted["shortcoming_ids"] == ["hc-9"]
        types = [e["type"] for e in rpc.oversight.read_events(0, 100)]
        assert types == [
            "InspectionOpened",
            "InspectionPhaseRecorded",
            "SupervisionConducted",
            "ShortcomingRecorded",
        ]
        assert [
            i["inspection_id"]
            for i in rpc.oversight.list_inspections(org_id="cb2", kind="regular_supervision")
        ] == ["gs-2024-01"]


PROGRAMME = {
    "programme_id": "ct-2024-xa1",
    "org_id": "xa1",
    "body_type": "committee",
    "year": 2024,
    "adopted_on": "2024-01-10",
    "items": [
        {
            "item_id": "i1",
            "kind": "regular_supervision",
            "content": "Sinh hoạt chi bộ",
            "subject_org_id": "cb1",
            "planned_month": 4,
        },
        {
            "item_id": "i2",
            "kind": "regular_supervision",
            "content": "Thu nộp đảng phí",
            "subject_org_id": "cb2",
            "planned_month": 8,
        },
    ],
}
SUPERVISION = {
    **OPEN,
    "inspection_id": "gs-2024-01",
    "kind": "regular_supervision",
    "scope": None,
    "deciding_body_org_id": "xa1",
    "deciding_body_type": "committee",
    "subject_id": "cb1",
}


def test_one_programme_a_year_each_carried_out_only_by_its_bodys_finished_files(seeded):
    with seeded.rpc() as rpc:
        rpc.oversight.adopt_inspection_programme(PROGRAMME)
        with pytest.raises(RemoteError) as second:
            rpc.oversight.adopt_inspection_programme({**PROGRAMME, "programme_id": "ct-2024-xa1-bis"})
        assert (refusal(second)["status"], refusal(second)["rule"]) == (409, "OneProgrammePerBodyAndYear")
        assert "ct-2024-xa1" in refusal(second)["message"]
        rpc.oversight.adopt_inspection_programme(  # the commission's own programme is another one
            {**PROGRAMME, "programme_id": "ct-2024-xa1-ubkt", "body_type": "inspection_commission"}
        )
        rpc.oversight.adopt_inspection_programme({**PROGRAMME, "programme_id": "ct-2025-xa1", "year": 2025})

        carried_out = {"programme_id": "ct-2024-xa1", "item_id": "i1", "carried_out_on": "2024-05-20"}
        with pytest.raises(RemoteError) as unknown_file:
            rpc.oversight.record_programme_item_carried_out({**carried_out, "inspection_id": "gs-none"})
        rpc.oversight.open_inspection({**SUPERVISION, "decided_on": "2024-04-02"})
        with pytest.raises(RemoteError) as unfinished:
            rpc.oversight.record_programme_item_carried_out({**carried_out, "inspection_id": "gs-2024-01"})
        assert (refusal(unknown_file)["status"], refusal(unknown_file)["field"]) == (404, "inspection_id")
        assert refusal(unfinished)["rule"] == "ProgrammeItemIsCarriedOutByAFinishedFileOfTheBody"

        rpc.oversight.conduct_supervision(
            {
                "inspection_id": "gs-2024-01",
                "conducted_on": "2024-05-15",
                "conclusion": "Chi bộ sinh hoạt đều đặn",
                "violation_signs_found": False,
            }
        )
        done = rpc.oversight.record_programme_item_carried_out({**carried_out, "inspection_id": "gs-2024-01"})
        assert done["share_carried_out"] == "1/2"

        listed = rpc.oversight.list_programmes(org_id="dv")
        assert [(p["programme_id"], p["body_type"], p["year"], p["share_carried_out"]) for p in listed] == [
            ("ct-2024-xa1", "committee", 2024, "1/2"),
            ("ct-2024-xa1-ubkt", "inspection_commission", 2024, "0/2"),
            ("ct-2025-xa1", "committee", 2025, "0/2"),
        ]
        assert listed[0]["percent_carried_out"] == 50.0
        assert [
            p["programme_id"] for p in rpc.oversight.list_programmes(year=2024, body_type="committee")
        ] == ["ct-2024-xa1"]
        assert rpc.oversight.list_programmes(org_id="cb1") == []
