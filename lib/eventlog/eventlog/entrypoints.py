"""The consuming entrypoint: every event of one source, in order, with a dead-letter queue."""

from __future__ import annotations

import logging
import queue
from functools import partial
from typing import Any

from eventlet.event import Event
from kombu import Exchange, Queue
from kombu.message import Message
from nameko.events import EventHandler
from nameko.messaging import Consumer, QueueConsumer
from nameko.standalone.events import get_event_exchange

from .inbox import UnreadableEvent, check_envelope
from .settling import try_settle

log = logging.getLogger(__name__)

MAX_BATCH = 500


class TolerantQueueConsumer(QueueConsumer):
    """nameko's queue consumer, but a message that cannot even be decoded is
    dead-lettered and counted instead of killing the consumer thread, and an ack or
    reject on a lost connection reports why instead of raising (which would kill the
    container)."""

    def get_consumers(self, consumer_cls: Any, channel: Any) -> Any:
        for provider in self._providers:
            provider.dead_letter_queue.bind(channel).declare()
            consumer = consumer_cls(
                queues=[provider.queue],
                callbacks=[partial(self.handle_message, provider)],
                accept=self.accept,
                on_decode_error=partial(self._on_decode_error, provider),
            )
            consumer.qos(prefetch_count=provider.prefetch)
            self._consumers[provider] = consumer
        return self._consumers.values()

    def _on_decode_error(self, provider: EventConsumer, message: Message, exc: Exception) -> None:
        provider.dead_letter(message, message.body, f"undecodable message: {exc}")

    def ack_message(self, message: Message) -> str | None:
        """Ack; None if done, else why not (a lost connection: the broker redelivers it)."""
        return try_settle(message.ack, message)

    def reject_message(self, message: Message) -> str | None:
        """Reject to the dead-letter queue; None if done, else why not (as for an ack)."""
        return try_settle(partial(message.reject, requeue=False), message)


class EventConsumer(EventHandler):
    """Receives every event a source publishes (routing key `#`) on one durable queue.

    Messages are handed to workers one batch at a time, in delivery order, so one
    instance never races itself; the inbox skips duplicates and fills gaps across
    instances. With `batch=True` the service method receives a list of envelopes (up to
    500 that had already arrived), applied in one transaction; otherwise one envelope.
    A message that is not even an envelope is rejected to `<queue>.dead-letters` and
    counted; a failed worker rejects its messages there too (never requeued in a hot
    loop, never silently acked) and the catch-up re-reads them from the source's log.
    """

    queue_consumer = TolerantQueueConsumer()

    def __init__(self, source_service: str, batch: bool = True, **kwargs: Any) -> None:
        self.batch = batch
        self.prefetch = MAX_BATCH if batch else 50
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
        self._arrived: queue.Queue[tuple[Any, Message]] = queue.Queue()
        Consumer.setup(self)

    def start(self) -> None:
        self.container.spawn_managed_thread(self._hand_over, identifier=f"{self.method_name}.hand_over")

    def handle_message(self, body: Any, message: Message) -> None:
        self._arrived.put((body, message))

    def _hand_over(self) -> None:
        """One worker at a time, messages in the order they arrived."""
        while True:
            taken = [self._arrived.get()]
            while self.batch and len(taken) < MAX_BATCH:
                try:
                    taken.append(self._arrived.get_nowait())
                except queue.Empty:
                    break
            valid: list[tuple[Any, Message]] = []
            for body, message in taken:
                try:
                    valid.append((check_envelope(body), message))
                except UnreadableEvent as exc:
                    self.dead_letter(message, body, str(exc))
            if not valid:
                continue
            finished = Event()
            argument = [body for body, _ in valid] if self.batch else valid[0][0]
            self.container.spawn_worker(
                self,
                (argument,),
                {},
                context_data=self.unpack_message_headers(valid[0][1]),
                handle_result=partial(self._settle, [m for _, m in valid], finished),
            )
            finished.wait()

    def _settle(
        self,
        messages: list[Message],
        finished: Event,
        worker_ctx: Any,
        result: Any = None,
        exc_info: Any = None,
    ) -> tuple[Any, Any]:
        """Ack the batch, or reject it if the worker failed; never let a lost broker
        connection escape (it would kill the container): the unsettled messages are
        redelivered and the inbox skips what was already applied."""
        failed = exc_info is not None
        verb = "reject" if failed else "ack"
        settle = self.queue_consumer.reject_message if failed else self.queue_consumer.ack_message
        try:
            problems = [problem for problem in map(settle, messages) if problem]
            if problems:
                log.warning(
                    "could not %s %d of %d messages on %s (%s): the broker redelivers them "
                    "and the inbox skips what was already applied",
                    verb,
                    len(problems),
                    len(messages),
                    self.queue.name,
                    problems[0],
                )
        finally:
            finished.send(None)  # the hand-over goes on with the next batch whatever happened
        return result, exc_info

    def dead_letter(self, message: Message, body: Any, reason: str) -> None:
        log.error("dead-lettering a message on %s: %s", self.queue.name, reason)
        from .dependencies import EventLog  # the provider of this container, if any

        for dependency in self.container.dependencies:
            if isinstance(dependency, EventLog):
                dependency.record_dead_letter(body, reason)
        problem = self.queue_consumer.reject_message(message)
        if problem:
            log.warning("could not reject a message on %s (%s): it is redelivered", self.queue.name, problem)


consume_events = EventConsumer.decorator
