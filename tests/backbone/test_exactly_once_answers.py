"""A command delivered more than once is applied once, and every delivery gets the first
delivery's answer (ADR 060). Real broker; the service's store on both backends.

Requests are published by hand, the way the broker redelivers them: the same message
properties, above all the same correlation id, once per delivery.
"""

from __future__ import annotations

import json
import time
import uuid
from typing import Any

import kombu
import kombu.exceptions
import pytest
import sqlalchemy as sa

from eventlog import answers as answers_module
from eventlog.dependencies import EventLog
from eventlog.engine import make_engine
from eventlog.envelope import NewEvent
from eventlog.refusals import CommandRefused, parse_refusal
from eventlog.rpc import EventLogRpc
from eventlog.rpc_entrypoint import rpc
from eventlog.schema import metadata as backbone_metadata
from eventlog.schema import rpc_requests

from .conftest import CONTRACTS

RPC_EXCHANGE = kombu.Exchange("nameko-rpc", type="topic", durable=True)


class PingService(EventLogRpc):
    """Commands that append one Ping each, at version 0: run twice, the second one fails."""

    name = "pinger"
    event_log = EventLog()

    @rpc
    def ping(self, n: int) -> dict[str, Any]:
        [stored] = self.event_log.append(f"ping-{n}", 0, [NewEvent("Ping", {"n": n})])
        return {"n": n, "position": stored.position}

    @rpc
    def ping_slowly(self, n: int) -> dict[str, Any]:
        """Commits, then takes a while to answer (the window a redelivery can fall into)."""
        answer = self.ping(n)
        time.sleep(0.5)
        return answer

    @rpc
    def ping_raced(self, n: int) -> dict[str, Any]:
        """Another instance applies this very request while this delivery runs (simulated:
        its event, claim and reply are written here first), so this append conflicts."""
        with self.event_log.engine.begin() as conn:
            self.event_log.store.append(f"ping-{n}", 0, [NewEvent("Ping", {"n": n})], conn=conn)
            conn.execute(
                rpc_requests.insert().values(
                    correlation_id=RACED[n],
                    method="ping_raced",
                    claimed_at="2025-01-01T00:00:00.000000Z",
                    reply=json.dumps({"result": {"n": n, "by": "the other instance"}, "error": None}),
                )
            )
        return self.ping(n)

    @rpc
    def ping_then_refuse(self, n: int) -> None:
        """Appends, then refuses inside the same transaction: nothing is applied."""
        with self.event_log.transaction() as conn:
            self.event_log.append(f"ping-{n}", 0, [NewEvent("Ping", {"n": n})], conn)
            raise CommandRefused(422, "changed_its_mind", "refused after appending")

    @rpc
    def ping_then_fail_to_answer(self, n: int) -> None:
        """Commits, then the read-back that builds the answer fails."""
        self.ping(n)
        raise ConnectionError("server closed the connection unexpectedly")


RACED: dict[int, str] = {}


@pytest.fixture
def pinger(amqp_uri, db_url, container_factory):
    """The service on the backend under test; returns (container, engine)."""
    engine = make_engine(db_url)
    backbone_metadata.create_all(engine)
    config = {"AMQP_URI": amqp_uri, "DATABASE_URL": db_url, "EVENT_CONTRACTS_DIR": CONTRACTS}

    def start():
        container = container_factory(PingService, config)
        container.start()
        return container

    yield start, engine
    engine.dispose()


class Caller:
    """Publishes requests by hand on its own reply queue and collects the replies."""

    def __init__(self, amqp_uri: str) -> None:
        self.conn = kombu.Connection(amqp_uri)
        self.reply_to = f"answers-test-{uuid.uuid4().hex[:8]}"
        queue = kombu.Queue(
            self.reply_to, exchange=RPC_EXCHANGE, routing_key=self.reply_to, exclusive=True, auto_delete=True
        )
        self.replies: list[dict[str, Any]] = []
        self.consumer = self.conn.Consumer(queue, callbacks=[self._got])
        self.consumer.consume()

    def _got(self, body: dict[str, Any], message: Any) -> None:
        self.replies.append(body)
        message.ack()

    def send(self, method: str, *args: Any, correlation_id: str) -> None:
        self.conn.Producer().publish(
            {"args": list(args), "kwargs": {}},
            exchange=RPC_EXCHANGE,
            routing_key=f"pinger.{method}",
            reply_to=self.reply_to,
            correlation_id=correlation_id,
            serializer="json",
            delivery_mode=2,
        )

    def wait(self, count: int, timeout: float = 20.0) -> list[dict[str, Any]]:
        deadline = time.monotonic() + timeout
        while len(self.replies) < count and time.monotonic() < deadline:
            try:
                self.conn.drain_events(timeout=0.5)
            except TimeoutError:
                pass
        return self.replies

    def close(self) -> None:
        self.consumer.cancel()
        self.conn.release()


