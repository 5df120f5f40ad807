"""The vocabulary of inspection and supervision (DOMAIN.md §5)."""

from __future__ import annotations

from enum import StrEnum


class InspectionKind(StrEnum):
    REGULAR_INSPECTION = "regular_inspection"
    INSPECTION_ON_SIGNS_OF_VIOLATION = "inspection_on_signs_of_violation"
    THEMATIC_SUPERVISION = "thematic_supervision"
    REGULAR_SUPERVISION = "regular_supervision"
    INSPECTION_OF_LOWER_BODY_DISCIPLINE_WORK = "inspection_of_lower_body_discipline_work"

    @property
    def is_supervision(self) -> bool:
        return self in (InspectionKind.THEMATIC_SUPERVISION, InspectionKind.REGULAR_SUPERVISION)


KIND_LABELS_VI = {
    InspectionKind.REGULAR_INSPECTION: "Kiểm tra thường xuyên / chuyên đề",
    InspectionKind.INSPECTION_ON_SIGNS_OF_VIOLATION: "Kiểm tra khi có dấu hiệu vi phạm",
    InspectionKind.THEMATIC_SUPERVISION: "Giám sát chuyên đề",
    InspectionKind.REGULAR_SUPERVISION: "Giám sát thường xuyên",
    InspectionKind.INSPECTION_OF_LOWER_BODY_DISCIPLINE_WORK: (
        "Kiểm tra việc thực hiện nhiệm vụ kiểm tra, giám sát, thi hành kỷ luật của cấp dưới"
    ),
}


class InspectionScope(StrEnum):
    """Only for a regular inspection: routine (thường xuyên) or thematic (chuyên đề)."""

    REGULAR = "regular"
    THEMATIC = "thematic"


class OversightBodyType(StrEnum):
    COMMITTEE = "committee"
    STANDING_COMMITTEE = "standing_committee"
    INSPECTION_COMMISSION = "inspection_commission"


class OversightSubjectKind(StrEnum):
    ORGANISATION = "organisation"
    MEMBER = "member"


class Phase(StrEnum):
    """Phases in the order they must happen; supervisions take a lighter path."""

    OPENED = "opened"
    NOTIFIED = "notified"
    SELF_REPORT_RECEIVED = "self_report_received"
    VERIFIED = "verified"
    DRAFT_DISCUSSED = "draft_discussed"
    CONCLUDED = "concluded"
    CONCLUSION_NOTIFIED = "conclusion_notified"
    ARCHIVED = "archived"
    CONDUCTED = "conducted"


INSPECTION_PATH = (
    Phase.OPENED,
    Phase.NOTIFIED,
    Phase.SELF_REPORT_RECEIVED,
    Phase.VERIFIED,
    Phase.DRAFT_DISCUSSED,
    Phase.CONCLUDED,
    Phase.CONCLUSION_NOTIFIED,
    Phase.ARCHIVED,
)
SUPERVISION_PATH = (Phase.OPENED, Phase.NOTIFIED, Phase.CONDUCTED, Phase.ARCHIVED)
# Notifying the subject of a supervision may be skipped (regular supervision is continuous).
OPTIONAL_SUPERVISION_PHASES = frozenset({Phase.NOTIFIED})
