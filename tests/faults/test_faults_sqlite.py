"""Faults on the embedded (SQLite) system: broker stopped, connections cut, each service
SIGKILLed, a consumer far behind, a poison message, a duplicated message. Each test
drives commands over RPC while the fault happens; afterwards every accepted command's
event is in its producer's log, in every consumer and in the reports exactly once, and
nothing else is (see ledger.account)."""

from __future__ import annotations

import time
import uuid

import kombu
import pytest
from nameko.standalone.rpc import ClusterRpcProxy

from .drive import drive, envelope_json, publish_raw, rabbitmqctl
from .stream import cell
from .supervisor import SERVICES

PLANS_CONSUMERS = {"sessions": 2, "oversight": 2, "reporting": 2}


@pytest.mark.disruptive
def test_broker_stopped_and_restarted(sqlite_system, run_id):
    def fault(_stream):
        rabbitmqctl("stop_app")
        time.sleep(3)
        rabbitmqctl("start_app")
        rabbitmqctl("await_startup")
        return "rabbitmqctl stop_app; 3 s; start_app"

    drive(sqlite_system, run_id, "broker_stopped_and_restarted", fault)


def test_broker_connections_cut(sqlite_system, vhost, run_id):
    def fault(stream):
        for _ in range(3):  # three cuts, a second apart, while commands flow
            rabbitmqctl("close_all_connections", "--vhost", vhost.vhost, "--limit", "10000", "fault test")
            time.sleep(1)
        return "rabbitmqctl close_all_connections (this vhost) x3"

    drive(sqlite_system, run_id, "broker_connections_cut", fault)


@pytest.mark.parametrize("service", SERVICES)
def test_service_killed_mid_stream_and_restarted(sqlite_system, run_id, service):
    def fault(_stream):
        sqlite_system.kill(service)
        time.sleep(1)
        sqlite_system.start(service)
        return f"SIGKILL {service}, restart"

    drive(sqlite_system, run_id, f"sigkill_{service}", fault, before=40, after=40)


def test_a_consumer_far_behind_catches_up(sqlite_system, run_id):
    def fault(stream):
        sqlite_system.stop("reporting")
        stream.wait_for(300, timeout=120)  # all of it while reporting is away
        sqlite_system.start("reporting")
        return "reporting stopped for 300 accepted commands, then started"

    totals = drive(sqlite_system, run_id, "consumer_far_behind", fault, before=20, after=20)
    assert totals["in_reports"] >= 300


def test_a_poison_message_is_dead_lettered_and_nothing_else_is_affected(sqlite_system, run_id):
    def fault(_stream):
        amqp = sqlite_system.amqp_uri
        publish_raw(amqp, "plans.events", "OrganizationRegistered", b"\x00\xffnot json at all")
        publish_raw(amqp, "plans.events", "OrganizationRegistered", '{"hello": "an envelope this is not"}')
        return "two garbage messages on plans.events"

    drive(sqlite_system, run_id, "poison_message", fault, dead_letters_expected=PLANS_CONSUMERS)


def test_a_duplicated_message_is_applied_once(sqlite_system, run_id):
    def fault(_stream):
        with ClusterRpcProxy({"AMQP_URI": sqlite_system.amqp_uri}, timeout=10) as rpc:
            head = rpc.plans.log_head()
            recent = rpc.plans.read_events(max(0, head - 10), 10)
            recent += rpc.sessions.read_events(max(0, rpc.sessions.log_head() - 10), 10)
        for envelope in recent:  # each one twice more, on the exchange it came from
            for _ in range(2):
                publish_raw(
                    sqlite_system.amqp_uri,
                    f"{envelope['source']}.events",
                    envelope["type"],
                    envelope_json(envelope),
                )
        return f"{len(recent)} real envelopes re-published twice each"

    drive(sqlite_system, run_id, "duplicated_message", fault)


def test_a_redelivered_rpc_request_gets_the_answer_of_its_first_delivery(sqlite_system, run_id):
    """What sigkill_plans showed by chance, made deterministic: the broker redelivers an
    unacked request as the same message (same correlation id); the client may only ever
    see the second answer, so both must say what happened: the cell was registered
    (ADR 060: the second delivery is answered from the first one's stored reply)."""
    replies = call_twice(sqlite_system.amqp_uri, "plans", "register_organization", cell(run_id, 1).payload)
    assert replies[0]["error"] is None, replies[0]
    assert replies[1] == replies[0], replies[1]


def call_twice(amqp_uri: str, service: str, method: str, payload: dict) -> list[dict]:
    """Publish one nameko RPC request twice, as a redelivery would, and collect both replies."""
    exchange = kombu.Exchange("nameko-rpc", type="topic", durable=True)
    name = f"redelivery-{uuid.uuid4().hex[:8]}"
    correlation = uuid.uuid4().hex
    got: list[dict] = []
    with kombu.Connection(amqp_uri) as conn:
        queue = kombu.Queue(name, exchange=exchange, routing_key=name, exclusive=True, auto_delete=True)
        queue(conn.channel()).declare()
        with conn.Consumer(queue, callbacks=[lambda body, message: (got.append(body), message.ack())]):
            for _ in range(2):
                conn.Producer().publish(
                    {"args": [payload], "kwargs": {}},
                    exchange=exchange,
                    routing_key=f"{service}.{method}",
                    reply_to=name,
                    correlation_id=correlation,
                    serializer="json",
                    headers={"nameko.call_id_stack": [f"fault-test.{correlation}"]},
                )
            deadline = time.monotonic() + 20
            while len(got) < 2 and time.monotonic() < deadline:
                try:
                    conn.drain_events(timeout=1)
                except TimeoutError:
                    pass
    assert len(got) == 2, got
    return got
