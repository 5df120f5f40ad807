"""Limitation periods: the day before, the last day and the day after; rule sets by date."""

from datetime import date

import pytest

from oversight.domain.deciding_bodies import DecidingBody
from oversight.domain.deciding_bodies import DecidingBodyKind as K
from oversight.domain.discipline_case import DisciplineCase
from oversight.domain.discipline_decision import DisciplineDecision, DisciplineStatus
from oversight.domain.discipline_forms import DisciplineForm as F
from oversight.domain.discipline_forms import DisciplineSubject
from oversight.domain.discipline_forms import DisciplineSubjectKind as S
from oversight.domain.exceptions import NotFound
from oversight.domain.limitation import Violation
from oversight.domain.org_tree import OrgLevel as L
from oversight.domain.org_tree import OrgNode, OrgTree, Post
from oversight.domain.rule_sets import QD69_2022, DisciplineRuleSet, RuleSetCatalogue
from oversight.domain.rule_sets import ViolationCategory as C

TREE = OrgTree(
    [
        OrgNode("tinh-uy", L.PROVINCIAL),
        OrgNode("huyen-uy", L.DISTRICT, ("tinh-uy",)),
        OrgNode("dang-uy-xa", L.GRASSROOTS, ("huyen-uy", "tinh-uy")),
        OrgNode("chi-bo", L.CELL, ("dang-uy-xa", "huyen-uy", "tinh-uy")),
    ]
)
MEMBER = DisciplineSubject(
    S.FULL_MEMBER, "dv-tran-thi-binh", "chi-bo", (Post("chi-bo", "Phó Bí thư chi bộ"),)
)
INSPECTION_COMMISSION = DecidingBody("huyen-uy", K.DISTRICT_INSPECTION_COMMISSION)


def decide(form, violations, warranted_on, decided_on=None, rule_sets=None, **kwargs):
    case = DisciplineCase(MEMBER, tuple(violations), warranted_on, "Kê khai không trung thực")
    extra = {"rule_sets": rule_sets} if rule_sets else {}
    return DisciplineDecision.impose(
        "qd-kl-07", case, form, INSPECTION_COMMISSION, decided_on or warranted_on, TREE, **extra, **kwargs
    )


def one_violation(on, categories=frozenset(), ended_on=None):
    return (Violation(("QD37-9",), on, ended_on, frozenset(categories)),)


@pytest.mark.parametrize(
    ("warranted_on", "status"),
    [
        (date(2023, 7, 31), DisciplineStatus.ENFORCED),  # the day before the period's last day
        (date(2023, 8, 1), DisciplineStatus.ENFORCED),  # the last day: five years to the day
        (date(2023, 8, 2), DisciplineStatus.TIME_BARRED),  # the day after
    ],
)
def test_a_reprimand_is_time_barred_after_five_years(warranted_on, status):
    decision = decide(F.REPRIMAND, one_violation(date(2018, 8, 1)), warranted_on)
    assert decision.status is status
    (event,) = decision.new_events
    assert event.status == status.value and event.limitation_expires_on == date(2023, 8, 1)


@pytest.mark.parametrize("form", [F.WARNING, F.REMOVAL_FROM_POST])
@pytest.mark.parametrize(
    ("warranted_on", "status"),
    [
        (date(2023, 7, 31), DisciplineStatus.ENFORCED),
        (date(2023, 8, 1), DisciplineStatus.ENFORCED),
        (date(2023, 8, 2), DisciplineStatus.TIME_BARRED),
    ],
)
def test_a_warning_or_a_removal_is_time_barred_after_ten_years(form, warranted_on, status):
    assert decide(form, one_violation(date(2013, 8, 1)), warranted_on).status is status


def test_a_time_barred_form_is_recorded_but_not_in_force():
    decision = decide(F.WARNING, one_violation(date(2010, 1, 4)), date(2023, 8, 2))
    assert decision.status is DisciplineStatus.TIME_BARRED and not decision.is_in_force
    assert decision.form is F.WARNING  # the form voted is kept on the record


