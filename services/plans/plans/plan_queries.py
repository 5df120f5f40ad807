"""Reading campaign plans from their snapshot tables: one plan, lists, overdue tasks and
the cascade of a plan down to the units it requires."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from typing import Any, cast

import sqlalchemy as sa

from eventlog.engine import readonly
from plans.domain.errors import UnknownPlan
from plans.domain.plan import Plan
from plans.domain.plan_cascade import cascade_status
from plans.subtree import in_subtree
from plans.tables import plan_tasks, plans


def _plan(row: sa.Row[Any]) -> dict[str, Any]:
    flag = json.loads(row.copy_flag) if row.copy_flag else None
    return {
        "plan_id": row.plan_id,
        "org_id": row.org_id,
        "number": row.number,
        "title": row.title,
        "issued_on": row.issued_on,
        "deadline": row.deadline,
        "parent_plan_id": row.parent_plan_id,
        "implements_documents": json.loads(row.implements_documents),
        "required_unit_ids": json.loads(row.required_unit_ids),
        "flagged_as_copy": flag is not None,
        "copy_flag": flag,
        "version": row.version,
    }


def _task(row: sa.Row[Any]) -> dict[str, Any]:
    return {
        "plan_id": row.plan_id,
        "task_id": row.task_id,
        "org_id": row.org_id,
        "title": row.title,
        "owner": row.owner,
        "deadline": row.deadline,
        "expected_result": row.expected_result,
        "completed_on": row.completed_on,
        "completion_note": row.completion_note,
    }


def _plan_row(conn: sa.Connection, plan_id: str) -> sa.Row[Any]:
    row = conn.execute(sa.select(plans).where(plans.c.plan_id == plan_id)).first()
    if row is None:
        raise UnknownPlan(f"plan_id {plan_id!r} names no issued plan.", field="plan_id")
    return row


def get(engine: sa.Engine, plan_id: str) -> dict[str, Any]:
    """The plan with its tasks, in the order they were assigned."""
    with readonly(engine.connect()) as conn:
        plan = _plan(_plan_row(conn, plan_id))
        rows = conn.execute(
            sa.select(plan_tasks)
            .where(plan_tasks.c.plan_id == plan_id)
            .order_by(plan_tasks.c.deadline, plan_tasks.c.task_id)
        )
        plan["tasks"] = [_task(r) for r in rows]
    return plan


def list_plans(
    engine: sa.Engine,
    org_id: str | None,
    include_subtree: bool,
    parent_plan_id: str | None,
    offset: int,
    limit: int,
) -> list[dict[str, Any]]:
    """Plans issued by an organisation (or anywhere in its subtree), newest first."""
    query = sa.select(plans)
    with readonly(engine.connect()) as conn:
        if org_id is not None and include_subtree:
            query = in_subtree(conn, query, plans.c.org_id, org_id)
        elif org_id is not None:
            query = query.where(plans.c.org_id == org_id)
        if parent_plan_id is not None:
            query = query.where(plans.c.parent_plan_id == parent_plan_id)
        query = query.order_by(plans.c.issued_on.desc(), plans.c.plan_id)
        return [_plan(r) for r in conn.execute(query.offset(offset).limit(limit))]


def overdue_tasks(engine: sa.Engine, org_id: str, as_of: date) -> list[dict[str, Any]]:
    """Tasks of plans issued in the subtree whose deadline passed by `as_of`, not done then."""
    day = as_of.isoformat()
    with readonly(engine.connect()) as conn:
        query = (
            in_subtree(conn, sa.select(plan_tasks), plan_tasks.c.org_id, org_id)
            .where(
                plan_tasks.c.deadline < day,
                sa.or_(plan_tasks.c.completed_on.is_(None), plan_tasks.c.completed_on > day),
            )
            .order_by(plan_tasks.c.deadline, plan_tasks.c.plan_id, plan_tasks.c.task_id)
        )
        return [_task(r) for r in conn.execute(query)]


@dataclass(frozen=True)
class _PlanHeading:
    """The part of a plan the cascade looks at, read from the snapshot row."""

    plan_id: str
    org_id: str
    parent_plan_id: str | None
    issued_on: date
    required_unit_ids: tuple[str, ...]

    @classmethod
    def of(cls, row: sa.Row[Any]) -> Plan:
        heading = cls(
            row.plan_id,
            row.org_id,
            row.parent_plan_id,
            date.fromisoformat(row.issued_on),
            tuple(json.loads(row.required_unit_ids)),
        )
        return cast(Plan, heading)


def cascade(engine: sa.Engine, plan_id: str, as_of: date | None) -> dict[str, Any]:
    """Which required units have issued their own plan implementing this one, and which not."""
    with readonly(engine.connect()) as conn:
        parent = _PlanHeading.of(_plan_row(conn, plan_id))
        children = [
            _PlanHeading.of(r)
            for r in conn.execute(sa.select(plans).where(plans.c.parent_plan_id == plan_id))
        ]
    status = cascade_status(parent, children, as_of)
    return {
        "plan_id": plan_id,
        "as_of": as_of.isoformat() if as_of else None,
        "required_count": status.required_count,
        "issued_count": status.issued_count,
        "summary": status.summary(),
        "issued": {unit: list(ids) for unit, ids in status.issued.items()},
        "missing": list(status.missing),
    }
