"""The public holidays that working-day deadlines skip (the 15 working days to archive a file).

Config key PUBLIC_HOLIDAYS: a path to a JSON calendar like `calendars/vn-public-holidays.json`
or a list of ISO dates; when it is empty, the packaged Vietnamese calendar for 2022-2026.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import Any

from nameko.extensions import DependencyProvider

DEFAULT_CALENDAR = Path(__file__).parent / "calendars" / "vn-public-holidays.json"


def _day(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def read_calendar(path: Path) -> frozenset[date]:
    """The days of a calendar file: {"days": [{"date": "2024-04-18", "name": ...}]} or a list."""
    with open(path, encoding="utf-8") as handle:
        data = json.load(handle)
    entries: Iterable[Any] = data["days"] if isinstance(data, dict) else data
    return frozenset(_day(e["date"] if isinstance(e, dict) else e) for e in entries)


def load_holidays(setting: Any) -> frozenset[date]:
    """PUBLIC_HOLIDAYS as configured: empty for the default calendar, a path, or a list of dates."""
    if setting in (None, ""):
        return read_calendar(DEFAULT_CALENDAR)
    if isinstance(setting, (list, tuple)):
        return frozenset(_day(d) for d in setting)
    return read_calendar(Path(str(setting)))


class PublicHolidays(DependencyProvider):
    """Hands each worker the configured holidays, read once when the container starts."""

    def setup(self) -> None:
        self.days = load_holidays(self.container.config.get("PUBLIC_HOLIDAYS"))

    def get_dependency(self, worker_ctx: Any) -> frozenset[date]:
        return self.days
