"""Reading this service's aggregates back from their streams, inside a transaction."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa

from eventlog.envelope import NewEvent
from eventlog.schema import event_log
from sessions.domain import Member, NotFound, RatingRound, ThemedSession, event_from_payload


def member_stream(member_id: str) -> str:
    return f"member-{member_id}"


def session_stream(session_id: str) -> str:
    return f"session-{session_id}"


def rating_round_stream(scope_org_id: str, year: int) -> str:
    return f"rating-round-{year}-{scope_org_id}"


def scope_and_year(round_id: str) -> tuple[str, int]:
    _rating, _round, year, scope = round_id.split("-", 3)
    return scope, int(year)


def stream_events(conn: sa.Connection, stream_id: str) -> list[Any]:
    """The stream's domain events in order, read on `conn` (so inside its transaction)."""
    rows = conn.execute(
        sa.select(event_log.c.event_type, event_log.c.payload)
        .where(event_log.c.stream_id == stream_id)
        .order_by(event_log.c.stream_version)
    )
    return [event_from_payload(row.event_type, json.loads(row.payload)) for row in rows]


def new_events(events: Iterable[Any]) -> list[NewEvent]:
    return [NewEvent(e.event_type, e.to_payload(), e.schema_version) for e in events]


def load_member(conn: sa.Connection, member_id: str, field: str = "member_id") -> Member:
    events = stream_events(conn, member_stream(member_id))
    if not events:
        raise NotFound(f"{field}: no member {member_id!r} is enrolled.", field, "MemberMustBeEnrolled")
    return Member.from_events(events)


def load_session(conn: sa.Connection, session_id: str) -> ThemedSession:
    events = stream_events(conn, session_stream(session_id))
    if not events:
        raise NotFound(
            f"session_id: no themed session {session_id!r} is scheduled.",
            "session_id",
            "SessionMustBeScheduled",
        )
    return ThemedSession.from_events(events)


def load_rating_round(conn: sa.Connection, scope_org_id: str, year: int) -> RatingRound:
    return RatingRound.load(scope_org_id, year, stream_events(conn, rating_round_stream(scope_org_id, year)))
