"""Remediation over RPC, plus the consumers and timers that feed and watch it."""

from __future__ import annotations

import logging
from typing import Any

from nameko.exceptions import UnknownService
from nameko.timer import timer

from eventlog.entrypoints import consume_events
from eventlog.inbox import Fetch
from eventlog.refusals import refusals
from eventlog.rpc_entrypoint import rpc
from eventlog.rpc_proxy import RpcProxy
from plans import remediation_items, remediation_queries
from plans.configured_timer import configured_timer
from plans.domain.remediation_policy import RemediationPolicy
from plans.refusal_status import status_of
from plans.remediation_schemas import (
    DetectOverdueSchema,
    MarkShortcomingRemediedSchema,
    RemediationItemQuerySchema,
    RemediationListSchema,
    ReportRemediationProgressSchema,
    SubmitRemediationPlanSchema,
)
from plans.schemas import one
from plans.shortcomings import ShortcomingProjection
from plans.today import today

log = logging.getLogger(__name__)


class RemediationRpc:
    """Expects the service's `EventLog` dependency as `event_log` and its `config`."""

    event_log: Any
    config: Any
    sessions = RpcProxy("sessions")
    oversight = RpcProxy("oversight")

    @rpc
    def submit_remediation_plan(self, command: dict[str, Any]) -> dict[str, Any]:
        """Submit (or revise) the plan for an item: actions, each with an owner and due date."""
        with refusals(status_of):
            data = one(SubmitRemediationPlanSchema).load(command)
            return remediation_items.submit_plan(self.event_log, **data)

    @rpc
    def report_remediation_progress(self, command: dict[str, Any]) -> dict[str, Any]:
        """Report what was done on an open item, optionally as a percentage (never lower)."""
        with refusals(status_of):
            data = one(ReportRemediationProgressSchema).load(command)
            return remediation_items.report_progress(self.event_log, **data)

    @rpc
    def mark_shortcoming_remedied(self, command: dict[str, Any]) -> dict[str, Any]:
        """Close an item: its shortcoming is remedied (publishes ShortcomingRemedied)."""
        with refusals(status_of):
            data = one(MarkShortcomingRemediedSchema).load(command)
            return remediation_items.mark_remedied(self.event_log, **data)

    @rpc(query=True)
    def get_remediation_item(self, item_id: str) -> dict[str, Any]:
        """One item ("<source service>:<shortcoming id>") with its plan and status."""
        with refusals(status_of):
            data = one(RemediationItemQuerySchema).load({"item_id": item_id})
            return remediation_queries.get(self.event_log.engine, data["item_id"])

    @rpc(query=True)
    def list_remediation_items(
        self,
        org_id: str | None = None,
        status: str | None = None,
        overdue_on: str | None = None,
        offset: int = 0,
        limit: int = 100,
        subject_kind: str | None = None,
        subject_id: str | None = None,
    ) -> list[dict[str, Any]]:
        """Items in `org_id`'s subtree, by `status`, or overdue on the day `overdue_on`, or
        about one subject (`subject_kind` "member" or "organisation", `subject_id`)."""
        with refusals(status_of):
            data = one(RemediationListSchema).load(
                {
                    "org_id": org_id,
                    "status": status,
                    "overdue_on": overdue_on,
                    "offset": offset,
                    "limit": limit,
                    "subject_kind": subject_kind,
                    "subject_id": subject_id,
                }
            )
            return remediation_queries.list_items(self.event_log.engine, **data)

    @rpc
    def detect_overdue_remediation(self, as_of: str | None = None, org_id: str | None = None) -> list[str]:
        """Report every item past due on `as_of` (default today) once, in `org_id`'s
        subtree (default the whole tree); the ids reported now."""
        with refusals(status_of):
            data = one(DetectOverdueSchema).load({"as_of": as_of, "org_id": org_id})
            return remediation_items.detect_overdue(self.event_log, data["as_of"] or today(), data["org_id"])

    @configured_timer("REMEDIATION_OVERDUE_INTERVAL", 60)
    def watch_overdue_remediation(self) -> None:
        reported = remediation_items.detect_overdue(self.event_log, today())
        if reported:
            log.info("remediation overdue: %s", ", ".join(reported))

    # -- shortcomings recorded by other services ------------------------------------

    @consume_events("sessions")
    def handle_sessions_event(self, envelope: Any) -> None:
        self._receive(envelope, self.sessions.read_events)

    @consume_events("oversight")
    def handle_oversight_event(self, envelope: Any) -> None:
        self._receive(envelope, self.oversight.read_events)

    @timer(interval=5)
    def catch_up_with_sessions(self) -> None:
        self._catch_up("sessions", self.sessions.read_events)

    @timer(interval=5)
    def catch_up_with_oversight(self) -> None:
        self._catch_up("oversight", self.oversight.read_events)

    def _projection(self) -> ShortcomingProjection:
        days = int(self.config.get("REMEDIATION_DUE_DAYS", 30))
        return ShortcomingProjection(self.event_log, RemediationPolicy(default_days=days))

    def _receive(self, envelope: Any, fetch: Fetch) -> None:
        self.event_log.receive(envelope, self._projection(), fetch)  # wakes the relay if it appended

    def _catch_up(self, source: str, fetch: Fetch) -> None:
        # A source that is down or not deployed must not stop anything: try again later.
        try:
            self.event_log.catch_up_when_quiet(source, self._projection(), fetch)
        except UnknownService:
            log.debug("catch-up with %s: the service is not running", source)
        except Exception:
            log.warning("catch-up with %s failed; retrying on the next tick", source, exc_info=True)
