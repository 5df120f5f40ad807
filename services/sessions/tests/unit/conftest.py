"""A small organisation tree and member factory shared by the sessions unit tests."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest

from sessions.domain import (
    CellPost,
    KnownOrganisation,
    Member,
    MembershipKind,
    OrganisationTreeCopy,
)


@pytest.fixture
def tree() -> OrganisationTreeCopy:
    """Tỉnh ủy > Huyện ủy > Đảng bộ xã An Bình > two cells; a cell directly under the
    district (chi bộ cơ sở); a cell dissolved at the end of 2023."""
    return OrganisationTreeCopy(
        [
            KnownOrganisation("tinh-uy", "Tỉnh ủy Hà Nam", "province", None),
            KnownOrganisation("huyen-uy", "Huyện ủy Kim Bảng", "district", "tinh-uy"),
            KnownOrganisation("xa-an-binh", "Đảng bộ xã An Bình", "grassroots", "huyen-uy"),
            KnownOrganisation("chi-bo-1", "Chi bộ thôn 1", "cell", "xa-an-binh"),
            KnownOrganisation("chi-bo-2", "Chi bộ thôn 2", "cell", "xa-an-binh"),
            KnownOrganisation("chi-bo-truong", "Chi bộ Trường THPT B", "cell", "huyen-uy"),
            KnownOrganisation(
                "chi-bo-cu", "Chi bộ thôn cũ", "cell", "xa-an-binh", dissolved_on=date(2024, 1, 1)
            ),
        ]
    )


Enrol = Callable[..., Member]


@pytest.fixture
def enrol(tree: OrganisationTreeCopy) -> Enrol:
    """Enrol a full member admitted long ago, unless told otherwise."""

    def _enrol(
        member_id: str,
        org_id: str = "chi-bo-1",
        full_name: str | None = None,
        admitted_on: date = date(2010, 3, 2),
        membership: MembershipKind = MembershipKind.FULL,
        posts: tuple[CellPost, ...] = (),
    ) -> Member:
        member = Member.enrol(
            member_id=member_id,
            full_name=full_name or f"Đảng viên {member_id}",
            org_id=org_id,
            membership=membership,
            admitted_on=admitted_on,
            organisations=tree,
            enrolled_on=max(admitted_on, date(2020, 1, 1)),
            posts_in_cell=posts,
        )
        member.mark_saved()
        return member

    return _enrol
