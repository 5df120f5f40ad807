"""An `@rpc` entrypoint that survives losing the broker while it replies.

Services import it instead of nameko's::

    from eventlog.rpc_entrypoint import rpc   # not: from nameko.rpc import rpc
"""

from __future__ import annotations

import logging
from typing import Any

from kombu.message import Message
from nameko.constants import (
    AMQP_SSL_CONFIG_KEY,
    AMQP_URI_CONFIG_KEY,
    DEFAULT_SERIALIZER,
    LOGIN_METHOD_CONFIG_KEY,
    SERIALIZER_CONFIG_KEY,
)
from nameko.rpc import Responder, Rpc, get_rpc_exchange

from .settling import BROKER_CONNECTION_ERRORS, try_settle

log = logging.getLogger(__name__)


class TolerantRpc(Rpc):
    """nameko's `Rpc`, except that a reply that cannot be published, or a request that
    cannot be acked, because the broker connection is gone does not kill the container.

    nameko 2.14.1's `handle_result` publishes the reply, then acks the request; an error
    from either escapes the worker, and an error escaping a worker kills the whole
    container (every entrypoint of the service stops). Here it is logged at warning and
    the request is left unacked: the broker redelivers it once the connection is back,
    to this instance or another (at least once, as every delivery here). A reply that
    fails for any other reason is still nameko's business (`send_response` already turns
    an unserializable result into an error reply).

    Services should import `eventlog.rpc_entrypoint.rpc` instead of `nameko.rpc.rpc`. It
    shares nameko's `RpcConsumer`, so both kinds of methods can live in one service.
    """

    def handle_result(self, message: Message, worker_ctx: Any, result: Any, exc_info: Any) -> tuple[Any, Any]:
        config = self.container.config
        responder = Responder(
            config[AMQP_URI_CONFIG_KEY],
            get_rpc_exchange(config),
            config.get(SERIALIZER_CONFIG_KEY, DEFAULT_SERIALIZER),
            message,
            ssl=config.get(AMQP_SSL_CONFIG_KEY),
            login_method=config.get(LOGIN_METHOD_CONFIG_KEY),
        )
        try:
            result, exc_info = responder.send_response(result, exc_info)
        except BROKER_CONNECTION_ERRORS as exc:
            log.warning(
                "could not reply to %s.%s (%s: %s): the request stays unacked and is redelivered",
                self.container.service_name,
                self.method_name,
                type(exc).__name__,
                exc,
            )
            return result, exc_info
        problem = try_settle(message.ack, message)
        if problem:
            log.warning(
                "replied to %s.%s but could not ack the request (%s): the broker redelivers it",
                self.container.service_name,
                self.method_name,
                problem,
            )
        return result, exc_info


rpc = TolerantRpc.decorator
