"""The organisation tree: who may sit under whom, and how the tree changes over time."""

from datetime import date

import pytest

from plans.domain import OrganizationTree, OrgKind, check_can_move, check_can_register
from plans.domain.errors import (
    DateOutOfOrder,
    InvalidCommand,
    MoveWouldCreateCycle,
    NothingToChange,
    OrganizationAlreadyDissolved,
    OrganizationAlreadyRegistered,
    OrganizationHasActiveChildren,
    ParentDissolved,
    UnknownOrganization,
    UnknownParent,
    WrongParentKind,
)
from plans.domain.organization_events import (
    OrganizationDissolved,
    OrganizationMoved,
    OrganizationRegistered,
    OrganizationRenamed,
)

D = date


@pytest.fixture
def tree() -> OrganizationTree:
    """Hậu Giang province, Châu Thành district, Tân Phú commune with two cells,
    and a cell sitting directly under the district."""
    t = OrganizationTree()
    t.register("tinh-hg", OrgKind.PROVINCE, "Tỉnh ủy Hậu Giang", None, D(2020, 1, 1), code="TU-HG")
    t.register("huyen-ct", OrgKind.DISTRICT, "Huyện ủy Châu Thành", "tinh-hg", D(2020, 1, 1))
    t.register("xa-tp", OrgKind.GRASSROOTS, "Đảng bộ xã Tân Phú", "huyen-ct", D(2020, 1, 1))
    t.register("cb-phu-hoa", OrgKind.CELL, "Chi bộ ấp Phú Hòa", "xa-tp", D(2020, 1, 1))
    t.register("cb-phu-loi", OrgKind.CELL, "Chi bộ ấp Phú Lợi", "xa-tp", D(2020, 1, 1))
    t.register("cb-kho-bac", OrgKind.CELL, "Chi bộ Kho bạc huyện", "huyen-ct", D(2020, 1, 1))
    return t


def test_registering_records_the_new_organisation_under_its_parent(tree: OrganizationTree) -> None:
    event = tree.register("cb-tan-thanh", OrgKind.CELL, "Chi bộ ấp Tân Thành", "xa-tp", D(2023, 3, 1))

    assert event == OrganizationRegistered(
        org_id="cb-tan-thanh",
        kind=OrgKind.CELL,
        name="Chi bộ ấp Tân Thành",
        parent_id="xa-tp",
        code=None,
        registered_on=D(2023, 3, 1),
    )
    assert tree.path_to_root("cb-tan-thanh") == ["cb-tan-thanh", "xa-tp", "huyen-ct", "tinh-hg"]


def test_a_grassroots_committee_may_sit_directly_under_the_province(tree: OrganizationTree) -> None:
    tree.register("db-khoi-cq", OrgKind.GRASSROOTS, "Đảng bộ Khối cơ quan", "tinh-hg", D(2025, 7, 1))

    assert tree.ancestor_ids("db-khoi-cq") == ["tinh-hg"]


def test_a_cell_may_sit_directly_under_a_district_but_not_under_the_province(
    tree: OrganizationTree,
) -> None:
    assert tree.get("cb-kho-bac").parent_id == "huyen-ct"

    with pytest.raises(WrongParentKind) as refused:
        tree.register("cb-x", OrgKind.CELL, "Chi bộ X", "tinh-hg", D(2023, 1, 1))

    assert refused.value.field == "parent_id"
    assert "cell must sit under district or grassroots, not under a province" in refused.value.message
    assert "cb-x" not in tree


@pytest.mark.parametrize(
    ("kind", "parent_id"),
    [
        (OrgKind.DISTRICT, None),
        (OrgKind.DISTRICT, "huyen-ct"),
        (OrgKind.PROVINCE, "tinh-hg"),
        (OrgKind.GRASSROOTS, "cb-phu-hoa"),
        (OrgKind.CELL, "cb-phu-hoa"),
    ],
)
def test_a_parent_of_the_wrong_kind_is_refused(
    tree: OrganizationTree, kind: OrgKind, parent_id: str | None
) -> None:
    with pytest.raises(WrongParentKind):
        tree.register("new", kind, "Tổ chức mới", parent_id, D(2023, 1, 1))


