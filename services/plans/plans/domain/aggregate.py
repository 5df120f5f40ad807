"""What every event-sourced aggregate of the plans service shares."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TypeVar

from plans.domain.payload import DomainEvent

A = TypeVar("A", bound="Aggregate")


class Aggregate:
    """Records past-tense events and rebuilds its state by applying them.

    Subclasses implement ``_when(event)``; their creation event sets every attribute.
    """

    def __init__(self) -> None:
        self.version = 0
        self._pending: list[DomainEvent] = []

    @classmethod
    def from_events(cls: type[A], events: Iterable[DomainEvent]) -> A:
        aggregate = cls.__new__(cls)
        Aggregate.__init__(aggregate)
        for event in events:
            aggregate.apply(event)
        if aggregate.version == 0:
            raise ValueError(f"cannot rebuild {cls.__name__} from no events")
        return aggregate

    def apply(self, event: DomainEvent) -> None:
        self._when(event)
        self.version += 1

    def _when(self, event: DomainEvent) -> None:
        raise NotImplementedError

    def _record(self, event: DomainEvent) -> DomainEvent:
        self.apply(event)
        self._pending.append(event)
        return event

    @property
    def pending_events(self) -> tuple[DomainEvent, ...]:
        """Events recorded since the aggregate was loaded, not yet stored."""
        return tuple(self._pending)

    def collect_events(self) -> list[DomainEvent]:
        """Hand the recorded events to the store and forget them."""
        pending, self._pending = self._pending, []
        return pending
