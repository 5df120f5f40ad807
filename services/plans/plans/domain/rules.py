"""Business rules as small named objects that say when they are broken and why."""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from datetime import date

from plans.domain.errors import DateOutOfOrder, DomainError, MissingValue


class BusinessRule(ABC):
    """A rule a command must satisfy; ``error()`` explains the refusal."""

    @property
    def name(self) -> str:
        return type(self).__name__

    @abstractmethod
    def is_broken(self) -> bool: ...

    @abstractmethod
    def error(self) -> DomainError: ...


def check_rules(*rules: BusinessRule) -> None:
    """Raise the error of the first broken rule, in the order given."""
    for rule in rules:
        if rule.is_broken():
            raise rule.error()


@dataclass(frozen=True)
class ValueMustBeGiven(BusinessRule):
    """A required text field must not be empty or blank."""

    field: str
    value: str | None

    def is_broken(self) -> bool:
        return self.value is None or not self.value.strip()

    def error(self) -> DomainError:
        return MissingValue(
            f"{self.field} is required and must not be blank.", field=self.field, rule=self.name
        )


@dataclass(frozen=True)
class DateMustNotPrecede(BusinessRule):
    """``field`` (a date) must be on or after ``earliest`` (named ``earliest_name``)."""

    field: str
    on: date
    earliest: date
    earliest_name: str

    def is_broken(self) -> bool:
        return self.on < self.earliest

    def error(self) -> DomainError:
        return DateOutOfOrder(
            f"{self.field} {self.on.isoformat()} is before the {self.earliest_name} "
            f"{self.earliest.isoformat()}.",
            field=self.field,
            rule=self.name,
        )
