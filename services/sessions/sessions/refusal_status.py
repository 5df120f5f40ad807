"""Which HTTP-like status each domain refusal travels with."""

from __future__ import annotations

from sessions.domain import Conflict, DomainError, InvalidInput, NotFound


def status_of(error: Exception) -> int | None:
    if isinstance(error, NotFound):
        return 404
    if isinstance(error, Conflict):
        return 409
    if isinstance(error, InvalidInput):
        return 400
    if isinstance(error, DomainError):
        return 422
    return None
