"""A synthetic province for the demo: its tree, its members and its calendar, from a seed.

Pure data, no HTTP: the same seed and the same `today` always give the same province.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

SURNAMES = [
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Hoàng",
    "Vũ",
    "Đặng",
    "Bùi",
    "Đỗ",
    "Ngô",
    "Dương",
    "Lý",
    "Đinh",
    "Trịnh",
    "Phan",
    "Lương",
]
MIDDLE_MEN = ["Văn", "Đức", "Minh", "Quang", "Hữu", "Xuân", "Thanh", "Công", "Đình", "Tiến"]
MIDDLE_WOMEN = ["Thị", "Thu", "Ngọc", "Thanh", "Minh", "Hồng", "Phương", "Thùy"]
GIVEN_MEN = [
    "Hùng",
    "Dũng",
    "Tuấn",
    "Hải",
    "Long",
    "Nam",
    "Sơn",
    "Thắng",
    "Cường",
    "Quân",
    "Bình",
    "Phúc",
    "Khánh",
    "Hiếu",
    "Toàn",
    "Trung",
    "Thành",
    "Tùng",
    "Việt",
    "Hòa",
]
GIVEN_WOMEN = [
    "Lan",
    "Hương",
    "Hoa",
    "Mai",
    "Huyền",
    "Trang",
    "Thảo",
    "Linh",
    "Nga",
    "Yến",
    "Hạnh",
    "Loan",
    "Dung",
    "Vân",
    "Oanh",
    "Hà",
]
POSTS_OUTSIDE = [
    "Trưởng thôn",
    "Chủ tịch Hội Nông dân xã",
    "Phó Chủ tịch UBND xã",
    "Bí thư Đoàn xã",
    "Chủ tịch Hội Phụ nữ xã",
    "Công chức Văn phòng UBND xã",
]

# (district id, name, code, [(commune id, name, [cell names])]); small demos keep the first parts.
DISTRICTS = [
    (
        "hu-duytien",
        "Huyện ủy Duy Tiên",
        "HU-DT",
        [
            (
                "xa-yenbac",
                "Đảng bộ xã Yên Bắc",
                [
                    "Chi bộ thôn Đô Quan",
                    "Chi bộ thôn Yên Mỹ",
                    "Chi bộ thôn Lũng Xuyên",
                    "Chi bộ thôn Ngô Khê",
                ],
            ),
            (
                "xa-mocnam",
                "Đảng bộ xã Mộc Nam",
                ["Chi bộ thôn Yên Lạc", "Chi bộ thôn Nha Xá", "Chi bộ thôn Lảnh Trì"],
            ),
        ],
    ),
    (
        "hu-thanhliem",
        "Huyện ủy Thanh Liêm",
        "HU-TL",
        [
            (
                "xa-thanhha",
                "Đảng bộ xã Thanh Hà",
                [
                    "Chi bộ thôn Phú Gia",
                    "Chi bộ thôn Thịnh Châu",
                    "Chi bộ thôn Đặng Xá",
                    "Chi bộ Trường THCS Thanh Hà",
                ],
            ),
            (
                "xa-liemphong",
                "Đảng bộ xã Liêm Phong",
                ["Chi bộ thôn Bồng Lạng", "Chi bộ thôn Đồng Thủy", "Chi bộ thôn Mậu Chử"],
            ),
        ],
    ),
    (
        "tu-phuly",
        "Thành ủy Phủ Lý",
        "TU-PL",
        [
            (
                "phuong-lamha",
                "Đảng bộ phường Lam Hạ",
                ["Chi bộ tổ dân phố số 1", "Chi bộ tổ dân phố số 2", "Chi bộ tổ dân phố số 3"],
            ),
            (
                "phuong-quangtrung",
                "Đảng bộ phường Quang Trung",
                ["Chi bộ tổ dân phố Trần Hưng Đạo", "Chi bộ tổ dân phố Lê Lợi", "Chi bộ khối cơ quan"],
            ),
        ],
    ),
]
PROVINCE = ("tu-hanam", "Tỉnh ủy Hà Nam", "TU-HNa")


@dataclass
class Member:
    member_id: str
    full_name: str
    org_id: str
    membership: str  # full | probationary
    admitted_on: date
    posts_in_cell: list[str] = field(default_factory=list)
    posts_outside_cell: list[str] = field(default_factory=list)


@dataclass
class Cell:
    org_id: str
    name: str
    commune_id: str
    members: list[Member] = field(default_factory=list)

    def with_post(self, post: str) -> Member:
        return next(m for m in self.members if post in m.posts_in_cell)


@dataclass
class Commune:
    org_id: str
    name: str
    district_id: str
    cells: list[Cell] = field(default_factory=list)


@dataclass
class District:
    org_id: str
    name: str
    code: str
    communes: list[Commune] = field(default_factory=list)


@dataclass
class Calendar:
    """The campaign's year laid out between its start and a couple of days before today."""

    year: int
    start: date
    end: date
    today: date

    @classmethod
    def for_today(cls, today: date) -> Calendar:
        if today.month < 3:  # too little of this year has passed: tell last year's story
            return cls(today.year - 1, date(today.year - 1, 1, 5), date(today.year - 1, 12, 28), today)
        return cls(today.year, date(today.year, 1, 5), today - timedelta(days=2), today)

    def at(self, fraction: float) -> date:
        """The day a fraction of the way through the campaign."""
        return self.start + timedelta(days=round(fraction * (self.end - self.start).days))


