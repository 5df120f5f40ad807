"""Use cases of remediation items: open one per recorded shortcoming, take the subject's
plan and progress, close it when remedied, and report it overdue exactly once."""

from __future__ import annotations

import json
import logging
from datetime import date
from typing import Any

import sqlalchemy as sa

from eventlog.dependencies import WorkerEventLog
from eventlog.engine import readonly
from eventlog.errors import ConcurrencyConflict
from plans import remediation_queries
from plans.domain.errors import UnknownRemediationItem
from plans.domain.event_types import event_from_payload
from plans.domain.payload import encode
from plans.domain.remediation import ActionSpec, RemediationItem
from plans.domain.remediation_policy import RemediationPolicy, RemediationStatus, item_id_for
from plans.domain.shortcoming import RecordedShortcoming
from plans.organizations import to_new_events
from plans.subtree import in_subtree
from plans.tables import remediation_items

log = logging.getLogger(__name__)


def stream_of(item_id: str) -> str:
    return f"remediation-{item_id}"


def load(event_log: WorkerEventLog, item_id: str) -> RemediationItem:
    stored = event_log.store.read_stream(stream_of(item_id))
    if not stored:
        raise UnknownRemediationItem(f"item_id {item_id!r} names no remediation item.", field="item_id")
    return RemediationItem.from_events(
        event_from_payload(e.type, e.payload, e.schema_version) for e in stored
    )


def open_item(
    event_log: WorkerEventLog,
    conn: sa.Connection,
    shortcoming: RecordedShortcoming,
    policy: RemediationPolicy,
) -> bool:
    """Open the item for a shortcoming inside the caller's transaction; False if it exists.

    The item id is derived from the shortcoming, so a redelivered ShortcomingRecorded
    (or the same one read again by catch-up) opens nothing new.
    """
    item_id = item_id_for(shortcoming)
    exists = conn.execute(
        sa.select(remediation_items.c.item_id).where(remediation_items.c.item_id == item_id)
    ).first()
    if exists:
        return False
    item = RemediationItem.open(shortcoming, policy)
    event_log.append(stream_of(item_id), 0, to_new_events(item.collect_events()), conn)
    _save(conn, item, new=True)
    return True


def submit_plan(
    event_log: WorkerEventLog,
    item_id: str,
    actions: list[dict[str, Any]],
    submitted_on: date,
    expected_version: int | None,
) -> dict[str, Any]:
    item = load(event_log, item_id)
    expected = item.version if expected_version is None else expected_version
    item.submit_plan([ActionSpec(**a) for a in actions], submitted_on)
    _store(event_log, item, expected)
    return remediation_queries.get(event_log.engine, item_id)


def report_progress(
    event_log: WorkerEventLog,
    item_id: str,
    note: str,
    reported_on: date,
    percent: int | None,
    expected_version: int | None,
) -> dict[str, Any]:
    item = load(event_log, item_id)
    expected = item.version if expected_version is None else expected_version
    item.report_progress(note, reported_on, percent)
    _store(event_log, item, expected)
    return remediation_queries.get(event_log.engine, item_id)


def mark_remedied(
    event_log: WorkerEventLog, item_id: str, note: str, remedied_on: date, expected_version: int | None
) -> dict[str, Any]:
    item = load(event_log, item_id)
    expected = item.version if expected_version is None else expected_version
    item.mark_remedied(remedied_on, note)
    _store(event_log, item, expected)
    return remediation_queries.get(event_log.engine, item_id)


def detect_overdue(event_log: WorkerEventLog, as_of: date, org_id: str | None = None) -> list[str]:
    """Record RemediationOverdue for each item past due on `as_of` (in `org_id`'s subtree
    when given, else the whole tree); return their ids.

    Several instances may run this at once: each appends at the version it loaded, so
    only one of them succeeds per item and the others skip it (ConcurrencyConflict).
    """
    query = sa.select(remediation_items.c.item_id).where(
        remediation_items.c.status != RemediationStatus.REMEDIED.value,
        remediation_items.c.overdue_reported.is_(False),
        remediation_items.c.due_on < as_of.isoformat(),
    )
    with readonly(event_log.engine.connect()) as conn:
        if org_id is not None:
            query = in_subtree(conn, query, remediation_items.c.org_id, org_id)
        candidates = [
            r.item_id
            for r in conn.execute(query.order_by(remediation_items.c.due_on, remediation_items.c.item_id))
        ]
    reported = []
    for item_id in candidates:
        item = load(event_log, item_id)
        loaded_at = item.version
        if item.check_overdue(as_of) is None:
            continue
        try:
            _store(event_log, item, loaded_at)
        except ConcurrencyConflict:
            log.info("remediation item %s changed meanwhile; the next round sees it", item_id)
            continue
        reported.append(item_id)
    return reported


def _store(event_log: WorkerEventLog, item: RemediationItem, expected: int) -> None:
    with event_log.transaction() as conn:
        event_log.append(stream_of(item.item_id), expected, to_new_events(item.collect_events()), conn)
        _save(conn, item, new=False)


def _save(conn: sa.Connection, item: RemediationItem, new: bool) -> None:
    s = item.shortcoming
    row = {
        "status": item.status.value,
        "actions": json.dumps(encode(item.actions), ensure_ascii=False),
        "revision": item.revision,
        "last_percent": item.last_percent,
        "remedied_on": item.remedied_on.isoformat() if item.remedied_on else None,
        "overdue_reported": item.overdue_reported,
        "version": item.version,
    }
    if not new:
        conn.execute(
            remediation_items.update().where(remediation_items.c.item_id == item.item_id).values(**row)
        )
        return
    conn.execute(
        remediation_items.insert().values(
            item_id=item.item_id,
            shortcoming_id=s.shortcoming_id,
            source_service=s.source_service,
            subject_kind=s.subject_kind.value,
            subject_id=s.subject_id,
            org_id=s.org_id,
            catalogue_codes=json.dumps(list(s.catalogue_codes)),
            description=s.description,
            recorded_on=s.recorded_on.isoformat(),
            opened_on=item.opened_on.isoformat(),
            due_on=item.due_on.isoformat(),
            **row,
        )
    )