@pytest.fixture
def caller(amqp_uri):
    c = Caller(amqp_uri)
    yield c
    c.close()


def pings(engine: sa.Engine) -> list[str]:
    with engine.connect() as conn:
        return [r[0] for r in conn.execute(sa.text("SELECT stream_id FROM event_log ORDER BY position"))]


def claims(engine: sa.Engine) -> list[tuple[str, str, bool]]:
    with engine.connect() as conn:
        rows = conn.execute(
            sa.select(rpc_requests.c.correlation_id, rpc_requests.c.method, rpc_requests.c.reply)
        )
        return [(r.correlation_id, r.method, r.reply is not None) for r in rows]


def test_the_same_request_twice_is_applied_once_and_answered_alike(pinger, caller):
    start, engine = pinger
    start()
    request = uuid.uuid4().hex
    caller.send("ping", 1, correlation_id=request)
    caller.send("ping", 1, correlation_id=request)

    first, second = caller.wait(2)

    assert first == {"result": {"n": 1, "position": 1}, "error": None}
    assert second == first
    assert pings(engine) == ["ping-1"]
    assert claims(engine) == [(request, "ping", True)]


def test_a_redelivery_during_the_first_delivery_waits_for_its_answer(pinger, caller):
    """Both deliveries reach the same process at once: the second waits for the first."""
    start, engine = pinger
    start()
    request = uuid.uuid4().hex
    for _ in range(3):
        caller.send("ping_slowly", 2, correlation_id=request)

    replies = caller.wait(3)

    assert replies == [{"result": {"n": 2, "position": 1}, "error": None}] * 3
    assert pings(engine) == ["ping-2"]


def test_a_request_whose_reply_was_lost_is_answered_from_the_stored_reply(pinger, caller, monkeypatch):
    """The first delivery commits, its reply cannot be published, the instance dies with
    the request unacked; the broker redelivers it to a new instance, which answers it."""
    start, engine = pinger
    first = start()
    publish = kombu.Producer.publish  # under nameko's publisher and our pooled one
    lost: list[Any] = []

    def broker_gone_for_replies(producer: kombu.Producer, payload: Any, **kwargs: Any) -> Any:
        if kwargs.get("routing_key") == caller.reply_to:
            lost.append(payload)
            raise kombu.exceptions.OperationalError("[Errno 111] Connection refused")
        return publish(producer, payload, **kwargs)

    monkeypatch.setattr(kombu.Producer, "publish", broker_gone_for_replies)
    request = uuid.uuid4().hex
    caller.send("ping", 3, correlation_id=request)
    deadline = time.monotonic() + 10
    while not lost and time.monotonic() < deadline:
        time.sleep(0.05)
    assert lost == [{"result": {"n": 3, "position": 1}, "error": None}]
    first.kill()  # unacked: the broker puts the request back on the queue
    monkeypatch.setattr(kombu.Producer, "publish", publish)

    start()
    [reply] = caller.wait(1)

    assert reply == lost[0]
    assert pings(engine) == ["ping-3"]


