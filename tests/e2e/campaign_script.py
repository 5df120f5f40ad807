"""The whole 2025 campaign of a small province, told through the public HTTP API only.

`tell(system_url)` runs it and returns a `Story`: every refusal and answer the tests look
at, and the reports fetched at the end. The tree, the people and every date are literal
here so that tests/e2e/test_full_campaign.py can state each figure by hand.

    Tỉnh ủy Hà Nam (tu-hanam)
     ├─ Huyện ủy Duy Tiên (hu-duytien)
     │   ├─ Đảng bộ xã Yên Bắc (xa-yenbac)
     │   │   ├─ Chi bộ thôn Đô Quan (cb-doquan)   dv-dq-01..04  pilot session
     │   │   └─ Chi bộ thôn Yên Mỹ  (cb-yenmy)    dv-ym-01..04  dv-ym-03 inspected, warned, appeals
     │   └─ Đảng bộ xã Mộc Nam (xa-mocnam)
     │       └─ Chi bộ thôn Nha Xá  (cb-nhaxa)    dv-nx-01..04  dv-nx-04 reprimanded by the cell
     └─ Huyện ủy Thanh Liêm (hu-thanhliem)        its plan copies the province's: flagged
         └─ Đảng bộ xã Thanh Hà (xa-thanhha)      regular inspection, no violation
             ├─ Chi bộ thôn Phú Gia (cb-phugia)   dv-pg-01..04  dv-pg-03's remediation overdue
             └─ Chi bộ thôn Đặng Xá (cb-dangxa)   dv-dx-01..04  session scheduled, never held
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import requests

YEAR = 2025
PERIOD = f"year:{YEAR}"
PASSWORD = "tu-soi-tu-sua-2025"
LOGS = ("plans", "sessions", "oversight")
# Whose events each service consumes (what "caught up" waits for).
CONSUMES = {
    "plans": ("sessions", "oversight"),
    "sessions": ("plans", "oversight"),
    "oversight": ("plans", "sessions"),
    "reporting": ("plans", "sessions", "oversight"),
}

P, A, B = "tu-hanam", "hu-duytien", "hu-thanhliem"
YB, MN, TH = "xa-yenbac", "xa-mocnam", "xa-thanhha"
DQ, YM, NX, PG, DX = "cb-doquan", "cb-yenmy", "cb-nhaxa", "cb-phugia", "cb-dangxa"
TREE = [  # org_id, kind, parent, name
    (P, "province", None, "Tỉnh ủy Hà Nam"),
    (A, "district", P, "Huyện ủy Duy Tiên"),
    (B, "district", P, "Huyện ủy Thanh Liêm"),
    (YB, "grassroots", A, "Đảng bộ xã Yên Bắc"),
    (MN, "grassroots", A, "Đảng bộ xã Mộc Nam"),
    (TH, "grassroots", B, "Đảng bộ xã Thanh Hà"),
    (DQ, "cell", YB, "Chi bộ thôn Đô Quan"),
    (YM, "cell", YB, "Chi bộ thôn Yên Mỹ"),
    (NX, "cell", MN, "Chi bộ thôn Nha Xá"),
    (PG, "cell", TH, "Chi bộ thôn Phú Gia"),
    (DX, "cell", TH, "Chi bộ thôn Đặng Xá"),
]
CELL_CODES = {DQ: "dq", YM: "ym", NX: "nx", PG: "pg", DX: "dx"}
NAMES = {
    DQ: ["Nguyễn Văn Hùng", "Trần Thị Lan", "Lê Đức Thắng", "Phạm Thu Hương"],
    YM: ["Hoàng Minh Tuấn", "Vũ Thị Mai", "Đặng Quang Hải", "Bùi Ngọc Trang"],
    NX: ["Đỗ Xuân Long", "Ngô Thị Hoa", "Dương Hữu Nam", "Lý Văn Sơn"],
    PG: ["Đinh Công Cường", "Trịnh Thị Yến", "Phan Thanh Bình", "Lương Văn Phúc"],
    DX: ["Nguyễn Thị Hạnh", "Trần Đình Khánh", "Lê Thị Dung", "Phạm Tiến Dũng"],
}


def member(cell: str, n: int) -> str:
    return f"dv-{CELL_CODES[cell]}-{n:02d}"


def members_of(cell: str) -> list[str]:
    return [member(cell, n) for n in range(1, 5)]


WARNED = member(YM, 3)  # Đặng Quang Hải: inspected upon signs of violation, warned, appeals
REPRIMANDED = member(NX, 4)  # Lý Văn Sơn: reprimanded by his own cell
OVERDUE = member(PG, 3)  # Phan Thanh Bình: his remediation falls overdue

# Member ratings for 2025 (QD366-2025: the level follows a 100-point score).
SCORES = {"excellent": 95.0, "good": 80.0, "completed": 60.0, "not_completed": 45.0}
MEMBER_LEVELS = {
    YB: {
        member(DQ, 1): "excellent",
        member(DQ, 2): "good",
        member(DQ, 3): "good",
        member(DQ, 4): "good",
        member(YM, 1): "good",
        member(YM, 2): "good",
        WARNED: "not_completed",
        member(YM, 4): "completed",
    },
    MN: {
        member(NX, 1): "good",
        member(NX, 2): "good",
        member(NX, 3): "completed",
        REPRIMANDED: "not_completed",
    },
    TH: {
        member(PG, 1): "excellent",
        member(PG, 2): "good",
        OVERDUE: "completed",
        member(PG, 4): "good",
        member(DX, 1): "good",
        member(DX, 2): "good",
        member(DX, 3): "good",
        member(DX, 4): "good",
    },
}
COLLECTIVE_LEVELS = {DQ: "excellent", YM: "good", NX: "good", PG: "completed", DX: "completed"}

DETECTED_ON = f"{YEAR}-12-31"  # the overdue sweep is run as of the year's last day


class ApiError(AssertionError):
    pass


class Api:
    """A signed-in user of the gateway."""

    def __init__(self, base: str, username: str, password: str) -> None:
        self.base, self.username = base, username
        self.http = requests.Session()
        answer = self.http.post(
            f"{base}/api/auth/token", json={"username": username, "password": password}, timeout=30
        )
        if answer.status_code != 200:
            raise ApiError(f"log in as {username}: {answer.status_code} {answer.text}")
        self.http.headers["Authorization"] = f"Bearer {answer.json()['token']}"

    def post(self, path: str, body: dict[str, Any]) -> requests.Response:
        return self.http.post(f"{self.base}{path}", json=body, timeout=60)

    def get(self, path: str, **params: Any) -> requests.Response:
        return self.http.get(f"{self.base}{path}", params=params, timeout=60)

    def ok(self, path: str, body: dict[str, Any], status: int = 201) -> Any:
        answer = self.post(path, body)
        if answer.status_code != status:
            raise ApiError(f"{self.username} POST {path}: {answer.status_code} {answer.text[:1500]}")
        return answer.json()

    def read(self, path: str, **params: Any) -> Any:
        answer = self.get(path, **params)
        if answer.status_code != 200:
            raise ApiError(f"{self.username} GET {path} {params}: {answer.status_code} {answer.text[:1500]}")
        return answer.json()


def caught_up(status: dict[str, Any]) -> dict[str, Any] | None:
    """Positions if every consumer has applied every producer's log up to its head."""
    services = status["services"]
    if not all(s.get("ok") for s in services.values()):
        return None
    heads = {log: services[log]["backbone"]["log_head"] for log in LOGS}
    for log in LOGS:
        if services[log]["backbone"]["published"] != heads[log]:
            return None
    for consumer, sources in CONSUMES.items():
        consumed = services[consumer]["backbone"]["consumed"]
        if any(consumed.get(src, 0) != heads[src] for src in sources):
            return None
    return heads


