"""The relay publishes committed events in log order, with confirms, and loses none."""

from __future__ import annotations

import subprocess
import threading
import time

import pytest

from eventlog.engine import make_engine
from eventlog.envelope import NewEvent
from eventlog.relay import Relay
from eventlog.schema import metadata as backbone_metadata
from eventlog.store import EventStore

from .amqp_tail import bind_queue, collect


@pytest.fixture
def store(db_url):
    engine = make_engine(db_url)
    backbone_metadata.create_all(engine)
    yield EventStore(engine)
    engine.dispose()


def ping(n: int) -> NewEvent:
    return NewEvent("Ping", {"n": n})


def test_committed_events_reach_the_exchange_in_order_and_progress_is_recorded(store, amqp_uri):
    bind_queue(amqp_uri, "plans", "watch")
    for n in range(1, 31):
        store.append(f"s-{n % 4}", None, [ping(n)])
    relay = Relay(store, "plans", amqp_uri, batch_size=8)

    relay.drain()
    messages = collect(amqp_uri, "watch", range(1, 31))

    assert [m["body"]["position"] for m in messages] == list(range(1, 31))
    assert [m["body"]["payload"]["n"] for m in messages] == list(range(1, 31))
    assert {m["routing_key"] for m in messages} == {"Ping"}
    assert {m["delivery_mode"] for m in messages} == {2}  # persistent
    assert all(m["body"]["source"] == "plans" and m["body"]["hash"] for m in messages)
    assert relay.published_position() == 30
    relay.stop()


def test_only_the_lease_holder_publishes(store, amqp_uri):
    store.append("s", None, [ping(1)])
    first = Relay(store, "plans", amqp_uri)
    second = Relay(store, "plans", amqp_uri)
    assert first.run_once() == 1
    store.append("s", None, [ping(2)])
    assert second.run_once() == 0  # the lease is the first one's
    assert first.run_once() == 1
    first.stop()
    second.stop()


@pytest.mark.disruptive
@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_stopping_the_broker_mid_stream_delays_delivery_and_loses_nothing(store, amqp_uri):
    bind_queue(amqp_uri, "plans", "watch")
    relay = Relay(store, "plans", amqp_uri, batch_size=20)
    runner = threading.Thread(target=relay.run, daemon=True)
    runner.start()
    total = 600

    def write() -> None:
        for n in range(1, total + 1):
            store.append(f"s-{n % 5}", None, [ping(n)])
            store.notify_committed()
            time.sleep(0.004)

    writer = threading.Thread(target=write)
    writer.start()
    time.sleep(0.6)
    subprocess.run(["rabbitmqctl", "stop_app"], check=True, capture_output=True)
    try:
        time.sleep(1.5)
        held_back = store.head() - relay.published_position()
    finally:
        subprocess.run(["rabbitmqctl", "start_app"], check=True, capture_output=True)
    writer.join()
    subprocess.run(["rabbitmqctl", "await_startup"], capture_output=True)
    deadline = time.monotonic() + 60
    while relay.published_position() < total and time.monotonic() < deadline:
        time.sleep(0.2)
    relay.stop()
    runner.join(10)

    messages = collect(amqp_uri, "watch", range(1, total + 1), timeout=30)
    positions = [m["body"]["position"] for m in messages]
    assert held_back > 0, "the outage should have held some events back"
    assert set(positions) == set(range(1, total + 1))  # every event arrived
    # A batch unconfirmed when the broker went away is published again: duplicates are
    # allowed (consumers skip what they have applied), losses and reordering are not.
    first_arrivals = list(dict.fromkeys(positions))
    assert first_arrivals == list(range(1, total + 1))


def test_the_relay_publishes_nothing_from_a_row_its_key_did_not_seal(db_url, amqp_uri):
    """A row slipped in at the end with a correct hash but no seal (eventlog.seal) never
    reaches a consumer: the relay stops before it and says where."""
    engine = make_engine(db_url)
    backbone_metadata.create_all(engine)
    store = EventStore(engine, seal_key=b"k" * 32)
    bind_queue(amqp_uri, "plans", "watch")
    for n in range(1, 4):
        store.append(f"s-{n}", 0, [ping(n)])
    EventStore(engine).append("slipped-in", 0, [ping(4)])  # no key: no seal
    store.append("s-5", 0, [ping(5)])  # sealed, but after the forgery
    relay = Relay(store, "plans", amqp_uri)
    try:
        assert relay.run_once() == 3
        assert relay.halted_at == 4 and relay.published_position() == 3
        assert relay.run_once() == 0  # stays halted
        with pytest.raises(RuntimeError, match="position 4"):
            relay.drain(timeout=5)
        messages = collect(amqp_uri, "watch", range(1, 4))
        assert [m["body"]["position"] for m in messages] == [1, 2, 3]
        with engine.begin() as conn:  # the forgery removed (and the log restored)
            conn.exec_driver_sql("DELETE FROM event_log WHERE position >= 4")
        store.append("s-5", 0, [ping(5)])
        relay.drain(timeout=10)
        assert relay.halted_at is None and relay.published_position() == 4
    finally:
        relay.stop()
        engine.dispose()
