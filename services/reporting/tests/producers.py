"""Tiny stand-ins for plans, sessions and oversight: they append contract-valid events."""

from __future__ import annotations

import copy
from typing import Any

import sqlalchemy as sa
from nameko.rpc import rpc

from eventlog.contracts import ContractRegistry
from eventlog.dependencies import EventLog
from eventlog.engine import make_engine
from eventlog.envelope import NewEvent
from eventlog.migrations import create_backbone_tables
from eventlog.rpc import EventLogRpc

REGISTRY = ContractRegistry()


def payload(event_type: str, **fields: Any) -> dict[str, Any]:
    """The contract's example payload with `fields` changed, checked against the schema."""
    data = copy.deepcopy(REGISTRY.example(event_type, 1))
    data.update(fields)
    REGISTRY.validate(event_type, 1, data)
    return data


class _Producer(EventLogRpc):
    event_log = EventLog()

    @rpc
    def record(self, events: list[list[Any]]) -> list[int]:
        """Append [type, payload] pairs, one stream per event, as one transaction."""
        stored = []
        with self.event_log.transaction() as conn:
            for event_type, data in events:
                stored += self.event_log.append(
                    f"{event_type}-{len(stored)}", None, [NewEvent(event_type, data)], conn=conn
                )
        return [event.position for event in stored]


class FakePlans(_Producer):
    name = "plans"


class FakeSessions(_Producer):
    name = "sessions"


class FakeOversight(_Producer):
    name = "oversight"


FAKES = {"plans": FakePlans, "sessions": FakeSessions, "oversight": FakeOversight}


def prepare_log_database(url: str) -> None:
    engine = make_engine(url)
    with engine.begin() as conn:
        create_backbone_tables(conn)
    engine.dispose()


def heads_and_progress(reporting_url: str, producer_urls: dict[str, str]) -> tuple[dict, dict]:
    heads, tracked = {}, {}
    for source, url in producer_urls.items():
        engine = make_engine(url)
        with engine.connect() as conn:
            head = conn.execute(sa.text("SELECT coalesce(max(position), 0) FROM event_log")).scalar()
            heads[source] = int(head)
        engine.dispose()
    engine = make_engine(reporting_url)
    with engine.connect() as conn:
        tracked = dict(conn.execute(sa.text("SELECT source, position FROM consumer_progress")).all())
    engine.dispose()
    return heads, {s: int(tracked.get(s, 0)) for s in producer_urls}


def _quiet(cls: type) -> type:
    """The same producer, writing its log without publishing it: a test delivers."""
    return type(f"Quiet{cls.__name__}", (cls,), {"event_log": EventLog(relay=False)})


QUIET = {source: _quiet(cls) for source, cls in FAKES.items()}
