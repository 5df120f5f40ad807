"""The yearly inspection-and-supervision programme of a body, and how much of it was done.

Adopting a programme and not carrying it out is itself a shortcoming, so the share
carried out is a figure reports show.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from fractions import Fraction
from typing import TypeVar

from .event_payload import DomainEvent
from .exceptions import InvalidValue, NotFound, OutOfOrder
from .inspection_kinds import InspectionKind, OversightBodyType
from .programme_events import InspectionProgrammeAdopted, ProgrammeItem, ProgrammeItemCarriedOut

E = TypeVar("E", bound=DomainEvent)


class InspectionProgramme:
    def __init__(self) -> None:
        self.adopted: InspectionProgrammeAdopted | None = None
        self.carried_out: dict[str, ProgrammeItemCarriedOut] = {}
        self.new_events: list[DomainEvent] = []

    @classmethod
    def adopt(
        cls,
        programme_id: str,
        org_id: str,
        body_type: OversightBodyType,
        year: int,
        items: tuple[ProgrammeItem, ...],
        adopted_on: date,
    ) -> InspectionProgramme:
        if not programme_id.strip():
            raise InvalidValue("The programme_id must not be empty.", field="programme_id")
        if not items:
            raise InvalidValue("A programme needs at least one planned item.", field="items")
        ids = [item.item_id for item in items]
        if len(set(ids)) != len(ids) or any(not i.strip() for i in ids):
            raise InvalidValue("Each programme item needs its own non-empty item_id.", field="items")
        for index, item in enumerate(items):
            if item.kind not in {k.value for k in InspectionKind}:
                raise InvalidValue(
                    f"The kind of items[{index}] is not an inspection or supervision kind: {item.kind!r}.",
                    field=f"items[{index}].kind",
                )
            if not 1 <= item.planned_month <= 12:
                raise InvalidValue(
                    f"The planned_month of items[{index}] must be 1 to 12.",
                    field=f"items[{index}].planned_month",
                )
        programme = cls()
        programme._record(
            InspectionProgrammeAdopted(programme_id, org_id, body_type.value, year, items, adopted_on)
        )
        return programme

    def record_item_carried_out(self, item_id: str, inspection_id: str, on: date) -> ProgrammeItemCarriedOut:
        adopted = self._adopted()
        if item_id not in {item.item_id for item in adopted.items}:
            raise NotFound(f"The programme has no item {item_id!r}.", field="item_id")
        if item_id in self.carried_out:
            raise OutOfOrder(f"The item {item_id!r} was already carried out.", field="item_id")
        if on.year != adopted.year:
            raise InvalidValue(
                f"The item was carried out on {on.isoformat()}, outside the programme year {adopted.year}.",
                field="carried_out_on",
            )
        return self._record(
            ProgrammeItemCarriedOut(
                adopted.programme_id, item_id, inspection_id, adopted.org_id, adopted.year, on
            )
        )

    @property
    def share_carried_out(self) -> Fraction:
        """Items carried out over items planned, e.g. 3/4."""
        return Fraction(len(self.carried_out), len(self._adopted().items))

    def items_not_carried_out(self) -> tuple[ProgrammeItem, ...]:
        return tuple(i for i in self._adopted().items if i.item_id not in self.carried_out)

    @classmethod
    def from_events(cls, events: Iterable[DomainEvent]) -> InspectionProgramme:
        programme = cls()
        for event in events:
            programme.apply(event)
        return programme

    def apply(self, event: DomainEvent) -> None:
        if isinstance(event, InspectionProgrammeAdopted):
            self.adopted = event
        elif isinstance(event, ProgrammeItemCarriedOut):
            self.carried_out[event.item_id] = event

    def _adopted(self) -> InspectionProgrammeAdopted:
        if self.adopted is None:
            raise OutOfOrder("This programme has not been adopted.", field="programme_id")
        return self.adopted

    def _record(self, event: E) -> E:
        self.apply(event)
        self.new_events.append(event)
        return event