def test_expulsion_level_violations_have_no_limit():
    decision = decide(F.EXPULSION, one_violation(date(1995, 3, 1)), date(2023, 8, 2))
    assert decision.status is DisciplineStatus.ENFORCED
    assert decision.new_events[0].limitation_expires_on is None


@pytest.mark.parametrize("category", list(C))
def test_internal_political_security_and_fake_diploma_violations_have_no_limit(category):
    decision = decide(F.REPRIMAND, one_violation(date(2001, 6, 1), {category}), date(2023, 8, 2))
    assert decision.status is DisciplineStatus.ENFORCED


def test_a_continuing_violation_is_counted_from_its_end():
    violation = one_violation(date(2015, 1, 1), ended_on=date(2019, 3, 31))
    assert decide(F.REPRIMAND, violation, date(2024, 3, 31)).status is DisciplineStatus.ENFORCED
    assert decide(F.REPRIMAND, violation, date(2024, 4, 1)).status is DisciplineStatus.TIME_BARRED


def test_a_new_violation_restarts_the_clock():
    old = Violation(("QD37-3",), date(2017, 2, 1))
    new = Violation(("QD37-2",), date(2020, 5, 10))
    decision = decide(F.REPRIMAND, (old, new), date(2023, 8, 2))
    assert decision.status is DisciplineStatus.ENFORCED
    assert decision.new_events[0].violation_codes == ("QD37-3", "QD37-2")
    assert decision.new_events[0].limitation_clock_started_on == date(2020, 5, 10)


def test_the_period_runs_to_the_conclusion_not_to_the_later_vote():
    decision = decide(
        F.REPRIMAND, one_violation(date(2018, 8, 1)), date(2023, 8, 1), decided_on=date(2023, 9, 15)
    )
    assert decision.status is DisciplineStatus.ENFORCED


# -- rule sets by date -------------------------------------------------------------


@pytest.mark.parametrize(
    ("decided_on", "rule_set"),
    [
        (date(2022, 7, 6), "QD69-2022"),
        (date(2025, 2, 13), "QD69-2022"),
        (date(2025, 2, 14), "QD69-2022-amended-2025"),
        (date(2025, 5, 29), "QD69-2022-amended-2025"),
        (date(2025, 5, 30), "QD296-2025"),
    ],
)
def test_each_decision_records_the_rule_set_in_force_on_its_date(decided_on, rule_set):
    decision = decide(F.REPRIMAND, one_violation(date(2021, 1, 1)), decided_on)
    assert decision.rule_set == rule_set
    assert decision.new_events[0].rule_set == rule_set


def test_no_rule_set_was_in_force_before_regulation_69():
    with pytest.raises(NotFound) as caught:
        decide(F.REPRIMAND, one_violation(date(2021, 1, 1)), date(2022, 7, 5))
    assert caught.value.field == "decided_on"


def test_a_rule_set_change_on_a_date_changes_the_outcome():
    shorter = DisciplineRuleSet(
        "TEST-2024",
        "A hypothetical rule set with a three-year reprimand period",
        date(2024, 1, 1),
        limitation_years={F.REPRIMAND: 3, F.WARNING: 10, F.REMOVAL_FROM_POST: 10, F.EXPULSION: None},
    )
    catalogue = RuleSetCatalogue((QD69_2022, shorter))
    violation = one_violation(date(2020, 6, 1))
    before = decide(F.REPRIMAND, violation, date(2023, 12, 31), rule_sets=catalogue)
    after = decide(F.REPRIMAND, violation, date(2024, 1, 1), rule_sets=catalogue)
    assert (before.rule_set, before.status) == ("QD69-2022", DisciplineStatus.ENFORCED)
    assert (after.rule_set, after.status) == ("TEST-2024", DisciplineStatus.TIME_BARRED)


def test_the_self_detected_and_remedied_flag_is_recorded():
    decision = decide(
        F.REPRIMAND, one_violation(date(2022, 1, 1)), date(2023, 3, 1), self_detected_and_remedied=True
    )
    assert decision.self_detected_and_remedied and decision.new_events[0].self_detected_and_remedied
