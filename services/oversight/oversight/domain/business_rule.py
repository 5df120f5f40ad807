"""Business rules as small named objects (python-ddd style)."""

from __future__ import annotations

from typing import Protocol

from .exceptions import RuleBroken


class BusinessRule(Protocol):
    """A rule says whether it is broken and, if so, why.

    A rule that knows what would have been allowed instead also has an
    `allowed_instead()` method returning it (or None), which `check_rule` passes on.
    """

    @property
    def field(self) -> str | None: ...

    def is_broken(self) -> bool: ...

    def message(self) -> str: ...


def check_rule(rule: BusinessRule, allowed_instead: str | None = None) -> None:
    """Raise RuleBroken, named after the rule's class, when the rule is broken."""
    if rule.is_broken():
        if allowed_instead is None and hasattr(rule, "allowed_instead"):
            allowed_instead = rule.allowed_instead()
        raise RuleBroken(
            rule.message(),
            field=rule.field,
            rule=type(rule).__name__,
            allowed_instead=allowed_instead,
        )
