"""How dates, times and optional values are written in event payloads (JSON-safe)."""

from __future__ import annotations

from datetime import date, time
from typing import Any


def date_to_text(value: date) -> str:
    return value.isoformat()


def date_from_text(text: str) -> date:
    return date.fromisoformat(text)


def optional_date_to_text(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


def optional_date_from_text(text: str | None) -> date | None:
    return None if text is None else date.fromisoformat(text)


def time_to_text(value: time) -> str:
    return value.strftime("%H:%M")


def time_from_text(text: str) -> time:
    return time.fromisoformat(text)


def text_list(values: Any) -> tuple[str, ...]:
    return tuple(str(v) for v in (values or ()))
