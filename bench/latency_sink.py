"""A consuming service for the latency benchmark: records when each event was applied."""

from __future__ import annotations

import time
from typing import Any

import sqlalchemy as sa
from nameko.rpc import RpcProxy

from eventlog.dependencies import EventLog
from eventlog.entrypoints import consume_events
from eventlog.green import cooperative_postgres

cooperative_postgres()

metadata = sa.MetaData()
applied = sa.Table(
    "applied",
    metadata,
    sa.Column("position", sa.BigInteger, primary_key=True),
    sa.Column("recorded_at", sa.String(32), nullable=False),
    sa.Column("applied_at", sa.Float, nullable=False),
)


class AppliedAt:
    def read(self, envelope: dict[str, Any]) -> str:
        return envelope["recorded_at"]

    def apply(self, conn: sa.Connection, envelope: dict[str, Any], recorded_at: str) -> None:
        conn.execute(applied.insert().values(position=envelope["position"], recorded_at=recorded_at,
                                             applied_at=time.time()))


class LatencySink:
    name = "latency_sink"
    event_log = EventLog(relay=False)
    source = RpcProxy("benchsource")

    @consume_events("benchsource")
    def handle(self, envelope: dict[str, Any]) -> None:
        self.event_log.receive(envelope, AppliedAt(), self.source.read_events)
