"""nameko's RpcProxy, publishing its requests on producers kept between calls.

nameko 2.14.1 publishes every RPC request through `Publisher.publish`, which builds a
kombu `Connection` (parsing the URI), looks its pool up, acquires and revives a producer,
then publishes: about 190 µs of CPU per call here, against 70 µs for the publish itself
on a producer kept at hand. The gateway makes one RPC per request, so that overhead was
a tenth of its CPU per request.

Here each container keeps its own idle producers, each on its own broker connection
(one green thread at a time per connection, as kombu's pools do). Everything else is
nameko's: the message, its headers (the acting user and the call id stack that end up
in the events' metadata), publisher confirms with `mandatory` (so a call to a service
that is not running is still `UnknownService`), persistent delivery, kombu's retry on a
lost connection, and the reply listener. A producer whose publish failed in any way is
closed, never reused: the next call gets a fresh connection.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from kombu import Connection, Producer
from kombu.exceptions import ChannelError
from nameko.amqp.publish import Publisher, UndeliverableMessage
from nameko.constants import DEFAULT_TRANSPORT_OPTIONS
from nameko.extensions import SharedExtension
from nameko.rpc import MethodProxy, RpcProxy, ServiceProxy

MAX_IDLE = 32  # more idle producers than concurrent callers are closed, not kept


class ProducerPool(SharedExtension):
    """Idle producers of one container, by broker URI, SSL options and login method."""

    def __init__(self) -> None:
        super().__init__()
        self._idle: dict[tuple[Any, ...], list[Producer]] = {}
        self._stopped = False

    def acquire(self, key: tuple[Any, ...]) -> Producer:
        idle = self._idle.get(key)
        if idle:
            return idle.pop()
        amqp_uri, ssl, login_method = key
        transport_options = {**DEFAULT_TRANSPORT_OPTIONS, "confirm_publish": True}
        return Producer(
            Connection(amqp_uri, transport_options=transport_options, ssl=ssl, login_method=login_method)
        )

    def release(self, key: tuple[Any, ...], producer: Producer) -> None:
        idle = self._idle.setdefault(key, [])
        if self._stopped or len(idle) >= MAX_IDLE:
            discard(producer)
        else:
            idle.append(producer)

    def stop(self) -> None:
        self._stopped = True
        for idle in self._idle.values():
            while idle:
                discard(idle.pop())

    kill = stop


def discard(producer: Producer) -> None:
    try:
        producer.connection.release()
    except Exception:  # already broken: nothing to give back
        pass


class PooledPublisher(Publisher):
    """`Publisher.publish` with the producer taken from a `ProducerPool`; always with
    confirms (the proxy relies on them to detect an unknown service)."""

    def __init__(self, pool: ProducerPool, amqp_uri: str, **options: Any) -> None:
        super().__init__(amqp_uri, **options)
        self.pool = pool

    def publish(self, payload: Any, **kwargs: Any) -> None:
        publish_kwargs = self.publish_kwargs.copy()
        headers = publish_kwargs.pop("headers", {}).copy()
        headers.update(kwargs.pop("headers", {}))
        headers.update(kwargs.pop("extra_headers", {}))
        kwargs.pop("use_confirms", None)
        kwargs.pop("transport_options", None)
        mandatory = kwargs.pop("mandatory", self.mandatory)
        options = {
            "delivery_mode": kwargs.pop("delivery_mode", self.delivery_mode),
            "priority": kwargs.pop("priority", self.priority),
            "expiration": kwargs.pop("expiration", self.expiration),
            "serializer": kwargs.pop("serializer", self.serializer),
            "compression": kwargs.pop("compression", self.compression),
            "retry": kwargs.pop("retry", self.retry),
            "retry_policy": kwargs.pop("retry_policy", self.retry_policy),
            "declare": [*self.declare, *kwargs.pop("declare", ())],
        }
        publish_kwargs.update(kwargs)
        key = (self.amqp_uri, self.ssl, self.login_method)
        producer = self.pool.acquire(key)
        try:
            producer.publish(payload, headers=headers, mandatory=mandatory, **options, **publish_kwargs)
        except ChannelError as exc:
            discard(producer)
            if "NO_ROUTE" in str(exc):
                raise UndeliverableMessage() from None
            raise
        except BaseException:
            discard(producer)
            raise
        self.pool.release(key, producer)


class PooledMethodProxy(MethodProxy):
    def __init__(self, pool: ProducerPool, *args: Any, **kwargs: Any) -> None:
        self._pool = pool
        super().__init__(*args, **kwargs)

    @property
    def publisher_cls(self) -> Any:  # what MethodProxy builds its publisher with
        return partial(PooledPublisher, self._pool)


class PooledServiceProxy(ServiceProxy):
    def __init__(self, pool: ProducerPool, *args: Any, **kwargs: Any) -> None:
        self._pool = pool
        super().__init__(*args, **kwargs)

    def __getattr__(self, name: str) -> PooledMethodProxy:
        if name.startswith("__"):
            raise AttributeError(name)
        return PooledMethodProxy(
            self._pool, self.worker_ctx, self.service_name, name, self.reply_listener, **self.options
        )


class PooledRpcProxy(RpcProxy):
    """`RpcProxy("plans")`, with the container's requests published on pooled producers."""

    producer_pool = ProducerPool()

    def get_dependency(self, worker_ctx: Any) -> PooledServiceProxy:
        return PooledServiceProxy(
            self.producer_pool, worker_ctx, self.target_service, self.rpc_reply_listener, **self.options
        )
