"""Kinds of party organisation and which kind may sit under which.

The depth of the tree is never hard-coded: only the allowed parent kinds are data.
Cells may sit directly under a district (chi bộ cơ sở); since the 2025 reform removed
the district level, grassroots committees may sit directly under the province.
"""

from __future__ import annotations

from enum import StrEnum


class OrgKind(StrEnum):
    PROVINCE = "province"
    DISTRICT = "district"
    GRASSROOTS = "grassroots"
    CELL = "cell"

    @property
    def label_vi(self) -> str:
        return VIETNAMESE_LABELS[self]


VIETNAMESE_LABELS: dict[OrgKind, str] = {
    OrgKind.PROVINCE: "Tỉnh ủy",
    OrgKind.DISTRICT: "Huyện ủy / Thành ủy",
    OrgKind.GRASSROOTS: "Đảng bộ cơ sở",
    OrgKind.CELL: "Chi bộ",
}

# None stands for "no parent": the kind may be a root of the tree.
ALLOWED_PARENT_KINDS: dict[OrgKind, frozenset[OrgKind | None]] = {
    OrgKind.PROVINCE: frozenset({None}),
    OrgKind.DISTRICT: frozenset({OrgKind.PROVINCE}),
    OrgKind.GRASSROOTS: frozenset({OrgKind.DISTRICT, OrgKind.PROVINCE}),
    OrgKind.CELL: frozenset({OrgKind.GRASSROOTS, OrgKind.DISTRICT}),
}


def may_sit_under(kind: OrgKind, parent_kind: OrgKind | None) -> bool:
    return parent_kind in ALLOWED_PARENT_KINDS[kind]


def allowed_parents_text(kind: OrgKind) -> str:
    names = sorted("no parent" if k is None else k.value for k in ALLOWED_PARENT_KINDS[kind])
    return " or ".join(names)
