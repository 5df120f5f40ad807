"""The full 2025 campaign end to end through the HTTP API on a running system.

Every service and the gateway run as separate `nameko run` processes (ops/launch.py, what
`make run` starts), on a throwaway RabbitMQ vhost, each with its own throwaway PostgreSQL
database. `campaign_script.tell` drives a small province through the public API as its
users would (an administrator, the provincial office, cell secretaries, inspection bodies
and the disciplined member himself): plans cascade (one district copies the province's
and is flagged), a pilot session and the rollout, shortcomings, remediation plans (one
overdue), a supervision, an inspection upon signs of violation, discipline by the right
bodies, refused attempts by the wrong one, an appeal, year-end ratings that follow the
discipline and the appeal. Then, once every consumer has caught up with every log, the
reports of the province, both districts, one commune and one cell are compared with
figures counted by hand below.

The plans process is given REMEDIATION_DUE_DAYS=30 and an overdue timer that never fires
during the run; the overdue sweep is asked for over HTTP as of 2025-12-31, so exactly one
item (dv-pg-03's, due 2025-07-05) is reported overdue.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import pytest

from testing_support.broker import Broker
from testing_support.databases import create_pg_database, drop_pg_database
from testing_support.fixtures import AMQP_HOST, PG_ADMIN_URL

from . import campaign_script as c
from .system_processes import SERVICES, RunningSystem


@pytest.fixture(scope="module")
def system(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningSystem]:
    broker = Broker(AMQP_HOST, f"test-campaign-{uuid.uuid4().hex[:10]}")
    broker.create()
    suffix = uuid.uuid4().hex[:8]
    names = {s: f"test_campaign_{s}_{suffix}" for s in (*SERVICES, "gateway")}
    urls = {}
    running = None
    try:
        for service, name in names.items():
            urls[service] = create_pg_database(PG_ADMIN_URL, name)
        running = RunningSystem(broker.amqp_uri, tmp_path_factory.mktemp("campaign"), urls)
        running.env.update(
            REMEDIATION_DUE_DAYS="30",  # a shortcoming is due 30 days after it is recorded
            REMEDIATION_OVERDUE_INTERVAL="86400",  # the timer would sweep as of today: not in this run
        )
        running.start(timeout=120)
        yield running
    finally:
        if running is not None:
            running.kill()
        for service in urls:
            drop_pg_database(PG_ADMIN_URL, names[service])
        broker.delete()


@pytest.fixture(scope="module")
def story(system: RunningSystem) -> c.Story:
    try:
        return c.tell(system.base_url)
    except Exception as exc:
        raise AssertionError(f"{exc}\n--- system log\n{system.log()}") from exc


def figures(story: c.Story, org: str) -> dict[str, Any]:
    return story.reports[org]["figures"]


def error(answer: Any) -> dict[str, Any]:
    return answer.json()["error"]


# ------------------------------------------------------------------ hand-counted figures
#
# Facts by unit (every date in 2025 unless said otherwise):
#   plans      tu-hanam 87-KH/TU (3 tasks, t1 done; units: both districts)
#              hu-duytien 12-KH/HU own tasks (3, t1 done; units: xa-yenbac, xa-mocnam)
#              hu-thanhliem 15-KH/HU = the province's 3 tasks, none done: FLAGGED (unit: xa-thanhha)
#              xa-yenbac, xa-mocnam, xa-thanhha: 2 tasks each, t1 done (units: their cells)
#              every task deadline is in 2025, before today: undone ones are overdue
#   sessions   cb-doquan PILOT 4/4 present; cb-yenmy 3/4; cb-nhaxa 4/4; cb-phugia 3/4;
#              cb-dangxa scheduled, never held
#   shortcomings (catalogue group: NQ04-1..9 I, 10..18 II, 19..27 III, QD37-* QD37)
#              cb-doquan: collective NQ04-4 (I); dq-02 NQ04-3 (I); dq-03 NQ04-12 (II)
#              cb-yenmy:  collective NQ04-4+QD37-3 (I, QD37); ym-02 NQ04-20+QD37-2 (III, QD37);
#                         ym-03 QD37-9 (QD37), the inspection's finding on 12-03
#              cb-nhaxa:  nx-02 NQ04-1 (I)
#              cb-phugia: collective NQ04-3 (I); pg-03 QD37-3 (QD37)
#   remediation every one of the 9 gets a plan; all 7 others from sessions remedied;
#              pg-03's (due 07-05) overdue on 12-31; ym-03's finding (due 2026-01-02) in
#              progress; progress reported on dq-02's and pg-03's
#   oversight  hu-thanhliem regular inspection of xa-thanhha, no violation;
#              xa-yenbac thematic supervision of cb-yenmy, signs of violation;
#              hu-duytien UBKT inspects ym-03 upon signs of violation: violation found;
#              warning to ym-03 (district UBKT, 12-05), appealed 12-10, QUASHED 12-26;
#              reprimand to nx-04 (cell cb-nhaxa, 11-20)
#   ratings    members (final): excellent dq-01, pg-01; not_completed nx-04 (reprimanded);
#              completed ym-04, nx-03, pg-03; good the 14 others, ym-03 included (first
#              not_completed while the warning stood, re-rated good after it was quashed)
#              collectives: cb-doquan excellent; cb-yenmy, cb-nhaxa good; cb-phugia, cb-dangxa completed

PROVINCE = {
    # plans: 6 issued (1 province + 2 districts + 3 communes), 5 of them cascade a parent's
    "plans.issued": 6,
    "plans.cascaded": 5,
    "plans.flagged_as_copy": 1,  # Thanh Liêm's copy
    # units required: 2 districts + 3 communes + 5 cells; the 5 committees issued theirs,
    # cells issue no plan of their own
    "plans.units_required": 10,
    "plans.units_issued": 5,
    "plans.units_pending": 5,
    "tasks.assigned": 15,  # 3 + 3 + 3 + 2 + 2 + 2
    "tasks.completed": 5,  # t1 of the province, Duy Tiên and each commune
    "tasks.overdue": 10,  # 15 - 5, every deadline in 2025 has passed
    # sessions: 4 of the 5 cells ("4/5"), 4 + 3 + 4 + 3 present, one pilot, 5 scheduled
    "sessions.held": 4,
    "sessions.units_held": 4,
    "sessions.units_required": 5,
    "sessions.attendances": 14,
    "sessions.pilot": 1,
    "sessions.scheduled": 5,
    # shortcomings: 8 named in sessions + 1 inspection finding
    "shortcomings.recorded": 9,
    "shortcomings.group.I": 5,  # dq collective, dq-02, ym collective, nx-02, pg collective
    "shortcomings.group.II": 1,  # dq-03
    "shortcomings.group.III": 1,  # ym-02
    "shortcomings.group.QD37": 4,  # ym collective, ym-02, pg-03, ym-03's finding
    "shortcomings.item.QD37-3": 2,  # ym collective, pg-03
    # remediation: 9 opened and planned, 7 remedied, pg-03's overdue; pg-03's and ym-03's
    # still open at the year's end
    "remediation.opened": 9,
    "remediation.submitted": 9,
    "remediation.remedied": 7,
    "remediation.overdue": 1,
    "remediation.in_progress": 2,
    "remediation.progress_reported": 2,
    # inspections by kind
    "inspected.inspection_on_signs_of_violation.member": 1,  # ym-03
    "inspected.inspection_on_signs_of_violation.member.committee": 0,  # he holds no post
    "inspected.regular_inspection.organisation": 1,  # xa-thanhha
    "inspections.concluded.member": 1,
    "inspections.concluded.organisation": 1,
    "inspected.violation_found.member": 1,
    "inspected.violation_found.organisation": 0,
    "supervised.thematic_supervision.organisation": 1,  # cb-yenmy
    "supervised.violation_signs.organisation": 1,
    # discipline by form (the quashed warning no longer counts), appeals
    "discipline.member.reprimand": 1,  # nx-04, by his cell
    "discipline.member.expulsion": 0,  # the cell's attempt was refused, nothing written
    "discipline.time_barred": 0,
    "appeals.lodged": 1,
    "appeals.decided.quashed": 1,
    "appeals.decided.upheld": 0,
    # ratings: members 2 excellent, 14 good, 3 completed, 1 not completed
    "ratings.member.excellent": 2,
    "ratings.member.good": 14,
    "ratings.member.completed": 3,
    "ratings.member.not_completed": 1,
    "ratings.member.rated": 20,
    "ratings.member.good_or_better": 16,
    "ratings.member.good_or_better_share": 80.0,  # 16/20
    "ratings.organisation.excellent": 1,
    "ratings.organisation.good": 2,
    "ratings.organisation.completed": 2,
    "ratings.organisation.not_completed": 0,
    "ratings.organisation.rated": 5,
    "ratings.organisation.good_or_better_share": 60.0,  # 3/5
}
DUY_TIEN = {
    # plans of hu-duytien, xa-yenbac, xa-mocnam; units required inside: hu-duytien itself
    # (by the province), the 2 communes and 3 cells; the district and communes issued
    "plans.issued": 3,
    "plans.cascaded": 3,
    "plans.flagged_as_copy": 0,
    "plans.units_required": 6,
    "plans.units_issued": 3,
    "plans.units_pending": 3,
    "tasks.assigned": 7,
    "tasks.completed": 3,
    "tasks.overdue": 4,
    # cb-doquan (pilot, 4), cb-yenmy (3), cb-nhaxa (4): "3/3"
    "sessions.held": 3,
    "sessions.units_held": 3,
    "sessions.units_required": 3,
    "sessions.attendances": 11,
    "sessions.pilot": 1,
    "sessions.scheduled": 3,
    # dq x3, ym x2 + the finding, nx-02
    "shortcomings.recorded": 7,
    "shortcomings.group.I": 4,
    "shortcomings.group.II": 1,
    "shortcomings.group.III": 1,
    "shortcomings.group.QD37": 3,
    # all remedied but ym-03's finding, which is in progress and not yet due
    "remediation.opened": 7,
    "remediation.submitted": 7,
    "remediation.remedied": 6,
    "remediation.overdue": 0,
    "remediation.in_progress": 1,
    "remediation.progress_reported": 1,
    "inspected.inspection_on_signs_of_violation.member": 1,
    "inspected.regular_inspection.organisation": 0,
    "inspected.violation_found.member": 1,
    "supervised.thematic_supervision.organisation": 1,
    "supervised.violation_signs.organisation": 1,
    "discipline.member.reprimand": 1,
    "appeals.lodged": 1,
    "appeals.decided.quashed": 1,
    # dq: 1 excellent 3 good; ym: 3 good 1 completed; nx: 2 good 1 completed 1 not completed
    "ratings.member.excellent": 1,
    "ratings.member.good": 8,
    "ratings.member.completed": 2,
    "ratings.member.not_completed": 1,
    "ratings.member.rated": 12,
    "ratings.member.good_or_better_share": 75.0,  # 9/12
    "ratings.organisation.excellent": 1,
    "ratings.organisation.good": 2,
    "ratings.organisation.rated": 3,
    "ratings.organisation.good_or_better_share": 100.0,
}
THANH_LIEM = {
    # its own copied plan and xa-thanhha's; units hu-thanhliem, xa-thanhha, cb-phugia, cb-dangxa
    "plans.issued": 2,
    "plans.cascaded": 2,
    "plans.flagged_as_copy": 1,
    "plans.units_required": 4,
    "plans.units_issued": 2,
    "plans.units_pending": 2,
    "tasks.assigned": 5,
    "tasks.completed": 1,
    "tasks.overdue": 4,  # the copy's 3 + commune t2
    # only cb-phugia held its session: "1/2"
    "sessions.held": 1,
    "sessions.units_held": 1,
    "sessions.units_required": 2,
    "sessions.attendances": 3,
    "sessions.pilot": 0,
    "sessions.scheduled": 2,
    "shortcomings.recorded": 2,
    "shortcomings.group.I": 1,
    "shortcomings.group.QD37": 1,
    "shortcomings.group.II": 0,
    "shortcomings.group.III": 0,
    # the collective's remedied; pg-03's overdue (and still in progress)
    "remediation.opened": 2,
    "remediation.submitted": 2,
    "remediation.remedied": 1,
    "remediation.overdue": 1,
    "remediation.in_progress": 1,
    "remediation.progress_reported": 1,
    "inspected.regular_inspection.organisation": 1,
    "inspections.concluded.organisation": 1,
    "inspected.violation_found.organisation": 0,
    "inspected.inspection_on_signs_of_violation.member": 0,
    "supervised.thematic_supervision.organisation": 0,
    "discipline.member.reprimand": 0,
    "discipline.member.warning": 0,
    "appeals.lodged": 0,
    # pg: 1 excellent 2 good 1 completed; dx: 4 good
    "ratings.member.excellent": 1,
    "ratings.member.good": 6,
    "ratings.member.completed": 1,
    "ratings.member.not_completed": 0,
    "ratings.member.rated": 8,
    "ratings.member.good_or_better_share": 87.5,  # 7/8
    "ratings.organisation.completed": 2,
    "ratings.organisation.rated": 2,
    "ratings.organisation.good_or_better_share": 0.0,
}
YEN_BAC = {
    # its own plan; units xa-yenbac, cb-doquan, cb-yenmy
    "plans.issued": 1,
    "plans.cascaded": 1,
    "plans.units_required": 3,
    "plans.units_issued": 1,
    "plans.units_pending": 2,
    "tasks.assigned": 2,
    "tasks.completed": 1,
    "tasks.overdue": 1,
    "sessions.held": 2,
    "sessions.units_held": 2,
    "sessions.units_required": 2,  # "2/2"
    "sessions.attendances": 7,
    "sessions.pilot": 1,
    "shortcomings.recorded": 6,
    "shortcomings.group.I": 3,
    "shortcomings.group.II": 1,
    "shortcomings.group.III": 1,
    "shortcomings.group.QD37": 3,
    "remediation.opened": 6,
    "remediation.submitted": 6,
    "remediation.remedied": 5,
    "remediation.overdue": 0,
    "remediation.in_progress": 1,
    "inspected.inspection_on_signs_of_violation.member": 1,
    "supervised.thematic_supervision.organisation": 1,
    "discipline.member.reprimand": 0,
    "appeals.lodged": 1,
    "appeals.decided.quashed": 1,
    # dq: 1 excellent 3 good; ym: 3 good (ym-03 re-rated) 1 completed
    "ratings.member.excellent": 1,
    "ratings.member.good": 6,
    "ratings.member.completed": 1,
    "ratings.member.not_completed": 0,
    "ratings.member.rated": 8,
    "ratings.member.good_or_better_share": 87.5,  # 7/8
    "ratings.organisation.rated": 2,
    "ratings.organisation.good_or_better_share": 100.0,
}
YEN_MY = {
    # a cell issues no plan; it is a unit required by Yên Bắc's
    "plans.issued": 0,
    "plans.units_required": 1,
    "plans.units_issued": 0,
    "plans.units_pending": 1,
    "sessions.held": 1,
    "sessions.units_held": 1,
    "sessions.units_required": 1,  # "1/1"
    "sessions.attendances": 3,
    "sessions.pilot": 0,
    "sessions.scheduled": 1,
    # the collective's (I, QD37), ym-02's (III, QD37), the finding (QD37)
    "shortcomings.recorded": 3,
    "shortcomings.group.I": 1,
    "shortcomings.group.II": 0,
    "shortcomings.group.III": 1,
    "shortcomings.group.QD37": 3,
    "shortcomings.item.QD37-9": 1,
    "remediation.opened": 3,
    "remediation.submitted": 3,
    "remediation.remedied": 2,
    "remediation.overdue": 0,
    "remediation.in_progress": 1,
    "inspected.inspection_on_signs_of_violation.member": 1,
    "inspected.violation_found.member": 1,
    "supervised.thematic_supervision.organisation": 1,
    "supervised.violation_signs.organisation": 1,
    "appeals.lodged": 1,
    "appeals.decided.quashed": 1,
    "ratings.member.good": 3,
    "ratings.member.completed": 1,
    "ratings.member.not_completed": 0,
    "ratings.member.rated": 4,
    "ratings.member.good_or_better_share": 75.0,  # 3/4
    "ratings.organisation.good": 1,
    "ratings.organisation.good_or_better_share": 100.0,
}
EXPECTED = {c.P: PROVINCE, c.A: DUY_TIEN, c.B: THANH_LIEM, c.YB: YEN_BAC, c.YM: YEN_MY}
COVERAGE = {c.P: "4/5", c.A: "3/3", c.B: "1/2", c.YB: "2/2", c.YM: "1/1"}
# The quashed warning to dv-ym-03, counted where it was imposed (cb-yenmy and above).
QUASHED_WARNING_AT = {c.P: 0, c.A: 0, c.YB: 0, c.YM: 0}


def differences(actual: dict[str, Any], expected: dict[str, Any]) -> dict[str, tuple[Any, Any]]:
    return {k: (actual.get(k, 0), v) for k, v in expected.items() if actual.get(k, 0) != v}


# ------------------------------------------------------------------ the tests


@pytest.mark.parametrize("org", list(EXPECTED), ids=list(EXPECTED))
def test_the_report_of_each_level_matches_the_hand_count(story, org):
    got = figures(story, org)
    assert differences(got, EXPECTED[org]) == {}, f"{org}: (reported, expected)"
    assert f"{got['sessions.units_held']}/{got['sessions.units_required']}" == COVERAGE[org]
    assert story.reports[org]["period"] == {"start": "2025-01-01", "end": "2025-12-31", "label": "2025"}


def test_the_province_report_is_the_sum_of_its_districts(story):
    province = story.reports[c.P]
    children = {child["org_id"]: child["figures"] for child in province["children"]}
    assert set(children) == {c.A, c.B}
    for district in (c.A, c.B):
        assert children[district] == figures(story, district)
    district_a = {child["org_id"] for child in story.reports[c.A]["children"]}
    assert district_a == {c.YB, c.MN}


def test_drill_downs_name_the_members_and_records_counted(story):
    def subjects(org: str, metric: str) -> list[str]:
        return sorted(f["subject_id"] for f in story.drill[(org, metric)])

    assert subjects(c.P, "remediation.overdue") == [c.OVERDUE]
    [overdue] = story.drill[(c.P, "remediation.overdue")]
    assert (overdue["source"], overdue["event_type"], overdue["org_id"], overdue["on_date"]) == (
        "plans",
        "RemediationOverdue",
        c.PG,
        c.DETECTED_ON,
    )
    assert subjects(c.P, "ratings.member.not_completed") == [c.REPRIMANDED]
    assert subjects(c.A, "ratings.member.excellent") == [c.member(c.DQ, 1)]
    assert subjects(c.P, "discipline.member.reprimand") == [c.REPRIMANDED]
    assert subjects(c.P, "sessions.pilot") == ["sh-cb-doquan-2025"]
    assert subjects(c.P, "plans.flagged_as_copy") == ["kh-15-hu-tl"]
    # In cb-yenmy the good ratings are ym-01, ym-02 and ym-03 (his later rating replaced the first).
    assert subjects(c.YM, "ratings.member.good") == [c.member(c.YM, n) for n in (1, 2, 3)]


def test_the_copied_plan_is_flagged_and_the_own_plan_is_not(story):
    assert story.values["copy_plan_read"]["flagged_as_copy"] is True, story.values["copy_plan_read"]
    assert story.values["own_plan_read"]["flagged_as_copy"] is False


def test_one_remediation_item_falls_overdue_once(story):
    assert story.values["sweep"] == {"reported": ["sessions:hc-pg-03"]}
    assert story.values["sweep_again"] == {"reported": []}  # reported once, never again
    # Without a subtree the sweep spans the whole tree: a provincial office may not run
    # it; over its own province it may, and finds nothing left to report.
    assert story.answers["office_sweeps"].status_code == 403
    assert story.values["office_sweeps_province"] == {"reported": []}


def test_the_wrong_body_is_refused_naming_the_rule_and_who_may(story):
    expel = story.answers["cell_expels"]
    assert expel.status_code == 422, expel.text
    refusal = error(expel)
    assert refusal["fields"]["_rule"] == ["CellMayOnlyReprimandOrWarn"], refusal
    assert "a cell may not expel" in refusal["message"], refusal
    assert "the district standing committee may, on the cell's proposal" in refusal["message"], refusal
    # The cell's secretary cannot decide in the district's name: outside the grant.
    assert story.answers["cell_as_district"].status_code == 403
    # The right body's warning stands, judged by a dated rule set.
    warning = story.values["warning"]
    assert (warning["form"], warning["status"], warning["deciding_body_kind"]) == (
        "warning",
        "enforced",
        "district_inspection_commission",
    )


def test_ratings_follow_the_discipline_and_the_appeal(story):
    good = story.answers["warned_rated_good"]
    assert good.status_code == 422, good.text
    refusal = error(good)
    assert refusal["fields"]["_rule"] == ["QD366-2025: DisciplinedMemberIsNotCompleted"], refusal
    assert "kl-dv-ym-03" in refusal["message"] and "not_completed" in refusal["message"], refusal
    cap = story.answers["excellent_cap"]
    assert cap.status_code == 422, cap.text
    assert error(cap)["fields"]["_rule"] == [
        "QD366-2025 / 21-HD/BTCTW (2019): ExcellentMembersAreCappedByGood"
    ], error(cap)
    # Rated not completed while the warning stood: nothing to review.
    assert story.values["flagged_before_appeal"] == []
    quashed = story.values["quashed"]
    assert (quashed["status"], quashed["is_in_force"]) == ("quashed", False), quashed
    # The quash lifts the bar: the not-completed rating is flagged for review, with why.
    [flag] = story.values["flagged_after_quash"]
    assert (flag["subject_id"], flag["level"]) == (c.WARNED, "not_completed"), flag
    assert "quashed on appeal" in str(flag), flag
    # Re-rated good, the flag is answered.
    [rerated] = story.values["rerated"]["ratings"]
    assert (rerated["subject_id"], rerated["level"], rerated["rule_set"]) == (c.WARNED, "good", "QD366-2025")
    assert story.values["flagged_after_rerating"] == []


def test_the_report_as_it_stood_before_the_re_rating(story):
    before = story.reports["as_of"]["figures"]
    # ym-03 was still not completed: 13 good, 2 not completed, 15 of 20 good or better.
    expected = {
        "ratings.member.good": 13,
        "ratings.member.not_completed": 2,
        "ratings.member.rated": 20,
        "ratings.member.good_or_better_share": 75.0,
        "appeals.decided.quashed": 1,
        "sessions.held": 4,
        "remediation.overdue": 1,
    }
    assert differences(before, expected) == {}


def test_a_member_sees_only_his_own_records(story):
    assert story.answers["member_reads_province"].status_code == 403


def test_the_record_is_whole(story):
    assert story.values["verify"]["ok"] is True, story.values["verify"]
    assert story.values["status"]["dead_letters"] == 0, story.values["status"]


def test_the_disciplined_member_lodges_his_own_appeal(story):
    answer = story.answers["own_appeal"]
    assert answer.status_code == 201, answer.text
    # ...and read the decision about himself (same target function).
    assert story.answers["own_decision"].status_code == 200, story.answers["own_decision"].text


def test_a_quashed_warning_is_no_longer_counted(story):
    counted = {org: figures(story, org).get("discipline.member.warning", 0) for org in QUASHED_WARNING_AT}
    assert counted == QUASHED_WARNING_AT