def test_an_applied_request_without_a_stored_reply_is_answered_already_applied(pinger, caller, monkeypatch):
    """The instance died between its commit and storing the reply: the command is not
    run again, and the caller is told it was applied."""
    start, engine = pinger
    monkeypatch.setattr(answers_module, "ANSWER_WAIT", 0.5)
    request = uuid.uuid4().hex
    with engine.begin() as conn:
        conn.execute(
            rpc_requests.insert().values(
                correlation_id=request, method="ping", claimed_at="2025-01-01T00:00:00.000000Z", reply=None
            )
        )
    start()
    caller.send("ping", 4, correlation_id=request)

    [reply] = caller.wait(1)

    refusal = parse_refusal(reply["error"]["exc_type"], reply["error"]["value"])
    assert refusal is not None and refusal["status"] == 409 and refusal["code"] == "already_applied"
    assert "applied by an earlier delivery" in refusal["message"]
    assert pings(engine) == []


def test_a_delivery_that_fails_because_another_applied_it_gets_the_others_answer(pinger, caller):
    start, engine = pinger
    start()
    request = uuid.uuid4().hex
    RACED[5] = request
    caller.send("ping_raced", 5, correlation_id=request)

    [reply] = caller.wait(1)

    assert reply == {"result": {"n": 5, "by": "the other instance"}, "error": None}
    assert pings(engine) == ["ping-5"]


def test_a_command_that_was_rolled_back_claims_nothing_and_runs_again(pinger, caller):
    start, engine = pinger
    start()
    request = uuid.uuid4().hex
    caller.send("ping_then_refuse", 6, correlation_id=request)
    caller.send("ping_then_refuse", 6, correlation_id=request)

    replies = caller.wait(2)

    assert [r["error"]["exc_type"] for r in replies] == ["CommandRefused", "CommandRefused"]
    assert all("changed_its_mind" in r["error"]["value"] for r in replies)
    assert pings(engine) == [] and claims(engine) == []


def test_queries_store_nothing(pinger, caller):
    start, engine = pinger
    start()
    request = uuid.uuid4().hex
    caller.send("ping", 7, correlation_id=uuid.uuid4().hex)
    caller.wait(1)
    caller.send("log_head", correlation_id=request)
    caller.send("log_head", correlation_id=request)

    replies = caller.wait(3)

    assert [r["result"] for r in replies[1:]] == [1, 1]
    assert [c[1] for c in claims(engine)] == ["ping"]


def test_a_correlation_id_reused_for_another_method_is_refused(pinger, caller):
    start, engine = pinger
    start()
    request = uuid.uuid4().hex
    caller.send("ping", 8, correlation_id=request)
    caller.wait(1)
    caller.send("ping", 9, correlation_id=request)  # the same command again: its answer
    caller.send("ping_slowly", 10, correlation_id=request)  # another command: refused

    _, again, other = caller.wait(3)

    assert again == {"result": {"n": 8, "position": 1}, "error": None}
    refusal = parse_refusal(other["error"]["exc_type"], other["error"]["value"])
    assert refusal is not None and refusal["code"] == "request_id_reused"
    assert pings(engine) == ["ping-8"]


def test_old_answers_are_pruned(db_url):
    engine = make_engine(db_url)
    backbone_metadata.create_all(engine)
    with engine.begin() as conn:
        for cid, at in (("old", "2020-01-01T00:00:00.000000Z"), ("new", "2999-01-01T00:00:00.000000Z")):
            conn.execute(rpc_requests.insert().values(correlation_id=cid, method="ping", claimed_at=at))
    answers = answers_module.Answers(engine)

    assert answers.prune() == 1
    assert answers.recorded("old") is None and answers.recorded("new") == answers_module.Recorded(
        "ping", None
    )
    engine.dispose()


def test_a_command_applied_whose_answer_cannot_be_built_says_it_was_applied(pinger, caller):
    """An error reply would tell the caller nothing was written; every delivery is told
    the command was applied instead."""
    start, engine = pinger
    start()
    request = uuid.uuid4().hex
    caller.send("ping_then_fail_to_answer", 11, correlation_id=request)
    caller.send("ping_then_fail_to_answer", 11, correlation_id=request)

    first, second = caller.wait(2)

    refusal = parse_refusal(first["error"]["exc_type"], first["error"]["value"])
    assert refusal is not None and refusal["status"] == 409 and refusal["code"] == "already_applied"
    assert "was applied, but its answer could not be built (ConnectionError" in refusal["message"]
    assert second == first
    assert pings(engine) == ["ping-11"]
