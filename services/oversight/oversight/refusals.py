"""How the oversight domain's errors reach the caller: typed refusals with status codes."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from eventlog.refusals import CommandRefused, refusals
from oversight.domain.exceptions import DomainError, NotFound, OutOfOrder, RuleBroken
from oversight.streams import AlreadyExists


def status_of(error: Exception) -> int | None:
    if isinstance(error, NotFound):
        return 404
    if isinstance(error, (OutOfOrder, AlreadyExists)):
        return 409
    if isinstance(error, DomainError):
        return 422
    return None


@contextmanager
def oversight_refusals() -> Iterator[None]:
    """`refusals(status_of)`, plus what would have been allowed when a rule was broken."""
    with refusals(status_of):
        try:
            yield
        except RuleBroken as exc:
            raise CommandRefused(
                422,
                exc.code,
                exc.message,
                field=exc.field,
                rule=exc.rule,
                fields={"allowed_instead": exc.allowed_instead} if exc.allowed_instead else None,
            ) from None
