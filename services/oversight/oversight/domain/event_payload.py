"""Events as frozen dataclasses with JSON-safe payloads.

Conversion follows each field's type hint: dates become "YYYY-MM-DD", tuples become
lists, nested value objects use their own to_payload/from_payload.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from datetime import date
from typing import Any, ClassVar, Union


def _unwrap_optional(hint: Any) -> Any:
    if typing.get_origin(hint) in (Union, types.UnionType):
        args = [a for a in typing.get_args(hint) if a is not type(None)]
        if len(args) == 1:
            return args[0]
    return hint


def _dump(value: Any, hint: Any) -> Any:
    if value is None:
        return None
    hint = _unwrap_optional(hint)
    if typing.get_origin(hint) is tuple:
        item_hint = typing.get_args(hint)[0]
        return [_dump(item, item_hint) for item in value]
    if isinstance(value, date):
        return value.isoformat()
    if hasattr(value, "to_payload"):
        return value.to_payload()
    return value


def _load(value: Any, hint: Any) -> Any:
    if value is None:
        return None
    hint = _unwrap_optional(hint)
    if typing.get_origin(hint) is tuple:
        item_hint = typing.get_args(hint)[0]
        return tuple(_load(item, item_hint) for item in value)
    if hint is date:
        return date.fromisoformat(value)
    if isinstance(hint, type) and hasattr(hint, "from_payload"):
        return hint.from_payload(value)
    return value


class PayloadValue:
    """Mixin for frozen dataclasses that travel as JSON payloads."""

    def to_payload(self) -> dict[str, Any]:
        hints = typing.get_type_hints(type(self))
        return {
            f.name: _dump(getattr(self, f.name), hints[f.name])
            for f in dataclasses.fields(self)  # type: ignore[arg-type]
        }

    @classmethod
    def from_payload(cls, payload: dict[str, Any]) -> Any:
        """Tolerant reading: unknown keys are ignored."""
        hints = typing.get_type_hints(cls)
        names = {f.name for f in dataclasses.fields(cls)}  # type: ignore[arg-type]
        present = {n: _load(payload[n], hints[n]) for n in names if n in payload}
        return cls(**present)


class DomainEvent(PayloadValue):
    """A past-tense fact: event_type and schema_version name its contract."""

    event_type: ClassVar[str] = ""
    schema_version: ClassVar[int] = 1
