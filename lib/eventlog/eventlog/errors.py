"""Typed errors of the event backbone."""


class EventLogError(Exception):
    """Base class for every error the backbone raises."""


class ConcurrencyConflict(EventLogError):
    """An append was made at a stale stream version; nothing was written."""

    def __init__(self, stream_id: str, expected: int, actual: int) -> None:
        self.stream_id = stream_id
        self.expected = expected
        self.actual = actual
        super().__init__(
            f"stream {stream_id!r} is at version {actual}, not {expected}: "
            "someone else changed it first; reload and try again"
        )


class InvalidEvent(EventLogError):
    """An event does not satisfy its contract or the envelope rules."""


class AlreadyClaimed(EventLogError):
    """Another delivery of the same RPC request already applied it; nothing was written."""

    def __init__(self, correlation_id: str) -> None:
        self.correlation_id = correlation_id
        super().__init__(f"request {correlation_id!r} was already applied by an earlier delivery")
