"""The service's idea of today (UTC), in one place so timers and queries agree."""

from __future__ import annotations

from datetime import UTC, date, datetime


def today() -> date:
    return datetime.now(UTC).date()
