"""The edges of guidance 42-HD/BTCTW on how long a sitting lasts: from which day it
judges, and at which minute a sitting is long enough."""

from __future__ import annotations

from datetime import date

import pytest

from sessions.domain.meeting_duration import check_meeting_duration, duration_rule_in_force

TAKES_EFFECT = date(2025, 10, 28)


@pytest.mark.parametrize(
    ("held_on", "judged"),
    [(date(2025, 10, 27), False), (TAKES_EFFECT, True), (date(2025, 10, 29), True)],
)
def test_guidance_42_judges_sessions_from_the_day_it_takes_effect(held_on, judged):
    rule = duration_rule_in_force(held_on)
    breaches = check_meeting_duration(held_on, 30, combined_with_regular_session=False)

    assert (rule is not None) is judged
    assert [b.rule for b in breaches] == (["42-HD/BTCTW"] if judged else [])


@pytest.mark.parametrize(
    ("minutes", "combined", "flagged"),
    [
        (89, False, True),
        (90, False, False),
        (91, False, False),
        (119, True, True),
        (120, True, False),
        (90, True, True),
    ],
)
def test_a_sitting_of_exactly_the_minimum_is_compliant_and_one_minute_less_is_flagged(
    minutes, combined, flagged
):
    breaches = check_meeting_duration(TAKES_EFFECT, minutes, combined_with_regular_session=combined)

    assert bool(breaches) is flagged
    if flagged:
        assert breaches[0].code == "session_too_short"
        assert f"lasted {minutes} minutes" in breaches[0].message
        assert f"at least {120 if combined else 90} minutes" in breaches[0].message