@dataclass
class Province:
    org_id: str
    name: str
    code: str
    districts: list[District]

    @property
    def communes(self) -> list[Commune]:
        return [c for d in self.districts for c in d.communes]

    @property
    def cells(self) -> list[Cell]:
        return [cell for c in self.communes for cell in c.cells]


def _name(rng: random.Random) -> str:
    woman = rng.random() < 0.42
    middle = rng.choice(MIDDLE_WOMEN if woman else MIDDLE_MEN)
    given = rng.choice(GIVEN_WOMEN if woman else GIVEN_MEN)
    return f"{rng.choice(SURNAMES)} {middle} {given}"


def _members(rng: random.Random, cell_id: str, count: int, calendar: Calendar) -> list[Member]:
    members = []
    for n in range(1, count + 1):
        probationary = n > 3 and rng.random() < 0.12
        if probationary:  # admitted 8-11 months before the campaign ends, so rated this year
            admitted = calendar.end - timedelta(days=rng.randint(240, 330))
        else:
            admitted = date(rng.randint(1978, calendar.year - 2), rng.randint(1, 12), rng.randint(1, 28))
        posts = (
            ["secretary"]
            if n == 1
            else ["deputy"]
            if n == 2 and count >= 9
            else (["committee_member"] if n == 3 and count >= 9 else [])
        )
        outside = [rng.choice(POSTS_OUTSIDE)] if n <= 2 and rng.random() < 0.5 else []
        members.append(
            Member(
                f"dv-{cell_id}-{n:02d}",
                _name(rng),
                cell_id,
                "probationary" if probationary else "full",
                admitted,
                posts,
                outside,
            )
        )
    return members


def build_province(seed: int, small: bool, today: date) -> tuple[Province, Calendar]:
    """The whole synthetic province; `small`: one district, two communes, four cells."""
    rng = random.Random(seed)
    calendar = Calendar.for_today(today)
    districts = []
    for district_id, name, code, communes in DISTRICTS[:1] if small else DISTRICTS:
        district = District(district_id, name, code)
        for commune_id, commune_name, cells in communes:
            commune = Commune(commune_id, commune_name, district_id)
            for n, cell_name in enumerate(cells[:2] if small else cells, start=1):
                cell_id = f"{commune_id}-cb{n:02d}"
                size = rng.randint(5, 7) if small else rng.randint(10, 15)
                commune.cells.append(
                    Cell(cell_id, cell_name, commune_id, _members(rng, cell_id, size, calendar))
                )
            district.communes.append(commune)
        districts.append(district)
    return Province(*PROVINCE, districts), calendar
