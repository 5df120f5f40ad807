# ruff: noqa: E501  (the task lists are data: one real-looking task per line)
"""Copy detection: a commune plan that restates the district's tasks is flagged; one
adapted to the commune's own cells, loans, dates and people is not."""

from datetime import date

import pytest

from plans.domain import (
    CopyDetectionPolicy,
    Plan,
    PlanFlaggedAsCopy,
    TaskSpec,
    assess_copy,
    normalise_task_text,
    task_similarity,
)
from plans.domain.errors import InvalidCommand

D = date

# The ten key tasks of Huyện ủy Châu Thành's plan 87-KH/HU implementing Conclusion 21-KL/TW.
DISTRICT_TASKS = [
    "1. Tổ chức quán triệt, triển khai thực hiện Kết luận số 21-KL/TW của Ban Chấp hành Trung ương Đảng khóa XIII đến 100% cán bộ, đảng viên trong Đảng bộ huyện.",
    "2. Chỉ đạo các tổ chức cơ sở đảng xây dựng kế hoạch thực hiện Kết luận 21-KL/TW phù hợp với chức năng, nhiệm vụ của từng đơn vị.",
    '3. Tăng cường giáo dục chính trị, tư tưởng, đạo đức, lối sống cho cán bộ, đảng viên; kiên quyết đấu tranh với các biểu hiện suy thoái về tư tưởng chính trị, đạo đức, lối sống, "tự diễn biến", "tự chuyển hóa".',
    "4. Nâng cao chất lượng sinh hoạt chi bộ, duy trì sinh hoạt chuyên đề ít nhất mỗi quý một lần, tăng cường tự phê bình và phê bình.",
    "5. Phát huy vai trò nêu gương của người đứng đầu cấp ủy, chính quyền, Mặt trận Tổ quốc và các đoàn thể chính trị - xã hội.",
    "6. Đẩy mạnh công tác kiểm tra, giám sát; kịp thời phát hiện, xử lý nghiêm tổ chức đảng, đảng viên vi phạm.",
    "7. Thực hiện nghiêm cơ chế kiểm soát quyền lực, phòng, chống tham nhũng, tiêu cực, lãng phí trong công tác cán bộ.",
    "8. Tiếp nhận, giải quyết kịp thời đơn thư khiếu nại, tố cáo, phản ánh của nhân dân liên quan đến cán bộ, đảng viên.",
    "9. Phát huy vai trò giám sát của Mặt trận Tổ quốc, các đoàn thể chính trị - xã hội và nhân dân đối với tổ chức đảng và đảng viên.",
    "10. Định kỳ sơ kết, tổng kết việc thực hiện Kết luận 21-KL/TW; biểu dương, khen thưởng tập thể, cá nhân tiêu biểu.",
]

# A commune plan that renumbers, recases, drops diacritics and swaps a few words.
COPIED_COMMUNE_TASKS = [
    "Nhiệm vụ 1: Tổ chức quán triệt, triển khai thực hiện Kết luận số 21-KL/TW của Ban Chấp hành Trung ương Đảng khóa XIII đến 100% cán bộ, đảng viên trong Đảng bộ xã.",
    "Nhiệm vụ 2: chỉ đạo các chi bộ xây dựng kế hoạch thực hiện kết luận 21-KL/TW phù hợp với chức năng, nhiệm vụ của từng đơn vị.",
    "Nhiem vu 3: Tang cuong giao duc chinh tri, tu tuong, dao duc, loi song cho can bo, dang vien; kien quyet dau tranh voi cac bieu hien suy thoai ve tu tuong chinh tri, dao duc, loi song, tu dien bien, tu chuyen hoa.",
    "a) NÂNG CAO CHẤT LƯỢNG SINH HOẠT CHI BỘ, duy trì sinh hoạt chuyên đề mỗi quý ít nhất một lần, đẩy mạnh tự phê bình và phê bình.",
    "b) Phát huy vai trò nêu gương của người đứng đầu cấp ủy, chính quyền, Mặt trận Tổ quốc và các đoàn thể ở xã.",
    "II. Tăng cường công tác kiểm tra, giám sát; kịp thời phát hiện, xử lý nghiêm tổ chức đảng, đảng viên vi phạm.",
    "- Thực hiện nghiêm cơ chế kiểm soát quyền lực, phòng, chống tham nhũng, tiêu cực, lãng phí trong công tác cán bộ.",
    "- Tiếp nhận và giải quyết kịp thời đơn thư khiếu nại, tố cáo, phản ánh của nhân dân liên quan đến cán bộ, đảng viên.",
    "- Định kỳ sơ kết, tổng kết việc thực hiện Kết luận 21-KL/TW, biểu dương khen thưởng tập thể, cá nhân tiêu biểu.",
    "- Giao Văn phòng Đảng ủy tham mưu theo dõi, tổng hợp kết quả thực hiện kế hoạch.",
]

