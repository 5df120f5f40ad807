"""Roster use cases: enrol, transfer, change status, end membership; and their queries."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from typing import Any

import sqlalchemy as sa

from eventlog.dependencies import WorkerEventLog
from eventlog.engine import readonly
from sessions.domain import (
    CellPost,
    CellRoster,
    Conflict,
    Member,
    MembershipEndReason,
    MembershipKind,
    MemberStatus,
    NotFound,
)
from sessions.domain.membership import CommitteePost
from sessions.organisation_copy import StoredOrganisations
from sessions.streams import load_member, member_stream, new_events
from sessions.tables import members, membership_periods


def enrol(
    log: WorkerEventLog,
    member_id: str,
    full_name: str,
    org_id: str,
    membership: str,
    admitted_on: date,
    enrolled_on: date | None,
    posts_in_cell: list[str],
    posts_outside_cell: list[str],
    committee_posts: list[dict[str, str]],
) -> dict[str, Any]:
    posts = tuple(CellPost(p) for p in posts_in_cell)
    with log.transaction() as conn:
        if conn.execute(sa.select(members.c.member_id).where(members.c.member_id == member_id)).first():
            raise Conflict(
                f"member_id: member {member_id!r} is already enrolled; transfer them instead.",
                "member_id",
                "MemberIsEnrolledOnce",
            )
        member = Member.enrol(
            member_id,
            full_name,
            org_id,
            MembershipKind(membership),
            admitted_on,
            StoredOrganisations(conn),
            enrolled_on,
            posts,
            tuple(posts_outside_cell),
            _seats(committee_posts),
        )
        _require_one_secretary(conn, org_id, member_id, posts)
        # Version 0: a concurrent enrolment of the same member loses with a 409.
        log.append(member_stream(member_id), 0, new_events(member.pending_events), conn)
        _save(conn, member)
    return get(log.engine, member_id)


def transfer(
    log: WorkerEventLog,
    member_id: str,
    to_org_id: str,
    effective_on: date,
    posts_in_cell: list[str],
    expected_version: int | None,
    committee_posts: list[dict[str, str]] | None = None,
) -> dict[str, Any]:
    posts = tuple(CellPost(p) for p in posts_in_cell)
    seats = None if committee_posts is None else _seats(committee_posts)

    def act(member: Member, conn: sa.Connection) -> None:
        member.transfer(to_org_id, effective_on, StoredOrganisations(conn), posts, seats)
        _require_one_secretary(conn, to_org_id, member_id, posts)

    return _change(log, member_id, expected_version, act)


def change_status(
    log: WorkerEventLog,
    member_id: str,
    status: str,
    effective_on: date,
    reason: str,
    expected_version: int | None,
) -> dict[str, Any]:
    return _change(
        log,
        member_id,
        expected_version,
        lambda m, _: m.change_status(MemberStatus(status), effective_on, reason),
    )


def end_membership(
    log: WorkerEventLog, member_id: str, reason: str, ended_on: date, note: str, expected_version: int | None
) -> dict[str, Any]:
    return _change(
        log,
        member_id,
        expected_version,
        lambda m, _: m.end_membership(MembershipEndReason(reason), ended_on, note),
    )


def _change(
    log: WorkerEventLog,
    member_id: str,
    expected_version: int | None,
    act: Callable[[Member, sa.Connection], Any],
) -> dict[str, Any]:
    with log.transaction() as conn:
        member = load_member(conn, member_id)
        base = member.version
        act(member, conn)
        log.append(
            member_stream(member_id),
            base if expected_version is None else expected_version,
            new_events(member.pending_events),
            conn,
        )
        _save(conn, member)
    return get(log.engine, member_id)


def _seats(committee_posts: list[dict[str, str]]) -> tuple[CommitteePost, ...]:
    return tuple(CommitteePost.from_payload(p) for p in committee_posts)


def _require_one_secretary(
    conn: sa.Connection, org_id: str, member_id: str, posts: tuple[CellPost, ...]
) -> None:
    if CellPost.SECRETARY not in posts:
        return
    current = conn.execute(
        sa.select(members.c.member_id).where(
            members.c.org_id == org_id,
            members.c.ended_on.is_(None),
            members.c.member_id != member_id,
            members.c.posts_in_cell.contains(CellPost.SECRETARY.value),
        )
    ).first()
    if current is not None:
        raise Conflict(
            f"posts_in_cell: cell {org_id} already has a secretary ({current.member_id}).",
            "posts_in_cell",
            "OneSecretaryPerCell",
        )


def _save(conn: sa.Connection, member: Member) -> None:
    period = member.current_period
    conn.execute(members.delete().where(members.c.member_id == member.member_id))
    conn.execute(
        members.insert().values(
            member_id=member.member_id,
            full_name=member.full_name,
            org_id=period.org_id,
            membership=member.membership.value,
            status=member.current_status.value,
            admitted_on=member.admitted_on.isoformat(),
            enrolled_on=member.periods[0].starts_on.isoformat(),
            ended_on=member.ended_on.isoformat() if member.ended_on else None,
            posts_in_cell=",".join(p.value for p in period.posts_in_cell),
            posts_outside_cell=json.dumps(list(member.posts_outside_cell), ensure_ascii=False),
            committee_posts=json.dumps([p.to_payload() for p in period.committee_posts], ensure_ascii=False),
            version=member.version,
        )
    )
    conn.execute(membership_periods.delete().where(membership_periods.c.member_id == member.member_id))
    conn.execute(
        membership_periods.insert(),
        [
            {
                "member_id": member.member_id,
                "org_id": p.org_id,
                "starts_on": p.starts_on.isoformat(),
                "ends_on": p.ends_on.isoformat() if p.ends_on else None,
            }
            for p in member.periods
        ],
    )


# -- queries --------------------------------------------------------------------------


def get(engine: sa.Engine, member_id: str) -> dict[str, Any]:
    with readonly(engine.connect()) as conn:
        row = conn.execute(sa.select(members).where(members.c.member_id == member_id)).first()
        if row is None:
            raise NotFound(f"member_id: no member {member_id!r} is enrolled.", "member_id")
        periods = conn.execute(
            sa.select(membership_periods)
            .where(membership_periods.c.member_id == member_id)
            .order_by(membership_periods.c.starts_on)
        )
        history = [{"org_id": p.org_id, "starts_on": p.starts_on, "ends_on": p.ends_on} for p in periods]
    return _public(row) | {"periods": history}


def _public(row: sa.Row[Any]) -> dict[str, Any]:
    return {
        "member_id": row.member_id,
        "full_name": row.full_name,
        "org_id": row.org_id,
        "membership": row.membership,
        "status": row.status,
        "admitted_on": row.admitted_on,
        "enrolled_on": row.enrolled_on,
        "ended_on": row.ended_on,
        "posts_in_cell": [p for p in row.posts_in_cell.split(",") if p],
        "committee_posts": json.loads(row.committee_posts or "[]"),
        "posts_outside_cell": json.loads(row.posts_outside_cell or "[]"),
        "version": row.version,
    }


def list_members(
    engine: sa.Engine,
    org_id: str,
    subtree: bool,
    status: str | None,
    include_ended: bool,
    offset: int,
    limit: int,
) -> dict[str, Any]:
    """Members now in cell `org_id` (or anywhere below it with `subtree`), by name."""
    with readonly(engine.connect()) as conn:
        organisations = StoredOrganisations(conn)
        organisations.require(org_id)
        cells = organisations.subtree_ids(org_id) if subtree else [org_id]
        query = sa.select(members).where(members.c.org_id.in_(cells))
        if status:
            query = query.where(members.c.status == status)
        if not include_ended:
            query = query.where(members.c.ended_on.is_(None))
        total = conn.execute(sa.select(sa.func.count()).select_from(query.subquery())).scalar()
        rows = conn.execute(
            query.order_by(members.c.full_name, members.c.member_id).offset(offset).limit(limit)
        )
        return {"total": int(total or 0), "offset": offset, "members": [_public(r) for r in rows]}


def roster_on(conn: sa.Connection, org_id: str, as_of: date) -> CellRoster:
    """Cell `org_id`'s roster on `as_of`, from the member aggregates of that day."""
    day = as_of.isoformat()
    rows = conn.execute(
        sa.select(membership_periods.c.member_id)
        .distinct()
        .where(
            membership_periods.c.org_id == org_id,
            membership_periods.c.starts_on <= day,
            sa.or_(membership_periods.c.ends_on.is_(None), membership_periods.c.ends_on > day),
        )
    )
    return CellRoster.from_members(org_id, as_of, [load_member(conn, r.member_id) for r in rows])


def get_roster(engine: sa.Engine, org_id: str, as_of: date) -> dict[str, Any]:
    with readonly(engine.connect()) as conn:
        StoredOrganisations(conn).require(org_id)
        roster = roster_on(conn, org_id, as_of)
    return {
        "org_id": org_id,
        "as_of": as_of.isoformat(),
        "members_total": len(roster.entries),
        "full_members": roster.count_of(MembershipKind.FULL),
        "probationary_members": roster.count_of(MembershipKind.PROBATIONARY),
        "entries": [
            {
                "member_id": e.member_id,
                "full_name": e.full_name,
                "membership": e.membership.value,
                "status": e.status.value,
                "admitted_on": e.admitted_on.isoformat(),
                "posts_in_cell": [p.value for p in e.posts_in_cell],
                "committee_posts": [p.to_payload() for p in e.committee_posts],
                "posts_outside_cell": list(e.posts_outside_cell),
            }
            for e in roster.entries
        ],
    }
