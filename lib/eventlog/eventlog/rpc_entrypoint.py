"""An `@rpc` entrypoint that survives losing the broker while it replies, and answers
every delivery of one command the way it answered the first (ADR 060).

Services import it instead of nameko's::

    from eventlog.rpc_entrypoint import rpc   # not: from nameko.rpc import rpc

    @rpc                 # a command (or anything that may append): deduplicated
    @rpc(query=True)     # a pure query: never looked up, never held
"""

from __future__ import annotations

import logging
import sys
from functools import partial
from typing import Any

import kombu.exceptions
import kombu.serialization
from kombu.message import Message
from nameko.constants import (
    AMQP_SSL_CONFIG_KEY,
    AMQP_URI_CONFIG_KEY,
    LOGIN_METHOD_CONFIG_KEY,
)
from nameko.exceptions import ContainerBeingKilled, MalformedRequest, UnserializableValueError, serialize
from nameko.rpc import Rpc, get_rpc_exchange

from .answers import (
    MAX_ID_LENGTH,
    REQUEST_KEY,
    Answers,
    Recorded,
    Reply,
    already_applied,
    applied_unanswered,
    reused_id,
)
from .producers import PooledPublisher, ProducerPool
from .refusals import CommandRefused
from .settling import BROKER_CONNECTION_ERRORS, try_settle

log = logging.getLogger(__name__)

# How long a delivery waits for another delivery of the same request in this process.
IN_FLIGHT_WAIT = 60.0


