"""Yearly review and rating use cases: rate members and collectives, list ratings."""

from __future__ import annotations

from datetime import date
from typing import Any

import sqlalchemy as sa

from eventlog.dependencies import WorkerEventLog
from eventlog.engine import readonly
from sessions.discipline_copy import discipline_register
from sessions.domain import MemberRatingRequest, NotFound, RatingRound
from sessions.organisation_copy import StoredOrganisations
from sessions.rating_snapshots import public_rating, save_rating_events
from sessions.streams import load_member, load_rating_round, new_events, rating_round_stream
from sessions.tables import ratings


def rate_members(
    log: WorkerEventLog,
    year: int,
    rated_on: date,
    requests: list[dict[str, Any]],
    expected_version: int | None,
) -> dict[str, Any]:
    """Rate members of one grassroots organisation together, all or nothing."""
    with log.transaction() as conn:
        organisations = StoredOrganisations(conn)
        members = [
            load_member(conn, r["member_id"], f"ratings.{i}.member_id") for i, r in enumerate(requests)
        ]
        cell = members[0].cell_on(rated_on)
        if cell is None:
            raise NotFound(
                f"ratings.0.member_id: member {members[0].member_id} is on no cell's roster on {rated_on}.",
                "ratings.0.member_id",
                "MemberMustBeOnARoster",
            )
        scope = organisations.grassroots_of(cell) or cell
        rating_round = load_rating_round(conn, scope, year)
        wanted = [
            MemberRatingRequest(m, r.get("level"), r.get("score"))
            for m, r in zip(members, requests, strict=True)
        ]
        rating_round.rate_members(wanted, rated_on, discipline_register(conn, year), organisations)
        return _save(log, conn, rating_round, expected_version)


def rate_collective(
    log: WorkerEventLog,
    org_id: str,
    year: int,
    rated_on: date,
    level: str | None,
    score: float | None,
    expected_version: int | None,
) -> dict[str, Any]:
    """Rate an organisation's collective for the year."""
    with log.transaction() as conn:
        organisations = StoredOrganisations(conn)
        organisations.require(org_id)
        scope = organisations.grassroots_of(org_id) or org_id
        rating_round = load_rating_round(conn, scope, year)
        rating_round.rate_collective(
            org_id, rated_on, discipline_register(conn, year), organisations, level, score
        )
        return _save(log, conn, rating_round, expected_version)


def _save(
    log: WorkerEventLog, conn: sa.Connection, rating_round: RatingRound, expected_version: int | None
) -> dict[str, Any]:
    pending = rating_round.pending_events
    round_id = rating_round_stream(rating_round.scope_org_id, rating_round.year)
    base = rating_round.version - len(pending)
    log.append(round_id, base if expected_version is None else expected_version, new_events(pending), conn)
    save_rating_events(conn, round_id, pending)
    return {
        "grassroots_org_id": rating_round.scope_org_id,
        "year": rating_round.year,
        "rule_set": rating_round.rule_set.name,
        "version": rating_round.version,
        "ratings": [e.to_payload() for e in pending],
    }


def list_ratings(
    engine: sa.Engine,
    year: int | None,
    org_id: str | None,
    subject_kind: str | None,
    flagged_for_review: bool | None,
    offset: int,
    limit: int,
) -> dict[str, Any]:
    """Ratings recorded, filtered by year, organisation subtree, subject kind and flag."""
    query = sa.select(ratings)
    with readonly(engine.connect()) as conn:
        if org_id is not None:
            organisations = StoredOrganisations(conn)
            organisations.require(org_id)
            query = query.where(ratings.c.org_id.in_(organisations.subtree_ids(org_id)))
        if year is not None:
            query = query.where(ratings.c.year == year)
        if subject_kind is not None:
            query = query.where(ratings.c.subject_kind == subject_kind)
        if flagged_for_review is not None:
            query = query.where(ratings.c.flagged_for_review == flagged_for_review)
        total = conn.execute(sa.select(sa.func.count()).select_from(query.subquery())).scalar()
        rows = conn.execute(
            query.order_by(ratings.c.year, ratings.c.org_id, ratings.c.subject_kind, ratings.c.subject_id)
            .offset(offset)
            .limit(limit)
        )
        return {"total": int(total or 0), "offset": offset, "ratings": [public_rating(r) for r in rows]}
