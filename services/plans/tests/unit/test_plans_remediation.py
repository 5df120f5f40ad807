"""Remediation: every recorded shortcoming is followed until it is remedied."""

from datetime import date

import pytest

from plans.domain import (
    ActionSpec,
    RecordedShortcoming,
    RemediationItem,
    RemediationOpened,
    RemediationOverdue,
    RemediationPolicy,
    RemediationStatus,
    ShortcomingRemedied,
    SubjectKind,
)
from plans.domain.errors import (
    ActionDueBeforeOpening,
    ActionOwnerMissing,
    DateOutOfOrder,
    InvalidShortcoming,
    MissingValue,
    ProgressPercentInvalid,
    RemediationItemClosed,
    RemediationPlanMissing,
)

D = date

SHORTCOMING_RECORDED = {
    "shortcoming_id": "sc-0193",
    "session_id": "ss-2023-q3-phu-hoa",  # a field plans does not know: ignored
    "subject_kind": "member",
    "subject_id": "dv-nguyen-van-an",
    "org_id": "cb-phu-hoa",
    "catalogue_codes": ["NQ04-3"],
    "description": "Chưa tích cực nghiên cứu, học tập nghị quyết của Đảng",
    "recorded_on": "2023-09-12",
}


def shortcoming(**changes: object) -> RecordedShortcoming:
    return RecordedShortcoming.from_event_payload({**SHORTCOMING_RECORDED, **changes}, "sessions")


def opened_item(**changes: object) -> RemediationItem:
    item = RemediationItem.open(shortcoming(**changes))
    item.collect_events()
    return item


ACTIONS = [
    ActionSpec("Tự học Nghị quyết Trung ương 4 khóa XII, viết thu hoạch", "Nguyễn Văn An", D(2023, 10, 1)),
    ActionSpec("Báo cáo kết quả trước chi bộ", "Nguyễn Văn An", D(2023, 10, 10)),
]


def test_a_recorded_shortcoming_opens_an_item_due_thirty_days_later() -> None:
    item = RemediationItem.open(shortcoming())

    [event] = item.collect_events()

    assert event == RemediationOpened(
        item_id="sessions:sc-0193",
        shortcoming_id="sc-0193",
        source_service="sessions",
        subject_kind=SubjectKind.MEMBER,
        subject_id="dv-nguyen-van-an",
        org_id="cb-phu-hoa",
        catalogue_codes=("NQ04-3",),
        description="Chưa tích cực nghiên cứu, học tập nghị quyết của Đảng",
        recorded_on=D(2023, 9, 12),
        opened_on=D(2023, 9, 12),
        due_on=D(2023, 10, 12),
    )
    assert item.status is RemediationStatus.OPENED


def test_the_default_period_is_configurable_and_the_subject_may_be_an_organisation() -> None:
    item = RemediationItem.open(
        shortcoming(subject_kind="organization", subject_id="cb-phu-hoa"),
        RemediationPolicy(default_days=60),
    )

    assert item.due_on == D(2023, 11, 11)
    assert item.shortcoming.subject_kind is SubjectKind.ORGANISATION


def test_the_sessions_contract_shape_of_shortcoming_recorded_is_read() -> None:
    payload = {
        "shortcoming_id": "sc-7", "source": "session", "session_id": "ss-1",
        "inspection_id": None, "subject_kind": "organisation", "subject_id": "cb-phu-hoa",
        "org_id": "cb-phu-hoa", "codes": ["QD37-3", "NQ04-4"], "catalogue_version": "2021",
        "description": "Dân chủ hình thức trong sinh hoạt chi bộ", "recorded_on": "2023-09-12",
    }  # fmt: skip

    item = RemediationItem.open(RecordedShortcoming.from_event_payload(payload, "sessions"))

    assert item.item_id == "sessions:sc-7"
    assert item.shortcoming.catalogue_codes == ("QD37-3", "NQ04-4")


def test_a_shortcoming_that_cannot_open_an_item_is_refused() -> None:
    with pytest.raises(InvalidShortcoming) as no_org:
        shortcoming(org_id="")
    with pytest.raises(InvalidShortcoming) as bad_kind:
        shortcoming(subject_kind="cell")
    assert no_org.value.field == "org_id"
    assert bad_kind.value.field == "subject_kind"


def test_the_subject_submits_a_plan_with_owned_dated_actions() -> None:
    item = opened_item()

    event = item.submit_plan(ACTIONS, D(2023, 9, 20))

    assert event.actions[1].owner == "Nguyễn Văn An"
    assert event.revision == 1
    assert event.org_id == "cb-phu-hoa"
    assert item.status is RemediationStatus.PLAN_SUBMITTED


