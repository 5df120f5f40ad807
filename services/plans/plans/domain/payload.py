"""Turning domain events into JSON-safe payloads and back.

Dates travel as "YYYY-MM-DD", datetimes as ISO 8601 in UTC with a "Z", enums as their
values, tuples of values or of small frozen dataclasses as lists. Reading is tolerant:
fields the class does not know are ignored (consumers load through a tolerant reader).
"""

from __future__ import annotations

import types
from dataclasses import dataclass, fields, is_dataclass
from datetime import UTC, date, datetime
from enum import Enum
from typing import Any, ClassVar, TypeVar, Union, get_args, get_origin, get_type_hints

T = TypeVar("T")


def encode(value: Any) -> Any:
    """A JSON-safe copy of a domain value."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime):
        return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    if isinstance(value, date):
        return value.isoformat()
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: encode(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, tuple | list | frozenset | set):
        return [encode(item) for item in value]
    if isinstance(value, dict):
        return {str(key): encode(item) for key, item in value.items()}
    raise TypeError(f"cannot encode {type(value).__name__} into an event payload")


def decode(hint: Any, raw: Any) -> Any:
    """Rebuild a value of type ``hint`` from its JSON-safe form."""
    origin = get_origin(hint)
    if origin in (Union, types.UnionType):
        options = [arg for arg in get_args(hint) if arg is not type(None)]
        return None if raw is None else decode(options[0], raw)
    if origin is tuple:
        item_hint = get_args(hint)[0]
        return tuple(decode(item_hint, item) for item in raw)
    if origin is dict:
        key_hint, item_hint = get_args(hint)
        return {decode(key_hint, k): decode(item_hint, v) for k, v in raw.items()}
    if hint is datetime:
        return datetime.fromisoformat(str(raw).replace("Z", "+00:00"))
    if hint is date:
        return date.fromisoformat(str(raw))
    if isinstance(hint, type) and issubclass(hint, Enum):
        return hint(raw)
    if isinstance(hint, type) and is_dataclass(hint):
        return decode_dataclass(hint, raw)
    if hint in (str, int, float, bool):
        return hint(raw)
    return raw


def decode_dataclass(cls: type[T], raw: dict[str, Any]) -> T:
    hints = get_type_hints(cls)
    known = {f.name for f in fields(cls) if f.init}  # type: ignore[arg-type]
    kwargs = {name: decode(hints[name], raw[name]) for name in known if name in raw}
    return cls(**kwargs)


@dataclass(frozen=True)
class DomainEvent:
    """A fact the plans service records and publishes (past tense)."""

    event_type: ClassVar[str] = ""
    schema_version: ClassVar[int] = 1

    def to_payload(self) -> dict[str, Any]:
        payload: dict[str, Any] = encode(self)
        return payload

    @classmethod
    def from_payload(cls: type[T], payload: dict[str, Any]) -> T:
        return decode_dataclass(cls, payload)
