"""What every event-sourced aggregate of this domain shares."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Self, TypeVar

E = TypeVar("E")


class Aggregate:
    """State rebuilt by `apply`-ing past events; commands record new ones.

    New events are applied at once and kept in `pending_events` until the application
    layer appends them to the store and calls `mark_saved()`. `version` counts every
    event applied, so the store can append at the expected stream version.
    """

    def __init__(self) -> None:
        self.version = 0
        self.pending_events: list[Any] = []

    @classmethod
    def from_events(cls, events: Iterable[Any]) -> Self:
        aggregate = cls.__new__(cls)
        Aggregate.__init__(aggregate)
        for event in events:
            aggregate.apply(event)
        return aggregate

    def apply(self, event: Any) -> None:
        handler = getattr(self, f"_when_{type(event).__name__}", None)
        if handler is None:
            raise TypeError(f"{type(self).__name__} cannot apply {type(event).__name__}")
        handler(event)
        self.version += 1

    def _record(self, event: E) -> E:
        self.apply(event)
        self.pending_events.append(event)
        return event

    def mark_saved(self) -> None:
        self.pending_events = []
