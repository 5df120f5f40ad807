"""Events of the yearly inspection-and-supervision programme."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .event_payload import DomainEvent, PayloadValue


@dataclass(frozen=True)
class ProgrammeItem(PayloadValue):
    """One planned inspection or supervision in the year's programme."""

    item_id: str
    kind: str
    content: str
    subject_org_id: str
    planned_month: int


@dataclass(frozen=True)
class InspectionProgrammeAdopted(DomainEvent):
    """A body adopted its programme for the year; org_id is the body's organisation."""

    event_type = "InspectionProgrammeAdopted"

    programme_id: str
    org_id: str
    deciding_body_type: str
    year: int
    items: tuple[ProgrammeItem, ...]
    adopted_on: date


@dataclass(frozen=True)
class ProgrammeItemCarriedOut(DomainEvent):
    """A planned item was carried out by an inspection or supervision file."""

    event_type = "ProgrammeItemCarriedOut"

    programme_id: str
    item_id: str
    inspection_id: str
    org_id: str
    year: int
    carried_out_on: date
