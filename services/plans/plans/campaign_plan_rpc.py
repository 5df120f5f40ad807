"""The RPC methods of campaign plans, mixed into PlansService."""

from __future__ import annotations

from typing import Any

from eventlog.refusals import refusals
from eventlog.rpc_entrypoint import rpc
from plans import campaign_plans, plan_queries
from plans.copy_policy import CopyPolicy
from plans.plan_schemas import (
    CascadeQuerySchema,
    CompleteTaskSchema,
    IssuePlanSchema,
    OverdueQuerySchema,
    PlanListSchema,
    PlanQuerySchema,
)
from plans.refusal_status import status_of
from plans.schemas import one
from plans.today import today


class CampaignPlanRpc:
    """Expects the service's `EventLog` dependency as `event_log`."""

    event_log: Any
    copy_policy = CopyPolicy()

    @rpc
    def issue_plan(self, command: dict[str, Any]) -> dict[str, Any]:
        """Issue a plan with its number, documents, required units, deadline and tasks.

        A plan implementing a parent plan is compared with it; one that restates the
        parent's tasks is flagged (PlanFlaggedAsCopy) and `copy_flag` says why, with the
        configured thresholds (COPY_PAIR_THRESHOLD, COPY_SHARE_THRESHOLD) that judged it.
        """
        with refusals(status_of):
            data = one(IssuePlanSchema).load(command)
            return campaign_plans.issue(self.event_log, self.copy_policy, **data)

    @rpc
    def complete_task(self, command: dict[str, Any]) -> dict[str, Any]:
        """Mark one task of a plan as done, with a note; returns the plan."""
        with refusals(status_of):
            data = one(CompleteTaskSchema).load(command)
            return campaign_plans.complete_task(self.event_log, **data)

    @rpc(query=True)
    def get_plan(self, plan_id: str) -> dict[str, Any]:
        """One plan with its tasks and, if flagged, the copy assessment."""
        with refusals(status_of):
            data = one(PlanQuerySchema).load({"plan_id": plan_id})
            return plan_queries.get(self.event_log.engine, data["plan_id"])

    @rpc(query=True)
    def list_plans(
        self,
        org_id: str | None = None,
        include_subtree: bool = True,
        parent_plan_id: str | None = None,
        offset: int = 0,
        limit: int = 100,
    ) -> list[dict[str, Any]]:
        """Plans issued by `org_id` (and, by default, anywhere below it), newest first."""
        with refusals(status_of):
            data = one(PlanListSchema).load(
                {
                    "org_id": org_id,
                    "include_subtree": include_subtree,
                    "parent_plan_id": parent_plan_id,
                    "offset": offset,
                    "limit": limit,
                }
            )
            return plan_queries.list_plans(self.event_log.engine, **data)

    @rpc(query=True)
    def list_overdue_tasks(self, org_id: str, as_of: str | None = None) -> list[dict[str, Any]]:
        """Tasks in `org_id`'s subtree past their deadline on `as_of` (default today), not done."""
        with refusals(status_of):
            data = one(OverdueQuerySchema).load({"org_id": org_id, "as_of": as_of})
            return plan_queries.overdue_tasks(self.event_log.engine, data["org_id"], data["as_of"] or today())

    @rpc(query=True)
    def get_cascade_status(self, plan_id: str, as_of: str | None = None) -> dict[str, Any]:
        """Which units required by the plan issued their own plan implementing it ("32/35")."""
        with refusals(status_of):
            data = one(CascadeQuerySchema).load({"plan_id": plan_id, "as_of": as_of})
            return plan_queries.cascade(self.event_log.engine, **data)
