"""Use cases of discipline: impose (or record time-barred), propose, appeal, decide appeals.

Who the subject is (full or probationary member, which cell, which posts) comes from the
local roster copy, never from the caller: authority turns on it.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import sqlalchemy as sa

from eventlog.dependencies import WorkerEventLog
from oversight.domain.appeals import AppealOutcome
from oversight.domain.deciding_bodies import DecidingBody, DecidingBodyKind
from oversight.domain.discipline_case import DisciplineCase
from oversight.domain.discipline_decision import DisciplineDecision
from oversight.domain.discipline_forms import DisciplineForm, DisciplineSubject, DisciplineSubjectKind
from oversight.domain.discipline_proposal import DisciplineProposal
from oversight.domain.exceptions import NotFound
from oversight.domain.limitation import Violation
from oversight.domain.org_tree import Post
from oversight.domain.rule_sets import ViolationCategory
from oversight.local_tree import discipline_subject, in_subtree, load_tree, roster_entry, subtree_path
from oversight.streams import append, check_new, read_history
from oversight.tables import discipline_decisions, discipline_proposals


def stream_of(decision_id: str) -> str:
    return f"discipline:{decision_id}"


def proposal_stream_of(proposal_id: str) -> str:
    return f"discipline-proposal:{proposal_id}"


def _case(subject: DisciplineSubject, data: dict[str, Any]) -> DisciplineCase:
    violations = tuple(
        Violation(
            tuple(v["codes"]),
            v["committed_on"],
            v["ended_on"],
            frozenset(ViolationCategory(c) for c in v["categories"]),
        )
        for v in data["violations"]
    )
    return DisciplineCase(
        subject,
        violations,
        data["discipline_warranted_on"],
        data["reason"],
        data["concerns_higher_level_task"],
        data["inspection_id"],
    )


def _lineages(subject: DisciplineSubject, *org_ids: str) -> list[str]:
    return [subject.org_id, *(p.org_id for p in subject.posts), *org_ids]


def impose(log: WorkerEventLog, data: dict[str, Any]) -> dict[str, Any]:
    decision_id = data["decision_id"]
    proposal = _proposal(log, data["proposal_id"]) if data["proposal_id"] else None
    with log.transaction() as conn:
        check_new(conn, discipline_decisions, "decision_id", decision_id, "discipline decision")
        subject = discipline_subject(conn, data["subject_kind"], data["subject_id"])
        tree = load_tree(conn, _lineages(subject, data["deciding_body_org_id"]))
        tree.node(data["deciding_body_org_id"], field="deciding_body_org_id")
        body = DecidingBody(data["deciding_body_org_id"], DecidingBodyKind(data["deciding_body_kind"]))
        decision = DisciplineDecision.impose(
            decision_id,
            _case(subject, data),
            DisciplineForm(data["form"]),
            body,
            data["decided_on"],
            tree,
            data["received_on"],
            data["self_detected_and_remedied"],
            proposal,
        )
        version = append(log, conn, stream_of(decision_id), 0, 0, decision.new_events)
        conn.execute(
            discipline_decisions.insert().values(
                decision_id=decision_id,
                subject_kind=subject.kind.value,
                subject_id=subject.subject_id,
                org_id=subject.org_id,
                deciding_body_org_id=body.org_id,
                deciding_body_kind=body.kind.value,
                decided_on=data["decided_on"].isoformat(),
                rule_set=decision.rule_set,
                **_progress(decision, version),
            )
        )
    return get(log, decision_id)


def _proposal(log: WorkerEventLog, proposal_id: str) -> DisciplineProposal:
    """The proposal a decision answers; NotFound (on proposal_id) when there is none."""
    history = read_history(log, proposal_stream_of(proposal_id), "proposal_id", "discipline proposal")
    return DisciplineProposal.from_events(history.events)


def propose(log: WorkerEventLog, data: dict[str, Any]) -> dict[str, Any]:
    """A body without the authority records a proposal to the lowest body that has it."""
    proposal_id = data["proposal_id"]
    with log.transaction() as conn:
        check_new(conn, discipline_proposals, "proposal_id", proposal_id, "discipline proposal")
        subject = discipline_subject(conn, data["subject_kind"], data["subject_id"])
        tree = load_tree(conn, _lineages(subject, data["proposing_body_org_id"]))
        tree.node(data["proposing_body_org_id"], field="proposing_body_org_id")
        body = DecidingBody(data["proposing_body_org_id"], DecidingBodyKind(data["proposing_body_kind"]))
        proposal = DisciplineProposal.propose(
            proposal_id, _case(subject, data), DisciplineForm(data["form"]), body, data["proposed_on"], tree
        )
        append(log, conn, proposal_stream_of(proposal_id), 0, 0, proposal.new_events)
        [proposed] = proposal.new_events
        payload = proposed.to_payload()
        conn.execute(
            discipline_proposals.insert().values(
                proposal_id=proposal_id,
                subject_kind=subject.kind.value,
                subject_id=subject.subject_id,
                org_id=subject.org_id,
                form=data["form"],
                proposed_to_org_id=payload["proposed_to_org_id"],
                proposed_to_body_kind=payload["proposed_to_body_kind"],
                proposed_on=data["proposed_on"].isoformat(),
            )
        )
    return {**payload, "version": 1}


def lodge_appeal(log: WorkerEventLog, data: dict[str, Any]) -> dict[str, Any]:
    history, decision = _load(log, data["decision_id"])
    with log.transaction() as conn:
        tree = load_tree(conn, [decision.decided_by.org_id])
        decision.lodge_appeal(data["appeal_id"], data["lodged_on"], data["grounds"], tree)
        _save(log, conn, decision, history.version, data["expected_version"])
    return get(log, data["decision_id"])


def decide_appeal(log: WorkerEventLog, data: dict[str, Any]) -> dict[str, Any]:
    history, decision = _load(log, data["decision_id"])
    with log.transaction() as conn:
        posts = _posts_now(conn, decision)
        tree = load_tree(
            conn,
            [
                decision.org_id,
                *(p.org_id for p in posts),
                decision.decided_by.org_id,
                data["deciding_body_org_id"],
            ],
        )
        body = DecidingBody(data["deciding_body_org_id"], DecidingBodyKind(data["deciding_body_kind"]))
        decision.decide_appeal(
            AppealOutcome(data["outcome"]),
            data["decided_on"],
            body,
            tree,
            DisciplineForm(data["new_form"]) if data["new_form"] else None,
            posts,
            data["reason"],
        )
        _save(log, conn, decision, history.version, data["expected_version"])
    return get(log, data["decision_id"])


def _posts_now(conn: sa.Connection, decision: DisciplineDecision) -> tuple[Post, ...]:
    """The posts the member holds now: a changed form of removal needs one to remove from.

    A member no longer on the roster (an expulsion under appeal) holds none we know of.
    """
    if decision.subject_kind is DisciplineSubjectKind.ORGANISATION:
        return ()
    try:
        return roster_entry(conn, decision.subject_id).posts
    except NotFound:
        return ()


def _load(log: WorkerEventLog, decision_id: str) -> tuple[Any, DisciplineDecision]:
    history = read_history(log, stream_of(decision_id), "decision_id", "discipline decision")
    return history, DisciplineDecision.from_events(history.events)


def _save(
    log: WorkerEventLog,
    conn: sa.Connection,
    decision: DisciplineDecision,
    loaded_version: int,
    expected_version: int | None,
) -> None:
    version = append(
        log, conn, stream_of(decision.decision_id), loaded_version, expected_version, decision.new_events
    )
    conn.execute(
        discipline_decisions.update()
        .where(discipline_decisions.c.decision_id == decision.decision_id)
        .values(**_progress(decision, version))
    )


def _progress(decision: DisciplineDecision, version: int) -> dict[str, Any]:
    appeal = decision.pending_appeal
    return {
        "form": decision.form.value,
        "status": decision.status.value,
        "version": version,
        "pending_appeal_id": appeal.appeal_id if appeal else None,
    }


# -- queries --------------------------------------------------------------------------


def get(log: WorkerEventLog, decision_id: str) -> dict[str, Any]:
    """The decision as imposed, its current form and status, and its appeals."""
    history, decision = _load(log, decision_id)
    imposed = history.events[0].to_payload()
    return {
        **imposed,
        "imposed_form": imposed["form"],
        "form": decision.form.value,
        "status": decision.status.value,
        "is_in_force": decision.is_in_force,
        "pending_appeal": decision.pending_appeal.to_payload() if decision.pending_appeal else None,
        "appeals_decided": [a.to_payload() for a in decision.appeals_decided],
        "version": history.version,
    }


def list_decisions(
    engine: sa.Engine,
    org_id: str | None = None,
    subject_id: str | None = None,
    status: str | None = None,
    decided_from: date | None = None,
    decided_to: date | None = None,
) -> list[dict[str, Any]]:
    """Decisions on subjects in an organisation's subtree, for a subject, by status or dates."""
    table = discipline_decisions
    query = sa.select(table).order_by(table.c.decided_on, table.c.decision_id)
    with engine.connect() as conn:
        if org_id:
            query = query.where(in_subtree(table.c.org_id, subtree_path(conn, org_id)))
        if subject_id:
            query = query.where(table.c.subject_id == subject_id)
        if status:
            query = query.where(table.c.status == status)
        if decided_from:
            query = query.where(table.c.decided_on >= decided_from.isoformat())
        if decided_to:
            query = query.where(table.c.decided_on <= decided_to.isoformat())
        return [row._asdict() for row in conn.execute(query)]
