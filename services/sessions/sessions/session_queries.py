"""What the sessions service answers about themed sessions and the catalogue."""

from __future__ import annotations

from datetime import date
from typing import Any

import sqlalchemy as sa

from eventlog.engine import readonly
from sessions.domain import Catalogue, SessionHeld
from sessions.organisation_copy import StoredOrganisations
from sessions.streams import load_session
from sessions.tables import shortcomings, themed_sessions
from sessions.themed_sessions import held_summary


def _public(row: sa.Row[Any]) -> dict[str, Any]:
    return {
        "session_id": row.session_id,
        "org_id": row.org_id,
        "theme": row.theme,
        "plan_id": row.plan_id,
        "pilot": row.pilot,
        "scheduled_on": row.scheduled_on,
        "held_on": row.held_on,
        "members_total": row.members_total,
        "present": row.present,
        "speaking_turns": row.speaking_turns,
        "resolution_passed": row.resolution_passed,
        "non_compliant": row.non_compliant,
        "version": row.version,
    }


def get_session(engine: sa.Engine, session_id: str) -> dict[str, Any]:
    """The session, its full minutes and figures once held, and the shortcomings named."""
    with readonly(engine.connect()) as conn:
        session = load_session(conn, session_id)
        row = conn.execute(sa.select(themed_sessions).where(themed_sessions.c.session_id == session_id)).one()
        named = conn.execute(
            sa.select(shortcomings)
            .where(shortcomings.c.session_id == session_id)
            .order_by(shortcomings.c.shortcoming_id)
        )
        found = [dict(r._mapping) | {"codes": r.codes.split(",")} for r in named]
    held: SessionHeld | None = session.held
    return _public(row) | {
        "minutes": None if held is None else held.minutes.to_payload(),
        "held": None if held is None else held_summary(held),
        "shortcomings": found,
    }


def list_sessions(
    engine: sa.Engine,
    org_id: str | None,
    subtree: bool,
    held: bool | None,
    pilot: bool | None,
    date_from: date | None,
    date_to: date | None,
    offset: int,
    limit: int,
) -> dict[str, Any]:
    """Sessions by scheduled date, filtered by cell (or subtree), state, pilot and dates."""
    query = sa.select(themed_sessions)
    with readonly(engine.connect()) as conn:
        if org_id is not None:
            organisations = StoredOrganisations(conn)
            organisations.require(org_id)
            cells = organisations.subtree_ids(org_id) if subtree else [org_id]
            query = query.where(themed_sessions.c.org_id.in_(cells))
        if held is not None:
            column = themed_sessions.c.held_on
            query = query.where(column.is_not(None) if held else column.is_(None))
        if pilot is not None:
            query = query.where(themed_sessions.c.pilot == pilot)
        day = sa.func.coalesce(themed_sessions.c.held_on, themed_sessions.c.scheduled_on)
        if date_from is not None:
            query = query.where(day >= date_from.isoformat())
        if date_to is not None:
            query = query.where(day <= date_to.isoformat())
        total = conn.execute(sa.select(sa.func.count()).select_from(query.subquery())).scalar()
        rows = conn.execute(
            query.order_by(themed_sessions.c.scheduled_on, themed_sessions.c.session_id)
            .offset(offset)
            .limit(limit)
        )
        return {"total": int(total or 0), "offset": offset, "sessions": [_public(r) for r in rows]}


def catalogue_document(catalogue: Catalogue) -> dict[str, Any]:
    return {
        "version": catalogue.version,
        "groups": [
            {"id": g.group_id, "source": g.source, "label": g.label, "label_vi": g.label_vi}
            for g in catalogue.groups
        ],
        "items": [
            {"code": i.code, "group": i.group, "label": i.label, "label_vi": i.label_vi}
            for i in catalogue.items
        ],
    }
