"""Consumers apply each event exactly once and in order, whatever the broker does."""

from __future__ import annotations

import json
import time
from types import SimpleNamespace

import sqlalchemy as sa

from eventlog.dependencies import WorkerEventLog
from eventlog.engine import make_engine
from eventlog.envelope import Metadata, NewEvent
from eventlog.inbox import Inbox, dead_letter_count
from eventlog.schema import metadata as backbone_metadata
from eventlog.store import EventStore

from .services_under_test import PingProjection, sink_metadata


def test_events_flow_from_one_service_into_anothers_store_in_order(system):
    system.start_sink()
    system.start_source()
    with system.rpc() as rpc:
        for n in range(1, 41):
            rpc.source.ping(n)

    rows = system.wait_for(40)

    assert rows == [(n, n) for n in range(1, 41)]


def test_a_duplicated_delivery_is_applied_once(system):
    system.start_sink()
    system.start_source()
    with system.rpc() as rpc:
        rpc.source.ping(1)
        system.wait_for(1)
        [envelope] = rpc.source.read_events(0, 10)
    system.publish_raw(json.dumps(envelope).encode())
    system.publish_raw(json.dumps(envelope).encode())
    with system.rpc() as rpc:
        rpc.source.ping(2)

    assert system.wait_for(2) == [(1, 1), (2, 2)]
    time.sleep(0.5)
    assert system.applied() == [(1, 1), (2, 2)]


def test_a_gap_is_filled_from_the_source_log_over_rpc(system):
    source = system.start_source()
    with system.rpc() as rpc:
        for n in range(1, 6):
            rpc.source.ping(n)
        events = rpc.source.read_events(0, 10)
    # The sink's queue did not exist while 1-5 were published: they never reach it.
    system.start_sink()
    system.publish_raw(json.dumps(events[-1]).encode())  # position 5 arrives alone

    assert system.wait_for(5) == [(n, n) for n in range(1, 6)]
    assert source is not None


def test_a_tail_the_bus_never_delivered_is_read_on_a_quiet_tick(system):
    system.start_source()
    with system.rpc() as rpc:
        for n in range(1, 4):
            rpc.source.ping(n)
    # The sink's queue did not exist while 1-3 were published and nothing follows them:
    # only its catch-up timer, finding the bus quiet, can read them.
    system.start_sink()

    assert system.wait_for(3) == [(1, 1), (2, 2), (3, 3)]


def test_the_catch_up_timer_reads_the_source_only_when_the_bus_was_quiet(tmp_path, db_url):
    """A delivery taken in full closes any gap before it, so the next tick skips reading
    the source; the tick after a quiet interval reads it, and finds what the bus lost."""
    source = EventStore(make_engine(f"sqlite:///{tmp_path / 'source.db'}"))
    backbone_metadata.create_all(source.engine)
    sink = make_engine(db_url)
    backbone_metadata.create_all(sink)
    sink_metadata.create_all(sink)
    # The parts of the EventLog provider a worker's catch-up uses, on real stores.
    provider = SimpleNamespace(inbox=Inbox(sink), store=EventStore(sink), engine=sink)
    log = WorkerEventLog(provider, Metadata())  # type: ignore[arg-type]
    reads: list[int] = []

    def fetch(after: int, limit: int) -> list[dict]:
        reads.append(after)
        return [e.to_message("source") for e in source.read_all(after, limit)]

    for n in (1, 2, 3):
        source.append(f"ping-{n}", 0, [NewEvent("Ping", {"n": n})])
    delivered = [e.to_message("source") for e in source.read_all(0, 10)]
    projection = PingProjection(None)
    assert provider.inbox.receive(delivered[:2], projection, fetch) == 2  # 3 is lost on the way
    assert reads == []

    assert log.catch_up_when_quiet("source", projection, fetch) == 0  # the bus was flowing
    assert reads == []
    assert log.catch_up_when_quiet("source", projection, fetch) == 1  # quiet since: read it
    assert reads[0] == 2
    assert provider.inbox.position("source") == 3
    sink.dispose()
    source.engine.dispose()


def test_a_poison_message_is_dead_lettered_counted_and_does_not_block(system, broker):
    system.start_sink()
    system.start_source()
    system.publish_raw(b"{this is not json")
    system.publish_raw(json.dumps({"source": "source", "position": "one"}).encode())
    with system.rpc() as rpc:
        for n in range(1, 4):
            rpc.source.ping(n)

    assert system.wait_for(3) == [(1, 1), (2, 2), (3, 3)]
    deadline = time.monotonic() + 10
    while broker.queue_depth("evt-source--sink.handle_source_event.dead-letters") < 2:
        assert time.monotonic() < deadline, "the poison messages never reached the dead-letter queue"
        time.sleep(0.2)
    assert dead_letter_count(system.sink_engine) == 2


def test_a_forged_message_is_refused_and_the_real_event_at_its_position_applied(system):
    system.start_sink()
    system.start_source()
    with system.rpc() as rpc:
        rpc.source.ping(1)
        system.wait_for(1)
    # A Ping the sink cannot read (n is text), as if a producer broke its contract.
    system.publish_raw(
        json.dumps({"source": "source", "position": 2, "type": "Ping", "payload": {"n": "two"}}).encode()
    )
    time.sleep(0.5)
    with system.rpc() as rpc:
        rpc.source.ping(3)  # its position is 2 in the real log: it supersedes the forged one

    rows = system.wait_for(2)
    assert rows == [(1, 1), (2, 3)]
    assert dead_letter_count(system.sink_engine) == 1


def test_a_message_altered_in_transit_is_replaced_by_the_logs_own_copy(system):
    system.start_source()
    with system.rpc() as rpc:
        rpc.source.ping(1)
        [envelope] = rpc.source.read_events(0, 10)
    system.start_sink()
    envelope["payload"]["n"] = 999  # still readable, but no longer what was recorded
    system.publish_raw(json.dumps(envelope).encode())

    assert system.wait_for(1) == [(1, 1)]


def test_two_instances_of_a_consumer_give_the_same_result_as_one(system, broker):
    system.start_sink("first")
    system.start_sink("second")
    # Both are connected and consuming the one shared queue (the broker's count may lag).
    deadline = time.monotonic() + 15
    while broker.queue_consumers("evt-source--sink.handle_source_event") < 2:
        assert time.monotonic() < deadline, "the second instance never started consuming"
        time.sleep(0.2)
    system.start_source()
    with system.rpc() as rpc:
        for n in range(1, 101):
            rpc.source.ping(n)

    rows = system.wait_for(100)
    time.sleep(0.5)
    assert system.applied() == rows == [(n, n) for n in range(1, 101)]
    # The broker hands a shared queue's messages round-robin to its consumers, and the
    # pings trickle in one RPC at a time, so each instance applies about half of them
    # (whichever holds a later position fills the gap before it from the source's log).
    by_instance = system.applied_by()
    assert set(by_instance) == {"first", "second"}, by_instance
    assert sum(by_instance.values()) == 100


def test_the_actor_travels_in_the_metadata(system):
    system.start_sink()
    system.start_source()
    with system.rpc() as rpc:
        rpc.source.ping(1)
    system.wait_for(1)
    with system.sink_engine.connect() as conn:
        assert conn.execute(sa.text("SELECT actor FROM pings")).scalar() == "service:source"
