"""The backbone tests' system: a source and a sink service on a fresh vhost."""

from __future__ import annotations

import time
from pathlib import Path

import kombu
import pytest
import sqlalchemy as sa
from nameko.standalone.rpc import ClusterRpcProxy

from eventlog.engine import make_engine
from eventlog.schema import metadata as backbone_metadata

from .services_under_test import SinkService, SourceService, sink_metadata

CONTRACTS = str(Path(__file__).with_name("contracts"))


@pytest.fixture
def system(amqp_uri, tmp_path, db_url, container_factory):
    """The source on SQLite, the sink on the backend under test, both on a fresh vhost."""
    sqlite_url = f"sqlite:///{tmp_path / 'source.db'}"
    for url, tables in ((sqlite_url, []), (db_url, [sink_metadata])):
        engine = make_engine(url)
        backbone_metadata.create_all(engine)
        for metadata in tables:
            metadata.create_all(engine)
        engine.dispose()

    def start(cls, url, **extra):
        config = {"AMQP_URI": amqp_uri, "DATABASE_URL": url, "EVENT_CONTRACTS_DIR": CONTRACTS, **extra}
        container = container_factory(cls, config)
        container.start()
        return container

    class System:
        sink_engine = make_engine(db_url)

        def start_source(self):
            return start(SourceService, sqlite_url)

        def start_sink(self, instance: str | None = None):
            return start(SinkService, db_url, INSTANCE=instance)

        def rpc(self, timeout: float | None = 30.0):
            return ClusterRpcProxy({"AMQP_URI": amqp_uri}, timeout=timeout)

        def applied(self) -> list[tuple[int, int]]:
            with self.sink_engine.connect() as conn:
                return [
                    tuple(r) for r in conn.execute(sa.text("SELECT position, n FROM pings ORDER BY position"))
                ]

        def applied_by(self) -> dict[str, int]:
            """How many events each sink instance applied."""
            with self.sink_engine.connect() as conn:
                query = "SELECT applied_by, count(*) FROM pings GROUP BY applied_by"
                return {str(who): int(count) for who, count in conn.execute(sa.text(query))}

        def wait_for(self, count: int, timeout: float = 20.0) -> list[tuple[int, int]]:
            deadline = time.monotonic() + timeout
            while time.monotonic() < deadline:
                rows = self.applied()
                if len(rows) >= count:
                    return rows
                time.sleep(0.05)
            return self.applied()

        def publish_raw(self, body: bytes, routing_key: str = "Ping") -> None:
            with kombu.Connection(amqp_uri) as conn:
                channel = conn.channel()
                exchange = kombu.Exchange("source.events", type="topic", durable=True)
                producer = kombu.Producer(channel, exchange=exchange)
                producer.publish(
                    body,
                    routing_key=routing_key,
                    content_type="application/json",
                    content_encoding="utf-8",
                    delivery_mode=2,
                )

    system = System()
    yield system
    system.sink_engine.dispose()
