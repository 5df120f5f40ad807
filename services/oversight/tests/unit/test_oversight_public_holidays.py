"""The archive deadline skips the configured public holidays (15 working days, DOMAIN.md §5)."""

import json
from datetime import date
from unittest.mock import MagicMock

import pytest

from oversight.domain.calendar_periods import working_days_after
from oversight.holidays import DEFAULT_CALENDAR, PublicHolidays, load_holidays


def test_the_default_calendar_holds_the_vietnamese_public_holidays_of_2022_to_2026():
    days = load_holidays(None)
    assert {date(2024, 4, 18), date(2024, 4, 30), date(2024, 5, 1), date(2024, 9, 2)} <= days
    assert {date(2025, 1, 27), date(2025, 1, 31), date(2025, 4, 7), date(2025, 9, 2)} <= days  # Tết Ất Tỵ
    assert date(2022, 4, 11) in days  # Hùng Kings' day fell on a Sunday: the Monday is given instead
    assert {d.year for d in days} == {2022, 2023, 2024, 2025, 2026}
    for year in range(2022, 2027):  # 1/1, five days of Tết, 10/3 lunar, 30/4, 1/5, 2/9 and a day beside it
        assert len([d for d in days if d.year == year and d.weekday() < 5]) >= 10


def test_a_configured_list_or_file_replaces_the_default(tmp_path):
    assert load_holidays(["2024-04-18", date(2024, 4, 30)]) == {date(2024, 4, 18), date(2024, 4, 30)}
    calendar = tmp_path / "holidays.json"
    calendar.write_text(json.dumps({"days": [{"date": "2027-02-05", "name": "Tết Đinh Mùi"}]}))
    assert load_holidays(str(calendar)) == {date(2027, 2, 5)}
    assert load_holidays("") == load_holidays(str(DEFAULT_CALENDAR))


@pytest.mark.parametrize(("setting", "deadline"), [(None, date(2024, 5, 8)), ([], date(2024, 5, 3))])
def test_the_provider_hands_workers_the_holidays_the_deadline_skips(setting, deadline):
    provider = PublicHolidays()
    provider.container = MagicMock(config={"PUBLIC_HOLIDAYS": setting} if setting is not None else {})
    provider.setup()
    holidays = provider.get_dependency(MagicMock())
    # Notice on Friday 12/4/2024: Giỗ Tổ (18/4), 30/4 and 1/5 push day 15 from 3/5 to 8/5.
    assert working_days_after(date(2024, 4, 12), 15, holidays) == deadline
