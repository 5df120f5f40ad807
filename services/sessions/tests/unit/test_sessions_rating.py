"""Yearly ratings judged by the rule set in force for the year."""

from __future__ import annotations

from datetime import date

import pytest

from sessions.domain import (
    DisciplineRecord,
    DisciplineRegister,
    InvalidInput,
    MemberRatingRequest,
    MemberStatus,
    RatingAssigned,
    RatingFlaggedForReview,
    RatingLevel,
    RatingRound,
    RuleViolated,
    SubjectKind,
    event_from_payload,
    rule_set_for_year,
)

EXCELLENT, GOOD = RatingLevel.EXCELLENT, RatingLevel.GOOD
COMPLETED, NOT_COMPLETED = RatingLevel.COMPLETED, RatingLevel.NOT_COMPLETED
RATED_2024 = date(2024, 12, 15)
RATED_2025 = date(2025, 12, 15)


def reprimand(member_id=None, org_id="chi-bo-1", on=date(2024, 5, 2), **flags) -> DisciplineRecord:
    return DisciplineRecord(f"kl-{member_id or org_id}-{on}", member_id, org_id, on, "reprimand", **flags)


@pytest.fixture
def no_discipline():
    return DisciplineRegister()


@pytest.fixture
def round_2024():
    return RatingRound("xa-an-binh", 2024)


@pytest.mark.parametrize(
    ("year", "name"),
    [
        (2018, "QD132-2018"),
        (2019, "QD132-2018"),
        (2022, "QD132-2018"),
        (2023, "QD124-2023"),
        (2024, "QD124-2023"),
        (2025, "QD366-2025"),
        (2030, "QD366-2025"),
    ],
)
def test_the_rule_set_in_force_depends_on_the_year_rated(year, name):
    assert rule_set_for_year(year).name == name


def test_before_2025_a_level_is_chosen_directly_and_the_rule_set_is_recorded(
    enrol, tree, round_2024, no_discipline
):
    an = enrol("dv-01")

    rating = round_2024.rate_member(an, RATED_2024, no_discipline, tree, level=GOOD)

    assert rating.to_payload() == {
        "subject_kind": "member",
        "subject_id": "dv-01",
        "org_id": "chi-bo-1",
        "grassroots_org_id": "xa-an-binh",
        "year": 2024,
        "level": "good",
        "score": None,
        "rule_set": "QD124-2023",
        "rated_on": "2024-12-15",
    }


def test_before_2025_a_score_is_refused(enrol, tree, round_2024, no_discipline):
    with pytest.raises(InvalidInput) as refused:
        round_2024.rate_member(enrol("dv-01"), RATED_2024, no_discipline, tree, score=88)
    assert refused.value.field == "score" and refused.value.rule.startswith("QD124-2023")


@pytest.mark.parametrize(
    ("score", "level"),
    [
        (100, EXCELLENT),
        (90, EXCELLENT),
        (89.5, GOOD),
        (70, GOOD),
        (69, COMPLETED),
        (50, COMPLETED),
        (49.9, NOT_COMPLETED),
        (0, NOT_COMPLETED),
    ],
)
def test_from_2025_the_level_follows_the_100_point_score(enrol, tree, no_discipline, score, level):
    rating_round = RatingRound("xa-an-binh", 2025)
    goods = [MemberRatingRequest(enrol(f"dv-g{n}"), score=80) for n in range(5)]
    rating_round.rate_members(goods, RATED_2025, no_discipline, tree)

    rating = rating_round.rate_member(enrol("dv-01"), RATED_2025, no_discipline, tree, score=score)

    assert rating.level == level and rating.score == score and rating.rule_set == "QD366-2025"


