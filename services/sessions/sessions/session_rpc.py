"""RPC methods about themed sessions, their minutes and the shortcomings named in them."""

from __future__ import annotations

from typing import Any

from eventlog.refusals import refusals
from eventlog.rpc_entrypoint import rpc
from sessions import session_queries, themed_sessions
from sessions.refusal_status import status_of
from sessions.schemas import ListSessionsSchema
from sessions.session_schemas import (
    HoldSessionSchema,
    RecordShortcomingsSchema,
    ScheduleSessionSchema,
)


class SessionRpc:
    event_log: Any
    catalogue: Any

    @rpc
    def schedule_session(self, command: dict[str, Any]) -> dict[str, Any]:
        """Plan a cell's themed session (theme, the plan it implements, pilot or not, date)."""
        with refusals(status_of):
            return themed_sessions.schedule(self.event_log, **ScheduleSessionSchema().load(command))

    @rpc
    def hold_session(self, command: dict[str, Any]) -> dict[str, Any]:
        """Record a session as held from its full minutes; publishes SessionHeld with the
        derived figures. Impossible minutes are refused, naming the field."""
        with refusals(status_of):
            data = HoldSessionSchema().load(command)
            minutes = themed_sessions.minutes_from(data)
            return themed_sessions.hold(self.event_log, data["session_id"], minutes, data["expected_version"])

    @rpc
    def record_shortcomings(self, command: dict[str, Any]) -> dict[str, Any]:
        """Name shortcomings agreed in a held session, for the cell and for members, each
        tied to catalogue codes; unknown codes are refused and nothing is written."""
        with refusals(status_of):
            data = RecordShortcomingsSchema().load(command)
            return themed_sessions.record_shortcomings(
                self.event_log,
                self.catalogue,
                data["session_id"],
                data["shortcomings"],
                data["recorded_on"],
                data["expected_version"],
            )

    @rpc
    def get_session(self, session_id: str) -> dict[str, Any]:
        """A session with its minutes, figures and shortcomings."""
        with refusals(status_of):
            return session_queries.get_session(self.event_log.engine, session_id)

    @rpc
    def list_sessions(self, query: dict[str, Any]) -> dict[str, Any]:
        """Sessions filtered by cell or subtree, held or not, pilot, dates; paginated."""
        with refusals(status_of):
            return session_queries.list_sessions(self.event_log.engine, **ListSessionsSchema().load(query))

    @rpc
    def get_catalogue(self) -> dict[str, Any]:
        """The shortcoming catalogue in use, with its version."""
        return session_queries.catalogue_document(self.catalogue)
