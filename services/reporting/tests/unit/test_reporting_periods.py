"""Period arithmetic and catalogue groups."""

from __future__ import annotations

import pytest

from reporting.catalogue import catalogue_group
from reporting.periods import BadPeriod, period_of


@pytest.mark.parametrize(
    ("spec", "start", "end", "label"),
    [
        ({"kind": "month", "year": 2024, "month": 2}, "2024-02-01", "2024-02-29", "2024-02"),
        ({"kind": "month", "year": 2025, "month": 12}, "2025-12-01", "2025-12-31", "2025-12"),
        ({"kind": "quarter", "year": 2025, "quarter": 1}, "2025-01-01", "2025-03-31", "2025-Q1"),
        ({"kind": "quarter", "year": 2025, "quarter": 4}, "2025-10-01", "2025-12-31", "2025-Q4"),
        ({"kind": "half", "year": 2025}, "2025-01-01", "2025-06-30", "2025-6M"),
        ({"kind": "nine_months", "year": 2025}, "2025-01-01", "2025-09-30", "2025-9M"),
        ({"kind": "year", "year": 2023}, "2023-01-01", "2023-12-31", "2023"),
        (
            {"kind": "term", "from": "2020-10-01", "to": "2025-09-30"},
            "2020-10-01",
            "2025-09-30",
            "2020-10-01_2025-09-30",
        ),
    ],
)
def test_a_period_is_an_inclusive_date_range(spec, start, end, label):
    period = period_of(spec)
    assert (period.start, period.end, period.label) == (start, end, label)


@pytest.mark.parametrize(
    "spec",
    [
        {"kind": "quarter", "year": 2025, "quarter": 5},
        {"kind": "month", "year": 2025, "month": 0},
        {"kind": "week", "year": 2025},
        {"kind": "term", "from": "2025-02-01", "to": "2025-01-01"},
        {"kind": "year"},
        {"kind": "term", "from": "not a date", "to": "2025-01-01"},
        "2025",
    ],
)
def test_a_wrong_period_is_refused(spec):
    with pytest.raises(BadPeriod):
        period_of(spec)


@pytest.mark.parametrize(
    ("code", "group"),
    [
        ("NQ04-1", "I"),
        ("NQ04-9", "I"),
        ("NQ04-10", "II"),
        ("NQ04-18", "II"),
        ("NQ04-19", "III"),
        ("NQ04-27", "III"),
        ("QD37-14", "QD37"),
        ("RA-DISCIPLINE", "RA"),
    ],
)
def test_shortcoming_codes_fall_into_their_catalogue_group(code, group):
    assert catalogue_group(code) == group
