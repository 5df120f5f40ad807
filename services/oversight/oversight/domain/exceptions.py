"""Typed domain errors: what went wrong, on which input field, under which rule.

The gateway maps the classes to HTTP: InvalidValue 400/422, NotFound 404,
OutOfOrder 409, RuleBroken 422.
"""

from __future__ import annotations


class DomainError(Exception):
    """Base of every refusal the oversight domain raises; a refused command changes nothing."""

    code = "domain_error"

    def __init__(self, message: str, field: str | None = None, rule: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.rule = rule

    def to_dict(self) -> dict[str, str | None]:
        return {"code": self.code, "message": self.message, "field": self.field, "rule": self.rule}


class InvalidValue(DomainError):
    """An input is missing, malformed or inconsistent with another input."""

    code = "invalid_value"


class NotFound(DomainError):
    """A referenced thing (a rule set, an organisation, a programme item) does not exist."""

    code = "not_found"


class OutOfOrder(DomainError):
    """A step was asked for before its predecessor, or after the process was over."""

    code = "out_of_order"


class RuleBroken(DomainError):
    """A business rule refused the command; `allowed_instead` says what would have been allowed."""

    code = "rule_broken"

    def __init__(
        self,
        message: str,
        field: str | None = None,
        rule: str | None = None,
        allowed_instead: str | None = None,
    ) -> None:
        super().__init__(message, field, rule)
        self.allowed_instead = allowed_instead

    def to_dict(self) -> dict[str, str | None]:
        return {**super().to_dict(), "allowed_instead": self.allowed_instead}
