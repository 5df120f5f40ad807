"""Named business rules: small objects that say when they are broken and why."""

from __future__ import annotations

from typing import ClassVar

from .exceptions import DomainError, RuleViolated


class BusinessRule:
    """A rule is broken when `is_broken()` is true; `message` says why.

    Subclasses choose the error type raised (`error`) and the input `field` blamed.
    `name` defaults to the class name; rules taken from a regulation prefix it with
    the rule set (e.g. "QD124-2023: DisciplinedMemberIsNotCompleted").
    """

    error: ClassVar[type[DomainError]] = RuleViolated
    field: str | None = None

    @property
    def name(self) -> str:
        return type(self).__name__

    def is_broken(self) -> bool:
        raise NotImplementedError

    @property
    def message(self) -> str:
        raise NotImplementedError


def check_rule(rule: BusinessRule) -> None:
    """Raise the rule's error when it is broken."""
    if rule.is_broken():
        raise rule.error(rule.message, field=rule.field, rule=rule.name)