class TolerantRpc(Rpc):
    """nameko's `Rpc` with two differences.

    A reply that cannot be published, or a request that cannot be acked, because the
    broker connection is gone does not kill the container. nameko 2.14.1 publishes the
    reply, then acks; an error from either escapes the worker and kills the whole
    container. Here it is logged at warning and the request is left unacked: the broker
    redelivers it once the connection is back, to this instance or another.

    A redelivered command is not executed again. A worker that appends events claims
    its request (the message's correlation id) in the same transaction (see
    `WorkerEventLog.append`), and its reply is stored before it is published. Every
    delivery first looks for that row: with a stored reply it gets that reply, acked
    without running the method; with none yet it waits a few seconds for it, else it is
    answered 409 `already_applied`. Deliveries of one request in one process run one
    after the other. A worker that committed its claim and then failed to build its
    answer is answered `already_applied` too, never with an error that would say
    nothing was written. Queries claim nothing and store nothing.

    A method declared `@rpc(query=True)` is a pure query: it appends nothing, so no
    delivery of it can have an answer stored, and running it twice changes nothing. Its
    deliveries are neither looked up nor held (a database read and a semaphore that would
    buy nothing on every read). Its worker still carries the request id, so a query
    declared by mistake that does append still claims its request and is applied once: a
    duplicate then fails at its claim and is answered from the first delivery's stored
    reply. Undeclared methods (every command) keep the lookup, whatever the message's
    `redelivered` flag says: a client's retry of a request is a new message without it.

    It shares nameko's `RpcConsumer`, so both kinds of methods can live in one service.
    """

    producer_pool = ProducerPool()  # replies go out on producers kept between them

    def __init__(self, query: bool = False, **kwargs: Any) -> None:
        self.query = query
        self._provider: Any = None  # the container's EventLog, found on first use
        super().__init__(**kwargs)

    def setup(self) -> None:
        super().setup()
        config = self.container.config
        self._exchange = get_rpc_exchange(config)
        self._publisher = PooledPublisher(
            self.producer_pool,
            config[AMQP_URI_CONFIG_KEY],
            ssl=config.get(AMQP_SSL_CONFIG_KEY),
            login_method=config.get(LOGIN_METHOD_CONFIG_KEY),
        )

    def handle_message(self, body: Any, message: Message) -> None:
        """Runs in a thread of its own per message (nameko's QueueConsumer spawns it)."""
        answers = self._answers()
        correlation_id = message.properties.get("correlation_id")
        if answers is None or not isinstance(correlation_id, str) or len(correlation_id) > MAX_ID_LENGTH:
            self._spawn(body, message, None)
            return
        if self.query:
            self._spawn(body, message, None, correlation_id)
            return
        held = answers.hold(correlation_id, IN_FLIGHT_WAIT)
        if not held:  # the claim in the database still keeps it from being applied twice
            log.warning("%s: another delivery of %s is still running", self._name, correlation_id)
        handed_over = False
        try:
            recorded = self._recorded(answers, correlation_id)
            if recorded is not None:
                self._answer_again(answers, message, correlation_id, recorded)
                return
            handed_over = self._spawn(body, message, correlation_id if held else None, correlation_id)
        finally:
            if held and not handed_over:
                answers.release(correlation_id)

    def _spawn(self, body: Any, message: Message, held: str | None, request_id: str | None = None) -> bool:
        """nameko's `Rpc.handle_message`, with the request id in the worker's context;
        True if a worker will run (and release what `held` names when it is done)."""
        try:
            args = body["args"]
            kwargs = body["kwargs"]
        except (KeyError, TypeError):
            raise MalformedRequest("Message missing `args` or `kwargs`") from None
        self.check_signature(args, kwargs)
        context_data = self.unpack_message_headers(message)
        context_data.pop(REQUEST_KEY, None)  # only ever the message's own correlation id
        if request_id is not None:
            context_data[REQUEST_KEY] = request_id
        try:
            self.container.spawn_worker(
                self,
                args,
                kwargs,
                context_data=context_data,
                handle_result=partial(self.handle_result, message, held),
            )
        except ContainerBeingKilled:
            self.rpc_consumer.requeue_message(message)
            return False
        return True

    def handle_result(  # type: ignore[override]
        self, message: Message, held: str | None, worker_ctx: Any, result: Any, exc_info: Any
    ) -> tuple[Any, Any]:
        answers = self._answers()
        request_id = worker_ctx.data.get(REQUEST_KEY)
        try:
            claimed = answers is not None and request_id is not None and self._claimed(worker_ctx)
            if answers is not None and request_id is not None and not claimed and exc_info is not None:
                # It failed, perhaps because another delivery applied it meanwhile (in
                # another instance): then that delivery's answer is the answer.
                recorded = self._recorded(answers, request_id)
                if recorded is not None:
                    self._answer_again(answers, message, request_id, recorded)
                    return result, exc_info
            if not claimed:  # nothing to store: serialised once, when it is published
                return self._send(message, result, exc_info)
            reply, result, exc_info = _reply_of(message, result, exc_info)
            if exc_info is not None and not isinstance(exc_info[1], CommandRefused):
                # Its transaction committed, then building the answer failed: an error
                # reply would tell the caller it was not applied.
                reply = applied_unanswered(self.method_name, exc_info[1])
            assert answers is not None and request_id is not None
            self._store(answers, request_id, reply)
            self._reply(message, reply)
        finally:
            if held is not None and answers is not None:
                answers.release(held)
        return result, exc_info

    # -- helpers ---------------------------------------------------------------

    @property
    def _name(self) -> str:
        return f"{self.container.service_name}.{self.method_name}"

    def _event_log(self) -> Any:
        """The container's EventLog provider, if any (its providers are fixed once the
        container is set up, so it is looked for once, not on every message)."""
        if self._provider is None:
            from .dependencies import EventLog

            found = next((d for d in self.container.dependencies if isinstance(d, EventLog)), None)
            self._provider = found if found is not None else False
        return self._provider or None

    def _answers(self) -> Answers | None:
        provider = self._event_log()
        return provider.answers if provider is not None else None

    def _claimed(self, worker_ctx: Any) -> bool:
        provider = self._event_log()
        return bool(provider is not None and provider.claimed(worker_ctx))

    def _recorded(self, answers: Answers, correlation_id: str) -> Recorded | None:
        try:
            return answers.recorded(correlation_id)
        except Exception as exc:  # the database is away: the method itself will say so
            log.warning("%s: could not look up request %s: %s", self._name, correlation_id, exc)
            return None

    def _store(self, answers: Answers, correlation_id: str, reply: Reply) -> None:
        try:
            if answers.store(correlation_id, reply):
                return
            log.warning("%s: request %s has no claim to store its reply on", self._name, correlation_id)
        except Exception as exc:  # replying matters more; a redelivery is answered 409
            log.warning("%s: could not store the reply to %s: %s", self._name, correlation_id, exc)

    def _answer_again(
        self, answers: Answers, message: Message, correlation_id: str, recorded: Recorded
    ) -> None:
        """Answer a delivery of a request that an earlier delivery applied."""
        if recorded.method != self.method_name:
            self._reply(message, reused_id(self.method_name, recorded))
            return
        try:
            recorded = answers.wait_for_reply(correlation_id, recorded)
        except Exception as exc:
            log.warning("%s: could not read the reply to %s: %s", self._name, correlation_id, exc)
        if recorded.reply is None:
            log.warning("%s: request %s was applied but its reply was lost", self._name, correlation_id)
        else:
            log.info("%s: request %s answered again from its stored reply", self._name, correlation_id)
        self._reply(message, recorded.reply or already_applied(self.method_name))

    def _send(self, message: Message, result: Any, exc_info: Any) -> tuple[Any, Any]:
        """Publish what nameko would answer, and return the result and exc_info it hands
        on. Serialisable or not is found out by publishing (kombu serialises before it
        sends anything): checking first, as nameko's Responder does, would serialise a
        large answer twice."""
        error = serialize(exc_info[1]) if exc_info is not None else None
        try:
            self._reply(message, {"result": result, "error": error})
        except kombu.exceptions.EncodeError:
            exc_info = sys.exc_info()
            self._reply(message, {"result": None, "error": serialize(UnserializableValueError(result))})
            result = None
        return result, exc_info

    def _reply(self, message: Message, reply: Reply) -> None:
        """Publish the reply, then ack; a broker that is away leaves the request unacked."""
        serializer = kombu.serialization.registry.type_to_name[message.properties["content_type"]]
        try:
            self._publisher.publish(
                reply,
                serializer=serializer,
                exchange=self._exchange,
                routing_key=message.properties["reply_to"],
                correlation_id=message.properties.get("correlation_id"),
            )
        except BROKER_CONNECTION_ERRORS as exc:
            log.warning(
                "could not reply to %s (%s: %s): the request stays unacked and is redelivered",
                self._name,
                type(exc).__name__,
                exc,
            )
            return
        problem = try_settle(message.ack, message)
        if problem:
            log.warning(
                "replied to %s but could not ack the request (%s): the broker redelivers it",
                self._name,
                problem,
            )


def _reply_of(message: Message, result: Any, exc_info: Any) -> tuple[Reply, Any, Any]:
    """What nameko's `Responder.send_response` would send, and the result and exc_info
    it hands on (an unserializable result becomes an UnserializableValueError)."""
    error = serialize(exc_info[1]) if exc_info is not None else None
    serializer = kombu.serialization.registry.type_to_name[message.properties["content_type"]]
    try:
        kombu.serialization.dumps(result, serializer)
    except Exception:
        exc_info = sys.exc_info()
        error = serialize(UnserializableValueError(result))
        result = None
    return {"result": result, "error": error}, result, exc_info


rpc = TolerantRpc.decorator