@pytest.mark.parametrize(
    ("score", "level", "field"),
    [(None, GOOD, "score"), (101, None, "score"), (75, EXCELLENT, "level")],
)
def test_from_2025_a_missing_impossible_or_contradicted_score_is_refused(
    enrol, tree, no_discipline, score, level, field
):
    with pytest.raises(InvalidInput) as refused:
        RatingRound("xa-an-binh", 2025).rate_member(
            enrol("dv-01"), RATED_2025, no_discipline, tree, level=level, score=score
        )
    assert refused.value.field == field
    assert refused.value.rule == "QD366-2025: LevelFollowsTheScore"


def test_a_member_disciplined_in_the_year_is_rated_not_completed(enrol, tree, round_2024):
    an = enrol("dv-01")
    register = DisciplineRegister([reprimand("dv-01")])

    with pytest.raises(RuleViolated) as refused:
        round_2024.rate_member(an, RATED_2024, register, tree, level=COMPLETED)

    assert refused.value.rule == "QD124-2023: DisciplinedMemberIsNotCompleted"
    assert refused.value.message.startswith(
        "QD124-2023: member disciplined in 2024 (reprimand decided on 2024-05-02"
    )
    assert round_2024.ratings == {}
    assert round_2024.rate_member(an, RATED_2024, register, tree, level=NOT_COMPLETED).level == NOT_COMPLETED


@pytest.mark.parametrize(
    "record",
    [
        reprimand("dv-01", self_detected_and_remedied=True),
        reprimand("dv-01", quashed=True),
        reprimand("dv-01", enforced=False),
        reprimand("dv-01", on=date(2023, 11, 30)),
    ],
    ids=["self-detected and remedied", "quashed", "time-barred", "another year"],
)
def test_some_disciplines_do_not_hold_the_rating_down(enrol, tree, round_2024, record):
    rating = round_2024.rate_member(
        enrol("dv-01"), RATED_2024, DisciplineRegister([record]), tree, level=COMPLETED
    )
    assert rating.level == COMPLETED


def test_an_appeal_that_quashes_the_decision_lifts_the_bar(enrol, tree, round_2024):
    register = DisciplineRegister()
    register.record(
        DisciplineRecord.from_discipline_imposed(
            {
                "decision_id": "qd-15",
                "subject_kind": "full_member",
                "subject_id": "dv-01",
                "org_id": "chi-bo-1",
                "form": "warning",
                "decided_on": "2024-04-10",
                "status": "enforced",
                "self_detected_and_remedied": False,
                "deciding_body_org_id": "huyen-uy",
            }
        )
    )
    assert register.against_member("dv-01", 2024)

    register.apply_appeal_decided({"decision_id": "qd-15", "outcome": "quashed", "new_form": None})

    assert register.against_member("dv-01", 2024) == []
    assert round_2024.rate_member(enrol("dv-01"), RATED_2024, register, tree, level=GOOD).level == GOOD


@pytest.mark.parametrize("status", [MemberStatus.EXEMPTED, MemberStatus.SUSPENDED])
def test_exempted_and_suspended_members_are_not_rated(enrol, tree, round_2024, no_discipline, status):
    member = enrol("dv-01")
    member.change_status(status, date(2024, 9, 1))
    with pytest.raises(RuleViolated) as refused:
        round_2024.rate_member(member, RATED_2024, no_discipline, tree, level=GOOD)
    assert refused.value.rule == "QD124-2023: ExemptedAndSuspendedMembersAreNotRated"


def test_members_admitted_less_than_six_months_before_the_rating_are_not_rated(
    enrol, tree, round_2024, no_discipline
):
    just_admitted = enrol("dv-new", admitted_on=date(2024, 6, 16))
    six_months_ago = enrol("dv-six", admitted_on=date(2024, 6, 15))

    with pytest.raises(RuleViolated) as refused:
        round_2024.rate_member(just_admitted, RATED_2024, no_discipline, tree, level=GOOD)

    assert "less than 6 months" in refused.value.message
    assert round_2024.rate_member(six_months_ago, RATED_2024, no_discipline, tree, level=COMPLETED)


