"""Use cases of the yearly inspection-and-supervision programme."""

from __future__ import annotations

from typing import Any

from eventlog.dependencies import WorkerEventLog
from oversight.domain.inspection_kinds import OversightBodyType
from oversight.domain.programme import InspectionProgramme
from oversight.domain.programme_events import ProgrammeItem
from oversight.local_tree import load_tree
from oversight.streams import append, check_new, read_history
from oversight.tables import programmes


def stream_of(programme_id: str) -> str:
    return f"programme:{programme_id}"


def adopt(log: WorkerEventLog, data: dict[str, Any]) -> dict[str, Any]:
    programme_id = data["programme_id"]
    with log.transaction() as conn:
        check_new(conn, programmes, "programme_id", programme_id, "programme")
        tree = load_tree(conn, [data["org_id"], *(i["subject_org_id"] for i in data["items"])])
        tree.node(data["org_id"])
        for index, item in enumerate(data["items"]):
            tree.node(item["subject_org_id"], field=f"items[{index}].subject_org_id")
        programme = InspectionProgramme.adopt(
            programme_id, data["org_id"], OversightBodyType(data["body_type"]), data["year"],
            tuple(ProgrammeItem(**item) for item in data["items"]), data["adopted_on"])
        version = append(log, conn, stream_of(programme_id), 0, 0, programme.new_events)
        conn.execute(programmes.insert().values(
            programme_id=programme_id, org_id=data["org_id"], year=data["year"],
            items_planned=len(data["items"]), items_carried_out=0, version=version))
    return get(log, programme_id)


def record_item_carried_out(log: WorkerEventLog, data: dict[str, Any]) -> dict[str, Any]:
    programme_id = data["programme_id"]
    history = read_history(log, stream_of(programme_id), "programme_id", "programme")
    programme = InspectionProgramme.from_events(history.events)
    programme.record_item_carried_out(data["item_id"], data["inspection_id"], data["carried_out_on"])
    with log.transaction() as conn:
        version = append(log, conn, stream_of(programme_id), history.version,
                         data["expected_version"], programme.new_events)
        conn.execute(programmes.update().where(programmes.c.programme_id == programme_id).values(
            items_carried_out=len(programme.carried_out), version=version))
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