def settle(admin: Api, timeout: float = 90.0) -> dict[str, Any]:
    """Wait until every consumed position equals each producer's log head, twice running."""
    deadline = time.monotonic() + timeout
    previous: dict[str, Any] | None = None
    status: Any = None
    while time.monotonic() < deadline:
        status = admin.read("/api/audit/status")
        heads = caught_up(status)
        if heads is not None and heads == previous:
            return heads
        previous = heads
        time.sleep(0.25)
    raise ApiError(f"the services did not catch up in {timeout}s: {status}")


@dataclass
class Story:
    """What the campaign's users were told, and the reports at the end."""

    answers: dict[str, requests.Response] = field(default_factory=dict)
    values: dict[str, Any] = field(default_factory=dict)
    reports: dict[str, dict[str, Any]] = field(default_factory=dict)
    drill: dict[tuple[str, str], list[dict[str, Any]]] = field(default_factory=dict)


# --------------------------------------------------------------------------- the story


def people(admin: Api) -> None:
    """Role-scoped users: the provincial office, cell secretaries, inspection bodies, a member."""
    users = {
        "vanphong-tinhuy": ("Văn phòng Tỉnh ủy", [("committee_staff", P)]),
        "ubkt-duytien": ("Ủy ban Kiểm tra Huyện ủy Duy Tiên", [("inspection_commission", A)]),
        "ubkt-thanhliem": ("Ủy ban Kiểm tra Huyện ủy Thanh Liêm", [("inspection_commission", B)]),
        "danguy-yenbac": ("Đảng ủy xã Yên Bắc", [("inspection_commission", YB)]),
        # The cell's own body records the cell's discipline decisions.
        "bithu-yenmy": ("Bí thư Chi bộ Yên Mỹ", [("cell_secretary", YM), ("inspection_commission", YM)]),
        "bithu-nhaxa": ("Bí thư Chi bộ Nha Xá", [("cell_secretary", NX), ("inspection_commission", NX)]),
        "bithu-doquan": ("Bí thư Chi bộ Đô Quan", [("cell_secretary", DQ)]),
        "bithu-phugia": ("Bí thư Chi bộ Phú Gia", [("cell_secretary", PG)]),
        "bithu-dangxa": ("Bí thư Chi bộ Đặng Xá", [("cell_secretary", DX)]),
        "dv-ym-03": ("Đặng Quang Hải", [("member", YM)]),
    }
    for username, (display, grants) in users.items():
        admin.ok("/api/users", {"username": username, "password": PASSWORD, "display_name": display})
        for role, org in grants:
            grant = {"role": role, "org_id": org}
            if role == "member":
                grant["member_id"] = WARNED
            admin.ok(f"/api/users/{username}/grants", grant)


