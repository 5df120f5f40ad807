"""The reporting service: consumes every service's events, answers reports over RPC."""

from __future__ import annotations

import json
import logging
from typing import Any

from nameko.timer import timer

from eventlog.dependencies import EventLog
from eventlog.entrypoints import consume_events
from eventlog.green import cooperative_postgres
from eventlog.refusals import refusals
from eventlog.rpc import EventLogRpc
from eventlog.rpc_entrypoint import rpc
from eventlog.rpc_proxy import RpcProxy

from .export import BadExport, export
from .periods import BadPeriod, period_of
from .projection import ReportingProjection
from .report import BadTreeDate, UnknownOrganization, build_report, drill_down, drill_down_page

cooperative_postgres()
log = logging.getLogger(__name__)

SOURCES = ("plans", "sessions", "oversight")
PROJECTION = ReportingProjection()
MAX_ROWS = 100_000


def status_of(error: Exception) -> int | None:
    if isinstance(error, UnknownOrganization):
        return 404
    if isinstance(error, (BadPeriod, BadExport, BadTreeDate)):
        return 400
    return None


class ReportingService(EventLogRpc):
    """Read projections of plans, sessions and oversight; publishes nothing."""

    name = "reporting"
    event_log = EventLog(relay=False)
    plans = RpcProxy("plans")
    sessions = RpcProxy("sessions")
    oversight = RpcProxy("oversight")

    @consume_events("plans")
    def handle_plans_event(self, envelope: dict[str, Any]) -> None:
        self.event_log.receive(envelope, PROJECTION, self.plans.read_events)

    @consume_events("sessions")
    def handle_sessions_event(self, envelope: dict[str, Any]) -> None:
        self.event_log.receive(envelope, PROJECTION, self.sessions.read_events)

    @consume_events("oversight")
    def handle_oversight_event(self, envelope: dict[str, Any]) -> None:
        self.event_log.receive(envelope, PROJECTION, self.oversight.read_events)

    @timer(interval=2)
    def catch_up_with_sources(self) -> None:
        """Fill whatever the bus did not deliver from each source's log; a source that
        is down is skipped until the next tick."""
        for source in SOURCES:
            try:
                self.event_log.catch_up_when_quiet(source, PROJECTION, getattr(self, source).read_events)
            except Exception as exc:  # one source down must not stop the others
                log.warning("catch-up with %s failed: %s", source, exc)

    @rpc
    def get_report(
        self, org_id: str, period: dict[str, Any], as_of: str | None = None, tree_date: str | None = None
    ) -> dict[str, Any]:
        """Every figure of `org_id`'s subtree for `period`, and the same per child.

        `period`: {"kind": "month"|"quarter"|"half"|"nine_months"|"year", "year": 2025,
        "month"/"quarter": n} or {"kind": "term", "from": ISO date, "to": ISO date}.
        `as_of` (ISO instant): only facts recorded by then, on the tree of that day.
        `tree_date` (ISO date): every fact counted under the units the tree had on that
        day (a unit moved later counts under its old parent), still all facts known now.
        Returns {"org", "period", "as_of", "tree_date", "figures", "own", "children":
        [{"org_id", "name", "kind", "figures"}]}.
        """
        with refusals(status_of):
            return build_report(self.event_log.engine, org_id, period_of(period), as_of, tree_date)

    @rpc
    def get_report_json(
        self, org_id: str, period: dict[str, Any], as_of: str | None = None, tree_date: str | None = None
    ) -> str:
        """`get_report`'s answer as JSON text, for the gateway to send on unchanged: a wide
        node's report is hundreds of kilobytes, and decoding it into objects and encoding
        it again cost the gateway more than the report cost here."""
        return json.dumps(self.get_report(org_id, period, as_of, tree_date), ensure_ascii=False)

    @rpc
    def drill_down(
        self,
        org_id: str,
        metric: str,
        period: dict[str, Any],
        as_of: str | None = None,
        limit: int = 10_000,
        tree_date: str | None = None,
    ) -> list[dict[str, Any]]:
        """The facts behind one figure of a report: each with its source, position,
        event id and type, unit, date, subject and the child of `org_id` it counts under;
        attendance rows also name the members present (`members`). Only the first
        `limit` (at most 100,000): `drill_down_page` says how many there are in all."""
        with refusals(status_of):
            return drill_down(
                self.event_log.engine,
                org_id,
                metric,
                period_of(period),
                as_of,
                max(1, min(int(limit), MAX_ROWS)),
                tree_date,
                self.sessions.read_events,
            )

    @rpc
    def drill_down_page(
        self,
        org_id: str,
        metric: str,
        period: dict[str, Any],
        as_of: str | None = None,
        offset: int = 0,
        limit: int = 1000,
        tree_date: str | None = None,
    ) -> dict[str, Any]:
        """One page of the facts behind a figure, as `drill_down` lists them:
        {"items", "total" (all the facts behind it), "truncated" (more follow this page),
        "offset", "limit" (at most 100,000)}."""
        with refusals(status_of):
            return drill_down_page(
                self.event_log.engine,
                org_id,
                metric,
                period_of(period),
                as_of,
                max(0, int(offset)),
                max(1, min(int(limit), MAX_ROWS)),
                tree_date,
                self.sessions.read_events,
            )

    @rpc
    def export_report(
        self,
        org_id: str,
        period: dict[str, Any],
        format: str = "xlsx",
        language: str = "vi",
        as_of: str | None = None,
        tree_date: str | None = None,
    ) -> dict[str, str]:
        """The report as a file: {"filename", "content_type", "content_base64"}; CSV or
        XLSX, Vietnamese headings by default ("en" for English), numbers as numbers."""
        with refusals(status_of):
            report = build_report(self.event_log.engine, org_id, period_of(period), as_of, tree_date)
            return export(report, format, language)
