"""The plans service: the organisation tree, campaign plans and remediation."""

from __future__ import annotations

from typing import Any

from nameko.dependency_providers import Config

from eventlog.dependencies import EventLog
from eventlog.green import cooperative_postgres
from eventlog.refusals import refusals
from eventlog.rpc import EventLogRpc
from eventlog.rpc_entrypoint import rpc
from plans import organization_queries, organizations
from plans.campaign_plan_rpc import CampaignPlanRpc
from plans.refusal_status import status_of
from plans.remediation_rpc import RemediationRpc
from plans.schemas import (
    DissolveOrganizationSchema,
    MoveOrganizationSchema,
    OrganizationQuerySchema,
    RegisterOrganizationSchema,
    RenameOrganizationSchema,
    SubtreeQuerySchema,
    one,
)

cooperative_postgres()

__all__ = ["PlansService", "status_of"]


class PlansService(CampaignPlanRpc, RemediationRpc, EventLogRpc):
    """Owns the organisation tree, the plans that cascade down it, and remediation.

    The organisation tree's RPC is here; campaign plans and remediation (with the
    consumers of ShortcomingRecorded and the overdue timer) come from their mixins.
    """

    name = "plans"
    event_log = EventLog()
    config = Config()

    @rpc
    def register_organization(self, command: dict[str, Any]) -> dict[str, Any]:
        """Register a province, district, grassroots committee or cell under its parent."""
        with refusals(status_of):
            data = one(RegisterOrganizationSchema).load(command)
            return organizations.register(self.event_log, **data)

    @rpc
    def rename_organization(self, command: dict[str, Any]) -> dict[str, Any]:
        """Give an organisation a new name (its history keeps the old one)."""
        with refusals(status_of):
            data = one(RenameOrganizationSchema).load(command)
            return organizations.rename(self.event_log, **data)

    @rpc
    def move_organization(self, command: dict[str, Any]) -> dict[str, Any]:
        """Place an organisation and its subtree under another parent."""
        with refusals(status_of):
            data = one(MoveOrganizationSchema).load(command)
            return organizations.move(self.event_log, **data)

    @rpc
    def dissolve_organization(self, command: dict[str, Any]) -> dict[str, Any]:
        """Dissolve an organisation with no active children; it is never deleted."""
        with refusals(status_of):
            data = one(DissolveOrganizationSchema).load(command)
            return organizations.dissolve(self.event_log, **data)

    @rpc(query=True)
    def get_organization(self, org_id: str) -> dict[str, Any]:
        """One organisation, dissolved or not."""
        with refusals(status_of):
            data = one(OrganizationQuerySchema).load({"org_id": org_id})
            return organization_queries.get(self.event_log.engine, data["org_id"])

    @rpc(query=True)
    def list_children(self, org_id: str) -> list[dict[str, Any]]:
        """The organisations directly under `org_id`, by name."""
        with refusals(status_of):
            data = one(OrganizationQuerySchema).load({"org_id": org_id})
            return organization_queries.children(self.event_log.engine, data["org_id"])

    @rpc(query=True)
    def list_subtree(
        self, org_id: str, kind: str | None = None, offset: int = 0, limit: int = 1000
    ) -> list[dict[str, Any]]:
        """`org_id` and everything below it (optionally of one kind), in path order."""
        with refusals(status_of):
            data = one(SubtreeQuerySchema).load(
                {"org_id": org_id, "kind": kind, "offset": offset, "limit": limit}
            )
            return organization_queries.subtree(self.event_log.engine, **data)

    @rpc(query=True)
    def get_path_to_root(self, org_id: str) -> list[dict[str, Any]]:
        """The organisations from the root down to `org_id` itself."""
        with refusals(status_of):
            data = one(OrganizationQuerySchema).load({"org_id": org_id})
            return organization_queries.path_to_root(self.event_log.engine, data["org_id"])

    @rpc(query=True)
    def path_to_root(self, org_id: str) -> list[dict[str, Any]]:
        """The old name of get_path_to_root, kept while callers (the gateway) use it."""
        return self.get_path_to_root(org_id)