def test_an_unknown_parent_is_refused_naming_the_field(tree: OrganizationTree) -> None:
    with pytest.raises(UnknownParent) as refused:
        tree.register("cb-y", OrgKind.CELL, "Chi bộ Y", "xa-khong-co", D(2023, 1, 1))

    assert refused.value.field == "parent_id"
    assert refused.value.rule == "ParentMustBeKnown"
    assert "'xa-khong-co'" in refused.value.message


def test_an_unknown_kind_or_a_reused_id_or_a_blank_name_is_refused(tree: OrganizationTree) -> None:
    with pytest.raises(InvalidCommand) as bad_kind:
        tree.register("x", "commune", "Xã", "huyen-ct", D(2023, 1, 1))
    assert bad_kind.value.field == "kind"
    with pytest.raises(OrganizationAlreadyRegistered):
        tree.register("xa-tp", OrgKind.GRASSROOTS, "Đảng bộ xã Tân Phú", "huyen-ct", D(2023, 1, 1))
    with pytest.raises(InvalidCommand) as blank:
        tree.register("y", OrgKind.CELL, "  ", "xa-tp", D(2023, 1, 1))
    assert blank.value.field == "name"


def test_nothing_may_be_registered_under_a_dissolved_parent(tree: OrganizationTree) -> None:
    tree.dissolve("cb-kho-bac", D(2024, 1, 1))
    tree.register("xa-moi", OrgKind.GRASSROOTS, "Đảng bộ xã Mới", "huyen-ct", D(2023, 1, 1))
    tree.dissolve("xa-moi", D(2024, 6, 1))

    with pytest.raises(ParentDissolved):
        tree.register("cb-z", OrgKind.CELL, "Chi bộ Z", "xa-moi", D(2024, 7, 1))


def test_renaming_keeps_the_old_name_in_the_history(tree: OrganizationTree) -> None:
    event = tree.rename("xa-tp", "Đảng bộ thị trấn Tân Phú", D(2024, 1, 1), code="TT-TP")

    assert event == OrganizationRenamed(
        org_id="xa-tp",
        name="Đảng bộ thị trấn Tân Phú",
        previous_name="Đảng bộ xã Tân Phú",
        code="TT-TP",
        renamed_on=D(2024, 1, 1),
    )
    organization = tree.get("xa-tp")
    assert organization.as_of(D(2023, 12, 31)).name == "Đảng bộ xã Tân Phú"
    assert organization.as_of(D(2024, 1, 1)).name == "Đảng bộ thị trấn Tân Phú"
    assert organization.as_of(D(2019, 1, 1)) is None
    with pytest.raises(NothingToChange):
        tree.rename("xa-tp", "Đảng bộ thị trấn Tân Phú", D(2024, 2, 1))
    with pytest.raises(DateOutOfOrder) as backdated:
        tree.rename("xa-tp", "Tên khác", D(2023, 6, 1))
    assert backdated.value.field == "renamed_on"


def test_the_2025_reform_moves_communes_to_the_province_and_dissolves_the_district(
    tree: OrganizationTree,
) -> None:
    with pytest.raises(OrganizationHasActiveChildren) as refused:
        tree.dissolve("huyen-ct", D(2025, 7, 1))
    assert "cb-kho-bac, xa-tp" in refused.value.message

    moved = tree.move("xa-tp", "tinh-hg", D(2025, 7, 1))
    tree.dissolve("cb-kho-bac", D(2025, 7, 1), reason="Sáp nhập")
    dissolved = tree.dissolve("huyen-ct", D(2025, 7, 1), reason="Bỏ cấp huyện")

    assert moved == OrganizationMoved("xa-tp", "huyen-ct", "tinh-hg", D(2025, 7, 1))
    assert dissolved == OrganizationDissolved("huyen-ct", D(2025, 7, 1), "Bỏ cấp huyện")
    assert tree.path_to_root("cb-phu-hoa") == ["cb-phu-hoa", "xa-tp", "tinh-hg"]
    assert tree.path_to_root("cb-phu-hoa", as_of=D(2024, 12, 31)) == [
        "cb-phu-hoa",
        "xa-tp",
        "huyen-ct",
        "tinh-hg",
    ]
    assert "huyen-ct" in tree and tree.get("huyen-ct").is_dissolved
    assert tree.subtree_ids("tinh-hg") == {"tinh-hg", "xa-tp", "cb-phu-hoa", "cb-phu-loi"}
    assert "huyen-ct" in tree.subtree_ids("tinh-hg", include_dissolved=True)
    with pytest.raises(OrganizationAlreadyDissolved):
        tree.rename("huyen-ct", "Huyện ủy cũ", D(2025, 8, 1))


