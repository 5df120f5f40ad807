"""Use cases of inspection and supervision files: load, act, append events and snapshot.

`holidays` are the configured public holidays: the archive deadline counts working days.
"""

from __future__ import annotations

from collections.abc import Set
from dataclasses import dataclass
from datetime import date
from typing import Any

import sqlalchemy as sa

from eventlog.dependencies import WorkerEventLog
from oversight.domain.business_rule import check_rule
from oversight.domain.findings import Finding
from oversight.domain.inspection import Inspection
from oversight.domain.inspection_decision import InspectionDecision
from oversight.domain.inspection_kinds import (
    InspectionKind,
    InspectionScope,
    OversightBodyType,
    OversightSubjectKind,
    Phase,
)
from oversight.domain.org_tree import OrgTree
from oversight.local_tree import in_subtree, load_tree, roster_entry, subtree_path
from oversight.streams import append, check_new, read_history
from oversight.tables import inspections


def stream_of(inspection_id: str) -> str:
    return f"inspection:{inspection_id}"


@dataclass(frozen=True)
class SubjectMustBeWithinOversightBodysSubtree:
    """A body inspects and supervises only organisations and members below it."""

    body_org_id: str
    subject_org_id: str
    tree: OrgTree
    field: str | None = "subject_id"

    def is_broken(self) -> bool:
        return not self.tree.is_within(self.subject_org_id, self.body_org_id)

    def message(self) -> str:
        return (
            f"The subject's organisation {self.subject_org_id!r} is outside the subtree of the "
            f"deciding body's organisation {self.body_org_id!r}."
        )

    def allowed_instead(self) -> str:
        """The bodies that may: those of the subject's organisation or of one above it."""
        *rest, last = (repr(org_id) for org_id in self.tree.lineage(self.subject_org_id))
        return f"a body of {', '.join(rest)} or {last} may" if rest else f"a body of {last} may"


Holidays = Set[date]


def open_inspection(log: WorkerEventLog, data: dict[str, Any], holidays: Holidays) -> dict[str, Any]:
    inspection_id = data["inspection_id"]
    with log.transaction() as conn:
        check_new(conn, inspections, "inspection_id", inspection_id, "inspection")
        subject_kind = OversightSubjectKind(data["subject_kind"])
        subject_org_id = (
            roster_entry(conn, data["subject_id"]).org_id
            if subject_kind is OversightSubjectKind.MEMBER
            else data["subject_id"]
        )
        tree = load_tree(conn, [data["deciding_body_org_id"], subject_org_id])
        tree.node(data["deciding_body_org_id"], field="deciding_body_org_id")
        tree.node(subject_org_id, field="subject_id")
        check_rule(
            SubjectMustBeWithinOversightBodysSubtree(data["deciding_body_org_id"], subject_org_id, tree)
        )
        decision = InspectionDecision(
            kind=InspectionKind(data["kind"]),
            deciding_body_org_id=data["deciding_body_org_id"],
            deciding_body_type=OversightBodyType(data["deciding_body_type"]),
            subject_kind=subject_kind,
            subject_id=data["subject_id"],
            subject_org_id=subject_org_id,
            content=data["content"],
            period_from=data["period_from"],
            period_to=data["period_to"],
            team=tuple(data["team"]),
            planned_duration_days=data["planned_duration_days"],
            decision_number=data["decision_number"],
            decided_on=data["decided_on"],
            scope=InspectionScope(data["scope"]) if data["scope"] else None,
            programme_item_id=data["programme_item_id"],
        )
        inspection = Inspection.open(inspection_id, decision)
        version = append(log, conn, stream_of(inspection_id), 0, 0, inspection.new_events)
        conn.execute(
            inspections.insert().values(
                inspection_id=inspection_id,
                kind=decision.kind.value,
                deciding_body_org_id=decision.deciding_body_org_id,
                subject_kind=subject_kind.value,
                subject_id=decision.subject_id,
                org_id=subject_org_id,
                decided_on=decision.decided_on.isoformat(),
                **_progress(inspection, version, holidays),
            )
        )
    return get_inspection(log, inspection_id, holidays)


