"""Use cases of campaign plans: issue a plan (checked against its parent for copying) and
complete its tasks. Events and snapshot rows are written in one transaction."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import sqlalchemy as sa

from eventlog.dependencies import WorkerEventLog
from plans import plan_queries
from plans.domain.copy_detection import CopyDetectionPolicy
from plans.domain.errors import PlanAlreadyIssued, UnknownParentPlan, UnknownPlan
from plans.domain.event_types import event_from_payload
from plans.domain.plan import Plan
from plans.domain.plan_task import TaskSpec
from plans.organizations import to_new_events
from plans.subtree import ancestors_in, inside_subtree, path_of
from plans.tables import plan_tasks, plans


def stream_of(plan_id: str) -> str:
    return f"plan-{plan_id}"


def load(log: WorkerEventLog, plan_id: str) -> Plan:
    stored = log.store.read_stream(stream_of(plan_id))
    if not stored:
        raise UnknownPlan(f"plan_id {plan_id!r} names no issued plan.", field="plan_id")
    return Plan.from_events(event_from_payload(e.type, e.payload, e.schema_version) for e in stored)


def issue(
    log: WorkerEventLog,
    copy_policy: CopyDetectionPolicy,
    plan_id: str,
    org_id: str,
    number: str,
    issued_on: date,
    title: str,
    implements_documents: list[str],
    parent_plan_id: str | None,
    required_unit_ids: list[str],
    deadline: date,
    tasks: list[dict[str, Any]],
) -> dict[str, Any]:
    """Issue a plan; when it implements a parent plan, flag it if it copies the parent's
    tasks, as `copy_policy` judges copying."""
    parent = _parent_plan(log, parent_plan_id)
    with log.transaction() as conn:
        if conn.execute(sa.select(plans.c.plan_id).where(plans.c.plan_id == plan_id)).first():
            raise PlanAlreadyIssued(
                f"plan_id {plan_id!r} is already issued.", field="plan_id", rule="PlanIdMustBeNew"
            )
        path = path_of(conn, org_id)
        plan = Plan.issue(
            plan_id=plan_id,
            org_id=org_id,
            number=number,
            issued_on=issued_on,
            title=title,
            implements_documents=implements_documents,
            required_unit_ids=required_unit_ids,
            deadline=deadline,
            tasks=[TaskSpec(**task) for task in tasks],
            issuer_subtree=inside_subtree(conn, path, required_unit_ids),
            parent_plan=parent,
            issuer_ancestors=set(ancestors_in(path)),
        )
        if parent is not None:
            plan.check_against_parent(parent, issued_on, copy_policy)
        log.append(stream_of(plan_id), 0, to_new_events(plan.collect_events()), conn)
        _insert_snapshot(conn, plan)
    return plan_queries.get(log.engine, plan_id)


def complete_task(
    log: WorkerEventLog,
    plan_id: str,
    task_id: str,
    note: str,
    completed_on: date,
    expected_version: int | None,
) -> dict[str, Any]:
    """Record a task as done, with a note on what was achieved."""
    plan = load(log, plan_id)
    expected = plan.version if expected_version is None else expected_version
    plan.complete_task(task_id, note, completed_on)
    task = plan.task(task_id)
    with log.transaction() as conn:
        log.append(stream_of(plan_id), expected, to_new_events(plan.collect_events()), conn)
        conn.execute(
            plan_tasks.update()
            .where(plan_tasks.c.plan_id == plan_id, plan_tasks.c.task_id == task_id)
            .values(completed_on=completed_on.isoformat(), completion_note=task.completion_note)
        )
        conn.execute(plans.update().where(plans.c.plan_id == plan_id).values(version=plan.version))
    return plan_queries.get(log.engine, plan_id)


def _parent_plan(log: WorkerEventLog, parent_plan_id: str | None) -> Plan | None:
    if parent_plan_id is None:
        return None
    try:
        return load(log, parent_plan_id)
    except UnknownPlan:
        raise UnknownParentPlan(
            f"parent_plan_id {parent_plan_id!r} names no issued plan.", field="parent_plan_id"
        ) from None


def _insert_snapshot(conn: sa.Connection, plan: Plan) -> None:
    flag = plan.flagged_as_copy
    conn.execute(
        plans.insert().values(
            plan_id=plan.plan_id,
            org_id=plan.org_id,
            number=plan.number,
            title=plan.title,
            issued_on=plan.issued_on.isoformat(),
            deadline=plan.deadline.isoformat(),
            parent_plan_id=plan.parent_plan_id,
            implements_documents=json.dumps(list(plan.implements_documents), ensure_ascii=False),
            required_unit_ids=json.dumps(list(plan.required_unit_ids)),
            copy_flag=json.dumps(flag.to_payload(), ensure_ascii=False) if flag else None,
            version=plan.version,
        )
    )
    rows = [
        {
            "plan_id": plan.plan_id,
            "task_id": t.task_id,
            "org_id": plan.org_id,
            "title": t.title,
            "owner": t.owner,
            "deadline": t.deadline.isoformat(),
            "expected_result": t.expected_result,
            "completed_on": None,
            "completion_note": None,
        }
        for t in plan.tasks.values()
    ]
    if rows:
        conn.execute(plan_tasks.insert(), rows)
