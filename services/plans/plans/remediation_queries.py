"""Reading remediation items from their snapshot table."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import sqlalchemy as sa

from eventlog.engine import readonly
from plans.domain.errors import UnknownRemediationItem
from plans.subtree import in_subtree
from plans.tables import remediation_items

items = remediation_items


def _public(row: sa.Row[Any]) -> dict[str, Any]:
    return {
        "item_id": row.item_id,
        "shortcoming_id": row.shortcoming_id,
        "source_service": row.source_service,
        "subject_kind": row.subject_kind,
        "subject_id": row.subject_id,
        "org_id": row.org_id,
        "catalogue_codes": json.loads(row.catalogue_codes),
        "description": row.description,
        "recorded_on": row.recorded_on,
        "opened_on": row.opened_on,
        "due_on": row.due_on,
        "status": row.status,
        "actions": json.loads(row.actions),
        "revision": row.revision,
        "last_percent": row.last_percent,
        "remedied_on": row.remedied_on,
        "overdue_reported": bool(row.overdue_reported),
        "version": row.version,
    }


def get(engine: sa.Engine, item_id: str) -> dict[str, Any]:
    with readonly(engine.connect()) as conn:
        row = conn.execute(sa.select(items).where(items.c.item_id == item_id)).first()
    if row is None:
        raise UnknownRemediationItem(f"item_id {item_id!r} names no remediation item.", field="item_id")
    return _public(row)


def list_items(
    engine: sa.Engine,
    org_id: str | None,
    status: str | None,
    overdue_on: date | None,
    offset: int,
    limit: int,
    subject_kind: str | None = None,
    subject_id: str | None = None,
) -> list[dict[str, Any]]:
    """Items in `org_id`'s subtree, optionally of one status, or overdue on `overdue_on`
    (past due then and not remedied by then), or about one subject; soonest due first."""
    query = sa.select(items)
    with readonly(engine.connect()) as conn:
        if org_id is not None:
            query = in_subtree(conn, query, items.c.org_id, org_id)
        if status is not None:
            query = query.where(items.c.status == status)
        if subject_kind is not None:
            query = query.where(items.c.subject_kind == subject_kind)
        if subject_id is not None:
            query = query.where(items.c.subject_id == subject_id)
        if overdue_on is not None:
            day = overdue_on.isoformat()
            query = query.where(
                items.c.due_on < day, sa.or_(items.c.remedied_on.is_(None), items.c.remedied_on > day)
            )
        query = query.order_by(items.c.due_on, items.c.item_id).offset(offset).limit(limit)
        return [_public(r) for r in conn.execute(query)]
