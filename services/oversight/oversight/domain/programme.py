"""The yearly inspection-and-supervision programme of a body, and how much of it was done.

Adopting a programme and not carrying it out is itself a shortcoming, so the share
carried out is a figure reports show.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from fractions import Fraction
from typing import TypeVar

from .business_rule import check_rule
from .event_payload import DomainEvent
from .exceptions import InvalidValue, NotFound, OutOfOrder
from .inspection import Inspection
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

    def record_item_carried_out(
        self, item_id: str, inspection: Inspection, on: date
    ) -> ProgrammeItemCarriedOut:
        """An item is carried out by a file of this body that was concluded (or, for a
        supervision, carried out), and that names no other programme item."""
        adopted = self._adopted()
        opened = inspection.opened
        if opened is None:
            raise NotFound("The inspection was never opened.", field="inspection_id")
        if item_id not in {item.item_id for item in adopted.items}:
            raise NotFound(f"The programme has no item {item_id!r}.", field="item_id")
        if item_id in self.carried_out:
            raise OutOfOrder(f"The item {item_id!r} was already carried out.", field="item_id")
        if on.year != adopted.year:
            raise InvalidValue(
                f"The item was carried out on {on.isoformat()}, outside the programme year {adopted.year}.",
                field="carried_out_on",
            )
        if opened.programme_item_id not in (None, item_id):
            raise InvalidValue(
                f"The file {opened.inspection_id!r} was opened for programme item "
                f"{opened.programme_item_id!r}, not {item_id!r}.",
                field="inspection_id",
            )
        check_rule(ProgrammeItemIsCarriedOutByAFinishedFileOfTheBody(adopted, inspection, on))
        return self._record(
            ProgrammeItemCarriedOut(
                adopted.programme_id, item_id, opened.inspection_id, adopted.org_id, adopted.year, on
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


@dataclass(frozen=True)
class ProgrammeItemIsCarriedOutByAFinishedFileOfTheBody:
    """Only a file the programme's own body opened, and concluded (or, for a supervision,
    carried out) by the day the item is recorded, counts towards the programme."""

    adopted: InspectionProgrammeAdopted
    inspection: Inspection
    carried_out_on: date
    field: str | None = "inspection_id"

    def is_broken(self) -> bool:
        opened = self.inspection.opened
        finished_on = self.inspection.finished_on
        return (
            opened is None
            or opened.deciding_body_org_id != self.adopted.org_id
            or finished_on is None
            or finished_on > self.carried_out_on
        )

    def message(self) -> str:
        opened = self.inspection.opened
        assert opened is not None
        finished_on = self.inspection.finished_on
        if opened.deciding_body_org_id != self.adopted.org_id:
            return (
                f"The file {opened.inspection_id!r} was opened by a body of "
                f"{opened.deciding_body_org_id!r}, not of {self.adopted.org_id!r} whose programme this is."
            )
        if finished_on is None:
            step = "carried out" if self.inspection.is_supervision else "concluded"
            return (
                f"The file {opened.inspection_id!r} is at phase {self.inspection.phase.value}; "
                f"an item is carried out once its file is {step}."
            )
        return (
            f"The file {opened.inspection_id!r} was finished on {finished_on.isoformat()}, after "
            f"carried_out_on {self.carried_out_on.isoformat()}."
        )
