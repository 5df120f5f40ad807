"""The organisation commands' answers (ADR 060), on a real broker and both databases:
a registration answers what was stored, a command delivered twice is applied once and
answered alike, and queries are neither looked up nor remembered."""

from __future__ import annotations

import time
import uuid
from typing import Any

import kombu
import pytest
import sqlalchemy as sa
from nameko.exceptions import RemoteError

from eventlog.answers import Answers
from eventlog.engine import make_engine
from eventlog.rpc_entrypoint import rpc
from plans.service import PlansService

RPC_EXCHANGE = kombu.Exchange("nameko-rpc", type="topic", durable=True)


def province(org_id: str) -> dict[str, Any]:
    return {"org_id": org_id, "kind": "province", "name": f"Tỉnh ủy {org_id}", "registered_on": "2023-01-05"}


def district(org_id: str, parent_id: str) -> dict[str, Any]:
    return {
        "org_id": org_id,
        "kind": "district",
        "parent_id": parent_id,
        "name": f"Huyện ủy {org_id}",
        "code": "HU-01",
        "registered_on": "2024-02-29",
    }


def deliver_twice(amqp_uri: str, method: str, *args: Any) -> list[dict[str, Any]]:
    """Publish one request twice with the same correlation id (a client's retry after a
    lost reply, or the broker's redelivery) and collect both replies."""
    name = f"answers-{uuid.uuid4().hex[:8]}"
    correlation = uuid.uuid4().hex
    got: list[dict[str, Any]] = []
    with kombu.Connection(amqp_uri) as conn:
        queue = kombu.Queue(name, exchange=RPC_EXCHANGE, routing_key=name, exclusive=True, auto_delete=True)
        queue(conn.channel()).declare()
        with conn.Consumer(queue, callbacks=[lambda body, message: (got.append(body), message.ack())]):
            for _ in range(2):
                conn.Producer().publish(
                    {"args": list(args), "kwargs": {}},
                    exchange=RPC_EXCHANGE,
                    routing_key=f"plans.{method}",
                    reply_to=name,
                    correlation_id=correlation,
                    serializer="json",
                )
            deadline = time.monotonic() + 20
            while len(got) < 2 and time.monotonic() < deadline:
                try:
                    conn.drain_events(timeout=1)
                except TimeoutError:
                    pass
    assert len(got) == 2, got
    return got


def claimed_methods(system: Any) -> list[str]:
    engine = make_engine(system.url_for("plans"))
    try:
        with engine.connect() as conn:
            return [r[0] for r in conn.execute(sa.text("SELECT method FROM rpc_requests ORDER BY method"))]
    finally:
        engine.dispose()


def test_a_registration_answers_what_is_stored(system):
    system.start(PlansService)
    with system.rpc() as rpc_proxy:
        root = rpc_proxy.plans.register_organization(province("hn"))
        answer = rpc_proxy.plans.register_organization(district("dv", "hn"))

        assert root == rpc_proxy.plans.get_organization("hn")
        assert answer == rpc_proxy.plans.get_organization("dv")
        assert answer == {
            "org_id": "dv",
            "kind": "district",
            "name": "Huyện ủy dv",
            "code": "HU-01",
            "parent_id": "hn",
            "depth": 1,
            "registered_on": "2024-02-29",
            "dissolved_on": None,
            "version": 1,
        }
        assert rpc_proxy.plans.list_subtree("hn") == [root, answer]


def test_a_registration_delivered_twice_is_applied_once_and_answered_alike(system):
    system.start(PlansService)
    with system.rpc() as rpc_proxy:
        rpc_proxy.plans.register_organization(province("hn"))
        first, second = deliver_twice(system.amqp_uri, "register_organization", district("dv", "hn"))

        assert first["error"] is None, first
        assert second == first
        assert first["result"] == rpc_proxy.plans.get_organization("dv")
        assert rpc_proxy.plans.log_head() == 2


def test_queries_are_neither_looked_up_nor_remembered(system, monkeypatch):
    looked_up: list[str] = []
    recorded = Answers.recorded

    def counting(answers: Answers, correlation_id: str) -> Any:
        looked_up.append(correlation_id)
        return recorded(answers, correlation_id)

    monkeypatch.setattr(Answers, "recorded", counting)
    system.start(PlansService)
    with system.rpc() as rpc_proxy:
        rpc_proxy.plans.register_organization(province("hn"))
        assert len(looked_up) == 1  # a command is looked up before it runs
        looked_up.clear()

        for _ in range(3):
            rpc_proxy.plans.get_organization("hn")
            rpc_proxy.plans.list_children("hn")
            rpc_proxy.plans.get_path_to_root("hn")
        first, second = deliver_twice(system.amqp_uri, "get_organization", "hn")

        assert looked_up == []
        assert second == first and first["result"]["org_id"] == "hn"
    assert claimed_methods(system) == ["register_organization"]


class MisdeclaredPlans(PlansService):
    """A command declared a query by mistake: it must still be applied only once."""

    @rpc(query=True)
    def register_as_if_a_query(self, command: dict[str, Any]) -> dict[str, Any]:
        return self.register_organization(command)

    @rpc(query=True)
    def unserialisable(self) -> object:
        return object()


def test_a_command_declared_a_query_by_mistake_is_still_applied_once(system):
    system.start(MisdeclaredPlans, package="plans")
    with system.rpc() as rpc_proxy:
        rpc_proxy.plans.register_organization(province("hn"))
        first, second = deliver_twice(system.amqp_uri, "register_as_if_a_query", district("dv", "hn"))

        assert first["error"] is None, first
        assert second == first
        assert rpc_proxy.plans.log_head() == 2
    assert claimed_methods(system) == ["register_as_if_a_query", "register_organization"]


def test_a_query_whose_answer_cannot_be_serialised_says_so(system):
    system.start(MisdeclaredPlans, package="plans")
    with system.rpc() as rpc_proxy:
        with pytest.raises(RemoteError) as raised:
            rpc_proxy.plans.unserialisable()
        assert raised.value.exc_type == "UnserializableValueError"
        assert rpc_proxy.plans.log_head() == 0  # the service is still answering
