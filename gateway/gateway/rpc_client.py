"""nameko's RpcProxy, publishing its requests on producers kept between calls
(`eventlog.producers`: the gateway makes one RPC per request, and nameko's own publish
path was a tenth of its CPU per request).

Everything else is nameko's: the message, its headers (the acting user and the call id
stack that end up in the events' metadata), publisher confirms with `mandatory` (so a
call to a service that is not running is still `UnknownService`), persistent delivery,
kombu's retry on a lost connection, and the reply listener (`eventlog.rpc_proxy`'s, which
survives a reply landing as the broker goes away).
"""

from __future__ import annotations

from functools import partial
from typing import Any

from nameko.rpc import MethodProxy, ServiceProxy

from eventlog.producers import PooledPublisher, ProducerPool
from eventlog.rpc_proxy import RpcProxy


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
