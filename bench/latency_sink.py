"""The latency benchmark's services: a sink that records when each event was applied,
and the source's RPC side, which the sink reads its log from when it must fill a gap.

The benchmark appends to the source's store and runs its relay in its own process under
`SOURCE`; both services run in one `nameko run`, each finding its database through
`<SERVICE>_DATABASE_URL` (one config file would give both the same `DATABASE_URL`).
"""

from __future__ import annotations

import time
from typing import Any

import sqlalchemy as sa
from eventlet.patcher import is_monkey_patched
from nameko.rpc import RpcProxy

from eventlog.dependencies import EventLog
from eventlog.entrypoints import consume_events
from eventlog.green import cooperative_postgres
from eventlog.rpc import EventLogRpc

if is_monkey_patched("socket"):  # under `nameko run`, not in the benchmark's own process
    cooperative_postgres()

SOURCE = "benchsource"
"""The source service's name: its relay publishes to `benchsource.events`."""

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
        conn.execute(
            applied.insert().values(
                position=envelope["position"], recorded_at=recorded_at, applied_at=time.time()
            )
        )


class BenchSource(EventLogRpc):
    """The source's log over RPC (`read_events`, `log_head`); the benchmark's own process
    appends and relays, so this one runs no relay."""

    name = SOURCE
    event_log = EventLog(relay=False)


class LatencySink:
    name = "latency_sink"
    event_log = EventLog(relay=False)
    source = RpcProxy(SOURCE)

    @consume_events(SOURCE)
    def handle(self, envelope: dict[str, Any]) -> None:
        self.event_log.receive(envelope, AppliedAt(), self.source.read_events)