def secretary_of(cell: str) -> str:
    return {YM: "bithu-yenmy", NX: "bithu-nhaxa", DQ: "bithu-doquan", PG: "bithu-phugia", DX: "bithu-dangxa"}[
        cell
    ]


def plans(office: Api, story: Story) -> None:
    province_tasks = [
        {
            "task_id": "t1",
            "title": "Quán triệt Kết luận 21-KL/TW và Quy định 37-QĐ/TW đến toàn thể đảng viên",
            "owner": "Ban Tuyên giáo Tỉnh ủy",
            "deadline": "2025-03-31",
            "expected_result": "100% chi bộ tổ chức quán triệt",
        },
        {
            "task_id": "t2",
            "title": "Tổ chức sinh hoạt chuyên đề tự soi, tự sửa ở tất cả chi bộ",
            "owner": "Ban Tổ chức Tỉnh ủy",
            "deadline": "2025-06-30",
            "expected_result": "100% chi bộ sinh hoạt chuyên đề, có biên bản",
        },
        {
            "task_id": "t3",
            "title": "Kiểm tra, giám sát việc tự soi, tự sửa ở cấp dưới",
            "owner": "Ủy ban Kiểm tra Tỉnh ủy",
            "deadline": "2025-11-30",
            "expected_result": "Mỗi huyện ủy được kiểm tra ít nhất một lần",
        },
    ]
    office.ok(
        "/api/plans",
        {
            "plan_id": "kh-87-tu",
            "org_id": P,
            "number": "87-KH/TU",
            "issued_on": "2025-02-10",
            "title": "Kế hoạch thực hiện Kết luận 21-KL/TW về đẩy mạnh xây dựng, chỉnh đốn Đảng",
            "implements_documents": ["21-KL/TW", "37-QĐ/TW", "03-KH/TW"],
            "required_unit_ids": [A, B],
            "deadline": "2025-12-15",
            "tasks": province_tasks,
        },
    )
    office.ok(
        "/api/plans/kh-87-tu/tasks/t1/complete",
        {"note": "Đã tổ chức hội nghị quán triệt trực tuyến toàn tỉnh", "completed_on": "2025-03-20"},
        200,
    )
    # Duy Tiên writes its own plan, fitted to its functions.
    office.ok(
        "/api/plans",
        {
            "plan_id": "kh-12-hu-dt",
            "org_id": A,
            "number": "12-KH/HU",
            "issued_on": "2025-02-20",
            "title": "Kế hoạch thực hiện Kế hoạch 87-KH/TU của Tỉnh ủy tại huyện Duy Tiên",
            "implements_documents": ["87-KH/TU"],
            "parent_plan_id": "kh-87-tu",
            "required_unit_ids": [YB, MN],
            "deadline": "2025-12-10",
            "tasks": [
                {
                    "task_id": "t1",
                    "title": "Hội nghị cán bộ chủ chốt huyện, kiểm điểm trách nhiệm người đứng đầu",
                    "owner": "Ban Tuyên giáo Huyện ủy Duy Tiên",
                    "deadline": "2025-03-31",
                },
                {
                    "task_id": "t2",
                    "title": "Chỉ đạo sinh hoạt điểm tại chi bộ thôn Đô Quan, rút kinh nghiệm nhân rộng",
                    "owner": "Thường trực Huyện ủy Duy Tiên",
                    "deadline": "2025-04-30",
                },
                {
                    "task_id": "t3",
                    "title": "Theo dõi tiến độ khắc phục hạn chế theo từng đảng viên, báo cáo hằng quý",
                    "owner": "Ủy ban Kiểm tra Huyện ủy Duy Tiên",
                    "deadline": "2025-11-30",
                },
            ],
        },
    )
    office.ok(
        "/api/plans/kh-12-hu-dt/tasks/t1/complete",
        {"note": "Đã tổ chức hội nghị", "completed_on": "2025-03-25"},
        200,
    )
    # Thanh Liêm merely copies the province's task list: flagged as a copy.
    story.values["copy_plan"] = office.ok(
        "/api/plans",
        {
            "plan_id": "kh-15-hu-tl",
            "org_id": B,
            "number": "15-KH/HU",
            "issued_on": "2025-02-25",
            "title": "Kế hoạch thực hiện Kế hoạch 87-KH/TU của Tỉnh ủy tại huyện Thanh Liêm",
            "implements_documents": ["87-KH/TU"],
            "parent_plan_id": "kh-87-tu",
            "required_unit_ids": [TH],
            "deadline": "2025-12-10",
            "tasks": province_tasks,
        },
    )
    communes = [
        ("kh-yenbac", YB, "kh-12-hu-dt", [DQ, YM], "Yên Bắc"),
        ("kh-mocnam", MN, "kh-12-hu-dt", [NX], "Mộc Nam"),
        ("kh-thanhha", TH, "kh-15-hu-tl", [PG, DX], "Thanh Hà"),
    ]
    for k, (plan_id, org, parent, cells, name) in enumerate(communes):
        office.ok(
            "/api/plans",
            {
                "plan_id": plan_id,
                "org_id": org,
                "number": f"{5 + k}-KH/ĐU",
                "issued_on": f"2025-03-0{3 + k}",
                "title": f"Kế hoạch tự soi, tự sửa của Đảng bộ xã {name}",
                "parent_plan_id": parent,
                "required_unit_ids": cells,
                "deadline": "2025-11-30",
                "tasks": [
                    {
                        "task_id": "t1",
                        "title": f"Hướng dẫn chi bộ xã {name} chuẩn bị báo cáo kiểm điểm tập thể",
                        "owner": f"Phó Bí thư Đảng ủy xã {name}",
                        "deadline": "2025-04-05",
                    },
                    {
                        "task_id": "t2",
                        "title": f"Đảng ủy viên phụ trách dự từng buổi sinh hoạt ở xã {name}",
                        "owner": f"Đảng ủy viên phụ trách chi bộ ({name})",
                        "deadline": "2025-06-30",
                    },
                ],
            },
        )
        office.ok(
            f"/api/plans/{plan_id}/tasks/t1/complete",
            {"note": "Đã gửi hướng dẫn", "completed_on": "2025-04-01"},
            200,
        )
    story.values["copy_plan_read"] = office.read("/api/plans/kh-15-hu-tl")
    story.values["own_plan_read"] = office.read("/api/plans/kh-12-hu-dt")