def test_excellent_members_are_at_most_a_fifth_of_the_good_ones_across_the_grassroots_org(
    enrol, tree, round_2024, no_discipline
):
    goods = [enrol(f"dv-{n}", org_id="chi-bo-1" if n < 3 else "chi-bo-2") for n in range(5)]
    best, second_best = enrol("dv-best"), enrol("dv-second", org_id="chi-bo-2")

    with pytest.raises(RuleViolated) as too_early:
        round_2024.rate_member(best, RATED_2024, no_discipline, tree, level=EXCELLENT)
    round_2024.rate_members([MemberRatingRequest(m, GOOD) for m in goods], RATED_2024, no_discipline, tree)
    round_2024.rate_member(best, RATED_2024, no_discipline, tree, level=EXCELLENT)
    with pytest.raises(RuleViolated) as too_many:
        round_2024.rate_member(second_best, RATED_2024, no_discipline, tree, level=EXCELLENT)
    with pytest.raises(RuleViolated) as downgrade:
        round_2024.rate_member(goods[0], RATED_2024, no_discipline, tree, level=COMPLETED)

    assert "21-HD/BTCTW" in too_many.value.rule
    assert "2 excellent against 5 good" in too_many.value.message
    assert "1 excellent against 0 good" in too_early.value.message
    assert "1 excellent against 4 good" in downgrade.value.message
    levels = [r.level for r in round_2024.ratings.values()]
    assert levels.count(EXCELLENT) == 1 and levels.count(GOOD) == 5


def test_a_batch_is_judged_as_a_whole_and_refused_as_a_whole(enrol, tree, round_2024, no_discipline):
    batch = [MemberRatingRequest(enrol("dv-top"), EXCELLENT)] + [
        MemberRatingRequest(enrol(f"dv-{n}"), GOOD) for n in range(4)
    ]
    with pytest.raises(RuleViolated):
        round_2024.rate_members(batch, RATED_2024, no_discipline, tree)
    assert round_2024.ratings == {} and round_2024.pending_events == []

    batch.append(MemberRatingRequest(enrol("dv-4"), GOOD))
    assert len(round_2024.rate_members(batch, RATED_2024, no_discipline, tree)) == 6


def test_a_member_is_rated_in_the_round_of_their_own_grassroots_organisation(
    enrol, tree, round_2024, no_discipline
):
    teacher = enrol("dv-gv", org_id="chi-bo-truong")
    with pytest.raises(InvalidInput) as refused:
        round_2024.rate_member(teacher, RATED_2024, no_discipline, tree, level=GOOD)
    assert refused.value.rule == "RatingBelongsToItsGrassrootsOrganisation"

    own_round = RatingRound("chi-bo-truong", 2024)
    rating = own_round.rate_member(teacher, RATED_2024, no_discipline, tree, level=GOOD)
    assert rating.grassroots_org_id == "chi-bo-truong"


def test_a_collective_whose_leadership_was_disciplined_is_not_completed(tree, round_2024):
    register = DisciplineRegister([reprimand(org_id="chi-bo-2")])

    with pytest.raises(RuleViolated) as refused:
        round_2024.rate_collective("chi-bo-2", RATED_2024, register, tree, level=COMPLETED)

    assert refused.value.rule == "QD124-2023: DisciplinedLeadershipMeansNotCompleted"
    rating = round_2024.rate_collective("chi-bo-1", RATED_2024, register, tree, level=GOOD)
    assert (rating.subject_kind, rating.org_id, rating.grassroots_org_id) == (
        SubjectKind.ORGANISATION,
        "chi-bo-1",
        "xa-an-binh",
    )


def test_a_collective_with_more_than_a_fifth_of_its_units_disciplined_is_not_completed(tree, round_2024):
    # Two live cells under the commune (the dissolved one no longer counts): one of two is 50%.
    register = DisciplineRegister([reprimand(org_id="chi-bo-2")])

    with pytest.raises(RuleViolated) as refused:
        round_2024.rate_collective("xa-an-binh", RATED_2024, register, tree, level=GOOD)

    assert "1 of the 2 units under xa-an-binh (chi-bo-2)" in refused.value.message
    assert round_2024.rate_collective("xa-an-binh", RATED_2024, register, tree, level=NOT_COMPLETED)


