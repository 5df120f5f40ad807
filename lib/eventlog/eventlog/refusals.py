"""Typed refusals that survive an RPC hop, so the gateway can answer 4xx with the field.

nameko sends an exception to the caller as its type name and `str()`; a
`CommandRefused` puts everything the gateway needs into that string as JSON.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from marshmallow import ValidationError

from .errors import ConcurrencyConflict


class CommandRefused(Exception):
    """A command a service would not carry out; nothing was written."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        field: str | None = None,
        rule: str | None = None,
        fields: dict[str, Any] | None = None,
    ) -> None:
        self.detail = {
            "status": status,
            "code": code,
            "message": message,
            "field": field,
            "rule": rule,
            "fields": fields or {},
        }
        super().__init__(json.dumps(self.detail, ensure_ascii=False))


def parse_refusal(exc_type: str, value: str) -> dict[str, Any] | None:
    """The refusal's detail from a RemoteError's type and value, or None if it is not one."""
    if exc_type != "CommandRefused":
        return None
    try:
        detail = json.loads(value)
    except ValueError:
        return None
    return detail if isinstance(detail, dict) and "status" in detail else None


StatusOf = Callable[[Exception], int | None]


@contextmanager
def refusals(status_of: StatusOf) -> Iterator[None]:
    """Turn the service's domain errors, bad payloads and stale versions into refusals.

    `status_of(error)` returns the HTTP-like status for a domain error (404, 409, 422...)
    or None for an exception that is not a refusal (a bug: it propagates as it is).
    """
    try:
        yield
    except ValidationError as exc:
        messages = exc.messages if isinstance(exc.messages, dict) else {"_schema": exc.messages}
        first = next(iter(messages), None)
        raise CommandRefused(
            400, "invalid_input", f"invalid input: {_flatten(messages)}", field=first, fields=messages
        ) from None
    except ConcurrencyConflict as exc:
        raise CommandRefused(409, "version_conflict", str(exc), field="expected_version") from None
    except CommandRefused:
        raise
    except Exception as exc:
        status = status_of(exc)
        if status is None:
            raise
        raise CommandRefused(
            status,
            getattr(exc, "code", type(exc).__name__),
            getattr(exc, "message", str(exc)),
            field=getattr(exc, "field", None),
            rule=getattr(exc, "rule", None),
        ) from None


def _flatten(messages: dict[str, Any]) -> str:
    parts = []
    for key, value in messages.items():
        text = (
            "; ".join(map(str, value)) if isinstance(value, list) else json.dumps(value, ensure_ascii=False)
        )
        parts.append(f"{key}: {text}")
    return ", ".join(parts)