def minutes(
    cell: str, held_on: str, absent: dict[str, tuple[str, str]], guests: list[dict[str, str]] | None = None
) -> dict[str, Any]:
    ids = members_of(cell)
    attendance, present = [], []
    for m in ids:
        if m in absent:
            presence, reason = absent[m]
            attendance.append({"member_id": m, "presence": presence, "reason": reason})
        else:
            attendance.append({"member_id": m, "presence": "present"})
            present.append(m)
    return {
        "held_on": held_on,
        "starts_at": "08:00",
        "ends_at": "10:00",
        "place": f"Nhà văn hóa {dict((t[0], t[3]) for t in TREE)[cell].removeprefix('Chi bộ ')}",
        "chair_id": ids[0],
        "minute_taker_id": ids[1],
        "guests": guests or [{"name": "Đồng chí Đảng ủy viên phụ trách", "org": "Đảng ủy xã"}],
        "attendance": attendance,
        "speaking_turns": {m: (2 if m == ids[0] else 1) for m in present},
        "report": "Báo cáo kiểm điểm tập thể chi ủy theo 27 biểu hiện suy thoái "
        "và 19 điều đảng viên không được làm.",
        "conclusions": "Chi bộ thống nhất các hạn chế đã nêu; từng đảng viên xây dựng kế hoạch khắc phục.",
        "resolution": "Thông qua báo cáo kiểm điểm và kế hoạch khắc phục của chi bộ.",
        "vote": {"for": len(present), "against": 0, "abstain": 0},
    }


def shortcoming(sid: str, kind: str, subject: str, codes: list[str], text: str) -> dict[str, Any]:
    return {
        "shortcoming_id": sid,
        "subject_kind": kind,
        "subject_id": subject,
        "codes": codes,
        "description": text,
    }


