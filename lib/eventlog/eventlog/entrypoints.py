"""The consuming entrypoint: every event of one source, in one queue, with a dead-letter queue."""

from __future__ import annotations

import logging
from functools import partial
from typing import Any

from kombu import Exchange, Queue
from kombu.message import Message
from nameko.events import EventHandler
from nameko.messaging import Consumer, QueueConsumer
from nameko.standalone.events import get_event_exchange

log = logging.getLogger(__name__)


class TolerantQueueConsumer(QueueConsumer):
    """nameko's queue consumer, but a message that cannot even be decoded is
    dead-lettered and counted instead of killing the consumer thread."""

    def get_consumers(self, consumer_cls: Any, channel: Any) -> Any:
        for provider in self._providers:
            provider.dead_letter_queue.bind(channel).declare()
            consumer = consumer_cls(
                queues=[provider.queue],
                callbacks=[partial(self.handle_message, provider)],
                accept=self.accept,
                on_decode_error=partial(self._on_decode_error, provider),
            )
            consumer.qos(prefetch_count=self.prefetch_count)
            self._consumers[provider] = consumer
        return self._consumers.values()

    def _on_decode_error(self, provider: EventConsumer, message: Message, exc: Exception) -> None:
        log.error("dead-lettering an undecodable message on %s: %s", provider.queue.name, exc)
        provider.record_dead_letter(message.body, f"undecodable message: {exc}")
        message.reject(requeue=False)

    def reject_message(self, message: Message) -> None:
        if message.channel.connection:
            try:
                message.reject(requeue=False)
            except ConnectionError:  # the broker reclaims it on reconnect anyway
                pass


class EventConsumer(EventHandler):
    """Receives every event a source publishes (routing key `#`) on one durable queue.

    One queue per (source, consuming method) keeps the source's events in log order for
    the inbox, which skips duplicates and fills gaps. A failed message is rejected to
    `<queue>.dead-letters` (never requeued in a hot loop, never silently acked); the
    source's log still holds it, and the catch-up reads it from there.
    """

    queue_consumer = TolerantQueueConsumer()

    def __init__(self, source_service: str, **kwargs: Any) -> None:
        super().__init__(source_service, "#", **kwargs)

    def setup(self) -> None:
        service = self.container.service_name
        name = f"evt-{self.source_service}--{service}.{self.method_name}"
        dead_letter_exchange = Exchange(f"{service}.dead-letters", type="direct", durable=True)
        self.queue = Queue(
            name,
            exchange=get_event_exchange(self.source_service, self.container.config),
            routing_key="#",
            durable=True,
            queue_arguments={
                "x-dead-letter-exchange": dead_letter_exchange.name,
                "x-dead-letter-routing-key": name,
            },
        )
        self.dead_letter_queue = Queue(
            f"{name}.dead-letters", exchange=dead_letter_exchange, routing_key=name, durable=True
        )
        Consumer.setup(self)

    def record_dead_letter(self, body: Any, reason: str) -> None:
        from .dependencies import EventLog  # the provider of this container, if any

        for dependency in self.container.dependencies:
            if isinstance(dependency, EventLog):
                dependency.record_dead_letter(body, reason)

    def handle_message_processed(self, message: Message, result: Any = None, exc_info: Any = None) -> None:
        if exc_info is not None:
            self.queue_consumer.reject_message(message)
        else:
            self.queue_consumer.ack_message(message)


consume_events = EventConsumer.decorator
