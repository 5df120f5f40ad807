"""The bodies that decide discipline, each tied to a level of the organisation tree."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from .exceptions import InvalidValue
from .org_tree import OrgLevel, OrgTree


class Organ(StrEnum):
    CELL = "cell"
    COMMITTEE = "committee"
    STANDING_COMMITTEE = "standing_committee"
    INSPECTION_COMMISSION = "inspection_commission"


class DecidingBodyKind(StrEnum):
    CELL = "cell"
    GRASSROOTS_COMMITTEE = "grassroots_committee"
    DISTRICT_COMMITTEE = "district_committee"
    DISTRICT_STANDING_COMMITTEE = "district_standing_committee"
    DISTRICT_INSPECTION_COMMISSION = "district_inspection_commission"
    PROVINCIAL_COMMITTEE = "provincial_committee"
    PROVINCIAL_STANDING_COMMITTEE = "provincial_standing_committee"
    PROVINCIAL_INSPECTION_COMMISSION = "provincial_inspection_commission"

    @property
    def level(self) -> OrgLevel:
        return _PLACES[self][0]

    @property
    def organ(self) -> Organ:
        return _PLACES[self][1]

    @property
    def description(self) -> str:
        """English words for messages: 'the district standing committee'."""
        return "the " + self.value.replace("_", " ")

    @classmethod
    def of(cls, level: OrgLevel, organ: Organ) -> DecidingBodyKind:
        for kind, place in _PLACES.items():
            if place == (level, organ):
                return kind
        raise InvalidValue(
            f"There is no {organ.value} at the {level.value} level.", field="deciding_body_kind"
        )


_PLACES = {
    DecidingBodyKind.CELL: (OrgLevel.CELL, Organ.CELL),
    DecidingBodyKind.GRASSROOTS_COMMITTEE: (OrgLevel.GRASSROOTS, Organ.COMMITTEE),
    DecidingBodyKind.DISTRICT_COMMITTEE: (OrgLevel.DISTRICT, Organ.COMMITTEE),
    DecidingBodyKind.DISTRICT_STANDING_COMMITTEE: (OrgLevel.DISTRICT, Organ.STANDING_COMMITTEE),
    DecidingBodyKind.DISTRICT_INSPECTION_COMMISSION: (OrgLevel.DISTRICT, Organ.INSPECTION_COMMISSION),
    DecidingBodyKind.PROVINCIAL_COMMITTEE: (OrgLevel.PROVINCIAL, Organ.COMMITTEE),
    DecidingBodyKind.PROVINCIAL_STANDING_COMMITTEE: (OrgLevel.PROVINCIAL, Organ.STANDING_COMMITTEE),
    DecidingBodyKind.PROVINCIAL_INSPECTION_COMMISSION: (OrgLevel.PROVINCIAL, Organ.INSPECTION_COMMISSION),
}

BODY_LABELS_VI = {
    DecidingBodyKind.CELL: "Chi bộ",
    DecidingBodyKind.GRASSROOTS_COMMITTEE: "Đảng ủy cơ sở",
    DecidingBodyKind.DISTRICT_COMMITTEE: "Huyện ủy",
    DecidingBodyKind.DISTRICT_STANDING_COMMITTEE: "Ban Thường vụ Huyện ủy",
    DecidingBodyKind.DISTRICT_INSPECTION_COMMISSION: "Ủy ban Kiểm tra Huyện ủy",
    DecidingBodyKind.PROVINCIAL_COMMITTEE: "Tỉnh ủy",
    DecidingBodyKind.PROVINCIAL_STANDING_COMMITTEE: "Ban Thường vụ Tỉnh ủy",
    DecidingBodyKind.PROVINCIAL_INSPECTION_COMMISSION: "Ủy ban Kiểm tra Tỉnh ủy",
}


@dataclass(frozen=True)
class DecidingBody:
    """A body of one organisation: the cell itself, its committee, standing committee or commission."""

    org_id: str
    kind: DecidingBodyKind

    def check_place(self, tree: OrgTree, field: str = "deciding_body_kind") -> None:
        """A body's kind must match the level of its organisation in the tree."""
        level = tree.level_of(self.org_id)
        if level is not self.kind.level:
            raise InvalidValue(
                f"The body kind {self.kind.value} in {field} belongs to the {self.kind.level.value} "
                f"level, but organisation {self.org_id!r} is at the {level.value} level.",
                field=field,
            )
