"""Two tiny services that exercise the backbone: one appends Ping events, one applies them."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from nameko.dependency_providers import Config
from nameko.rpc import RpcProxy
from nameko.timer import timer

from eventlog.dependencies import EventLog
from eventlog.entrypoints import consume_events
from eventlog.envelope import NewEvent
from eventlog.inbox import UnreadableEvent
from eventlog.rpc import EventLogRpc
from eventlog.rpc_entrypoint import rpc

sink_metadata = sa.MetaData()
pings = sa.Table(
    "pings",
    sink_metadata,
    sa.Column("n", sa.Integer, primary_key=True),  # a second apply would violate this key
    sa.Column("position", sa.Integer, nullable=False),
    sa.Column("actor", sa.String(100)),
    sa.Column("applied_by", sa.String(100)),  # the sink instance whose worker applied it
)


class SourceService(EventLogRpc):
    name = "source"
    event_log = EventLog()

    @rpc
    def ping(self, n: int) -> int:
        [stored] = self.event_log.append(f"ping-{n}", 0, [NewEvent("Ping", {"n": n})])
        self.event_log.store.notify_committed()
        return stored.position


class PingProjection:
    def __init__(self, instance: str | None = None) -> None:
        self.instance = instance

    def read(self, envelope: dict[str, Any]) -> int | None:
        if envelope["type"] != "Ping":
            return None
        n = envelope["payload"].get("n")
        if not isinstance(n, int):
            raise UnreadableEvent("Ping payload field 'n' must be an integer")
        return n

    def apply(self, conn: sa.Connection, envelope: dict[str, Any], n: int) -> None:
        conn.execute(
            pings.insert().values(
                n=n,
                position=envelope["position"],
                actor=envelope.get("metadata", {}).get("actor"),
                applied_by=self.instance,
            )
        )


class SinkService(EventLogRpc):
    name = "sink"
    event_log = EventLog(relay=False)
    source = RpcProxy("source")
    config = Config()

    @consume_events("source")
    def handle_source_event(self, envelope: dict[str, Any]) -> None:
        self.event_log.receive(envelope, self._projection(), self.source.read_events)

    @timer(interval=1)
    def catch_up_with_source(self) -> None:
        self.event_log.catch_up_when_quiet("source", self._projection(), self.source.read_events)

    def _projection(self) -> PingProjection:
        return PingProjection(self.config.get("INSTANCE"))
