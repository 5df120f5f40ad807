"""The oversight service: inspections and supervisions, review suggestions, discipline, appeals.

It keeps local copies of the organisation tree (plans events) and of the members' cells,
membership and posts (sessions events), and never reads another service's database.
"""

from __future__ import annotations

import logging
from typing import Any

from nameko.rpc import RpcProxy
from nameko.timer import timer

from eventlog.dependencies import EventLog
from eventlog.entrypoints import consume_events
from eventlog.green import cooperative_postgres
from eventlog.inbox import Projection
from eventlog.rpc import EventLogRpc
from eventlog.rpc_entrypoint import rpc
from oversight import discipline, inspections, programmes, review_suggestions
from oversight import discipline_schemas as ds
from oversight import schemas as s
from oversight.holidays import PublicHolidays
from oversight.local_copies import OrgTreeCopy, RosterCopy
from oversight.refusals import oversight_refusals

cooperative_postgres()
log = logging.getLogger(__name__)

CATCH_UP_SECONDS = 5


def _given(**filters: Any) -> dict[str, Any]:
    return {k: v for k, v in filters.items() if v is not None}


class OversightService(EventLogRpc):
    """The inspection commission's desk: what it inspects, concludes, suggests and decides."""

    name = "oversight"
    event_log = EventLog()
    holidays = PublicHolidays()
    plans = RpcProxy("plans")
    sessions = RpcProxy("sessions")

    # -- local copies of other services' data ---------------------------------------

    @consume_events("plans")
    def handle_plans_event(self, envelope: dict[str, Any]) -> None:
        self.event_log.receive(envelope, OrgTreeCopy(), self.plans.read_events)

    @consume_events("sessions")
    def handle_sessions_event(self, envelope: dict[str, Any]) -> None:
        self.event_log.receive(envelope, RosterCopy(), self.sessions.read_events)

    @timer(interval=CATCH_UP_SECONDS)
    def catch_up_with_plans(self) -> None:
        self._catch_up("plans", OrgTreeCopy(), self.plans)

    @timer(interval=CATCH_UP_SECONDS)
    def catch_up_with_sessions(self) -> None:
        self._catch_up("sessions", RosterCopy(), self.sessions)

    def _catch_up(self, source: str, projection: Projection, proxy: Any) -> None:
        try:
            self.event_log.catch_up_when_quiet(source, projection, proxy.read_events)
        except Exception as exc:  # the source may be down; the next tick tries again
            log.warning("catching up with %s failed: %s: %s", source, type(exc).__name__, exc)

    # -- inspections and supervisions --------------------------------------------------

    @rpc
    def open_inspection(self, command: dict[str, Any]) -> dict[str, Any]:
        """Open an inspection or supervision file by decision (kind, body, subject, team of 3-5)."""
        with oversight_refusals():
            data = s.OpenInspectionSchema().load(command)
            return inspections.open_inspection(self.event_log, data, self.holidays)

    @rpc
    def record_inspection_phase(self, command: dict[str, Any]) -> dict[str, Any]:
        """Move a file to its next phase (notified, self-report received, ... archived)."""
        with oversight_refusals():
            data = s.RecordInspectionPhaseSchema().load(command)
            return inspections.record_phase(self.event_log, data, self.holidays)

    @rpc
    def conclude_inspection(self, command: dict[str, Any]) -> dict[str, Any]:
        """Conclude an inspection; each finding is published as a ShortcomingRecorded."""
        with oversight_refusals():
            data = s.ConcludeInspectionSchema().load(command)
            return inspections.conclude(self.event_log, data, self.holidays)

    @rpc
    def conduct_supervision(self, command: dict[str, Any]) -> dict[str, Any]:
        """Record a supervision as carried out, with its findings and any signs of violation."""
        with oversight_refusals():
            data = s.ConductSupervisionSchema().load(command)
            return inspections.conduct_supervision(self.event_log, data, self.holidays)

    @rpc
    def get_inspection(self, inspection_id: str, as_of: str | None = None) -> dict[str, Any]:
        """One file: its decision, phases with dates, findings, archive deadline and lateness."""
        with oversight_refusals():
            day = s.ListInspectionsSchema().load(_given(as_of=as_of))["as_of"]
            return inspections.get_inspection(self.event_log, inspection_id, self.holidays, day)

    @rpc
    def list_inspections(
        self,
        org_id: str | None = None,
        kind: str | None = None,
        late: bool | None = None,
        as_of: str | None = None,
    ) -> list[dict[str, Any]]:
        """Files on subjects in an organisation's subtree, optionally of a kind or late to archive."""
        with oversight_refusals():
            query = s.ListInspectionsSchema().load(_given(org_id=org_id, kind=kind, late=late, as_of=as_of))
            return inspections.list_inspections(self.event_log.engine, **query)

    # -- the yearly programme ---------------------------------------------------------

    @rpc
    def adopt_inspection_programme(self, command: dict[str, Any]) -> dict[str, Any]:
        """Adopt a body's yearly inspection-and-supervision programme."""
        with oversight_refusals():
            return programmes.adopt(self.event_log, s.AdoptInspectionProgrammeSchema().load(command))

    @rpc
    def record_programme_item_carried_out(self, command: dict[str, Any]) -> dict[str, Any]:
        """Record that a planned item was carried out by a concluded file of the same body."""
        with oversight_refusals():
            data = s.RecordProgrammeItemCarriedOutSchema().load(command)
            return programmes.record_item_carried_out(self.event_log, data)

    @rpc
    def get_programme(self, programme_id: str) -> dict[str, Any]:
        """A programme with the items still to do and the share carried out."""
        with oversight_refusals():
            return programmes.get(self.event_log, programme_id)

    @rpc
    def list_programmes(
        self, org_id: str | None = None, year: int | None = None, body_type: str | None = None
    ) -> list[dict[str, Any]]:
        """Programmes of bodies in an organisation's subtree, per body and year, with the share
        carried out ("3/4") and its percentage."""
        with oversight_refusals():
            query = s.ListProgrammesSchema().load(_given(org_id=org_id, year=year, body_type=body_type))
            return programmes.list_programmes(self.event_log.engine, **query)

    # -- review suggestions ----------------------------------------------------------

    @rpc
    def suggest_review(self, command: dict[str, Any]) -> dict[str, Any]:
        """Tell a collective or member in the body's subtree what to review themselves on."""
        with oversight_refusals():
            return review_suggestions.suggest(self.event_log, s.SuggestReviewSchema().load(command))

    @rpc
    def answer_review_suggestion(self, command: dict[str, Any]) -> dict[str, Any]:
        """Close a suggestion with the session or yearly review that answered it."""
        with oversight_refusals():
            return review_suggestions.answer(self.event_log, s.AnswerReviewSuggestionSchema().load(command))

    @rpc
    def list_review_suggestions(
        self, org_id: str | None = None, open_only: bool | None = None
    ) -> list[dict[str, Any]]:
        """Suggestions to targets in an organisation's subtree, optionally only open ones."""
        with oversight_refusals():
            query = s.ListReviewSuggestionsSchema().load(_given(org_id=org_id, open_only=open_only))
            return review_suggestions.list_suggestions(self.event_log.engine, **query)

    # -- discipline and appeals ------------------------------------------------------

    @rpc
    def impose_discipline(self, command: dict[str, Any]) -> dict[str, Any]:
        """Record the form a body voted; refused (naming who may decide) beyond its authority."""
        with oversight_refusals():
            return discipline.impose(self.event_log, ds.ImposeDisciplineSchema().load(command))

    @rpc
    def propose_discipline(self, command: dict[str, Any]) -> dict[str, Any]:
        """A body without the authority proposes a form to the lowest body that has it."""
        with oversight_refusals():
            return discipline.propose(self.event_log, ds.ProposeDisciplineSchema().load(command))

    @rpc
    def lodge_appeal(self, command: dict[str, Any]) -> dict[str, Any]:
        """The subject appeals within the window; the decision applies meanwhile."""
        with oversight_refusals():
            return discipline.lodge_appeal(self.event_log, ds.LodgeAppealSchema().load(command))

    @rpc
    def decide_appeal(self, command: dict[str, Any]) -> dict[str, Any]:
        """The body that hears the appeal upholds, changes or quashes the decision."""
        with oversight_refusals():
            return discipline.decide_appeal(self.event_log, ds.DecideAppealSchema().load(command))

    @rpc
    def get_discipline_decision(self, decision_id: str) -> dict[str, Any]:
        """A decision with its rule set, limitation dates, current form, status and appeals."""
        with oversight_refusals():
            return discipline.get(self.event_log, decision_id)

    @rpc
    def list_discipline_decisions(
        self,
        org_id: str | None = None,
        subject_id: str | None = None,
        status: str | None = None,
        decided_from: str | None = None,
        decided_to: str | None = None,
    ) -> list[dict[str, Any]]:
        """Decisions in an organisation's subtree, optionally for one subject, status or period."""
        with oversight_refusals():
            query = ds.ListDisciplineDecisionsSchema().load(
                _given(
                    org_id=org_id,
                    subject_id=subject_id,
                    status=status,
                    decided_from=decided_from,
                    decided_to=decided_to,
                )
            )
            return discipline.list_decisions(self.event_log.engine, **query)