# The shortcomings named in the sessions (and so the remediation items sessions:<id>).
SESSION_SHORTCOMINGS = {
    DQ: (
        "2025-04-10",
        [
            shortcoming(
                "hc-dq-tt", "organisation", DQ, ["NQ04-4"], "Sinh hoạt còn hình thức, nể nang, né tránh."
            ),
            shortcoming("hc-dq-02", "member", member(DQ, 2), ["NQ04-3"], "Lười học tập nghị quyết."),
            shortcoming(
                "hc-dq-03", "member", member(DQ, 3), ["NQ04-12"], "Bệnh thành tích, báo cáo chưa sát."
            ),
        ],
    ),
    YM: (
        "2025-05-15",
        [
            shortcoming(
                "hc-ym-tt", "organisation", YM, ["NQ04-4", "QD37-3"], "Dân chủ hình thức, ngại va chạm."
            ),
            shortcoming(
                "hc-ym-02",
                "member",
                member(YM, 2),
                ["NQ04-20", "QD37-2"],
                "Chậm báo cáo, chưa chấp hành nguyên tắc.",
            ),
        ],
    ),
    NX: (
        "2025-05-20",
        [
            shortcoming("hc-nx-02", "member", member(NX, 2), ["NQ04-1"], "Ít tham gia sinh hoạt chi bộ."),
        ],
    ),
    PG: (
        "2025-06-05",
        [
            shortcoming(
                "hc-pg-tt", "organisation", PG, ["NQ04-3"], "Chưa tổ chức học tập nghị quyết đều đặn."
            ),
            shortcoming("hc-pg-03", "member", OVERDUE, ["QD37-3"], "Tư tưởng cục bộ trong công tác."),
        ],
    ),
}


def sessions(secretaries: dict[str, Api]) -> None:
    guests = [{"name": NAMES[c][0], "org": dict((t[0], t[3]) for t in TREE)[c]} for c in (YM, NX, PG)]
    held = {
        DQ: minutes(DQ, "2025-04-10", {}, guests),  # the pilot: 4/4 present
        YM: minutes(YM, "2025-05-15", {member(YM, 4): ("absent_with_reason", "Đi công tác")}),  # 3/4
        NX: minutes(NX, "2025-05-20", {}),  # 4/4
        PG: minutes(PG, "2025-06-05", {member(PG, 4): ("absent_without_reason", "")}),  # 3/4
    }
    plan_of = {DQ: "kh-yenbac", YM: "kh-yenbac", NX: "kh-mocnam", PG: "kh-thanhha", DX: "kh-thanhha"}
    scheduled = {DQ: "2025-04-03", YM: "2025-05-08", NX: "2025-05-13", PG: "2025-05-29", DX: "2025-06-20"}
    for cell, day in scheduled.items():
        secretaries[cell].ok(
            "/api/sessions",
            {
                "session_id": f"sh-{cell}-2025",
                "org_id": cell,
                "scheduled_on": day,
                "plan_id": plan_of[cell],
                "theme": "Tự soi, tự sửa theo Kết luận 21-KL/TW và Quy định 37-QĐ/TW",
                "pilot": cell == DQ,
            },
        )
    for cell, body in held.items():  # cb-dangxa never holds its session
        secretaries[cell].ok(f"/api/sessions/sh-{cell}-2025/minutes", body, 200)
        day, found = SESSION_SHORTCOMINGS[cell]
        secretaries[cell].ok(
            f"/api/sessions/sh-{cell}-2025/shortcomings", {"shortcomings": found, "recorded_on": day}, 200
        )


def remediation(office: Api) -> None:
    """Every session shortcoming gets a plan; all but dv-pg-03's are remedied within 30 days."""
    dates = {  # item: (submitted, remedied or None)
        "hc-dq-tt": ("2025-04-15", "2025-05-05"),
        "hc-dq-02": ("2025-04-15", "2025-05-08"),
        "hc-dq-03": ("2025-04-16", "2025-05-06"),
        "hc-ym-tt": ("2025-05-20", "2025-06-10"),
        "hc-ym-02": ("2025-05-20", "2025-06-12"),
        "hc-nx-02": ("2025-05-25", "2025-06-15"),
        "hc-pg-tt": ("2025-06-10", "2025-07-01"),
        "hc-pg-03": ("2025-06-12", None),
    }
    for sid, (submitted, remedied) in dates.items():
        item = f"/api/remediation-items/sessions:{sid}"
        office.ok(
            f"{item}/plan",
            {
                "submitted_on": submitted,
                "actions": [
                    {
                        "description": "Tự phê bình trước chi bộ, lập lịch học tập nghị quyết hằng tháng",
                        "owner": "Bí thư chi bộ",
                        "due_on": "2025-07-01",
                    }
                ],
            },
            200,
        )
        if sid in ("hc-dq-02", "hc-pg-03"):
            office.ok(
                f"{item}/progress",
                {
                    "note": "Đã thực hiện một phần",
                    "reported_on": "2025-04-25" if sid == "hc-dq-02" else "2025-06-30",
                    "percent": 40,
                },
                200,
            )
        if remedied:
            office.ok(
                f"{item}/remedied",
                {"note": "Chi bộ đánh giá đã khắc phục xong", "remedied_on": remedied},
                200,
            )