# A commune plan that names its own cells, its farm-loan programme, dates and people.
ADAPTED_COMMUNE_TASKS = [
    "Trong tháng 7/2023, đồng chí Nguyễn Văn Hùng, Bí thư Đảng ủy, trực tiếp quán triệt Kết luận 21-KL/TW tại hội nghị cán bộ chủ chốt xã; các chi bộ ấp Phú Hòa, Phú Lợi, Tân Thành học tập xong trước ngày 15/8/2023.",
    "Chi bộ ấp Phú Hòa sinh hoạt chuyên đề điểm trong quý III/2023 về trách nhiệm của đảng viên trong giải ngân vốn vay hỗ trợ nông dân trồng lúa chất lượng cao; bí thư các chi bộ còn lại dự để rút kinh nghiệm.",
    "Rà soát 46 hồ sơ vay vốn Ngân hàng Chính sách xã hội chậm giải ngân tại ấp Tân Thành; đồng chí Lê Thị Mai, Phó Chủ tịch UBND xã, báo cáo kết quả khắc phục trước 30/9/2023.",
    "Đảng viên là cán bộ Hội Nông dân xã tự kiểm điểm về việc chậm triển khai chương trình cho vay vốn nuôi bò sinh sản, đề ra biện pháp khắc phục cụ thể.",
    "Ủy ban Kiểm tra Đảng ủy kiểm tra việc quản lý Quỹ hỗ trợ nông dân năm 2022 tại Hội Nông dân xã, hoàn thành trong quý IV/2023.",
    "Mỗi đảng viên đăng ký ít nhất một việc làm cụ thể giúp một hộ nghèo ở ấp mình thoát nghèo; chi bộ theo dõi, đánh giá tại kỳ sinh hoạt cuối năm.",
    "Mặt trận Tổ quốc xã tổ chức đối thoại giữa Đảng ủy với bà con ấp Phú Lợi về việc chậm bồi thường, giải phóng mặt bằng tuyến đường ĐT 741.",
    "Chi bộ Trường Tiểu học Tân Phú xây dựng kế hoạch khắc phục hạn chế về thu nộp đảng phí chậm, báo cáo Đảng ủy trước ngày 31/10/2023.",
    "Sơ kết 6 tháng thực hiện Kết luận 21-KL/TW vào tháng 12/2023 gắn với kiểm điểm, đánh giá, xếp loại đảng viên cuối năm.",
]


def issue(plan_id: str, org_id: str, texts: list[str], parent: Plan | None = None) -> Plan:
    return Plan.issue(
        plan_id=plan_id,
        org_id=org_id,
        number="87-KH/HU" if parent is None else "12-KH/ĐU",
        issued_on=D(2023, 7, 1),
        title="Kế hoạch thực hiện Kết luận 21-KL/TW",
        implements_documents=["21-KL/TW"],
        required_unit_ids=[],
        deadline=D(2023, 12, 31),
        tasks=[
            TaskSpec(f"{plan_id}-{i}", text, "Thường trực Đảng ủy", D(2023, 12, 31))
            for i, text in enumerate(texts, start=1)
        ],
        issuer_subtree={org_id},
        parent_plan=parent,
        issuer_ancestors={"huyen-ct", "tinh-hg"},
    )


def test_case_diacritics_numbering_and_punctuation_do_not_count() -> None:
    assert normalise_task_text("Nhiệm vụ 3: Tăng cường GIÁO DỤC chính trị, tư tưởng!") == (
        "tang cuong giao duc chinh tri tu tuong"
    )
    assert normalise_task_text("II. 1. a) - Đẩy mạnh  kiểm tra") == "day manh kiem tra"
    assert normalise_task_text("Thứ hai, phát huy vai trò") == "phat huy vai tro"
    assert normalise_task_text("(4) Sơ kết 21-KL/TW") == "so ket 21 kl tw"
    assert normalise_task_text("7/2023 hoàn thành") == "7 2023 hoan thanh"
    assert task_similarity("1. Đẩy mạnh kiểm tra", "a) DAY MANH KIEM TRA.") == 1.0


def test_a_restatement_scores_high_and_an_adapted_task_low() -> None:
    assert task_similarity(DISTRICT_TASKS[5], COPIED_COMMUNE_TASKS[5]) >= 0.9
    assert task_similarity(DISTRICT_TASKS[0], ADAPTED_COMMUNE_TASKS[0]) < 0.6


