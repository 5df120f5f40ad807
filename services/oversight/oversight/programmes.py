"""Use cases of the yearly inspection-and-supervision programme."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from eventlog.dependencies import WorkerEventLog
from oversight import inspections
from oversight.domain.inspection import Inspection
from oversight.domain.inspection_kinds import OversightBodyType
from oversight.domain.programme import InspectionProgramme
from oversight.domain.programme_events import ProgrammeItem
from oversight.local_tree import in_subtree, load_tree, subtree_path
from oversight.streams import AlreadyExists, append, check_new, read_history
from oversight.tables import programmes


def stream_of(programme_id: str) -> str:
    return f"programme:{programme_id}"


def adopt(log: WorkerEventLog, data: dict[str, Any]) -> dict[str, Any]:
    programme_id = data["programme_id"]
    with log.transaction() as conn:
        check_new(conn, programmes, "programme_id", programme_id, "programme")
        _check_first_of_the_year(conn, data["org_id"], data["body_type"], data["year"])
        tree = load_tree(conn, [data["org_id"], *(i["subject_org_id"] for i in data["items"])])
        tree.node(data["org_id"])
        for index, item in enumerate(data["items"]):
            tree.node(item["subject_org_id"], field=f"items[{index}].subject_org_id")
        programme = InspectionProgramme.adopt(
            programme_id,
            data["org_id"],
            OversightBodyType(data["body_type"]),
            data["year"],
            tuple(ProgrammeItem(**item) for item in data["items"]),
            data["adopted_on"],
        )
        version = append(log, conn, stream_of(programme_id), 0, 0, programme.new_events)
        try:
            conn.execute(
                programmes.insert().values(
                    programme_id=programme_id,
                    org_id=data["org_id"],
                    body_type=data["body_type"],
                    year=data["year"],
                    items_planned=len(data["items"]),
                    items_carried_out=0,
                    version=version,
                )
            )
        except sa.exc.IntegrityError:  # a concurrent adoption won the race; nothing is kept
            raise AlreadyExists(
                f"A programme for {data['org_id']!r}, {data['body_type']}, {data['year']} was adopted "
                "meanwhile.",
                field="year",
                rule="OneProgrammePerBodyAndYear",
            ) from None
    return get(log, programme_id)


def _check_first_of_the_year(conn: sa.Connection, org_id: str, body_type: str, year: int) -> None:
    """A body adopts one programme a year; the unique index backs this up under races."""
    existing = conn.execute(
        sa.select(programmes.c.programme_id).where(
            programmes.c.org_id == org_id, programmes.c.body_type == body_type, programmes.c.year == year
        )
    ).scalar()
    if existing is not None:
        raise AlreadyExists(
            f"The {body_type.replace('_', ' ')} of {org_id!r} already adopted programme {existing!r} "
            f"for {year}; a body adopts one programme a year.",
            field="year",
            rule="OneProgrammePerBodyAndYear",
        )


def record_item_carried_out(log: WorkerEventLog, data: dict[str, Any]) -> dict[str, Any]:
    programme_id = data["programme_id"]
    history = read_history(log, stream_of(programme_id), "programme_id", "programme")
    programme = InspectionProgramme.from_events(history.events)
    file = read_history(log, inspections.stream_of(data["inspection_id"]), "inspection_id", "inspection")
    programme.record_item_carried_out(
        data["item_id"], Inspection.from_events(file.events), data["carried_out_on"]
    )
    with log.transaction() as conn:
        version = append(
            log,
            conn,
            stream_of(programme_id),
            history.version,
            data["expected_version"],
            programme.new_events,
        )
        conn.execute(
            programmes.update()
            .where(programmes.c.programme_id == programme_id)
            .values(items_carried_out=len(programme.carried_out), version=version)
        )
    return get(log, programme_id)


def get(log: WorkerEventLog, programme_id: str) -> dict[str, Any]:
    """The programme, what is still to do, and the share carried out (e.g. '1/2')."""
    history = read_history(log, stream_of(programme_id), "programme_id", "programme")
    programme = InspectionProgramme.from_events(history.events)
    assert programme.adopted is not None
    share = programme.share_carried_out
    return {
        **programme.adopted.to_payload(),
        "carried_out": {item_id: e.inspection_id for item_id, e in programme.carried_out.items()},
        "items_not_carried_out": [i.item_id for i in programme.items_not_carried_out()],
        "share_carried_out": f"{share.numerator}/{share.denominator}",
        "percent_carried_out": round(100 * float(share), 1),
        "version": history.version,
    }


def list_programmes(
    engine: sa.Engine, org_id: str | None = None, year: int | None = None, body_type: str | None = None
) -> list[dict[str, Any]]:
    """Programmes of bodies in an organisation's subtree, by year, with the share carried out.

    The share is items carried out over items planned ("3/4"), unreduced, as reports print it.
    """
    table = programmes
    query = sa.select(table).order_by(table.c.year, table.c.org_id, table.c.body_type)
    with engine.connect() as conn:
        if org_id:
            query = query.where(in_subtree(table.c.org_id, subtree_path(conn, org_id)))
        if year is not None:
            query = query.where(table.c.year == year)
        if body_type:
            query = query.where(table.c.body_type == body_type)
        rows = conn.execute(query).all()
    return [
        {
            "programme_id": r.programme_id,
            "org_id": r.org_id,
            "body_type": r.body_type,
            "year": r.year,
            "items_planned": r.items_planned,
            "items_carried_out": r.items_carried_out,
            "share_carried_out": f"{r.items_carried_out}/{r.items_planned}",
            "percent_carried_out": round(100 * r.items_carried_out / r.items_planned, 1),
            "version": r.version,
        }
        for r in rows
    ]
