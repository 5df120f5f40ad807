"""Plans' local reading of other services' ShortcomingRecorded events: each opens a
remediation item, exactly once, inside the inbox's transaction."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import sqlalchemy as sa

from eventlog.dependencies import WorkerEventLog
from eventlog.inbox import Envelope, UnreadableEvent
from plans import remediation_items
from plans.domain.errors import InvalidShortcoming
from plans.domain.remediation_policy import RemediationPolicy
from plans.domain.shortcoming import RecordedShortcoming


class ShortcomingProjection:
    """The inbox Projection for the sessions and oversight sources."""

    def __init__(self, event_log: WorkerEventLog, policy: RemediationPolicy) -> None:
        self.event_log = event_log
        self.policy = policy

    def read(self, envelope: Envelope) -> RecordedShortcoming | None:
        if envelope["type"] != "ShortcomingRecorded":
            return None
        try:
            shortcoming = RecordedShortcoming.from_event_payload(envelope["payload"], envelope["source"])
        except InvalidShortcoming as exc:
            raise UnreadableEvent(str(exc)) from None
        if not shortcoming.description.strip():
            # The source allows an empty description; our RemediationOpened does not.
            codes = ", ".join(shortcoming.catalogue_codes) or "no catalogue item"
            shortcoming = replace(shortcoming, description=f"Hạn chế ({codes})")
        return shortcoming

    def apply(self, conn: sa.Connection, envelope: Envelope, event: Any) -> None:
        remediation_items.open_item(self.event_log, conn, event, self.policy)
