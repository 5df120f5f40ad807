"""RPC methods every service exposes about its own log (catch-up, replay, audit)."""

from __future__ import annotations

from typing import Any

from .inbox import dead_letter_count
from .rpc_entrypoint import rpc

MAX_PAGE = 5000


class EventLogRpc:
    """Mixed into each service class; expects its `EventLog` dependency as `event_log`."""

    event_log: Any

    @rpc
    def read_events(self, after_position: int = 0, limit: int = 1000) -> list[dict[str, Any]]:
        """Events after `after_position` in log order (at most 5000): for catch-up and replay."""
        limit = max(1, min(int(limit), MAX_PAGE))
        return self.event_log.read_events(int(after_position), limit)

    @rpc
    def log_head(self) -> int:
        """The position of the last committed event."""
        return self.event_log.store.head()

    @rpc
    def verify_log(self) -> dict[str, Any]:
        """Walk the hash chain; name the first tampered position, if any."""
        return self.event_log.verify().to_dict()

    @rpc
    def backbone_status(self) -> dict[str, Any]:
        """How far this service has written, published and consumed, and what it could not apply."""
        return self.event_log.status()

    @rpc
    def dead_letter_count(self) -> int:
        """How many delivered messages this service could not apply."""
        return dead_letter_count(self.event_log.engine)
