"""Read what reached a queue bound to a service's events exchange (test support)."""

from __future__ import annotations

import json
import time
from collections.abc import Collection

import kombu


def bind_queue(amqp_uri: str, source: str, name: str) -> None:
    with kombu.Connection(amqp_uri) as conn:
        channel = conn.channel()
        exchange = kombu.Exchange(f"{source}.events", type="topic", durable=True)
        queue = kombu.Queue(name, exchange=exchange, routing_key="#", durable=True)
        queue.bind(channel).declare()


def collect(
    amqp_uri: str, name: str, positions: Collection[int], timeout: float = 60.0, quiet: float = 0.5
) -> list[dict]:
    """Drain the queue (acking each message) until every one of `positions` has arrived
    and nothing more came for `quiet` seconds, or `timeout` passed.

    Duplicates are kept, in arrival order: a re-published batch can deliver a position
    twice, and stopping at a count of messages would then miss the last positions.
    """
    found: list[dict] = []
    missing = set(positions)
    deadline = time.monotonic() + timeout
    with kombu.Connection(amqp_uri) as conn:
        queue = kombu.Queue(name, durable=True)

        def on_message(body, message):
            envelope = json.loads(message.body)
            found.append(
                {
                    "body": envelope,
                    "routing_key": message.delivery_info["routing_key"],
                    "delivery_mode": message.properties.get("delivery_mode"),
                }
            )
            missing.discard(envelope.get("position"))
            message.ack()

        with conn.Consumer(queue, callbacks=[on_message], accept=["json"]):
            while time.monotonic() < deadline:
                try:
                    conn.drain_events(timeout=quiet if not missing else 1)
                except TimeoutError:
                    if not missing:
                        break  # all there, and the queue has gone quiet
    return found