def record_phase(log: WorkerEventLog, data: dict[str, Any], holidays: Holidays) -> dict[str, Any]:
    return _act(log, data, holidays, lambda i: i.record_phase(Phase(data["phase"]), data["recorded_on"]))


def conclude(log: WorkerEventLog, data: dict[str, Any], holidays: Holidays) -> dict[str, Any]:
    return _act(
        log,
        data,
        holidays,
        lambda i: i.conclude(
            data["concluded_on"],
            data["conclusion"],
            _findings(data),
            data["violation_found"],
            data["discipline_warranted"],
            data["catalogue_version"],
        ),
    )


def conduct_supervision(log: WorkerEventLog, data: dict[str, Any], holidays: Holidays) -> dict[str, Any]:
    return _act(
        log,
        data,
        holidays,
        lambda i: i.conduct_supervision(
            data["conducted_on"],
            data["conclusion"],
            _findings(data),
            data["violation_signs_found"],
            data["catalogue_version"],
        ),
    )


def _findings(data: dict[str, Any]) -> tuple[Finding, ...]:
    return tuple(Finding(**{**f, "codes": tuple(f["codes"])}) for f in data["findings"])


def _act(log: WorkerEventLog, data: dict[str, Any], holidays: Holidays, command: Any) -> dict[str, Any]:
    inspection_id = data["inspection_id"]
    history = read_history(log, stream_of(inspection_id), "inspection_id", "inspection")
    inspection = Inspection.from_events(history.events)
    command(inspection)
    with log.transaction() as conn:
        version = append(
            log,
            conn,
            stream_of(inspection_id),
            history.version,
            data["expected_version"],
            inspection.new_events,
        )
        conn.execute(
            inspections.update()
            .where(inspections.c.inspection_id == inspection_id)
            .values(**_progress(inspection, version, holidays))
        )
    return get_inspection(log, inspection_id, holidays)


def _progress(inspection: Inspection, version: int, holidays: Holidays) -> dict[str, Any]:
    deadline = inspection.archive_deadline(holidays)
    archived_on = inspection.phase_dates.get(Phase.ARCHIVED)
    return {
        "phase": inspection.phase.value,
        "version": version,
        "archive_deadline": deadline.isoformat() if deadline else None,
        "archived_on": archived_on.isoformat() if archived_on else None,
        "discipline_warranted": inspection.discipline_warranted,
    }


# -- queries --------------------------------------------------------------------------


def get_inspection(
    log: WorkerEventLog, inspection_id: str, holidays: Holidays, as_of: date | None = None
) -> dict[str, Any]:
    history = read_history(log, stream_of(inspection_id), "inspection_id", "inspection")
    inspection = Inspection.from_events(history.events)
    assert inspection.opened is not None
    deadline = inspection.archive_deadline(holidays)
    return {
        **inspection.opened.to_payload(),
        "phase": inspection.phase.value,
        "phase_dates": {p.value: d.isoformat() for p, d in inspection.phase_dates.items()},
        "shortcoming_ids": list(inspection.shortcoming_ids),
        "discipline_warranted": inspection.discipline_warranted,
        "archive_deadline": deadline.isoformat() if deadline else None,
        "is_archive_late": inspection.is_archive_late(as_of or date.today(), holidays),
        "version": history.version,
    }


def list_inspections(
    engine: sa.Engine,
    org_id: str | None = None,
    kind: str | None = None,
    late: bool | None = None,
    as_of: date | None = None,
) -> list[dict[str, Any]]:
    """Inspection files in an organisation's subtree, of a kind, late to archive or not."""
    today = (as_of or date.today()).isoformat()
    query = sa.select(inspections).order_by(inspections.c.decided_on, inspections.c.inspection_id)
    with engine.connect() as conn:
        if org_id:
            query = query.where(in_subtree(inspections.c.org_id, subtree_path(conn, org_id)))
        if kind:
            query = query.where(inspections.c.kind == kind)
        rows = conn.execute(query).all()
    found = []
    for row in rows:
        is_late = row.archive_deadline is not None and (row.archived_on or today) > row.archive_deadline
        if late is None or is_late == late:
            found.append({**row._asdict(), "is_archive_late": is_late})
    return found
