"""Reporting periods: a month, a quarter (Q1..Q4), 6 months, 9 months, a year or a term."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date
from typing import Any


class BadPeriod(ValueError):
    """A period the caller described wrongly."""


@dataclass(frozen=True)
class Period:
    """Inclusive ISO dates; `label` names it in reports and file names."""

    start: str
    end: str
    label: str


def _month_end(year: int, month: int) -> str:
    return date(year, month, calendar.monthrange(year, month)[1]).isoformat()


def _span(year: int, first_month: int, last_month: int, label: str) -> Period:
    return Period(date(year, first_month, 1).isoformat(), _month_end(year, last_month), label)


def period_of(spec: dict[str, Any]) -> Period:
    """Read a period: {"kind": "month", "year": 2025, "month": 3}, {"kind": "quarter",
    "year", "quarter"}, {"kind": "half", "year"} (the first 6 months), {"kind":
    "nine_months", "year"}, {"kind": "year", "year"}, {"kind": "term", "from", "to"}."""
    if not isinstance(spec, dict):
        raise BadPeriod("a period is an object with a 'kind'")
    kind = spec.get("kind")
    try:
        if kind == "term":
            start, end = date.fromisoformat(spec["from"]), date.fromisoformat(spec["to"])
            if end < start:
                raise BadPeriod("a term must not end before it starts")
            return Period(start.isoformat(), end.isoformat(), f"{start.isoformat()}_{end.isoformat()}")
        year = int(spec["year"])
        if not 1900 <= year <= 9999:
            raise BadPeriod(f"year {year} is out of range")
        if kind == "month":
            month = int(spec["month"])
            if not 1 <= month <= 12:
                raise BadPeriod("month must be 1..12")
            return _span(year, month, month, f"{year}-{month:02d}")
        if kind == "quarter":
            quarter = int(spec["quarter"])
            if not 1 <= quarter <= 4:
                raise BadPeriod("quarter must be 1..4")
            return _span(year, 3 * quarter - 2, 3 * quarter, f"{year}-Q{quarter}")
        if kind == "half":
            return _span(year, 1, 6, f"{year}-6M")
        if kind == "nine_months":
            return _span(year, 1, 9, f"{year}-9M")
        if kind == "year":
            return _span(year, 1, 12, str(year))
    except (KeyError, TypeError, ValueError) as exc:
        if isinstance(exc, BadPeriod):
            raise
        raise BadPeriod(f"bad {kind!r} period: {exc}") from exc
    raise BadPeriod(f"unknown period kind {kind!r}")
