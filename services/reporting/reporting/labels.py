"""Headings for report lines, in Vietnamese (default) and English."""

from __future__ import annotations

LINES = {
    "plans.issued": ("Kế hoạch đã ban hành", "Plans issued"),
    "plans.cascaded": ("Kế hoạch cụ thể hóa kế hoạch cấp trên", "Plans cascaded from a parent plan"),
    "plans.units_required": ("Đơn vị phải ban hành kế hoạch", "Units required to issue a plan"),
    "plans.units_issued": ("Đơn vị đã ban hành kế hoạch", "Units that issued their own plan"),
    "plans.units_pending": ("Đơn vị chưa ban hành kế hoạch", "Units that have not issued their plan"),
    "plans.flagged_as_copy": ("Kế hoạch sao chép cấp trên", "Plans flagged as copies"),
    "tasks.assigned": ("Nhiệm vụ được giao", "Tasks assigned"),
    "tasks.due": ("Nhiệm vụ đến hạn", "Tasks due"),
    "tasks.completed": ("Nhiệm vụ hoàn thành", "Tasks completed"),
    "tasks.overdue": ("Nhiệm vụ quá hạn", "Tasks overdue"),
    "sessions.scheduled": ("Buổi sinh hoạt đã lên lịch", "Sessions scheduled"),
    "sessions.held": ("Buổi sinh hoạt chuyên đề đã tổ chức", "Themed sessions held"),
    "sessions.units_held": ("Đơn vị đã sinh hoạt chuyên đề", "Units that held the themed session"),
    "sessions.units_required": ("Đơn vị phải sinh hoạt chuyên đề", "Units required to hold it"),
    "sessions.attendances": ("Lượt đảng viên dự", "Attendances"),
    "sessions.pilot": ("Buổi sinh hoạt điểm", "Pilot sessions"),
    "sessions.non_compliant": ("Buổi sinh hoạt chưa đúng quy định", "Non-compliant sessions"),
    "shortcomings.recorded": ("Hạn chế, khuyết điểm", "Shortcomings recorded"),
    "remediation.opened": ("Hạn chế phải khắc phục", "Shortcomings to remedy"),
    "remediation.submitted": ("Kế hoạch khắc phục đã nộp", "Remediation plans submitted"),
    "remediation.in_progress": ("Đang khắc phục", "Remediation in progress"),
    "remediation.progress_reported": ("Lượt báo cáo tiến độ khắc phục", "Progress reports"),
    "remediation.remedied": ("Đã khắc phục xong", "Remedied"),
    "remediation.overdue": ("Khắc phục quá hạn", "Remediation overdue"),
    "discipline.proposed": ("Đề nghị kỷ luật", "Discipline proposed"),
    "discipline.time_barred": ("Hết thời hiệu kỷ luật", "Discipline time-barred"),
    "appeals.lodged": ("Khiếu nại kỷ luật", "Appeals lodged"),
    "reviews.suggested": ("Gợi ý kiểm điểm", "Review suggestions"),
    "reviews.answered": ("Gợi ý kiểm điểm đã trả lời", "Review suggestions answered"),
    "programme.items_planned": ("Nội dung chương trình kiểm tra, giám sát", "Programme items planned"),
    "programme.items_carried_out": ("Nội dung chương trình đã thực hiện", "Programme items carried out"),
}