def test_a_discipline_learnt_after_the_rating_flags_it_for_review(enrol, tree, round_2024, no_discipline):
    an = enrol("dv-01")
    round_2024.rate_member(an, RATED_2024, no_discipline, tree, level=GOOD)
    round_2024.rate_collective("chi-bo-1", RATED_2024, no_discipline, tree, level=GOOD)

    late = reprimand("dv-01", on=date(2024, 12, 28))
    [flag] = round_2024.flag_for_review(late, date(2025, 1, 3), no_discipline, tree)

    assert isinstance(flag, RatingFlaggedForReview)
    assert (flag.subject_id, flag.level, flag.rule_set, flag.discipline_id) == (
        "dv-01",
        GOOD,
        "QD124-2023",
        late.discipline_id,
    )
    assert round_2024.is_flagged(SubjectKind.MEMBER, "dv-01")
    assert round_2024.flag_for_review(late, date(2025, 1, 4), no_discipline, tree) == []
    remedied = reprimand("dv-01", self_detected_and_remedied=True)
    assert round_2024.flag_for_review(remedied, date(2025, 1, 4), no_discipline, tree) == []
    [org_flag] = round_2024.flag_for_review(
        reprimand(org_id="chi-bo-1"), date(2025, 1, 5), no_discipline, tree
    )
    assert org_flag.subject_kind == SubjectKind.ORGANISATION
    assert org_flag.reason.startswith("QD124-2023: DisciplinedLeadershipMeansNotCompleted")


def test_rating_again_answers_the_flag(enrol, tree, round_2024):
    an = enrol("dv-01")
    round_2024.rate_member(an, RATED_2024, DisciplineRegister(), tree, level=GOOD)
    late = reprimand("dv-01", on=date(2024, 12, 28))
    round_2024.flag_for_review(late, date(2025, 1, 3), DisciplineRegister(), tree)

    round_2024.rate_member(an, date(2025, 1, 10), DisciplineRegister([late]), tree, level=NOT_COMPLETED)

    assert not round_2024.is_flagged(SubjectKind.MEMBER, "dv-01")


def test_a_round_is_rebuilt_from_its_stored_events(enrol, tree, round_2024, no_discipline):
    round_2024.rate_members(
        [MemberRatingRequest(enrol(f"dv-{n}"), GOOD) for n in range(5)],
        RATED_2024,
        no_discipline,
        tree,
    )
    round_2024.flag_for_review(
        reprimand("dv-0", on=date(2024, 12, 20)), date(2025, 1, 2), no_discipline, tree
    )

    replayed = RatingRound.load(
        "xa-an-binh",
        2024,
        (event_from_payload(e.event_type, e.to_payload()) for e in round_2024.pending_events),
    )

    assert replayed.version == 6
    assert replayed.ratings == round_2024.ratings
    assert all(isinstance(r, RatingAssigned) for r in replayed.ratings.values())
    assert replayed.is_flagged(SubjectKind.MEMBER, "dv-0")


def test_the_rating_date_must_belong_to_the_year_rated(enrol, tree, round_2024, no_discipline):
    with pytest.raises(InvalidInput) as refused:
        round_2024.rate_member(enrol("dv-01"), date(2026, 1, 5), no_discipline, tree, level=GOOD)
    assert refused.value.field == "rated_on"


def test_a_level_given_as_text_is_read_and_an_unknown_one_refused(enrol, tree, round_2024, no_discipline):
    assert (
        round_2024.rate_member(enrol("dv-01"), RATED_2024, no_discipline, tree, level="completed").level
        == COMPLETED
    )
    with pytest.raises(InvalidInput) as refused:
        round_2024.rate_member(enrol("dv-02"), RATED_2024, no_discipline, tree, level="outstanding")
    assert refused.value.field == "level"
