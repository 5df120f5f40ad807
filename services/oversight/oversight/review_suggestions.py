"""Use cases of review suggestions (gợi ý kiểm điểm)."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from eventlog.dependencies import WorkerEventLog
from oversight.domain.inspection_kinds import OversightBodyType
from oversight.domain.review_suggestion import AnsweredIn, ReviewSuggestion, ReviewTargetKind
from oversight.local_tree import in_subtree, load_tree, roster_entry, subtree_path
from oversight.streams import append, check_new, read_history
from oversight.tables import review_suggestions


def stream_of(suggestion_id: str) -> str:
    return f"review-suggestion:{suggestion_id}"


def suggest(log: WorkerEventLog, data: dict[str, Any]) -> dict[str, Any]:
    suggestion_id = data["suggestion_id"]
    with log.transaction() as conn:
        check_new(conn, review_suggestions, "suggestion_id", suggestion_id, "review suggestion")
        target_kind = ReviewTargetKind(data["target_kind"])
        target_org_id = (
            roster_entry(conn, data["target_id"], field="target_id").org_id
            if target_kind is ReviewTargetKind.MEMBER
            else data["target_id"]
        )
        tree = load_tree(conn, [data["suggesting_body_org_id"], target_org_id])
        tree.node(data["suggesting_body_org_id"], field="suggesting_body_org_id")
        tree.node(target_org_id, field="target_id")
        suggestion = ReviewSuggestion.suggest(
            suggestion_id,
            data["suggesting_body_org_id"],
            OversightBodyType(data["suggesting_body_type"]),
            target_kind,
            data["target_id"],
            target_org_id,
            tuple(data["points"]),
            data["suggested_on"],
            tree.is_within,
        )
        version = append(log, conn, stream_of(suggestion_id), 0, 0, suggestion.new_events)
        conn.execute(
            review_suggestions.insert().values(
                suggestion_id=suggestion_id,
                suggesting_body_org_id=data["suggesting_body_org_id"],
                target_kind=target_kind.value,
                target_id=data["target_id"],
                org_id=target_org_id,
                suggested_on=data["suggested_on"].isoformat(),
                answered_on=None,
                version=version,
            )
        )
    return get(log, suggestion_id)


def answer(log: WorkerEventLog, data: dict[str, Any]) -> dict[str, Any]:
    suggestion_id = data["suggestion_id"]
    history = read_history(log, stream_of(suggestion_id), "suggestion_id", "review suggestion")
    suggestion = ReviewSuggestion.from_events(history.events)
    suggestion.record_answer(data["answered_on"], AnsweredIn(data["answered_in"]), data["reference"])
    with log.transaction() as conn:
        version = append(
            log,
            conn,
            stream_of(suggestion_id),
            history.version,
            data["expected_version"],
            suggestion.new_events,
        )
        conn.execute(
            review_suggestions.update()
            .where(review_suggestions.c.suggestion_id == suggestion_id)
            .values(answered_on=data["answered_on"].isoformat(), version=version)
        )
    return get(log, suggestion_id)


def get(log: WorkerEventLog, suggestion_id: str) -> dict[str, Any]:
    history = read_history(log, stream_of(suggestion_id), "suggestion_id", "review suggestion")
    suggestion = ReviewSuggestion.from_events(history.events)
    assert suggestion.suggested is not None
    return {
        **suggestion.suggested.to_payload(),
        "is_open": suggestion.is_open,
        "answer": suggestion.answer.to_payload() if suggestion.answer else None,
        "version": history.version,
    }


def list_suggestions(
    engine: sa.Engine, org_id: str | None = None, open_only: bool = False
) -> list[dict[str, Any]]:
    """Suggestions to collectives and members in an organisation's subtree."""
    query = sa.select(review_suggestions).order_by(
        review_suggestions.c.suggested_on, review_suggestions.c.suggestion_id
    )
    with engine.connect() as conn:
        if org_id:
            query = query.where(in_subtree(review_suggestions.c.org_id, subtree_path(conn, org_id)))
        if open_only:
            query = query.where(review_suggestions.c.answered_on.is_(None))
        return [{**row._asdict(), "is_open": row.answered_on is None} for row in conn.execute(query)]
