"""Consumers apply each event exactly once and in order, whatever the broker does."""

from __future__ import annotations

import json
import time

import sqlalchemy as sa

from eventlog.inbox import dead_letter_count


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
