"""Load a living synthetic province through the gateway's public HTTP API.

    .venv/bin/python ops/demo.py --gateway http://127.0.0.1:8000 [--small] [--seed N]

A provincial committee ("Tỉnh ủy Hà Nam") with districts, communes and cells; members
with Vietnamese names; the plan cascade (87-KH/TU implementing 21-KL/TW, one district
plan that merely copies it); a pilot session, then the rollout with full minutes;
shortcomings tied to NQ04/QD37 items; remediation (one item left overdue); an
inspection upon signs of violation, discipline by the body with the power, an appeal;
yearly ratings. Deterministic for a seed and a day; skipped when the province exists.
Services answer events asynchronously, so a refusal that means "not known here yet"
(404, 409, 422) is retried for a while before it counts as an error.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import sys
import time
import urllib.error
import urllib.request
from datetime import date, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from demo_world import Calendar, Cell, Province, build_province

RETRY_STATUSES = (404, 409, 502, 503)
DEMO_PASSWORD = "tinhuy-demo-2025"
SCORES = {"excellent": (90, 97), "good": (72, 88), "completed": (52, 68), "not_completed": (35, 48)}
CATALOGUE_VERSION = "2024.1"  # the shortcoming catalogue the sessions service ships

# Every write the demo makes, by name: (method, path template). Ids in the path are
# left out of the body.
PATHS = {
    "register_organization": "/api/organizations",
    "create_user": "/api/users",
    "grant": "/api/users/{username}/grants",
    "enrol_member": "/api/members",
    "issue_plan": "/api/plans",
    "complete_task": "/api/plans/{plan_id}/tasks/{task_id}/complete",
    "schedule_session": "/api/sessions",
    "hold_session": "/api/sessions/{session_id}/minutes",
    "record_shortcomings": "/api/sessions/{session_id}/shortcomings",
    "submit_remediation_plan": "/api/remediation-items/{item_id}/plan",
    "report_remediation_progress": "/api/remediation-items/{item_id}/progress",
    "mark_remedied": "/api/remediation-items/{item_id}/remedied",
    "adopt_programme": "/api/programmes",
    "open_inspection": "/api/inspections",
    "record_phase": "/api/inspections/{inspection_id}/phases",
    "conclude_inspection": "/api/inspections/{inspection_id}/conclusion",
    "conduct_supervision": "/api/inspections/{inspection_id}/supervision",
    "item_carried_out": "/api/programmes/{programme_id}/items/{item_id}/carried-out",
    "suggest_review": "/api/review-suggestions",
    "answer_suggestion": "/api/review-suggestions/{suggestion_id}/answer",
    "impose_discipline": "/api/discipline",
    "lodge_appeal": "/api/discipline/{decision_id}/appeals",
    "decide_appeal": "/api/discipline/{decision_id}/appeal-decision",
    "rate_members": "/api/ratings/members",
    "rate_collective": "/api/ratings/organizations/{org_id}",
}


class ApiFailure(RuntimeError):
    def __init__(self, status: int, body: Any, what: str) -> None:
        super().__init__(f"{what}: HTTP {status} {json.dumps(body, ensure_ascii=False)[:600]}")
        self.status = status
        self.body = body


class Gateway:
    """A tiny JSON client: bearer token, idempotency keys, patience with lagging services."""

    def __init__(self, base: str, patience: float = 60.0) -> None:
        self.base = base.rstrip("/")
        self.token: str | None = None
        self.patience = patience
        self.calls = 0

    def request(self, method: str, path: str, body: Any = None, key: str | None = None) -> tuple[int, Any]:
        headers = {"Accept": "application/json"}
        data = None
        if body is not None:
            data = json.dumps(body, ensure_ascii=False).encode()
            headers["Content-Type"] = "application/json"
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        if key:
            headers["Idempotency-Key"] = key
        req = urllib.request.Request(self.base + path, data=data, method=method, headers=headers)
        self.calls += 1
        try:
            with urllib.request.urlopen(req, timeout=30) as response:
                raw = response.read()
                return response.status, json.loads(raw) if raw else None
        except urllib.error.HTTPError as exc:
            raw = exc.read()
            try:
                return exc.code, json.loads(raw)
            except ValueError:
                return exc.code, raw.decode("utf-8", "replace")

    def get(self, path: str) -> tuple[int, Any]:
        return self.request("GET", path)

    def login(self, username: str, password: str) -> dict[str, Any]:
        status, body = self.request("POST", "/api/auth/token", {"username": username, "password": password})
        if status != 200:
            raise ApiFailure(status, body, f"log in as {username}")
        self.token = body["token"]
        return body

    def send(self, name: str, body: dict[str, Any], **ids: str) -> Any:
        """POST one command; retried while the services catch up with each other."""
        path = PATHS[name].format(**{k: urllib.request.quote(v, safe="") for k, v in ids.items()})
        key = hashlib.sha256(f"demo|{path}|{json.dumps(body, sort_keys=True)}".encode()).hexdigest()[:40]
        deadline = time.monotonic() + self.patience
        delay = 0.1
        while True:
            status, answer = self.request("POST", path, body, key)
            if status < 300:
                return answer
            if status not in RETRY_STATUSES or time.monotonic() > deadline:
                raise ApiFailure(status, answer, f"{name} {path}")
            time.sleep(delay)
            delay = min(delay * 1.6, 2.0)


def iso(day: date) -> str:
    return day.isoformat()


class Story:
    """The campaign year, told command by command."""

    def __init__(self, api: Gateway, province: Province, calendar: Calendar, seed: int) -> None:
        self.api, self.p, self.cal = api, province, calendar
        self.rng = random.Random(seed + 1)
        self.y = calendar.year
        self.item_ids: list[tuple[str, date, Cell]] = []
        self.held: list[tuple[str, Cell, date]] = []
        self.disciplined: set[str] = set()

    def say(self, text: str) -> None:
        print(f"[demo] {text}", flush=True)

    # ------------------------------------------------------------------ tree, people
    def tree(self) -> None:
        p, founded = self.p, date(2015, 1, 1)
        self.say(
            f"registering {p.name}: {len(p.districts)} districts, {len(p.communes)} communes, "
            f"{len(p.cells)} cells"
        )
        self.api.send(
            "register_organization",
            {
                "org_id": p.org_id,
                "kind": "province",
                "name": p.name,
                "code": p.code,
                "registered_on": iso(founded),
            },
        )
        for d in p.districts:
            self.api.send(
                "register_organization",
                {
                    "org_id": d.org_id,
                    "kind": "district",
                    "name": d.name,
                    "code": d.code,
                    "parent_id": p.org_id,
                    "registered_on": iso(founded),
                },
            )
            for c in d.communes:
                self.api.send(
                    "register_organization",
                    {
                        "org_id": c.org_id,
                        "kind": "grassroots",
                        "name": c.name,
                        "parent_id": d.org_id,
                        "registered_on": iso(founded),
                    },
                )
                for cell in c.cells:
                    self.api.send(
                        "register_organization",
                        {
                            "org_id": cell.org_id,
                            "kind": "cell",
                            "name": cell.name,
                            "parent_id": c.org_id,
                            "registered_on": iso(founded),
                        },
                    )

    def users(self) -> None:
        """A provincial committee clerk who sees the whole province on the dashboard."""
        try:
            self.api.send(
                "create_user",
                {"username": "tinhuy", "password": DEMO_PASSWORD, "display_name": "Văn phòng Tỉnh ủy"},
            )
            self.api.send("grant", {"role": "committee_staff", "org_id": self.p.org_id}, username="tinhuy")
            self.say(f"user 'tinhuy' / '{DEMO_PASSWORD}' sees {self.p.name}")
        except ApiFailure as exc:
            self.say(f"no demo user created ({exc}); use the administrator")

    def members(self) -> None:
        enrolled = self.cal.at(0.0) - timedelta(days=30)
        total = 0
        for cell in self.p.cells:
            for m in cell.members:
                self.api.send(
                    "enrol_member",
                    {
                        "member_id": m.member_id,
                        "full_name": m.full_name,
                        "org_id": cell.org_id,
                        "membership": m.membership,
                        "admitted_on": iso(m.admitted_on),
                        "enrolled_on": iso(max(m.admitted_on, enrolled)),
                        "posts_in_cell": m.posts_in_cell,
                        "posts_outside_cell": m.posts_outside_cell,
                    },
                )
                total += 1
        self.say(f"enrolled {total} members")

    # ------------------------------------------------------------------ plans
    def plans(self) -> None:
        p, at = self.p, self.cal.at
        province_plan = f"kh-87-tu-{self.y}"
        tasks = [
            (
                "t1",
                "Quán triệt Kết luận 21-KL/TW và Quy định 37-QĐ/TW đến toàn thể đảng viên",
                "Ban Tuyên giáo Tỉnh ủy",
                0.15,
                "100% chi bộ tổ chức quán triệt",
            ),
            (
                "t2",
                "Tổ chức sinh hoạt chuyên đề tự soi, tự sửa ở tất cả chi bộ",
                "Ban Tổ chức Tỉnh ủy",
                0.45,
                "100% chi bộ sinh hoạt chuyên đề, có biên bản",
            ),
            (
                "t3",
                "Xây dựng và thực hiện kế hoạch khắc phục hạn chế, khuyết điểm",
                "Các cấp ủy trực thuộc",
                0.8,
                "Mỗi hạn chế có kế hoạch khắc phục, rõ người, rõ việc",
            ),
            (
                "t4",
                "Kiểm tra, giám sát việc tự soi, tự sửa ở cấp dưới",
                "Ủy ban Kiểm tra Tỉnh ủy",
                0.9,
                "Mỗi huyện ủy được kiểm tra ít nhất một lần",
            ),
        ]
        task_list = [
            {"task_id": t, "title": title, "owner": owner, "deadline": iso(at(f)), "expected_result": result}
            for t, title, owner, f, result in tasks
        ]
        self.api.send(
            "issue_plan",
            {
                "plan_id": province_plan,
                "org_id": p.org_id,
                "number": "87-KH/TU",
                "issued_on": iso(at(0.02)),
                "title": "Kế hoạch thực hiện Kết luận số 21-KL/TW về đẩy mạnh xây dựng, chỉnh đốn Đảng",
                "implements_documents": ["21-KL/TW", "37-QĐ/TW", "03-KH/TW"],
                "parent_plan_id": None,
                "required_unit_ids": [d.org_id for d in p.districts],
                "deadline": iso(at(0.95)),
                "tasks": task_list,
            },
        )
        self.api.send(
            "complete_task",
            {"note": "Đã tổ chức hội nghị quán triệt trực tuyến toàn tỉnh", "completed_on": iso(at(0.12))},
            plan_id=province_plan,
            task_id="t1",
        )
        for n, d in enumerate(p.districts):
            plan_id = f"kh-{d.org_id}-{self.y}"
            copied = (
                n == len(p.districts) - 1 and len(p.districts) > 1
            )  # the last district copies the province
            own_tasks = (
                task_list
                if copied
                else [
                    {
                        "task_id": "t1",
                        "title": f"Hội nghị quán triệt tại {d.name}, kiểm điểm trách nhiệm người đứng đầu",
                        "owner": f"Ban Tuyên giáo {d.name}",
                        "deadline": iso(at(0.18)),
                        "expected_result": "Toàn bộ bí thư chi bộ dự",
                    },
                    {
                        "task_id": "t2",
                        "title": "Chỉ đạo sinh hoạt điểm tại một chi bộ, rút kinh nghiệm trước khi nhân rộng",
                        "owner": f"Thường trực {d.name}",
                        "deadline": iso(at(0.3)),
                        "expected_result": "Có báo cáo rút kinh nghiệm",
                    },
                    {
                        "task_id": "t3",
                        "title": "Theo dõi tiến độ khắc phục theo từng đảng viên",
                        "owner": f"Ủy ban Kiểm tra {d.name}",
                        "deadline": iso(at(0.85)),
                        "expected_result": "Báo cáo tiến độ hằng quý",
                    },
                ]
            )
            self.api.send(
                "issue_plan",
                {
                    "plan_id": plan_id,
                    "org_id": d.org_id,
                    "number": f"{12 + 3 * n}-KH/{d.code.split('-')[0]}",
                    "issued_on": iso(at(0.04 + 0.01 * n)),
                    "title": f"Kế hoạch thực hiện Kế hoạch 87-KH/TU của Tỉnh ủy ({d.name})",
                    "implements_documents": ["87-KH/TU", "21-KL/TW"],
                    "parent_plan_id": province_plan,
                    "required_unit_ids": [c.org_id for c in d.communes],
                    "deadline": iso(at(0.95)),
                    "tasks": own_tasks,
                },
            )
            if not copied:
                self.api.send(
                    "complete_task",
                    {"note": "Đã tổ chức hội nghị", "completed_on": iso(at(0.15))},
                    plan_id=plan_id,
                    task_id="t1",
                )
            for k, c in enumerate(d.communes):
                if copied and k == len(d.communes) - 1:
                    continue  # one commune has not issued its plan yet
                self.api.send(
                    "issue_plan",
                    {
                        "plan_id": f"kh-{c.org_id}-{self.y}",
                        "org_id": c.org_id,
                        "number": f"{5 + k}-KH/ĐU",
                        "issued_on": iso(at(0.07 + 0.01 * k)),
                        "title": f"Kế hoạch tự soi, tự sửa của {c.name}",
                        "implements_documents": [],
                        "parent_plan_id": plan_id,
                        "required_unit_ids": [cell.org_id for cell in c.cells],
                        "deadline": iso(at(0.9)),
                        "tasks": [
                            {
                                "task_id": "t1",
                                "title": "Hướng dẫn chi bộ chuẩn bị báo cáo kiểm điểm tập thể",
                                "owner": f"Phó Bí thư {c.name}",
                                "deadline": iso(at(0.2)),
                                "expected_result": "Mỗi chi bộ có dự thảo báo cáo",
                            },
                            {
                                "task_id": "t2",
                                "title": "Dự và chỉ đạo sinh hoạt chuyên đề ở các chi bộ",
                                "owner": f"Đảng ủy viên phụ trách chi bộ ({c.name})",
                                "deadline": iso(at(0.5)),
                                "expected_result": "Mỗi buổi sinh hoạt có đảng ủy viên dự",
                            },
                        ],
                    },
                )
        self.say("plans issued: 87-KH/TU, district plans (one a copy), commune plans")

    # ------------------------------------------------------------------ sessions
    def sessions(self) -> None:
        cells = self.p.cells
        pilot = cells[0]
        skipped = {cells[-1].org_id} | ({cells[len(cells) // 2].org_id} if len(cells) > 6 else set())
        self.hold(
            pilot,
            self.cal.at(0.22),
            pilot=True,
            guests=[{"name": c.with_post("secretary").full_name, "org": c.name} for c in cells[1:4]],
        )
        rollout = [c for c in cells[1:] if c.org_id not in skipped]
        for i, cell in enumerate(rollout):
            self.hold(cell, self.cal.at(0.3 + 0.25 * i / max(1, len(rollout))))
        self.say(
            f"sessions held: 1 pilot and {len(rollout)} rollout, {len(skipped)} cells still to hold theirs"
        )

    def hold(
        self, cell: Cell, day: date, pilot: bool = False, guests: list[dict[str, str]] | None = None
    ) -> None:
        rng = self.rng
        session_id = f"sh-{cell.org_id}-{self.y}"
        commune = next(c for c in self.p.communes if c.org_id == cell.commune_id)
        self.api.send(
            "schedule_session",
            {
                "session_id": session_id,
                "org_id": cell.org_id,
                "scheduled_on": iso(day - timedelta(days=7)),
                "theme": "Tự soi, tự sửa theo Kết luận 21-KL/TW và Quy định 37-QĐ/TW",
                "pilot": pilot,
                "plan_id": f"kh-{commune.org_id}-{self.y}",
            },
        )
        chair = cell.with_post("secretary")
        members = cell.members
        attendance, present = [], []
        for m in members:
            roll = rng.random()
            if m is chair or m is members[1] or roll > 0.12:
                attendance.append({"member_id": m.member_id, "presence": "present"})
                present.append(m)
            elif roll > 0.03:
                attendance.append(
                    {
                        "member_id": m.member_id,
                        "presence": "absent_with_reason",
                        "reason": rng.choice(["Đi công tác", "Ốm, có đơn xin phép", "Việc gia đình"]),
                    }
                )
            else:
                attendance.append({"member_id": m.member_id, "presence": "absent_without_reason"})
        turns = {m.member_id: rng.randint(1, 2) for m in present if rng.random() < 0.8}
        turns[chair.member_id] = 2
        self.api.send(
            "hold_session",
            {
                "held_on": iso(day),
                "starts_at": "08:00:00",
                "ends_at": rng.choice(["10:00:00", "10:30:00", "11:00:00"]),
                "place": f"Nhà văn hóa {cell.name.replace('Chi bộ ', '')}",
                "chair_id": chair.member_id,
                "minute_taker_id": members[1].member_id,
                "guests": guests
                or [
                    {
                        "name": f"Đồng chí {rng.choice(['Phó Bí thư', 'Đảng ủy viên'])} phụ trách",
                        "org": commune.name,
                    }
                ],
                "attendance": attendance,
                "speaking_turns": turns,
                "report": f"Báo cáo kiểm điểm tập thể chi ủy {cell.name}: "
                f"đánh giá việc thực hiện 27 biểu hiện "
                "suy thoái và 19 điều đảng viên không được làm.",
                "conclusions": (
                    "Chi bộ thống nhất các hạn chế đã nêu; từng đảng viên xây dựng kế hoạch khắc phục."
                ),
                "resolution": "Thông qua báo cáo kiểm điểm và kế hoạch khắc phục của chi bộ.",
                "vote": {"for": len(present), "against": 0, "abstain": 0},
            },
            session_id=session_id,
        )
        self.held.append((session_id, cell, day))
        self.shortcomings(session_id, cell, day)

    def shortcomings(self, session_id: str, cell: Cell, day: date) -> None:
        rng = self.rng
        collective = rng.choice([["NQ04-4"], ["NQ04-3"], ["NQ04-4", "QD37-3"]])
        found = [
            {
                "shortcoming_id": f"{session_id}-tt",
                "subject_kind": "organisation",
                "subject_id": cell.org_id,
                "codes": collective,
                "description": "Sinh hoạt chi bộ có lúc còn hình thức, tự phê bình và phê "
                "bình chưa thẳng thắn; nể nang, né tránh.",
            }
        ]
        personal = [
            (["NQ04-3"], "Lười học tập lý luận chính trị, nghị quyết của Đảng."),
            (["NQ04-12"], "Có biểu hiện bệnh thành tích, báo cáo chưa sát thực tế."),
            (["QD37-3"], "Còn tư tưởng cục bộ, dân chủ hình thức trong công tác."),
            (["NQ04-20", "QD37-2"], "Chưa chấp hành nghiêm nguyên tắc tổ chức, chậm báo cáo."),
            (["NQ04-1"], "Giảm sút niềm tin, ít tham gia sinh hoạt chi bộ."),
        ]
        for k, m in enumerate(rng.sample(cell.members, k=min(len(cell.members), rng.randint(1, 3)))):
            codes, text = rng.choice(personal)
            found.append(
                {
                    "shortcoming_id": f"{session_id}-{k + 1}",
                    "subject_kind": "member",
                    "subject_id": m.member_id,
                    "codes": codes,
                    "description": text,
                }
            )
        self.api.send(
            "record_shortcomings", {"shortcomings": found, "recorded_on": iso(day)}, session_id=session_id
        )
        for s in found:
            self.item_ids.append((f"sessions:{s['shortcoming_id']}", day, cell))

    # ------------------------------------------------------------------ remediation
    def remediation(self) -> None:
        today, rng = self.cal.today, self.rng
        counts = {"remedied": 0, "in_progress": 0, "overdue": 0}
        for i, (item_id, day, cell) in enumerate(self.item_ids):
            owner = cell.with_post("secretary").full_name
            overdue = i == 1
            in_progress = not overdue and (i % 4 == 3)
            due = (
                (day + timedelta(days=20))
                if overdue
                else (
                    today + timedelta(days=rng.randint(20, 60)) if in_progress else day + timedelta(days=45)
                )
            )
            self.api.send(
                "submit_remediation_plan",
                {
                    "actions": [
                        {
                            "description": (
                                "Tự phê bình trước chi bộ, xây dựng lịch học tập nghị quyết hằng tháng"
                            ),
                            "owner": owner,
                            "due_on": iso(due),
                        },
                        {
                            "description": "Báo cáo kết quả khắc phục với chi ủy",
                            "owner": owner,
                            "due_on": iso(due),
                        },
                    ],
                    "submitted_on": iso(day + timedelta(days=5)),
                },
                item_id=item_id,
            )
            if overdue:
                counts["overdue"] += 1
                continue
            progress_on = min(day + timedelta(days=20), self.cal.end)
            self.api.send(
                "report_remediation_progress",
                {
                    "note": "Đã thực hiện một phần kế hoạch khắc phục",
                    "reported_on": iso(progress_on),
                    "percent": 50,
                },
                item_id=item_id,
            )
            if in_progress:
                counts["in_progress"] += 1
                continue
            self.api.send(
                "mark_remedied",
                {
                    "note": "Chi bộ đánh giá đã khắc phục xong",
                    "remedied_on": iso(min(day + timedelta(days=40), self.cal.end)),
                },
                item_id=item_id,
            )
            counts["remedied"] += 1
        self.say(f"remediation: {counts}")

    # ------------------------------------------------------------------ oversight
    def oversight(self) -> None:
        at, d0 = self.cal.at, self.p.districts[0]
        commune = d0.communes[0]
        cell = commune.cells[-1]
        subject = cell.members[2]
        programme = f"ctkt-{commune.org_id}-{self.y}"
        self.api.send(
            "adopt_programme",
            {
                "programme_id": programme,
                "org_id": commune.org_id,
                "body_type": "committee",
                "year": self.y,
                "adopted_on": iso(at(0.03)),
                "items": [
                    {
                        "item_id": "i1",
                        "kind": "regular_inspection",
                        "content": "Kiểm tra việc sinh hoạt chuyên đề",
                        "subject_org_id": commune.cells[0].org_id,
                        "planned_month": at(0.5).month,
                    },
                    {
                        "item_id": "i2",
                        "kind": "thematic_supervision",
                        "content": "Giám sát việc khắc phục hạn chế",
                        "subject_org_id": cell.org_id,
                        "planned_month": at(0.7).month,
                    },
                ],
            },
        )
        # A thematic supervision by the commune committee, carrying out its programme.
        self.api.send(
            "open_inspection",
            {
                "inspection_id": f"gs-{cell.org_id}-{self.y}",
                "kind": "thematic_supervision",
                "deciding_body_org_id": commune.org_id,
                "deciding_body_type": "committee",
                "subject_kind": "organisation",
                "subject_id": cell.org_id,
                "content": "Giám sát việc khắc phục hạn chế",
                "period_from": iso(at(0.3)),
                "period_to": iso(at(0.6)),
                "team": ["Trần Văn Bình", "Lê Thị Hoa", "Đỗ Minh Sơn"],
                "planned_duration_days": 15,
                "decision_number": "03-QĐ/ĐU",
                "decided_on": iso(at(0.62)),
                "programme_item_id": "i2",
            },
        )
        self.api.send(
            "conduct_supervision",
            {
                "conclusion": "Chi bộ đã xây dựng kế hoạch khắc phục; còn một đảng viên chậm báo cáo.",
                "conducted_on": iso(at(0.66)),
                "violation_signs_found": True,
                "findings": [],
            },
            inspection_id=f"gs-{cell.org_id}-{self.y}",
        )
        self.api.send(
            "item_carried_out",
            {"inspection_id": f"gs-{cell.org_id}-{self.y}", "carried_out_on": iso(at(0.66))},
            programme_id=programme,
            item_id="i2",
        )
        # Upon signs of violation: the district inspection commission inspects the member.
        inspection = f"kt-{subject.member_id}"
        self.api.send(
            "open_inspection",
            {
                "inspection_id": inspection,
                "kind": "inspection_on_signs_of_violation",
                "deciding_body_org_id": d0.org_id,
                "deciding_body_type": "inspection_commission",
                "subject_kind": "member",
                "subject_id": subject.member_id,
                "content": "Kiểm tra dấu hiệu vi phạm trong kê khai tài sản, thu nhập và quản lý quỹ thôn",
                "period_from": iso(date(self.y - 2, 1, 1)),
                "period_to": iso(at(0.6)),
                "team": ["Phạm Quang Hải", "Vũ Thị Lan", "Ngô Đức Toàn"],
                "planned_duration_days": 30,
                "decision_number": f"{41}-QĐ/UBKT",
                "decided_on": iso(at(0.68)),
            },
        )
        for phase, f in (
            ("notified", 0.69),
            ("self_report_received", 0.71),
            ("verified", 0.74),
            ("draft_discussed", 0.76),
        ):
            self.api.send(
                "record_phase", {"phase": phase, "recorded_on": iso(at(f))}, inspection_id=inspection
            )
        self.api.send(
            "conclude_inspection",
            {
                "conclusion": (
                    "Đồng chí vi phạm Quy định 37-QĐ/TW: kê khai tài sản không trung thực; "
                    "đến mức phải xem xét kỷ luật."
                ),
                "concluded_on": iso(at(0.78)),
                "violation_found": True,
                "catalogue_version": CATALOGUE_VERSION,
                "discipline_warranted": True,
                "findings": [
                    {
                        "shortcoming_id": f"{inspection}-f1",
                        "subject_kind": "member",
                        "subject_id": subject.member_id,
                        "org_id": cell.org_id,
                        "codes": ["QD37-9"],
                        "description": "Kê khai tài sản, thu nhập không trung thực.",
                    }
                ],
            },
            inspection_id=inspection,
        )
        self.api.send(
            "submit_remediation_plan",
            {
                "actions": [
                    {
                        "description": "Kê khai bổ sung, giải trình với Ủy ban Kiểm tra",
                        "owner": subject.full_name,
                        "due_on": iso(self.cal.today + timedelta(days=30)),
                    }
                ],
                "submitted_on": iso(at(0.79)),
            },
            item_id=f"oversight:{inspection}-f1",
        )
        for phase, f in (("conclusion_notified", 0.8), ("archived", 0.84)):
            self.api.send(
                "record_phase", {"phase": phase, "recorded_on": iso(at(f))}, inspection_id=inspection
            )
        decision = f"kl-{subject.member_id}"
        self.api.send(
            "impose_discipline",
            {
                "decision_id": decision,
                "deciding_body_org_id": d0.org_id,
                "deciding_body_kind": "district_inspection_commission",
                "decided_on": iso(at(0.82)),
                "received_on": iso(at(0.83)),
                "subject_kind": "member",
                "subject_id": subject.member_id,
                "form": "warning",
                "violations": [{"codes": ["QD37-9"], "committed_on": iso(date(self.y - 1, 12, 15))}],
                "discipline_warranted_on": iso(at(0.78)),
                "inspection_id": inspection,
                "reason": "Kê khai tài sản không trung thực (Quy định 37-QĐ/TW, điều 9).",
            },
        )
        self.api.send(
            "lodge_appeal",
            {
                "appeal_id": f"{decision}-kn",
                "lodged_on": iso(at(0.86)),
                "grounds": "Đề nghị xem xét lại vì đã tự kê khai bổ sung.",
            },
            decision_id=decision,
        )
        self.api.send(
            "decide_appeal",
            {
                "outcome": "upheld",
                "decided_on": iso(at(0.92)),
                "deciding_body_org_id": d0.org_id,
                "deciding_body_kind": "district_committee",
                "reason": "Giữ nguyên hình thức kỷ luật cảnh cáo.",
            },
            decision_id=decision,
        )
        # A cell reprimands its own member for repeated absence without reason.
        other = commune.cells[0].members[-1]
        self.api.send(
            "impose_discipline",
            {
                "decision_id": f"kl-{other.member_id}",
                "deciding_body_org_id": commune.cells[0].org_id,
                "deciding_body_kind": "cell",
                "decided_on": iso(at(0.7)),
                "subject_kind": "member",
                "subject_id": other.member_id,
                "form": "reprimand",
                "violations": [{"codes": ["NQ04-4"], "committed_on": iso(at(0.5))}],
                "discipline_warranted_on": iso(at(0.69)),
                "reason": "Nhiều lần bỏ sinh hoạt chi bộ không có lý do.",
            },
        )
        self.say(
            f"oversight: programme, supervision, inspection of {subject.full_name}, "
            "warning, appeal, reprimand"
        )
        self.disciplined = {subject.member_id, other.member_id}

    # ------------------------------------------------------------------ ratings
    def ratings(self) -> None:
        rated_on = iso(self.cal.end)
        rng = self.rng
        for cell in self.p.cells:
            ratings = []
            for m in cell.members:
                if m.member_id in self.disciplined:
                    level = "not_completed"
                else:
                    level = rng.choices(["good", "completed", "not_completed"], [80, 17, 3])[0]
                ratings.append({"member_id": m.member_id, "level": level})
            good = [r for r in ratings if r["level"] == "good"]
            for r in good[: max(0, len(good) * 15 // 100)]:  # excellent: at most 20% of those rated good
                r["level"] = "excellent"
            for r in ratings:  # since 366-QĐ/TW (2025) the level follows a 100-point score
                r["score"] = float(rng.randint(*SCORES[r["level"]]))
            self.api.send("rate_members", {"year": self.y, "rated_on": rated_on, "ratings": ratings})
            level = rng.choice(["good", "good", "excellent", "completed"])
            self.api.send(
                "rate_collective",
                {
                    "year": self.y,
                    "rated_on": rated_on,
                    "level": level,
                    "score": float(rng.randint(*SCORES[level])),
                },
                org_id=cell.org_id,
            )
        self.say("ratings assigned")

    def tell(self) -> None:
        self.tree()
        self.users()
        self.members()
        self.plans()
        self.sessions()
        self.remediation()
        self.oversight()
        self.ratings()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gateway", default=os.environ.get("GATEWAY_URL", "http://127.0.0.1:8000"))
    parser.add_argument("--small", action="store_true", help="one district, two communes, four cells")
    parser.add_argument("--seed", type=int, default=87)
    parser.add_argument(
        "--today",
        type=date.fromisoformat,
        default=date.today(),
        help="the day the story is told on (ISO date)",
    )
    parser.add_argument(
        "--patience",
        type=float,
        default=60.0,
        help="seconds to keep retrying a command the services are not ready for",
    )
    args = parser.parse_args(argv)
    api = Gateway(args.gateway, args.patience)
    api.login(
        os.environ.get("GATEWAY_ADMIN_USER", "admin"), os.environ.get("GATEWAY_ADMIN_PASSWORD", "admin")
    )
    province, calendar = build_province(args.seed, args.small, args.today)
    status, _ = api.get(f"/api/organizations/{province.org_id}")
    if status == 200:
        print(f"[demo] {province.name} is already loaded; nothing to do")
        return 0
    started = time.monotonic()
    Story(api, province, calendar, args.seed).tell()
    print(
        f"[demo] done: {api.calls} requests in {time.monotonic() - started:.0f}s; open {args.gateway}/ "
        f"and pick the year {calendar.year}"
    )
    return 0


if __name__ == "__main__":
    try:
        raise SystemExit(main())
    except ApiFailure as failure:
        print(f"[demo] failed: {failure}", file=sys.stderr)
        raise SystemExit(1) from None