def phases(api: Api, inspection: str, steps: list[tuple[str, str]]) -> None:
    for phase, day in steps:
        api.ok(f"/api/inspections/{inspection}/phases", {"phase": phase, "recorded_on": day}, 200)


def oversight(users: dict[str, Api], story: Story) -> None:
    team = ["Phạm Quang Hải", "Vũ Thị Lan", "Ngô Đức Toàn"]
    # 1. Thanh Liêm's committee inspects the Thanh Hà committee: regular, no violation.
    tl = users["ubkt-thanhliem"]
    tl.ok(
        "/api/inspections",
        {
            "inspection_id": "kt-thanhha-2025",
            "kind": "regular_inspection",
            "scope": "regular",
            "deciding_body_org_id": B,
            "deciding_body_type": "committee",
            "subject_kind": "organisation",
            "subject_id": TH,
            "content": "Kiểm tra việc lãnh đạo tự soi, tự sửa",
            "period_from": "2025-01-01",
            "period_to": "2025-06-30",
            "team": team,
            "planned_duration_days": 30,
            "decision_number": "05-QĐ/HU",
            "decided_on": "2025-07-01",
        },
    )
    phases(
        tl,
        "kt-thanhha-2025",
        [
            ("notified", "2025-07-03"),
            ("self_report_received", "2025-07-10"),
            ("verified", "2025-07-20"),
            ("draft_discussed", "2025-08-01"),
        ],
    )
    tl.ok(
        "/api/inspections/kt-thanhha-2025/conclusion",
        {
            "conclusion": "Đảng ủy xã lãnh đạo tốt việc tự soi, tự sửa.",
            "concluded_on": "2025-08-15",
            "violation_found": False,
            "discipline_warranted": False,
            "findings": [],
        },
        200,
    )
    phases(tl, "kt-thanhha-2025", [("conclusion_notified", "2025-08-18"), ("archived", "2025-08-25")])

    # 2. Yên Bắc's committee supervises cell Yên Mỹ and finds signs of violation.
    yb = users["danguy-yenbac"]
    yb.ok(
        "/api/inspections",
        {
            "inspection_id": "gs-yenmy-2025",
            "kind": "thematic_supervision",
            "deciding_body_org_id": YB,
            "deciding_body_type": "committee",
            "subject_kind": "organisation",
            "subject_id": YM,
            "content": "Giám sát việc khắc phục hạn chế sau sinh hoạt chuyên đề",
            "period_from": "2025-05-01",
            "period_to": "2025-08-31",
            "team": team,
            "planned_duration_days": 15,
            "decision_number": "03-QĐ/ĐU",
            "decided_on": "2025-09-10",
        },
    )
    yb.ok(
        "/api/inspections/gs-yenmy-2025/supervision",
        {
            "conclusion": "Có dấu hiệu vi phạm trong kê khai tài sản của một đảng viên.",
            "conducted_on": "2025-09-25",
            "violation_signs_found": True,
            "findings": [],
        },
        200,
    )
    phases(yb, "gs-yenmy-2025", [("archived", "2025-09-30")])

    # 3. Upon those signs, Duy Tiên's inspection commission inspects dv-ym-03.
    dt = users["ubkt-duytien"]
    dt.ok(
        "/api/inspections",
        {
            "inspection_id": "kt-dv-ym-03",
            "kind": "inspection_on_signs_of_violation",
            "deciding_body_org_id": A,
            "deciding_body_type": "inspection_commission",
            "subject_kind": "member",
            "subject_id": WARNED,
            "content": "Kiểm tra dấu hiệu vi phạm trong kê khai tài sản, thu nhập",
            "period_from": "2023-01-01",
            "period_to": "2025-09-30",
            "team": team,
            "planned_duration_days": 45,
            "decision_number": "41-QĐ/UBKT",
            "decided_on": "2025-10-01",
        },
    )
    phases(
        dt,
        "kt-dv-ym-03",
        [
            ("notified", "2025-10-03"),
            ("self_report_received", "2025-10-10"),
            ("verified", "2025-10-20"),
            ("draft_discussed", "2025-11-05"),
        ],
    )
    dt.ok(
        "/api/inspections/kt-dv-ym-03/conclusion",
        {
            "conclusion": "Đồng chí kê khai tài sản không trung thực (Quy định 37-QĐ/TW); "
            "phải xem xét kỷ luật.",
            "concluded_on": "2025-12-03",
            "violation_found": True,
            "discipline_warranted": True,
            "catalogue_version": "2024.1",
            "findings": [
                {
                    "shortcoming_id": "kt-dv-ym-03-f1",
                    "subject_kind": "member",
                    "subject_id": WARNED,
                    "org_id": YM,
                    "codes": ["QD37-9"],
                    "description": "Kê khai tài sản, thu nhập không trung thực.",
                }
            ],
        },
        200,
    )
    phases(dt, "kt-dv-ym-03", [("conclusion_notified", "2025-12-04"), ("archived", "2025-12-10")])

    case = {
        "subject_kind": "member",
        "subject_id": WARNED,
        "violations": [{"codes": ["QD37-9"], "committed_on": "2024-11-15"}],
        "discipline_warranted_on": "2025-12-03",
        "inspection_id": "kt-dv-ym-03",
        "reason": "Kê khai tài sản không trung thực (Quy định 37-QĐ/TW, điều 9).",
    }
    # 4. The wrong body: cell Yên Mỹ tries to expel him, and to decide in the district's name.
    cell = users["bithu-yenmy"]
    story.answers["cell_expels"] = cell.post(
        "/api/discipline",
        {
            **case,
            "decision_id": "kl-cb-yenmy-khaitru",
            "deciding_body_org_id": YM,
            "deciding_body_kind": "cell",
            "decided_on": "2025-12-04",
            "form": "expulsion",
        },
    )
    story.answers["cell_as_district"] = cell.post(
        "/api/discipline",
        {
            **case,
            "decision_id": "kl-cb-yenmy-as-hu",
            "deciding_body_org_id": A,
            "deciding_body_kind": "district_inspection_commission",
            "decided_on": "2025-12-04",
            "form": "warning",
        },
    )
    # 5. The right body: the district inspection commission warns him.
    story.values["warning"] = dt.ok(
        "/api/discipline",
        {
            **case,
            "decision_id": "kl-dv-ym-03",
            "deciding_body_org_id": A,
            "deciding_body_kind": "district_inspection_commission",
            "decided_on": "2025-12-05",
            "received_on": "2025-12-06",
            "form": "warning",
        },
    )
    # 6. Cell Nha Xá reprimands its own member for missing meetings without reason.
    users["bithu-nhaxa"].ok(
        "/api/discipline",
        {
            "decision_id": "kl-dv-nx-04",
            "deciding_body_org_id": NX,
            "deciding_body_kind": "cell",
            "decided_on": "2025-11-20",
            "subject_kind": "member",
            "subject_id": REPRIMANDED,
            "form": "reprimand",
            "violations": [{"codes": ["NQ04-4"], "committed_on": "2025-10-15"}],
            "discipline_warranted_on": "2025-11-18",
            "reason": "Nhiều lần bỏ sinh hoạt chi bộ không có lý do.",
        },
    )
    # 7. He appeals, himself, within the month.
    appeal = {
        "appeal_id": "kn-dv-ym-03",
        "lodged_on": "2025-12-10",
        "grounds": "Đề nghị xem xét lại vì đã tự kê khai bổ sung trước khi bị kiểm tra.",
    }
    story.answers["own_decision"] = users["dv-ym-03"].get("/api/discipline/kl-dv-ym-03")
    own = story.answers["own_appeal"] = users["dv-ym-03"].post("/api/discipline/kl-dv-ym-03/appeals", appeal)
    if own.status_code != 201:  # recorded as a bug by the test; the campaign goes on
        dt.ok("/api/discipline/kl-dv-ym-03/appeals", appeal)


