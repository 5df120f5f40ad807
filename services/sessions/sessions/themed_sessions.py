"""Themed-session use cases: schedule, hold with full minutes, name shortcomings."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

import sqlalchemy as sa

from eventlog.dependencies import WorkerEventLog
from sessions.domain import (
    Attendance,
    Catalogue,
    Conflict,
    DomainError,
    Guest,
    Presence,
    SessionHeld,
    SessionMinutes,
    SubjectKind,
    ThemedSession,
    Vote,
)
from sessions.members import roster_on
from sessions.organisation_copy import StoredOrganisations
from sessions.streams import load_session, new_events, session_stream
from sessions.tables import shortcomings, themed_sessions


def schedule(
    log: WorkerEventLog,
    session_id: str,
    org_id: str,
    theme: str,
    scheduled_on: date,
    plan_id: str | None,
    pilot: bool,
) -> dict[str, Any]:
    with log.transaction() as conn:
        if conn.execute(
            sa.select(themed_sessions.c.session_id).where(themed_sessions.c.session_id == session_id)
        ).first():
            raise Conflict(
                f"session_id: session {session_id!r} is already scheduled.",
                "session_id",
                "SessionIsScheduledOnce",
            )
        session = ThemedSession.schedule(
            session_id, org_id, theme, scheduled_on, StoredOrganisations(conn), plan_id, pilot
        )
        log.append(session_stream(session_id), 0, new_events(session.pending_events), conn)
        conn.execute(
            themed_sessions.insert().values(
                session_id=session_id,
                org_id=org_id,
                theme=session.theme,
                plan_id=session.plan_id,
                pilot=pilot,
                scheduled_on=scheduled_on.isoformat(),
                version=session.version,
            )
        )
    return {"session_id": session_id, "org_id": org_id, "version": session.version}


def minutes_from(data: dict[str, Any]) -> SessionMinutes:
    """The minutes as typed in (already checked for shape by the RPC schema)."""
    vote = data.get("vote")
    return SessionMinutes(
        held_on=data["held_on"],
        starts_at=data["starts_at"],
        ends_at=data["ends_at"],
        chair_id=data["chair_id"],
        minute_taker_id=data["minute_taker_id"],
        attendance=tuple(
            Attendance(a["member_id"], Presence(a["presence"]), a["reason"]) for a in data["attendance"]
        ),
        speaking_turns=dict(data["speaking_turns"]),
        guests=tuple(Guest(g["name"], g["org"]) for g in data["guests"]),
        combined_with_regular_session=data["combined_with_regular_session"],
        place=data["place"],
        report=data["report"],
        conclusions=data["conclusions"],
        resolution=data["resolution"],
        vote=None if vote is None else Vote(vote["votes_for"], vote["against"], vote["abstain"]),
    )


def hold(
    log: WorkerEventLog, session_id: str, minutes: SessionMinutes, expected_version: int | None
) -> dict[str, Any]:
    """Record the session as held; the figures are derived from the roster of the day."""
    with log.transaction() as conn:
        session = load_session(conn, session_id)
        base = session.version
        roster = roster_on(conn, session.org_id, minutes.held_on)
        held = session.hold(minutes, roster, StoredOrganisations(conn))
        log.append(
            session_stream(session_id),
            base if expected_version is None else expected_version,
            new_events(session.pending_events),
            conn,
        )
        figures = held.figures
        conn.execute(
            themed_sessions.update()
            .where(themed_sessions.c.session_id == session_id)
            .values(
                held_on=minutes.held_on.isoformat(),
                members_total=figures.members_total,
                present=figures.present,
                speaking_turns=figures.speaking_turns,
                resolution_passed=held.resolution_passed,
                non_compliant=held.non_compliant,
                version=session.version,
            )
        )
    return held_summary(held) | {"version": session.version}


def held_summary(held: SessionHeld) -> dict[str, Any]:
    figures = held.figures
    return {
        "session_id": held.session_id,
        "org_id": held.org_id,
        "held_on": held.held_on.isoformat(),
        "summary": f"{figures.present}/{figures.members_total} present, "
        f"{figures.speaking_turns} speaking turns",
        "figures": figures.to_payload(),
        "resolution_passed": held.resolution_passed,
        "non_compliant": held.non_compliant,
        "non_compliance": [n.to_payload() for n in held.non_compliance],
    }


def record_shortcomings(
    log: WorkerEventLog,
    catalogue: Catalogue,
    session_id: str,
    items: list[dict[str, Any]],
    recorded_on: date | None,
    expected_version: int | None,
) -> dict[str, Any]:
    """Name the shortcomings agreed in a held session; all of them or none."""
    with log.transaction() as conn:
        session = load_session(conn, session_id)
        base = session.version
        for index, item in enumerate(items):
            try:
                session.record_shortcoming(
                    item["shortcoming_id"] or f"{session_id}-{uuid.uuid4().hex[:10]}",
                    SubjectKind(item["subject_kind"]),
                    item["subject_id"],
                    item["codes"],
                    item["description"],
                    catalogue,
                    recorded_on,
                )
            except DomainError as error:
                # Name the item in the list, so the clerk knows which line to fix.
                error.field = f"shortcomings.{index}.{error.field or 'shortcoming'}"
                raise
        log.append(
            session_stream(session_id),
            base if expected_version is None else expected_version,
            new_events(session.pending_events),
            conn,
        )
        recorded = [e.to_payload() for e in session.pending_events]
        conn.execute(shortcomings.insert(), [_shortcoming_row(p) for p in recorded])
        conn.execute(
            themed_sessions.update()
            .where(themed_sessions.c.session_id == session_id)
            .values(version=session.version)
        )
    return {"session_id": session_id, "shortcomings": recorded, "version": session.version}


def _shortcoming_row(payload: dict[str, Any]) -> dict[str, Any]:
    row = {key: payload[key] for key in shortcomings.c.keys()}
    return row | {"codes": ",".join(payload["codes"])}