def test_an_action_without_owner_or_due_before_opening_is_refused() -> None:
    item = opened_item()

    with pytest.raises(ActionOwnerMissing) as no_owner:
        item.submit_plan([ACTIONS[0], ActionSpec("Báo cáo", None, D(2023, 10, 1))], D(2023, 9, 20))
    with pytest.raises(ActionDueBeforeOpening) as too_early:
        item.submit_plan([ActionSpec("Học tập", "Nguyễn Văn An", D(2023, 9, 1))], D(2023, 9, 20))
    with pytest.raises(MissingValue) as empty:
        item.submit_plan([], D(2023, 9, 20))

    assert no_owner.value.field == "actions[1].owner"
    assert too_early.value.field == "actions[0].due_on"
    assert empty.value.field == "actions"
    assert item.pending_events == () and item.status is RemediationStatus.OPENED


def test_progress_needs_a_plan_a_note_and_a_percent_that_only_goes_up() -> None:
    item = opened_item()
    with pytest.raises(RemediationPlanMissing):
        item.report_progress("Đã bắt đầu", D(2023, 9, 15))
    item.submit_plan(ACTIONS, D(2023, 9, 20))

    item.report_progress("Đã đọc xong nghị quyết", D(2023, 9, 25), percent=40)

    assert item.status is RemediationStatus.IN_PROGRESS
    with pytest.raises(ProgressPercentInvalid) as lower:
        item.report_progress("Cập nhật", D(2023, 9, 26), percent=30)
    assert "below the 40% already reported" in lower.value.message
    with pytest.raises(ProgressPercentInvalid):
        item.report_progress("Cập nhật", D(2023, 9, 26), percent=120)
    with pytest.raises(MissingValue) as no_note:
        item.report_progress("", D(2023, 9, 26), percent=50)
    assert no_note.value.field == "note"
    with pytest.raises(DateOutOfOrder):
        item.report_progress("Cập nhật", D(2023, 9, 1))
    item.report_progress("Đã viết thu hoạch", D(2023, 10, 1))  # a note alone is enough
    assert [p.percent for p in item.progress] == [40, None]


def test_marking_done_remedies_the_shortcoming_and_closes_the_item() -> None:
    item = opened_item()
    item.submit_plan(ACTIONS, D(2023, 9, 20))

    event = item.mark_remedied(D(2023, 10, 10), "Chi bộ ghi nhận đã khắc phục")

    assert event == ShortcomingRemedied(
        item_id="sessions:sc-0193",
        shortcoming_id="sc-0193",
        source_service="sessions",
        org_id="cb-phu-hoa",
        subject_kind=SubjectKind.MEMBER,
        subject_id="dv-nguyen-van-an",
        catalogue_codes=("NQ04-3",),
        remedied_on=D(2023, 10, 10),
        note="Chi bộ ghi nhận đã khắc phục",
        was_overdue=False,
    )
    assert item.status is RemediationStatus.REMEDIED


def test_a_remedied_item_takes_no_more_progress_plans_or_completion() -> None:
    item = opened_item()
    item.submit_plan(ACTIONS, D(2023, 9, 20))
    item.mark_remedied(D(2023, 10, 10), "Đã khắc phục")
    item.collect_events()

    with pytest.raises(RemediationItemClosed) as progress:
        item.report_progress("Thêm", D(2023, 10, 11))
    with pytest.raises(RemediationItemClosed):
        item.submit_plan(ACTIONS, D(2023, 10, 11))
    with pytest.raises(RemediationItemClosed):
        item.mark_remedied(D(2023, 10, 12), "Lần nữa")

    assert progress.value.field == "item_id"
    assert "closed" in progress.value.message
    assert item.collect_events() == []


def test_an_item_past_its_due_date_is_reported_overdue_exactly_once() -> None:
    item = RemediationItem.open(shortcoming())
    item.submit_plan(ACTIONS, D(2023, 9, 20))

    assert item.check_overdue(D(2023, 10, 12)) is None  # due that day: not yet overdue
    first = item.check_overdue(D(2023, 10, 20))
    second = item.check_overdue(D(2023, 10, 21))

    assert first == RemediationOverdue(
        item_id="sessions:sc-0193",
        shortcoming_id="sc-0193",
        org_id="cb-phu-hoa",
        subject_kind=SubjectKind.MEMBER,
        subject_id="dv-nguyen-van-an",
        due_on=D(2023, 10, 12),
        detected_on=D(2023, 10, 20),
        days_overdue=8,
    )
    assert second is None
    assert item.overdue_reported
    late = item.mark_remedied(D(2023, 10, 25), "Khắc phục muộn")
    assert late.was_overdue
    rebuilt = RemediationItem.from_events(item.collect_events())
    assert rebuilt.overdue_reported and rebuilt.status is RemediationStatus.REMEDIED
    assert rebuilt.check_overdue(D(2023, 11, 1)) is None


def test_a_remedied_item_is_never_overdue() -> None:
    item = opened_item()
    item.submit_plan(ACTIONS, D(2023, 9, 20))
    item.mark_remedied(D(2023, 10, 1), "Đã khắc phục")

    assert item.check_overdue(D(2023, 12, 1)) is None
    assert not item.is_overdue(D(2023, 12, 1))
