"""How the plans domain's errors map onto the statuses the gateway answers with."""

from __future__ import annotations

from plans.domain.errors import Conflict, DomainError, NotFound


def status_of(error: Exception) -> int | None:
    if isinstance(error, NotFound):
        return 404
    if isinstance(error, Conflict):
        return 409
    if isinstance(error, DomainError):
        return 422
    return None
