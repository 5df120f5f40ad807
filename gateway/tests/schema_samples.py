"""Requests built from a route's own marshmallow schema: a valid one, and wrong values."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, ValidationError, fields

WORDS = ["x1", "year:2025", "secret-pass-1", "2025-01-01", "a"]


def _accepts(field: fields.Field, value: Any) -> bool:
    try:
        field.deserialize(value)
    except ValidationError:
        return False
    return True


def valid_value(field: fields.Field) -> Any:
    """A value the field accepts, the simplest that will do."""
    if isinstance(field, fields.Nested):
        return valid_body(field.schema)
    if isinstance(field, fields.List):
        return [] if _accepts(field, []) else [valid_value(field.inner)]
    if isinstance(field, fields.Dict):
        return {}
    if isinstance(field, fields.Boolean):
        candidates: list[Any] = [True]
    elif isinstance(field, fields.Date):
        candidates = ["2025-01-01"]
    elif isinstance(field, fields.Time):
        candidates = ["10:00"]
    elif isinstance(field, fields.Number):
        candidates = [1, 2025, 0, 100]
    else:
        choices = [c for v in field.validators for c in getattr(v, "choices", ())]
        candidates = [*choices[:1], *WORDS]
    for value in candidates:
        if _accepts(field, value):
            return value
    raise AssertionError(f"no sample value for {field!r}")


def valid_body(schema: Schema | type[Schema]) -> dict[str, Any]:
    """Every required field with a value it accepts; the optional ones left out."""
    schema = schema() if isinstance(schema, type) else schema
    body = {
        field.data_key or name: valid_value(field) for name, field in schema.fields.items() if field.required
    }
    schema.load(body)  # raises if the sample is not valid after all
    return body


def wrong_type(field: fields.Field) -> Any:
    """A JSON value of the wrong type for the field."""
    if isinstance(field, fields.Nested):
        return "not an object"
    if isinstance(field, fields.List):
        return {"not": "a list"}
    if isinstance(field, fields.Dict):
        return ["not", "an", "object"]
    if isinstance(field, fields.Boolean):
        return "maybe"
    if isinstance(field, fields.Number):
        return "not a number"
    if isinstance(field, fields.Date | fields.Time):
        return 20240101
    return 12345


def bad_query_value(field: fields.Field) -> str | None:
    """A query-string value the field refuses, or None if it takes any text."""
    if isinstance(field, fields.Boolean):
        return "maybe"
    if isinstance(field, fields.Number):
        return "ten"
    if isinstance(field, fields.Date):
        return "2025-13-45"
    return "!" * 130 if field.validators else None
