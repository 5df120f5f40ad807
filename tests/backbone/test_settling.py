"""A broker connection lost while a worker settles its message does not kill the container.

Each test hands an entrypoint a message whose connection is gone the way a stopped or
restarted broker leaves it: it still looks open, but acking it raises. The container
must log, go on serving, and leave the message to the broker's redelivery.
"""

from __future__ import annotations

import logging
import time
from typing import Any

import kombu.exceptions
import nameko.rpc
import pytest
from nameko.standalone.rpc import ClusterRpcProxy

from eventlog import rpc_entrypoint, rpc_proxy


class MessageOnALostConnection:
    """The parts of a kombu message the entrypoints use; acking or rejecting it raises."""

    def __init__(self, body: Any, error: BaseException) -> None:
        self.body = body
        self.error = error
        self.headers: dict[str, Any] = {}
        self.properties = {
            "content_type": "application/json",
            "reply_to": "a-caller-that-is-gone",
            "correlation_id": "fake-request",
        }
        self.delivery_info = {"routing_key": "Ping"}
        self.channel = type("Channel", (), {"connection": object()})()  # not yet noticed closed
        self.attempts: list[str] = []

    def ack(self) -> None:
        self.attempts.append("ack")
        raise self.error

    def reject(self, requeue: bool = False) -> None:
        self.attempts.append("reject")
        raise self.error


def entrypoint(container: Any, method_name: str) -> Any:
    return next(e for e in container.entrypoints if e.method_name == method_name)


def wait_until(check: Any, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def settled(container: Any) -> bool:
    return not container._worker_threads  # every worker has run its handle_result


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
@pytest.mark.parametrize(
    "error",
    [BrokenPipeError(32, "Broken pipe"), kombu.exceptions.OperationalError("connection reset")],
    ids=["socket", "kombu"],
)
def test_a_consumer_whose_ack_fails_keeps_consuming(system, error, caplog):
    system.start_source()
    with system.rpc() as rpc:
        rpc.source.ping(1)
        [envelope] = rpc.source.read_events(0, 10)
    sink = system.start_sink()
    message = MessageOnALostConnection(envelope, error)

    with caplog.at_level(logging.WARNING, logger="eventlog.entrypoints"):
        entrypoint(sink, "handle_source_event").handle_message(envelope, message)
        wait_until(lambda: message.attempts and settled(sink))

    with system.rpc() as rpc:
        rpc.source.ping(2)  # the container still consumes, and the hand-over was released
    assert system.wait_for(2, timeout=10) == [(1, 1), (2, 2)]
    assert message.attempts == ["ack"]  # applied, then the ack failed; nothing else tried
    assert "could not ack 1 of 1 messages" in caplog.text


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_an_rpc_worker_whose_ack_fails_leaves_the_service_serving(system, caplog):
    source = system.start_source()
    message = MessageOnALostConnection({"args": [1], "kwargs": {}}, ConnectionResetError(104, "reset"))

    with caplog.at_level(logging.WARNING, logger="eventlog.rpc_entrypoint"):
        entrypoint(source, "ping").handle_message(message.body, message)
        wait_until(lambda: message.attempts and settled(source))

    with system.rpc(timeout=10) as rpc:
        assert rpc.source.log_head() == 1  # the ping was applied and the service still answers
        assert rpc.source.ping(2) == 2
    assert message.attempts == ["ack"]
    assert "could not ack the request" in caplog.text


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_an_rpc_reply_that_cannot_be_published_leaves_the_request_unacked(system, caplog, monkeypatch):
    source = system.start_source()
    message = MessageOnALostConnection({"args": [1], "kwargs": {}}, ConnectionResetError(104, "reset"))
    publish = kombu.Producer.publish  # under nameko's publisher and our pooled one

    def reply_on_a_dead_broker(producer: kombu.Producer, payload: Any, **kwargs: Any) -> Any:
        if kwargs.get("routing_key") == message.properties["reply_to"]:
            raise kombu.exceptions.OperationalError("[Errno 111] Connection refused")
        return publish(producer, payload, **kwargs)

    monkeypatch.setattr(kombu.Producer, "publish", reply_on_a_dead_broker)

    with caplog.at_level(logging.WARNING, logger="eventlog.rpc_entrypoint"):
        entrypoint(source, "ping").handle_message(message.body, message)
        wait_until(lambda: settled(source))

    with system.rpc(timeout=10) as rpc:
        assert rpc.source.log_head() == 1
        assert rpc.source.ping(2) == 2
    assert message.attempts == []  # left unacked: the broker redelivers it on reconnect
    assert "could not reply to source.ping" in caplog.text


class MixedService:
    """A service midway through switching: one method on nameko's `rpc`, one on ours."""

    name = "mixed"

    @nameko.rpc.rpc
    def plain(self) -> str:
        return "plain"

    @rpc_entrypoint.rpc
    def tolerant(self) -> str:
        return "tolerant"


def test_nameko_and_tolerant_rpc_methods_share_one_service_queue(amqp_uri, container_factory):
    container_factory(MixedService, {"AMQP_URI": amqp_uri}).start()

    with ClusterRpcProxy({"AMQP_URI": amqp_uri}, timeout=10) as cluster:
        answers = [(cluster.mixed.plain(), cluster.mixed.tolerant()) for _ in range(5)]

    assert answers == [("plain", "tolerant")] * 5


class CallingService:
    """A service that calls another, as plans calls sessions and reporting calls plans."""

    name = "calling"
    mixed = rpc_proxy.RpcProxy("mixed")

    @rpc_entrypoint.rpc(query=True)
    def call(self) -> str:
        return self.mixed.tolerant()


def test_a_reply_that_cannot_be_acked_still_reaches_its_caller(amqp_uri, container_factory, caplog):
    """nameko's reply listener acks first: a broken pipe there killed the calling
    container (seen in the fault suite when the broker stopped mid-call)."""
    container_factory(MixedService, {"AMQP_URI": amqp_uri}).start()
    calling = container_factory(CallingService, {"AMQP_URI": amqp_uri})
    calling.start()
    [proxy] = [d for d in calling.dependencies if isinstance(d, rpc_proxy.RpcProxy)]
    listener = proxy.rpc_reply_listener
    reply = listener.get_reply_event("a-reply-on-a-dead-pipe")
    message = MessageOnALostConnection({"result": "late", "error": None}, BrokenPipeError(32, "Broken pipe"))
    message.properties["correlation_id"] = "a-reply-on-a-dead-pipe"

    with caplog.at_level(logging.INFO, logger="eventlog.rpc_proxy"):
        listener.handle_message(message.body, message)

    assert reply.wait() == {"result": "late", "error": None}
    assert message.attempts == ["ack"] and "could not be acked" in caplog.text
    with ClusterRpcProxy({"AMQP_URI": amqp_uri}, timeout=10) as cluster:
        assert cluster.calling.call() == "tolerant"  # the container still serves