def test_a_commune_plan_that_restates_the_district_tasks_is_flagged() -> None:
    district = issue("kh-87", "huyen-ct", DISTRICT_TASKS)
    commune = issue("kh-12", "xa-tp", COPIED_COMMUNE_TASKS, parent=district)
    commune.collect_events()

    assessment = commune.check_against_parent(district, checked_on=D(2023, 8, 1))

    assert assessment.flagged
    assert assessment.copied_share == 0.9  # 9 of 10; the last task is the commune's own
    assert assessment.similarity >= 0.8
    pairs = {(m.child_task_id, m.parent_task_id) for m in assessment.matches}
    assert pairs == {
        ("kh-12-1", "kh-87-1"),
        ("kh-12-2", "kh-87-2"),
        ("kh-12-3", "kh-87-3"),
        ("kh-12-4", "kh-87-4"),
        ("kh-12-5", "kh-87-5"),
        ("kh-12-6", "kh-87-6"),
        ("kh-12-7", "kh-87-7"),
        ("kh-12-8", "kh-87-8"),
        ("kh-12-9", "kh-87-10"),
    }
    assert all(m.score >= 0.8 for m in assessment.matches)
    [event] = commune.collect_events()
    assert isinstance(event, PlanFlaggedAsCopy)
    assert (event.plan_id, event.org_id, event.parent_plan_id, event.parent_org_id) == (
        "kh-12",
        "xa-tp",
        "kh-87",
        "huyen-ct",
    )
    assert event.matches == assessment.matches
    assert (event.pair_threshold, event.share_threshold) == (0.8, 0.7)
    assert event.method == "char-trigram-dice/v1"
    assert commune.flagged_as_copy == event


def test_a_plan_is_flagged_only_once() -> None:
    district = issue("kh-87", "huyen-ct", DISTRICT_TASKS)
    commune = issue("kh-12", "xa-tp", COPIED_COMMUNE_TASKS, parent=district)
    commune.check_against_parent(district, checked_on=D(2023, 8, 1))
    commune.collect_events()

    again = commune.check_against_parent(district, checked_on=D(2023, 9, 1))

    assert again.flagged
    assert commune.collect_events() == []


def test_a_commune_plan_adapted_to_its_own_situation_is_not_flagged() -> None:
    district = issue("kh-87", "huyen-ct", DISTRICT_TASKS)
    commune = issue("kh-15", "xa-tl", ADAPTED_COMMUNE_TASKS, parent=district)
    commune.collect_events()

    assessment = commune.check_against_parent(district, checked_on=D(2023, 8, 1))

    assert not assessment.flagged
    assert assessment.matches == ()
    assert assessment.similarity < 0.5
    assert commune.collect_events() == []
    assert commune.flagged_as_copy is None


def test_the_thresholds_are_configurable() -> None:
    half_copied = [(f"c{i}", t) for i, t in enumerate(COPIED_COMMUNE_TASKS[:4] + ADAPTED_COMMUNE_TASKS[:4])]
    parent = [(f"p{i}", t) for i, t in enumerate(DISTRICT_TASKS)]

    default = assess_copy(half_copied, parent)
    lenient = assess_copy(half_copied, parent, CopyDetectionPolicy(share_threshold=0.5))

    assert default.copied_share == 0.5 and not default.flagged
    assert lenient.flagged
    with pytest.raises(ValueError):
        CopyDetectionPolicy(pair_threshold=0)


def test_one_parent_task_is_matched_by_at_most_one_child_task() -> None:
    parent = [("p1", DISTRICT_TASKS[5]), ("p2", DISTRICT_TASKS[0])]
    child = [
        ("c1", DISTRICT_TASKS[5]),
        ("c2", DISTRICT_TASKS[5] + " ở xã"),
        ("c3", DISTRICT_TASKS[5]),
    ]

    assessment = assess_copy(child, parent)

    assert [m.parent_task_id for m in assessment.matches] == ["p1"]
    assert assessment.copied_share == pytest.approx(1 / 3, abs=1e-4)
    assert not assessment.flagged


def test_an_empty_plan_is_never_a_copy() -> None:
    assert not assess_copy([], [("p1", DISTRICT_TASKS[0])]).flagged


def test_a_plan_is_compared_only_with_the_plan_it_implements() -> None:
    district = issue("kh-87", "huyen-ct", DISTRICT_TASKS)
    other = issue("kh-90", "huyen-ct", DISTRICT_TASKS)
    commune = issue("kh-12", "xa-tp", COPIED_COMMUNE_TASKS, parent=district)

    with pytest.raises(InvalidCommand) as refused:
        commune.check_against_parent(other, checked_on=D(2023, 8, 1))

    assert refused.value.field == "parent_plan_id"