WORDS = {
    "organisation": ("tổ chức đảng", "organisations"),
    "member": ("đảng viên", "members"),
    "full_member": ("đảng viên chính thức", "full members"),
    "probationary_member": ("đảng viên dự bị", "probationary members"),
    "regular_inspection": ("Kiểm tra thường xuyên", "Regular inspection"),
    "inspection_on_signs_of_violation": (
        "Kiểm tra khi có dấu hiệu vi phạm",
        "Inspection on signs of violation",
    ),
    "inspection_of_lower_body_discipline_work": (
        "Kiểm tra việc thi hành kỷ luật của cấp dưới",
        "Inspection of lower bodies' discipline work",
    ),
    "thematic_supervision": ("Giám sát chuyên đề", "Thematic supervision"),
    "regular_supervision": ("Giám sát thường xuyên", "Regular supervision"),
    "violation_found": ("Có vi phạm", "Found with violations"),
    "violation_signs": ("Có dấu hiệu vi phạm", "Found with signs of violation"),
    "reprimand": ("Khiển trách", "Reprimand"),
    "warning": ("Cảnh cáo", "Warning"),
    "removal_from_post": ("Cách chức", "Removal from post"),
    "expulsion": ("Khai trừ", "Expulsion"),
    "dissolution": ("Giải tán", "Dissolution"),
    "upheld": ("giữ nguyên", "upheld"),
    "changed": ("thay đổi hình thức", "changed"),
    "quashed": ("hủy quyết định", "quashed"),
    "excellent": ("Hoàn thành xuất sắc nhiệm vụ", "Excellent"),
    "good": ("Hoàn thành tốt nhiệm vụ", "Good"),
    "completed": ("Hoàn thành nhiệm vụ", "Completed"),
    "not_completed": ("Không hoàn thành nhiệm vụ", "Not completed"),
    "rated": ("Số được xếp loại", "Rated"),
    "good_or_better": ("Hoàn thành tốt nhiệm vụ trở lên", "Good or better"),
    "good_or_better_share": ("Tỷ lệ hoàn thành tốt trở lên (%)", "Share good or better (%)"),
}

HEADINGS = {
    "line": ("Chỉ tiêu", "Line"),
    "metric": ("Mã chỉ tiêu", "Metric"),
    "total": ("Tổng", "Total"),
    "own": ("Trực tiếp", "Own"),
    "report": ("Báo cáo", "Report"),
    "period": ("Kỳ báo cáo", "Period"),
    "as_of": ("Số liệu tính đến", "As of"),
    "tree_date": ("Theo hệ thống tổ chức ngày", "Organisation tree as on"),
}


def _word(key: str, lang: int) -> str:
    return WORDS.get(key, (key, key))[lang]


def heading(key: str, language: str) -> str:
    return HEADINGS[key][0 if language == "vi" else 1]


def label(metric: str, language: str = "vi") -> str:
    """A line's heading: known lines by name, the rest composed from their parts."""
    lang = 0 if language == "vi" else 1
    if metric in LINES:
        return LINES[metric][lang]
    parts = metric.split(".")
    head, rest = parts[0], parts[1:]
    committee = rest and rest[-1] == "committee"
    if committee:
        rest = rest[:-1]
    if head == "shortcomings" and len(rest) == 2:
        kind = (
            ("Hạn chế theo nội dung", "Shortcomings by item")
            if rest[0] == "item"
            else ("Hạn chế theo nhóm", "Shortcomings by group")
        )
        return f"{kind[lang]}: {rest[1]}"
    if head in ("inspected", "supervised", "inspections") and len(rest) == 2:
        text = f"{_word(rest[0], lang)}: {_word(rest[1], lang)}"
        if head == "inspections":
            text = ("Kết luận kiểm tra: " if lang == 0 else "Inspections concluded: ") + _word(rest[1], lang)
        if committee:
            text += " (cấp ủy viên)" if lang == 0 else " (of which committee members)"
        return text
    if head == "discipline" and len(rest) == 2:
        prefix = "Kỷ luật " if lang == 0 else "Discipline of "
        return f"{prefix}{_word(rest[0], lang)}: {_word(rest[1], lang)}"
    if head == "appeals" and len(rest) == 2:
        return ("Khiếu nại đã giải quyết: " if lang == 0 else "Appeals decided: ") + _word(rest[1], lang)
    if head == "ratings" and len(rest) == 2:
        prefix = "Xếp loại " if lang == 0 else "Rating of "
        return f"{prefix}{_word(rest[0], lang)}: {_word(rest[1], lang)}"
    return metric
