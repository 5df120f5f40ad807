"""Typed refusals of the sessions domain.

Each error says which input field was wrong (or None) and which rule refused the
command, so the gateway can answer with the right HTTP status and a clear reason.
"""

from __future__ import annotations


class DomainError(Exception):
    """A command was refused; nothing was changed."""

    code = "domain_error"

    def __init__(self, message: str, field: str | None = None, rule: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.rule = rule

    def to_dict(self) -> dict[str, str | None]:
        return {"code": self.code, "message": self.message, "field": self.field, "rule": self.rule}


class InvalidInput(DomainError):
    """The command is malformed or describes something impossible (HTTP 400)."""

    code = "invalid_input"


class NotFound(DomainError):
    """Something the command refers to does not exist (HTTP 404)."""

    code = "not_found"


class Conflict(DomainError):
    """The command clashes with the current state, e.g. done twice (HTTP 409)."""

    code = "conflict"


class RuleViolated(DomainError):
    """A business rule or regulation forbids what was asked (HTTP 422)."""

    code = "rule_violated"