def test_an_organisation_cannot_move_under_itself_or_its_descendants(
    tree: OrganizationTree,
) -> None:
    tree.register("huyen-pt", OrgKind.DISTRICT, "Huyện ủy Phụng Hiệp", "tinh-hg", D(2020, 1, 1))

    with pytest.raises(MoveWouldCreateCycle) as under_itself:
        tree.move("xa-tp", "xa-tp", D(2023, 1, 1))
    with pytest.raises(MoveWouldCreateCycle) as under_descendant:
        tree.move("xa-tp", "cb-phu-hoa", D(2023, 1, 1))

    assert "under itself" in under_itself.value.message
    assert under_descendant.value.field == "parent_id"
    assert "descendants" in under_descendant.value.message
    assert tree.get("xa-tp").parent_id == "huyen-ct"


def test_a_move_rechecks_the_kind_rule_and_the_new_parent(tree: OrganizationTree) -> None:
    tree.register("huyen-pt", OrgKind.DISTRICT, "Huyện ủy Phụng Hiệp", "tinh-hg", D(2020, 1, 1))

    with pytest.raises(WrongParentKind):
        tree.move("huyen-ct", "huyen-pt", D(2023, 1, 1))
    with pytest.raises(UnknownParent):
        tree.move("xa-tp", "huyen-khong-co", D(2023, 1, 1))
    with pytest.raises(NothingToChange):
        tree.move("xa-tp", "huyen-ct", D(2023, 1, 1))
    event = tree.move("cb-phu-loi", "huyen-pt", D(2023, 1, 1))
    assert event.parent_id == "huyen-pt"
    assert tree.is_within("cb-phu-loi", "huyen-pt")
    assert not tree.is_within("cb-phu-loi", "xa-tp")


def test_the_rule_functions_work_on_plain_nodes_as_a_sql_store_would_give_them() -> None:
    from dataclasses import dataclass

    @dataclass
    class Row:
        org_id: str
        kind: OrgKind
        parent_id: str | None
        is_dissolved: bool = False

    province = Row("p", OrgKind.PROVINCE, None)
    commune = Row("c", OrgKind.GRASSROOTS, "d")
    check_can_register(OrgKind.GRASSROOTS, "p", province)
    with pytest.raises(MoveWouldCreateCycle):
        check_can_move(Row("d", OrgKind.DISTRICT, "p"), "c", commune, ancestors_of_new_parent={"d", "p"})


def test_the_tree_is_rebuilt_from_its_events(tree: OrganizationTree) -> None:
    events = [
        OrganizationRegistered("p", OrgKind.PROVINCE, "Tỉnh ủy", None, None, D(2020, 1, 1)),
        OrganizationRegistered("d", OrgKind.DISTRICT, "Huyện ủy", "p", None, D(2020, 1, 1)),
        OrganizationRegistered("c", OrgKind.GRASSROOTS, "Đảng bộ xã", "d", None, D(2020, 1, 1)),
        OrganizationMoved("c", "d", "p", D(2025, 7, 1)),
        OrganizationDissolved("d", D(2025, 7, 1)),
    ]

    rebuilt = OrganizationTree.from_events(events)

    assert rebuilt.path_to_root("c") == ["c", "p"]
    assert rebuilt.get("d").is_dissolved
    assert rebuilt.get("c").version == 2
    with pytest.raises(UnknownOrganization):
        rebuilt.get("nowhere")
