"""The sessions service: member rosters, themed sessions and their minutes, the
shortcomings named in them, and yearly ratings."""

from __future__ import annotations

import logging
from typing import Any

from nameko.exceptions import UnknownService
from nameko.rpc import RpcProxy
from nameko.timer import timer

from eventlog.dependencies import EventLog
from eventlog.entrypoints import consume_events
from eventlog.green import cooperative_postgres
from eventlog.inbox import Projection
from eventlog.rpc import EventLogRpc
from sessions.catalogue_provider import ShortcomingCatalogue
from sessions.discipline_copy import DisciplineProjection
from sessions.organisation_copy import OrganisationProjection
from sessions.rating_rpc import RatingRpc
from sessions.roster_rpc import RosterRpc
from sessions.session_rpc import SessionRpc

cooperative_postgres()

log = logging.getLogger(__name__)

CATCH_UP_SECONDS = 5


class SessionsService(RosterRpc, SessionRpc, RatingRpc, EventLogRpc):
    """Owns member rosters, themed sessions with their minutes, and yearly ratings.

    Keeps local copies of the organisation tree (from plans) and of discipline (from
    oversight), built only from their events.
    """

    name = "sessions"
    event_log = EventLog()
    catalogue = ShortcomingCatalogue()
    plans = RpcProxy("plans")
    oversight = RpcProxy("oversight")

    @consume_events("plans")
    def handle_plans_event(self, envelope: dict[str, Any]) -> None:
        self.event_log.receive(envelope, OrganisationProjection(), self.plans.read_events)

    @consume_events("oversight")
    def handle_oversight_event(self, envelope: dict[str, Any]) -> None:
        # Ratings flagged in the inbox's transaction: receive wakes the relay for them.
        self.event_log.receive(envelope, DisciplineProjection(self.event_log), self.oversight.read_events)

    @timer(interval=CATCH_UP_SECONDS)
    def catch_up_with_plans(self) -> None:
        self._catch_up("plans", OrganisationProjection(), self.plans)

    @timer(interval=CATCH_UP_SECONDS)
    def catch_up_with_oversight(self) -> None:
        self._catch_up("oversight", DisciplineProjection(self.event_log), self.oversight)

    def _catch_up(self, source: str, projection: Projection, proxy: Any) -> None:
        """Fill what the bus did not deliver; the source may be down, so never raise."""
        try:
            # Wakes the relay if it appended.
            self.event_log.catch_up_when_quiet(source, projection, proxy.read_events)
        except UnknownService:
            log.debug("catch-up with %s: the service is not running", source)
        except Exception as exc:
            log.warning("catch-up with %s failed: %s", source, exc)