def rate(office: Api, story: Story) -> None:
    """Year-end ratings, each grassroots organisation's members in one batch."""
    rated_on = "2025-12-20"
    story.answers["warned_rated_good"] = office.post(
        f"/api/ratings/members/{WARNED}", {"year": YEAR, "rated_on": rated_on, "score": SCORES["good"]}
    )
    too_many = {**MEMBER_LEVELS[YB], member(DQ, 2): "excellent"}  # 2 excellent against 4 good
    story.answers["excellent_cap"] = office.post(
        "/api/ratings/members",
        {
            "year": YEAR,
            "rated_on": rated_on,
            "ratings": [{"member_id": m, "score": SCORES[lv]} for m, lv in too_many.items()],
        },
    )
    for levels in MEMBER_LEVELS.values():
        office.ok(
            "/api/ratings/members",
            {
                "year": YEAR,
                "rated_on": rated_on,
                "ratings": [{"member_id": m, "score": SCORES[lv]} for m, lv in levels.items()],
            },
            200,
        )
    for cell, level in COLLECTIVE_LEVELS.items():
        office.ok(
            f"/api/ratings/organizations/{cell}",
            {"year": YEAR, "rated_on": rated_on, "score": SCORES[level] - 3},
            200,
        )


def flagged(office: Api) -> list[dict[str, Any]]:
    return office.read("/api/ratings", org_id=YB, year=YEAR, flagged_for_review="true")["items"]


