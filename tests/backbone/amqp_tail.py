"""Read what reached a queue bound to a service's events exchange (test support)."""

from __future__ import annotations

import json
import time

import kombu


def bind_queue(amqp_uri: str, source: str, name: str) -> None:
    with kombu.Connection(amqp_uri) as conn:
        channel = conn.channel()
        exchange = kombu.Exchange(f"{source}.events", type="topic", durable=True)
        queue = kombu.Queue(name, exchange=exchange, routing_key="#", durable=True)
        queue.bind(channel).declare()


def collect(amqp_uri: str, name: str, expected: int, timeout: float = 60.0) -> list[dict]:
    """Drain up to `expected` messages (waiting at most `timeout`), acking each."""
    found: list[dict] = []
    deadline = time.monotonic() + timeout
    with kombu.Connection(amqp_uri) as conn:
        queue = kombu.Queue(name, durable=True)

        def on_message(body, message):
            found.append(
                {
                    "body": json.loads(message.body),
                    "routing_key": message.delivery_info["routing_key"],
                    "delivery_mode": message.properties.get("delivery_mode"),
                }
            )
            message.ack()

        with conn.Consumer(queue, callbacks=[on_message], accept=["json"]):
            while len(found) < expected and time.monotonic() < deadline:
                try:
                    conn.drain_events(timeout=1)
                except TimeoutError:
                    pass
    return found
