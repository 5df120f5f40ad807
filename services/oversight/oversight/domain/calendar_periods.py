"""Calendar arithmetic for periods stated in years, months and working days."""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from datetime import date, timedelta


def same_day_months_later(start: date, months: int) -> date:
    """The corresponding day `months` later; the month's last day when it has no such day."""
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def same_day_years_later(start: date, years: int) -> date:
    """The corresponding day `years` later (29 February becomes 28 February)."""
    return same_day_months_later(start, 12 * years)


def working_days_after(start: date, count: int, holidays: Iterable[date] = ()) -> date:
    """The `count`-th working day (Monday to Friday, not a holiday) after `start`."""
    days_off = set(holidays)
    day, counted = start, 0
    while counted < count:
        day += timedelta(days=1)
        if day.weekday() < 5 and day not in days_off:
            counted += 1
    return day