def tell(base: str) -> Story:
    story = Story()
    admin = Api(base, "admin", "admin")
    for org_id, kind, parent, name in TREE:
        admin.ok(
            "/api/organizations",
            {
                "org_id": org_id,
                "kind": kind,
                "parent_id": parent,
                "name": name,
                "registered_on": "2024-01-05",
            },
        )
    settle(admin)  # sessions and oversight know the cells
    people(admin)
    users = {
        u: Api(base, u, PASSWORD)
        for u in (
            "vanphong-tinhuy",
            "ubkt-duytien",
            "ubkt-thanhliem",
            "danguy-yenbac",
            "bithu-yenmy",
            "bithu-nhaxa",
            "bithu-doquan",
            "bithu-phugia",
            "bithu-dangxa",
            "dv-ym-03",
        )
    }
    secretaries = {cell: users[secretary_of(cell)] for cell in CELL_CODES}
    office = users["vanphong-tinhuy"]
    for cell, names in NAMES.items():
        for n, full_name in enumerate(names, start=1):
            secretaries[cell].ok(
                "/api/members",
                {
                    "member_id": member(cell, n),
                    "full_name": full_name,
                    "org_id": cell,
                    "membership": "full",
                    "admitted_on": f"{2000 + 2 * n}-05-19",
                    "enrolled_on": "2024-06-01",
                    "posts_in_cell": ["secretary"] if n == 1 else [],
                },
            )
    plans(office, story)
    sessions(secretaries)
    settle(admin)  # plans opened a remediation item per shortcoming; oversight copied the rosters
    remediation(office)
    oversight(users, story)
    settle(admin)  # plans opened the finding's item; sessions learnt of the discipline
    office.ok(
        "/api/remediation-items/oversight:kt-dv-ym-03-f1/plan",
        {
            "submitted_on": "2025-12-08",
            "actions": [
                {
                    "description": "Kê khai bổ sung, giải trình với Ủy ban Kiểm tra",
                    "owner": NAMES[YM][2],
                    "due_on": "2025-12-30",
                }
            ],
        },
        200,
    )
    story.values["sweep"] = admin.ok("/api/remediation-items/detect-overdue", {"as_of": DETECTED_ON}, 200)
    story.values["sweep_again"] = admin.ok(
        "/api/remediation-items/detect-overdue", {"as_of": DETECTED_ON}, 200
    )
    story.answers["office_sweeps"] = office.post(
        "/api/remediation-items/detect-overdue", {"as_of": DETECTED_ON}
    )
    story.values["office_sweeps_province"] = office.ok(
        "/api/remediation-items/detect-overdue", {"as_of": DETECTED_ON, "org_id": P}, 200
    )
    rate(office, story)
    settle(admin)
    story.values["flagged_before_appeal"] = flagged(office)
    # 8. The district committee hears the appeal against its inspection commission: quashed.
    story.values["quashed"] = users["ubkt-duytien"].ok(
        "/api/discipline/kl-dv-ym-03/appeal-decision",
        {
            "outcome": "quashed",
            "decided_on": "2025-12-26",
            "deciding_body_org_id": A,
            "deciding_body_kind": "district_committee",
            "reason": "Đồng chí đã tự phát hiện và kê khai bổ sung trước khi bị kiểm tra.",
        },
        200,
    )
    settle(admin)
    story.values["flagged_after_quash"] = flagged(office)
    story.values["before_rerating"] = datetime.now(UTC).isoformat()
    time.sleep(0.05)
    story.values["rerated"] = office.ok(
        f"/api/ratings/members/{WARNED}",
        {"year": YEAR, "rated_on": "2025-12-29", "score": SCORES["good"]},
        200,
    )
    settle(admin)
    story.values["flagged_after_rerating"] = flagged(office)
    for org in (P, A, B, YB, YM):
        story.reports[org] = admin.read(f"/api/reports/{org}", period=PERIOD)
    story.reports["as_of"] = admin.read(
        f"/api/reports/{P}", period=PERIOD, as_of=story.values["before_rerating"]
    )
    for org, metric in (
        (P, "remediation.overdue"),
        (P, "ratings.member.not_completed"),
        (A, "ratings.member.excellent"),
        (YB, "discipline.member.warning"),
        (P, "discipline.member.reprimand"),
        (P, "sessions.pilot"),
        (P, "plans.flagged_as_copy"),
        (YM, "ratings.member.good"),
    ):
        story.drill[(org, metric)] = admin.read(
            f"/api/reports/{org}/drill-down", metric=metric, period=PERIOD
        )["items"]
    story.answers["member_reads_province"] = users["dv-ym-03"].get(f"/api/reports/{P}", period=PERIOD)
    story.values["verify"] = admin.read("/api/audit/verify")
    story.values["status"] = admin.read("/api/audit/status")
    return story
